//! Certificate expiry: ONTAP accepts an ISO 8601 duration (its own default is `P365DT`) or a
//! date-time (`2030-01-25 11:20:13 +0000`, RFC 3339), and allows 1 day to 3652 days.

use jiff::{tz::TimeZone, Span, Timestamp};

/// The shortest expiry ONTAP allows, in days.
pub const MIN_DAYS: i64 = 1;
/// The longest expiry ONTAP allows, in days (10 years).
pub const MAX_DAYS: i64 = 3652;

/// A parsed `expiry_time`.
#[derive(Debug, Clone)]
pub enum Expiry {
    /// A duration from "now".
    In(Span),
    /// A point in time.
    At(Timestamp),
}

/// Why an `expiry_time` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpiryError {
    #[error("the expiry must be an ISO 8601 duration such as P365D or a date and time such as 2030-01-25 11:20:13 +0000")]
    Unreadable,
    #[error("the expiry must be between {MIN_DAYS} day and {MAX_DAYS} days from now")]
    OutOfRange,
}

impl Expiry {
    /// Parses either form. ONTAP writes durations with a trailing `T` and no time part
    /// (`P365DT`), which jiff rightly refuses as ISO 8601; that one form is normalised first.
    pub fn parse(text: &str) -> Result<Expiry, ExpiryError> {
        let text = text.trim();
        if text.starts_with(['P', 'p']) {
            let normal = text.strip_suffix(['T', 't']).unwrap_or(text);
            return normal
                .parse::<Span>()
                .map(Expiry::In)
                .map_err(|_| ExpiryError::Unreadable);
        }
        text.parse::<Timestamp>()
            .or_else(|_| Timestamp::strptime("%Y-%m-%d %H:%M:%S %z", text))
            .map(Expiry::At)
            .map_err(|_| ExpiryError::Unreadable)
    }

    /// When the certificate would expire if created at `now`.
    pub fn end(&self, now: Timestamp) -> Result<Timestamp, ExpiryError> {
        match self {
            Expiry::At(at) => Ok(*at),
            Expiry::In(span) => now
                .to_zoned(TimeZone::UTC)
                .checked_add(*span)
                .map(|z| z.timestamp())
                .map_err(|_| ExpiryError::OutOfRange),
        }
    }

    /// Checks the 1-day to 3652-day rule relative to `now`, and returns the end.
    pub fn check_range(&self, now: Timestamp) -> Result<Timestamp, ExpiryError> {
        let end = self.end(now)?;
        let seconds = end.as_second() - now.as_second();
        if (MIN_DAYS * 86_400..=MAX_DAYS * 86_400).contains(&seconds) {
            Ok(end)
        } else {
            Err(ExpiryError::OutOfRange)
        }
    }

    /// ONTAP's duration form for a number of days (`P365DT`).
    pub fn days(days: i64) -> String {
        format!("P{days}DT")
    }
}

/// Parses ONTAP's date-time forms as returned on GET (`expiry_time`).
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    match Expiry::parse(text) {
        Ok(Expiry::At(t)) => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn ontap_forms_parse() {
        assert!(matches!(Expiry::parse("P365DT"), Ok(Expiry::In(_))));
        assert!(matches!(Expiry::parse("P1DT2H3M4S"), Ok(Expiry::In(_))));
        assert!(matches!(Expiry::parse("P10Y"), Ok(Expiry::In(_))));
        assert_eq!(
            parse_timestamp("2030-01-25 11:20:13 +0000"),
            Some("2030-01-25T11:20:13Z".parse().unwrap())
        );
        assert_eq!(
            parse_timestamp("2019-07-18T15:29:14-04:00"),
            Some("2019-07-18T19:29:14Z".parse().unwrap())
        );
        assert!(Expiry::parse("soon").is_err());
        assert!(Expiry::parse("P").is_err());
    }

    #[test]
    fn range_boundaries() {
        let ok = |s: &str| Expiry::parse(s).unwrap().check_range(now()).is_ok();
        assert!(ok("P1DT"));
        assert!(!ok("PT23H59M59S"));
        assert!(ok("P3652D"));
        assert!(!ok("P3653D"));
        assert!(ok("P10Y")); // 2026 to 2036 holds two leap days: exactly 3652 days
        assert!(!ok("P11Y"));
        assert!(ok("2026-01-02T00:00:00Z"));
        assert!(!ok("2025-12-31T00:00:00Z"));
    }

    proptest! {
        #[test]
        fn day_durations_round_trip_and_respect_the_range(days in -10i64..4000) {
            let text = Expiry::days(days);
            let parsed = Expiry::parse(&text);
            if days < 0 {
                prop_assert!(parsed.is_err() || parsed.unwrap().check_range(now()).is_err());
            } else {
                let in_range = parsed.unwrap().check_range(now()).is_ok();
                prop_assert_eq!(in_range, (MIN_DAYS..=MAX_DAYS).contains(&days));
            }
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = Expiry::parse(&s).map(|e| e.check_range(now()));
        }
    }
}
