//! The web map served at `/`: `web/index.html`, `app.js`, `style.css`, the page modules
//! (`scenario.js`, `reliability.js`, `options.js`, `flags.js`, `flows.js`) and the vendored npm files
//! of `web/vendor/` (world-atlas, topojson-client, d3-array, d3-geo), embedded at compile time
//! so that the binary serves the page with no npm, no files on disk and no internet.
//!
//! Page files (`/`, `/app.js`, `/style.css`) are `no-cache` (revalidated by ETag, they change
//! with the binary); vendored files are cacheable for a week. Every file has a strong ETag and
//! answers `If-None-Match` with 304, and a Content-Security-Policy that allows only this origin.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $path:literal, $ct:literal) => {
        Asset {
            name: $name,
            content_type: $ct,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/", $path)),
        }
    };
}

const PAGE: [Asset; 8] = [
    asset!("index.html", "index.html", "text/html; charset=utf-8"),
    asset!("app.js", "app.js", "text/javascript; charset=utf-8"),
    asset!(
        "scenario.js",
        "scenario.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "reliability.js",
        "reliability.js",
        "text/javascript; charset=utf-8"
    ),
    asset!("options.js", "options.js", "text/javascript; charset=utf-8"),
    asset!("flags.js", "flags.js", "text/javascript; charset=utf-8"),
    asset!("flows.js", "flows.js", "text/javascript; charset=utf-8"),
    asset!("style.css", "style.css", "text/css; charset=utf-8"),
];

const VENDOR: [Asset; 9] = [
    asset!(
        "countries-50m.json",
        "vendor/countries-50m.json",
        "application/json"
    ),
    asset!(
        "topojson-client.min.js",
        "vendor/topojson-client.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "d3-array.min.js",
        "vendor/d3-array.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "d3-geo.min.js",
        "vendor/d3-geo.min.js",
        "text/javascript; charset=utf-8"
    ),
    asset!(
        "VERSIONS.txt",
        "vendor/VERSIONS.txt",
        "text/plain; charset=utf-8"
    ),
    asset!(
        "licenses/world-atlas.LICENSE.txt",
        "vendor/licenses/world-atlas.LICENSE.txt",
        "text/plain; charset=utf-8"
    ),
    asset!(
        "licenses/topojson-client.LICENSE.txt",
        "vendor/licenses/topojson-client.LICENSE.txt",
        "text/plain; charset=utf-8"
    ),
    asset!(
        "licenses/d3-array.LICENSE.txt",
        "vendor/licenses/d3-array.LICENSE.txt",
        "text/plain; charset=utf-8"
    ),
    asset!(
        "licenses/d3-geo.LICENSE.txt",
        "vendor/licenses/d3-geo.LICENSE.txt",
        "text/plain; charset=utf-8"
    ),
];

/// Content-Security-Policy of every page file: this origin only, no inline script.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
frame-ancestors 'none'; form-action 'self'";

/// The routes of the web map; merged into the API router.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/",
            get(|h: HeaderMap| async move { page("index.html", &h) }),
        )
        .route(
            "/index.html",
            get(|h: HeaderMap| async move { page("index.html", &h) }),
        )
        .route(
            "/app.js",
            get(|h: HeaderMap| async move { page("app.js", &h) }),
        )
        .route(
            "/style.css",
            get(|h: HeaderMap| async move { page("style.css", &h) }),
        )
        .route(
            "/scenario.js",
            get(|h: HeaderMap| async move { page("scenario.js", &h) }),
        )
        .route(
            "/reliability.js",
            get(|h: HeaderMap| async move { page("reliability.js", &h) }),
        )
        .route(
            "/options.js",
            get(|h: HeaderMap| async move { page("options.js", &h) }),
        )
        .route(
            "/flags.js",
            get(|h: HeaderMap| async move { page("flags.js", &h) }),
        )
        .route(
            "/flows.js",
            get(|h: HeaderMap| async move { page("flows.js", &h) }),
        )
        .route("/vendor/{*file}", get(vendor))
}

fn page(name: &str, h: &HeaderMap) -> Response {
    match PAGE.iter().find(|a| a.name == name) {
        Some(a) => serve(a, "no-cache", h),
        None => ApiError::NotFound(format!("/{name}")).into_response(),
    }
}

