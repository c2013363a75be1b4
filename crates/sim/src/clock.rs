//! The simulator's clock: the system's, or one a test moves by hand, so that tests of jobs
//! (queued → running → success → expired) need no sleeps and hold on a loaded machine.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, as jobs count them.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's clock.
    #[default]
    System,
    /// A clock that moves only when [`Clock::advance`] is called (shared by its clones).
    Manual(Arc<AtomicU64>),
}

impl Clock {
    /// A hand-moved clock starting at `seconds` since the epoch.
    pub fn manual(seconds: f64) -> Self {
        Clock::Manual(Arc::new(AtomicU64::new(seconds.to_bits())))
    }

    /// A hand-moved clock starting at the system's now.
    pub fn manual_from_now() -> Self {
        Clock::manual(Clock::System.now())
    }

    /// Now, in seconds since the epoch.
    pub fn now(&self) -> f64 {
        match self {
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0),
            Clock::Manual(bits) => f64::from_bits(bits.load(Ordering::SeqCst)),
        }
    }

    /// Moves a manual clock forward; the system's clock cannot be moved (returns false).
    pub fn advance(&self, seconds: f64) -> bool {
        match self {
            Clock::System => false,
            Clock::Manual(bits) => {
                let _ = bits.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| {
                    Some((f64::from_bits(b) + seconds).to_bits())
                });
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_its_clones_follow() {
        let clock = Clock::manual(1000.0);
        let clone = clock.clone();
        assert_eq!(clock.now(), 1000.0);
        assert!(clock.advance(2.5));
        assert_eq!(clone.now(), 1002.5);
        assert!(!Clock::System.advance(1.0));
        assert!(Clock::System.now() > 1.7e9);
    }
}
