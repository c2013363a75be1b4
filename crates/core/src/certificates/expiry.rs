//! Certificate expiry: ONTAP accepts an ISO 8601 duration (its own default is `P365DT`) or a
//! date-time (`2030-01-25 11:20:13 +0000`, RFC 3339), and allows 1 day to 3652 days.

use std::fmt;

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
    /// Parses either form.
    ///
    /// Durations go to jiff's ISO 8601 span parser, which takes every standard form ONTAP
    /// documents (`P1DT2H3M4S`, `P10Y`, `PT36H`). ONTAP itself writes whole-day durations with a
    /// dangling time designator and no time part (`P365DT`); ISO 8601 forbids that and jiff
    /// rightly refuses it, so that one trailing `T` is dropped first — the only hand parsing.
    /// Date-times are read as ONTAP returns and takes them ([`parse_timestamp`]: RFC 3339, or
    /// ONTAP's `2030-01-25 11:20:13 +0000`).
    pub fn parse(text: &str) -> Result<Expiry, ExpiryError> {
        let text = text.trim();
        if text.starts_with(['P', 'p']) {
            let normal = text.strip_suffix(['T', 't']).unwrap_or(text);
            return normal
                .parse::<Span>()
                .map(Expiry::In)
                .map_err(|_| ExpiryError::Unreadable);
        }
        parse_timestamp(text)
            .map(Expiry::At)
            .ok_or(ExpiryError::Unreadable)
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

/// Writes the form ONTAP uses: `P365DT` for whole days, `P1DT2H3M4S` otherwise, and
/// [`format_timestamp`] for a point in time. [`Expiry::parse`] reads it back.
impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expiry::In(span) => {
                let iso = span.to_string();
                if iso.contains(['T', 't']) {
                    f.write_str(&iso)
                } else {
                    write!(f, "{iso}T")
                }
            }
            Expiry::At(at) => f.write_str(&format_timestamp(*at)),
        }
    }
}

/// A certificate date-time as ONTAP returns `expiry_time` on GET: RFC 3339 with a numeric
/// offset (`2019-07-18T15:29:14+00:00`), written in UTC. Written from the civil fields rather
/// than with `strftime`: the posture page formats its audit time with this, and jiff's
/// strftime printer is about 16 KB of the console's download (a property test checks both
/// write the same).
pub fn format_timestamp(at: Timestamp) -> String {
    let t = at.to_zoned(TimeZone::UTC).datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses ONTAP's date-time forms: RFC 3339 as returned on GET (`expiry_time`,
/// `2019-07-18T15:29:14+00:00`) and ONTAP's own input form (`2030-01-25 11:20:13 +0000`).
/// Read by hand, without jiff's general parsers: the audit reads 10,000 of them, the general
/// parser (built for size in the console's wasm) took most of the audit's time, and it brings
/// jiff's error messages into every page that reads an expiry. Property tests check that this
/// reads every RFC 3339 text as jiff reads it, and ONTAP's form as jiff's strptime reads it.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    parse_listed(text.trim())
}

