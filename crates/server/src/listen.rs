//! The accept loop: HTTP/1.1 connections with timeouts, connection caps and a bounded drain.
//!
//! `axum::serve` has no header, body or idle timeout and no per-client cap, so a client that
//! opens connections and sends nothing (or half a request) holds file descriptors for ever and
//! stops a graceful shutdown. This loop serves the same router with hyper's HTTP/1 builder:
//!
//! - **Header timeout** ([`Config::header_timeout`]): hyper's `header_read_timeout`. It runs
//!   whenever a connection waits for a request head, so it also closes an idle keep-alive
//!   connection (the keep-alive idle limit is the same figure).
//! - **Body timeout** ([`Config::body_timeout`]): the `body` middleware in `lib.rs` reads the
//!   whole body under a `tokio::time::timeout` (408 `Timeout` past it).
//! - **Caps**: at most [`Config::max_connections_per_ip`] open connections per peer address
//!   and [`Config::max_connections`] in all; past either the connection gets a short 503
//!   `Overloaded` JSON answer and is closed.
//! - **Write timeout** ([`Config::write_timeout`]): a connection whose writes make no
//!   progress for that long (a client that never reads its answer, so the socket buffers
//!   fill) is dropped ([`WriteTimeout`]); the timer restarts whenever bytes go out.
//! - **Drain** ([`Config::drain_timeout`]): on shutdown the listener closes, every connection
//!   is told to finish its request in flight and close, and whatever is still open after the
//!   drain time is dropped.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::Config;

/// Open connections per peer address and in all.
#[derive(Default)]
struct Counts {
    per_ip: HashMap<IpAddr, usize>,
    total: usize,
}

/// A slot in [`Counts`]; released on drop (the map holds only addresses with open connections).
struct Slot {
    counts: Arc<Mutex<Counts>>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut c) = self.counts.lock() {
            c.total = c.total.saturating_sub(1);
            if let Some(n) = c.per_ip.get_mut(&self.ip) {
                *n -= 1;
                if *n == 0 {
                    c.per_ip.remove(&self.ip);
                }
            }
        }
    }
}

/// Takes a slot for `ip`, or `None` past a cap.
fn take_slot(counts: &Arc<Mutex<Counts>>, ip: IpAddr, cfg: &Config) -> Option<Slot> {
    let mut c = counts.lock().ok()?;
    let n = c.per_ip.get(&ip).copied().unwrap_or(0);
    if n >= cfg.max_connections_per_ip || c.total >= cfg.max_connections {
        return None;
    }
    c.per_ip.insert(ip, n + 1);
    c.total += 1;
    Some(Slot {
        counts: counts.clone(),
        ip,
    })
}

/// A stream whose writes fail with `TimedOut` once one has waited `limit` without progress
/// (the peer stopped reading): hyper then drops the connection and its slot.
pub struct WriteTimeout<S> {
    inner: S,
    limit: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteTimeout<S> {
    /// `inner` with writes bounded by `limit` of no progress.
    pub fn new(inner: S, limit: Duration) -> WriteTimeout<S> {
        WriteTimeout {
            inner,
            limit,
            stalled: None,
        }
    }

    /// After a write that made no progress: pending until `limit` has passed since the first
    /// such write, then the error.
    fn stall(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Error> {
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client read nothing of the answer within the write timeout",
            )),
            Poll::Pending => Poll::Pending,
        }
    }

    fn bounded<T>(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<std::io::Result<T>>,
    ) -> Poll<std::io::Result<T>> {
        match r {
            Poll::Pending => match self.stall(cx) {
                Poll::Ready(e) => Poll::Ready(Err(e)),
                Poll::Pending => Poll::Pending,
            },
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteTimeout<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.bounded(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.bounded(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_flush(cx);
        self.bounded(cx, r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let r = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.bounded(cx, r)
    }
}

/// The answer to a connection past a cap, written at once and closed.
const OVER_CAP: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 77\r\n\r\n\
{\"code\":\"Overloaded\",\"message\":\"too many open connections from this client\"}\n";

/// Serves `router` on `listener` until `shutdown` completes, then drains (bounded).
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    cfg: &Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let counts = Arc::new(Mutex::new(Counts::default()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut conns = JoinSet::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(cfg.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            // Reap finished connection tasks so the set does not grow.
            Some(_) = conns.join_next(), if !conns.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(slot) = take_slot(&counts, peer.ip(), cfg) else {
            tracing::warn!(peer = %peer, "connection cap reached; refusing");
            conns.spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        conns.spawn(connection(
            WriteTimeout::new(stream, cfg.write_timeout),
            peer,
            router.clone(),
            builder.clone(),
            stop_rx.clone(),
            slot,
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    tracing::info!(
        open = conns.len(),
        "shutting down: finishing requests in flight"
    );
    let drained = tokio::time::timeout(cfg.drain_timeout, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = conns.len(),
            "drain time over; closing the connections still open"
        );
        conns.abort_all();
    }
    Ok(())
}

async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        let _ = stream.write_all(OVER_CAP).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

async fn connection(
    stream: WriteTimeout<TcpStream>,
    peer: SocketAddr,
    router: Router,
    builder: hyper::server::conn::http1::Builder,
    mut stop: tokio::sync::watch::Receiver<bool>,
    _slot: Slot,
) {
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        let router = router.clone();
        async move {
            let resp = router.oneshot(req.map(axum::body::Body::new)).await;
            Ok::<_, Infallible>(match resp {
                Ok(r) => r,
                Err(e) => match e {},
            })
        }
    });
    let conn = builder.serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(conn);
    if *stop.borrow() {
        conn.as_mut().graceful_shutdown();
    }
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!(peer = %peer, error = %e, "connection closed");
            }
            return;
        }
        _ = stop.changed() => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_address_and_released_on_drop() {
        let cfg = Config {
            max_connections_per_ip: 2,
            max_connections: 3,
            ..Config::default()
        };
        let counts = Arc::new(Mutex::new(Counts::default()));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let s1 = take_slot(&counts, a, &cfg).unwrap();
        let _s2 = take_slot(&counts, a, &cfg).unwrap();
        assert!(
            take_slot(&counts, a, &cfg).is_none(),
            "third from one address"
        );
        let _s3 = take_slot(&counts, b, &cfg).unwrap();
        assert!(take_slot(&counts, b, &cfg).is_none(), "total cap of 3");
        drop(s1);
        assert!(take_slot(&counts, a, &cfg).is_some(), "released on drop");
        assert_eq!(counts.lock().unwrap().per_ip.len(), 2);
    }

    #[test]
    fn the_over_cap_answer_has_the_right_length() {
        let text = std::str::from_utf8(OVER_CAP).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["code"], "Overloaded");
    }
}
