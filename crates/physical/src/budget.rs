//! A limit on a query's work: a deadline and a cancellation flag, checked inside the search
//! loops (every [`CHECK_EVERY`] settled nodes, so the check costs nothing measurable).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Settled nodes between two looks at the clock and the flag.
pub const CHECK_EVERY: u32 = 256;

/// Why a search stopped before its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The cancellation flag was raised (e.g. the client went away).
    Cancelled,
    /// The deadline passed.
    Deadline,
}

/// A deadline and a cancellation flag; the default has neither and never stops a search.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// No limit.
    pub fn unlimited() -> Budget {
        Budget::default()
    }

    /// Stops at `at`.
    pub fn with_deadline(mut self, at: Instant) -> Budget {
        self.deadline = Some(at);
        self
    }

    /// Stops `d` from now.
    pub fn with_timeout(self, d: Duration) -> Budget {
        match Instant::now().checked_add(d) {
            Some(at) => self.with_deadline(at),
            None => self,
        }
    }

    /// Stops when `flag` becomes true.
    pub fn with_cancel(mut self, flag: Arc<AtomicBool>) -> Budget {
        self.cancel = Some(flag);
        self
    }

    /// Whether there is any limit.
    pub fn is_unlimited(&self) -> bool {
        self.deadline.is_none() && self.cancel.is_none()
    }

    /// `Err` once the flag is raised or the deadline has passed.
    ///
    /// # Errors
    /// [`Stopped::Cancelled`] before [`Stopped::Deadline`] when both apply.
    pub fn check(&self) -> Result<(), Stopped> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(Stopped::Cancelled);
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(Stopped::Deadline);
        }
        Ok(())
    }

    /// [`Budget::check`] on every [`CHECK_EVERY`]-th call (`count` is the caller's counter).
    #[inline]
    pub(crate) fn tick(&self, count: &mut u32) -> Result<(), Stopped> {
        *count = count.wrapping_add(1);
        if !count.is_multiple_of(CHECK_EVERY) || self.is_unlimited() {
            return Ok(());
        }
        self.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_and_deadline_stop_and_the_default_never_does() {
        let b = Budget::unlimited();
        let mut n = 0;
        for _ in 0..10 * CHECK_EVERY {
            assert_eq!(b.tick(&mut n), Ok(()));
        }
        let flag = Arc::new(AtomicBool::new(false));
        let b = Budget::unlimited().with_cancel(flag.clone());
        assert_eq!(b.check(), Ok(()));
        flag.store(true, Ordering::Relaxed);
        assert_eq!(b.check(), Err(Stopped::Cancelled));
        // tick looks only every CHECK_EVERY calls.
        let mut n = 0;
        let first_stop = (1..=CHECK_EVERY * 2).find(|_| b.tick(&mut n).is_err());
        assert_eq!(first_stop, Some(CHECK_EVERY));
        let past = Budget::unlimited().with_deadline(Instant::now() - Duration::from_millis(1));
        assert_eq!(past.check(), Err(Stopped::Deadline));
        let later = Budget::unlimited().with_timeout(Duration::from_secs(3600));
        assert_eq!(later.check(), Ok(()));
    }
}
