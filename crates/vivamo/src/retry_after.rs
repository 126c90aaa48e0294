//! `Retry-After`: what a server's hint becomes, without ever panicking.
//!
//! The header is under the control of whatever answers (the API, but also any proxy or
//! gateway on the way), so every value is accepted and turned into a bounded wait:
//!
//! | value | wait |
//! | --- | --- |
//! | seconds, integer or fractional (`3`, `0.25`) | that long, capped at [`MAX_RETRY_AFTER`] |
//! | seconds too large for a `Duration` or an `f64` (`99999999999999999999`, `1e20`, `1e400`) | [`MAX_RETRY_AFTER`] |
//! | an HTTP date in the future | the time until then, capped at [`MAX_RETRY_AFTER`] |
//! | an HTTP date in the past | no wait |
//! | negative, `NaN`, infinite, empty or anything else | no usable hint: the client's own backoff applies |
//!
//! The cap keeps one header from stalling a call: the call's deadline bounds the wait too.

use std::time::{Duration, SystemTime};

/// The longest wait a `Retry-After` can ask for; longer hints are capped to it.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The wait a `Retry-After` value asks for, at `now`; `None` when it gives no usable hint.
pub(crate) fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let numeric = value
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if numeric {
        // Only digits and exponents get here: `inf` and `NaN` spelled out are not numbers;
        // a number too large for an f64 parses as +infinity and is capped like any large one.
        let seconds = value.parse::<f64>().ok()?;
        if seconds.is_nan() || seconds < 0.0 {
            return None;
        }
        if seconds >= MAX_RETRY_AFTER.as_secs_f64() {
            return Some(MAX_RETRY_AFTER);
        }
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(now)
            .map_or(Duration::ZERO, |wait| wait.min(MAX_RETRY_AFTER)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_now(value: &str) -> Option<Duration> {
        parse(value, SystemTime::now())
    }

    #[test]
    fn integer_seconds() {
        assert_eq!(at_now("3"), Some(Duration::from_secs(3)));
        assert_eq!(at_now(" 0 "), Some(Duration::ZERO));
        assert_eq!(at_now("60"), Some(MAX_RETRY_AFTER));
        assert_eq!(at_now("61"), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn fractional_seconds() {
        assert_eq!(at_now("0.25"), Some(Duration::from_millis(250)));
        assert_eq!(at_now("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(at_now("-0"), Some(Duration::ZERO));
    }

    #[test]
    fn http_dates() {
        let now = SystemTime::now();
        let later = now + Duration::from_secs(30);
        let wait = parse(&httpdate::fmt_http_date(later), now).unwrap();
        assert!(wait > Duration::from_secs(28) && wait <= Duration::from_secs(30));
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past: no wait"
        );
    }

    #[test]
    fn far_future_dates_are_capped() {
        assert_eq!(
            at_now("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(MAX_RETRY_AFTER)
        );
        let in_a_day = SystemTime::now() + Duration::from_secs(86_400);
        assert_eq!(
            at_now(&httpdate::fmt_http_date(in_a_day)),
            Some(MAX_RETRY_AFTER)
        );
    }

    #[test]
    fn overflow_is_capped() {
        for huge in [
            "99999999999999999999",
            "1e20",
            "1e308",
            "1e400",
            "18446744073709551616",
            "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        ] {
            assert_eq!(at_now(huge), Some(MAX_RETRY_AFTER), "{huge}");
        }
    }

    #[test]
    fn negative_nan_infinite_and_garbage_give_no_hint() {
        for bad in [
            "-1",
            "-1e20",
            "-0.5",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "",
            "   ",
            "soon",
            "1s",
            "0x10",
            "\u{0}",
            "Mon, 99 Foo 2024",
        ] {
            assert_eq!(at_now(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_megabyte_of_digits_does_not_panic() {
        let long = "9".repeat(1 << 20);
        assert_eq!(at_now(&long), Some(MAX_RETRY_AFTER));
    }
}
