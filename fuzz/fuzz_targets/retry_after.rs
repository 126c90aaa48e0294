//! The SDK's `Retry-After` reading over any header value: never a panic, never a wait above
//! the cap; a plain number of seconds is that wait (capped); an HTTP date is the time until
//! then (capped) or no wait when past; the same value and clock give the same answer.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use vivamo_fuzz::{retry_after, MAX_RETRY_AFTER};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    // A fixed clock: 2023-11-14T22:13:20Z.
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let wait = retry_after(value, now);
    assert_eq!(wait, retry_after(value, now));
    if let Some(wait) = wait {
        assert!(wait <= MAX_RETRY_AFTER, "{value:?} → {wait:?}");
    }
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        // Whole seconds: exactly that wait, up to the cap.
        let expected = trimmed.parse::<u64>().map_or(MAX_RETRY_AFTER, |s| {
            Duration::from_secs(s).min(MAX_RETRY_AFTER)
        });
        assert_eq!(wait, Some(expected), "{value:?}");
    }
    if let Ok(when) = httpdate::parse_http_date(trimmed) {
        let expected = when
            .duration_since(now)
            .map_or(Duration::ZERO, |w| w.min(MAX_RETRY_AFTER));
        assert_eq!(wait, Some(expected), "{value:?}");
        // Later, the same date asks for no longer a wait.
        let later = now + Duration::from_secs(30);
        assert!(retry_after(value, later) <= wait, "{value:?}");
    }
});