/// RFC 3339 (`T` or `t`; an optional fraction of up to 9 digits; `Z`, `z` or `±HH:MM`; a leap
/// second `:60` read as `:59`, as jiff reads it) or ONTAP's input form (a space, then
/// ` ±HHMM`). `None` for anything else.
fn parse_listed(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    let num = |digits: &[u8]| -> Option<i32> {
        digits.iter().try_fold(0i32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    let [y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, separator, h0, h1, b':', mi0, mi1, b':', s0, s1, rest @ ..] =
        b
    else {
        return None;
    };
    let rfc3339 = matches!(separator, b'T' | b't');
    if !rfc3339 && *separator != b' ' {
        return None;
    }
    let (fraction, zone) = match rest {
        [b'.', tail @ ..] if rfc3339 => {
            let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            (&tail[..digits], &tail[digits..])
        }
        _ => (&[][..], rest),
    };
    let nanoseconds = num(fraction)? * 10i32.pow(9 - fraction.len() as u32);
    let offset_seconds = match (rfc3339, zone) {
        (true, [b'Z' | b'z']) => 0,
        (true, [sign, oh0, oh1, b':', om0, om1]) | (false, [b' ', sign, oh0, oh1, om0, om1]) => {
            let (hours, minutes) = (num(&[*oh0, *oh1])?, num(&[*om0, *om1])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            match sign {
                b'+' => seconds,
                b'-' => -seconds,
                _ => return None,
            }
        }
        _ => return None,
    };
    let (hour, minute) = (num(&[*h0, *h1])?, num(&[*mi0, *mi1])?);
    let second = match num(&[*s0, *s1])? {
        60 if rfc3339 => 59,
        second => second,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let (year, month, day) = (
        num(&[*y0, *y1, *y2, *y3])?,
        num(&[*mo0, *mo1])?,
        num(&[*d0, *d1])?,
    );
    // Checks the day exists (no 31 April, 29 February only in leap years).
    jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let seconds = days_from_civil(year.into(), month.into(), day.into()) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second - offset_seconds);
    Timestamp::new(seconds, nanoseconds).ok()
}

/// Days from 1970-01-01 to a valid proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`: years counted from March, in 400-year eras).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    fn every_rfc3339_form_is_read_by_hand() {
        let utc = |s: &str| Some(s.parse::<Timestamp>().unwrap());
        assert_eq!(
            parse_timestamp(" 2019-07-18t15:29:14.5z "),
            utc("2019-07-18T15:29:14.5Z")
        );
        assert_eq!(
            parse_timestamp("2019-07-18T15:29:14.123456789+02:00"),
            utc("2019-07-18T13:29:14.123456789Z")
        );
        assert_eq!(
            parse_timestamp("2016-12-31T23:59:60Z"),
            utc("2016-12-31T23:59:59Z")
        );
        for refused in [
            "2019-07-18T15:29:14.Z",
            "2019-07-18T15:29:14.1234567890Z",
            "2019-07-18T15:29:14",
            "2019-07-18 15:29:14.5 +0000",
            "2019-07-18 15:29:60 +0000",
            "2019-02-29T00:00:00Z",
            "2019-07-18T24:00:00Z",
            "2019-07-18T15:29:14+24:00",
        ] {
            assert_eq!(parse_timestamp(refused), None, "{refused}");
        }
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

    #[test]
    fn jiff_refuses_only_the_dangling_t() {
        // Why the trailing-T normalisation exists: jiff follows ISO 8601 strictly.
        assert!("P365DT".parse::<Span>().is_err());
        assert!("P365D".parse::<Span>().is_ok());
        assert_eq!(Expiry::parse("P365DT").unwrap().to_string(), "P365DT");
        assert_eq!(Expiry::parse("p2dt").unwrap().to_string(), "P2DT");
        assert_eq!(
            Expiry::parse("P1DT2H3M4S").unwrap().to_string(),
            "P1DT2H3M4S"
        );
        assert_eq!(
            Expiry::parse("2030-01-25 11:20:13 +0000")
                .unwrap()
                .to_string(),
            "2030-01-25T11:20:13+00:00"
        );
    }

    proptest! {
        #[test]
        fn formatted_durations_parse_back(
            days in 0i64..5000, hours in 0i64..24, minutes in 0i64..60, seconds in 0i64..60
        ) {
            let span = Span::new().days(days).hours(hours).minutes(minutes).seconds(seconds);
            let text = Expiry::In(span).to_string();
            let Ok(Expiry::In(back)) = Expiry::parse(&text) else {
                return Err(TestCaseError::fail(format!("{text} did not parse back")));
            };
            prop_assert_eq!(back.fieldwise(), span.fieldwise());
            let total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
            let in_range = (MIN_DAYS * 86_400..=MAX_DAYS * 86_400).contains(&total);
            prop_assert_eq!(Expiry::parse(&text).unwrap().check_range(now()).is_ok(), in_range);
        }

        #[test]
        fn formatted_timestamps_parse_back(offset in -400_000_000i64..400_000_000) {
            let at = Timestamp::from_second(now().as_second() + offset).unwrap();
            let text = format_timestamp(at);
            prop_assert_eq!(parse_timestamp(&text), Some(at));
            let ontap = at.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d %H:%M:%S +0000").to_string();
            prop_assert_eq!(parse_timestamp(&ontap), Some(at));
            let in_range = (MIN_DAYS * 86_400..=MAX_DAYS * 86_400).contains(&offset);
            prop_assert_eq!(Expiry::At(at).check_range(now()).is_ok(), in_range);
        }

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
        fn the_listed_form_reads_as_jiff_reads_it(
            seconds in -62_000_000_000i64..250_000_000_000,
            offset_minutes in -1439i32..1440,
            zulu in proptest::bool::ANY,
        ) {
            let at = Timestamp::from_second(seconds).unwrap();
            let text = if zulu {
                at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
            } else {
                let offset = jiff::tz::Offset::from_seconds(offset_minutes * 60).unwrap();
                at.to_zoned(TimeZone::fixed(offset)).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
            };
            prop_assert_eq!(parse_listed(&text), text.parse::<Timestamp>().ok(), "{}", text);
            prop_assert_eq!(parse_timestamp(&text), Some(at));
        }

        #[test]
        fn the_listed_form_never_reads_what_jiff_refuses(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,11})?([+-][0-9]{2}:[0-9]{2}|[Zz])") {
            if let Some(at) = parse_listed(&s) {
                prop_assert_eq!(s.parse::<Timestamp>().ok(), Some(at), "{}", s);
            }
        }

        #[test]
        fn rfc3339_reads_as_jiff_reads_it(
            s in "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?([+-]([01][0-9]|2[0-3]):[0-5][0-9]|[Zz])",
        ) {
            prop_assert_eq!(parse_listed(&s), s.parse::<Timestamp>().ok(), "{}", s);
        }

        #[test]
        fn format_timestamp_writes_what_strftime_writes(seconds in -62_000_000_000i64..250_000_000_000) {
            let at = Timestamp::from_second(seconds).unwrap();
            let strftime = at.to_zoned(TimeZone::UTC).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
            prop_assert_eq!(format_timestamp(at), strftime);
        }

        #[test]
        fn the_input_form_reads_as_strptime_reads_it(
            s in "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}",
        ) {
            let strptime = Timestamp::strptime("%Y-%m-%d %H:%M:%S %z", &s).ok();
            if let Some(at) = parse_listed(&s) {
                prop_assert_eq!(strptime, Some(at), "{}", s);
            }
        }

        #[test]
        fn the_input_form_reads_back(
            seconds in 0i64..250_000_000_000,
            offset_minutes in -1439i32..1440,
        ) {
            let at = Timestamp::from_second(seconds).unwrap();
            let offset = jiff::tz::Offset::from_seconds(offset_minutes * 60).unwrap();
            let text = at.to_zoned(TimeZone::fixed(offset)).strftime("%Y-%m-%d %H:%M:%S %z").to_string();
            prop_assert_eq!(parse_listed(&text), Some(at), "{}", text);
        }

        #[test]
        fn parse_timestamp_never_panics(s in ".{0,40}") {
            let _ = parse_timestamp(&s);
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = Expiry::parse(&s).map(|e| e.check_range(now()));
        }
    }
}