async fn vendor(Path(file): Path<String>, h: HeaderMap) -> Response {
    match VENDOR.iter().find(|a| a.name == file) {
        Some(a) => serve(a, "public, max-age=604800", &h),
        None => ApiError::NotFound(format!("/vendor/{file}")).into_response(),
    }
}

/// FNV-1a 64 of the body: a strong ETag that is the same for the same binary.
fn etag(body: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}-{}\"", body.len())
}

fn serve(a: &Asset, cache: &'static str, h: &HeaderMap) -> Response {
    let tag = etag(a.body);
    let fresh = h
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut resp = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(a.content_type),
            )],
            a.body,
        )
            .into_response()
    };
    let hs = resp.headers_mut();
    hs.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        hs.insert(header::ETAG, v);
    }
    hs.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    hs.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    hs.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get(path: &str, inm: Option<&str>) -> Response {
        let mut req = Request::get(path);
        if let Some(t) = inm {
            req = req.header(header::IF_NONE_MATCH, t);
        }
        routes::<()>()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn serves_the_page_and_vendored_files_with_types_and_caching() {
        for (path, ct, cache) in [
            ("/", "text/html; charset=utf-8", "no-cache"),
            ("/app.js", "text/javascript; charset=utf-8", "no-cache"),
            ("/scenario.js", "text/javascript; charset=utf-8", "no-cache"),
            (
                "/reliability.js",
                "text/javascript; charset=utf-8",
                "no-cache",
            ),
            ("/options.js", "text/javascript; charset=utf-8", "no-cache"),
            ("/flags.js", "text/javascript; charset=utf-8", "no-cache"),
            ("/flows.js", "text/javascript; charset=utf-8", "no-cache"),
            ("/style.css", "text/css; charset=utf-8", "no-cache"),
            (
                "/vendor/countries-50m.json",
                "application/json",
                "public, max-age=604800",
            ),
            (
                "/vendor/d3-geo.min.js",
                "text/javascript; charset=utf-8",
                "public, max-age=604800",
            ),
            (
                "/vendor/licenses/world-atlas.LICENSE.txt",
                "text/plain; charset=utf-8",
                "public, max-age=604800",
            ),
        ] {
            let r = get(path, None).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert_eq!(r.headers()[header::CONTENT_TYPE], ct, "{path}");
            assert_eq!(r.headers()[header::CACHE_CONTROL], cache, "{path}");
            let tag = r.headers()[header::ETAG].to_str().unwrap().to_string();
            let again = get(path, Some(&tag)).await;
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        }
        assert_eq!(
            get("/vendor/nope.js", None).await.status(),
            StatusCode::NOT_FOUND
        );
    }

    /// Every `src`/`href` of the page and every `fetch("…")` of the script names an asset the
    /// server serves (or an in-page anchor, a data: URL or an API route), and nothing is
    /// loaded from another host.
    #[test]
    fn the_page_loads_only_what_the_server_serves() {
        let html = std::str::from_utf8(PAGE[0].body).unwrap();
        let js = std::str::from_utf8(PAGE[1].body).unwrap();
        let served: Vec<String> = PAGE
            .iter()
            .map(|a| a.name.to_string())
            .chain(VENDOR.iter().map(|a| format!("vendor/{}", a.name)))
            .collect();
        let mut refs = Vec::new();
        for attr in ["src=\"", "href=\""] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                refs.push(rest[..rest.find('"').unwrap()].to_string());
            }
        }
        for (i, _) in js.match_indices("fetch(\"") {
            let rest = &js[i + 7..];
            refs.push(rest[..rest.find('"').unwrap()].to_string());
        }
        let api = ["openapi.json"];
        let mut checked = 0;
        for r in &refs {
            assert!(!r.contains("//"), "the page loads {r} from another host");
            if r.starts_with('#') || r.starts_with("data:") || api.contains(&r.as_str()) {
                continue;
            }
            assert!(
                served.contains(r),
                "the page loads {r}, which the server does not serve"
            );
            checked += 1;
        }
        // index.html: style.css, app.js, three vendored scripts, VERSIONS.txt; app.js: the atlas.
        assert!(
            checked >= 7,
            "only {checked} local references found in {refs:?}"
        );
        for a in PAGE.iter().chain(VENDOR.iter()) {
            assert!(!a.body.is_empty(), "{}", a.name);
        }
    }
}
