//! The address rules: ISO country code, and US state and ZIP when the country is `US`.

use crate::violation::field;
use crate::{Code, Violation};

/// USPS two-letter codes accepted for `data.state` when the country is `US`: the 50 states,
/// the District of Columbia, the inhabited territories (AS, GU, MP, PR, VI), the U.S. Minor
/// Outlying Islands (UM), and the Armed Forces codes (AA, AE, AP). Sorted.
const US_STATES: [&str; 60] = [
    "AA", "AE", "AK", "AL", "AP", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU",
    "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS",
    "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC",
    "SD", "TN", "TX", "UM", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];

/// Whether `code` is a USPS state code (50 states, DC, territories AS GU MP PR VI UM,
/// military AA AE AP). ASCII case-insensitive; no surrounding whitespace allowed.
///
/// ```
/// assert!(vivamo_rules::is_us_state("NY"));
/// assert!(vivamo_rules::is_us_state("pr"));
/// assert!(!vivamo_rules::is_us_state("XX"));
/// ```
pub fn is_us_state(code: &str) -> bool {
    code.len() == 2
        && code.is_ascii()
        && US_STATES
            .binary_search(&code.to_ascii_uppercase().as_str())
            .is_ok()
}

/// Whether `code` is an ISO 3166-1 alpha-2 country code, ASCII case-insensitive.
///
/// The list comes from the [`celes`] crate: the 249 officially assigned codes plus `XK`
/// (Kosovo), the user-assigned code that the EU, SWIFT and payment processors use. Exactly
/// two ASCII letters are required, so look-alikes such as the Kelvin sign (`K`) never match.
///
/// ```
/// assert!(vivamo_rules::is_country_code("US"));
/// assert!(vivamo_rules::is_country_code("gb"));
/// assert!(!vivamo_rules::is_country_code("UK"));
/// assert!(!vivamo_rules::is_country_code("USA"));
/// ```
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_alphabetic())
        && celes::Country::from_alpha2(code).is_ok()
}

/// Upper-cases a valid country code, or reports [`Code::InvalidCountry`].
pub(crate) fn check_country(code: &str) -> Result<String, Violation> {
    if is_country_code(code) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(Violation::new(
            field::COUNTRY,
            Code::InvalidCountry,
            "data.country must be a two-letter ISO 3166-1 alpha-2 country code, like US, GB or DE",
        ))
    }
}

/// Upper-cases a valid US state code, or reports [`Code::InvalidState`].
pub(crate) fn check_us_state(code: &str) -> Result<String, Violation> {
    if is_us_state(code) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(Violation::new(
            field::STATE,
            Code::InvalidState,
            "data.state must be a two-letter USPS state code, like NY, CA or DC, when data.country is US",
        ))
    }
}

/// Whether `zip` is `12345` or `12345-6789` (ASCII digits).
pub(crate) fn is_us_zip(zip: &str) -> bool {
    let b = zip.as_bytes();
    let five = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => five(b),
        10 => five(&b[..5]) && b[5] == b'-' && five(&b[6..]),
        _ => false,
    }
}

/// Reports [`Code::InvalidZip`] unless `zip` is a US ZIP or ZIP+4 code.
pub(crate) fn check_us_zip(zip: &str) -> Result<(), Violation> {
    if is_us_zip(zip) {
        Ok(())
    } else {
        Err(Violation::new(
            field::ZIP,
            Code::InvalidZip,
            "data.zip must be a US ZIP code like 12345 or 12345-6789 when data.country is US",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_table_is_complete_and_sorted() {
        assert!(US_STATES.windows(2).all(|w| w[0] < w[1]));
        let states = "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO \
                      MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY";
        assert_eq!(states.split_whitespace().count(), 50);
        let others = "DC AS GU MP PR VI UM AA AE AP";
        for s in states.split_whitespace().chain(others.split_whitespace()) {
            assert!(is_us_state(s), "{s}");
            assert!(is_us_state(&s.to_lowercase()), "{s}");
        }
        for s in [
            "",
            "N",
            "NYC",
            "XX",
            "ON",
            "BC",
            "FM",
            "MH",
            "PW",
            " NY",
            "\u{FF2E}\u{FF39}",
        ] {
            assert!(!is_us_state(s), "{s:?}");
        }
    }

    #[test]
    fn countries() {
        for c in [
            "US", "us", "Us", "GB", "DE", "FR", "CN", "BR", "IN", "JP", "XK", "AQ", "PR",
        ] {
            assert!(is_country_code(c), "{c}");
        }
        for c in [
            "",
            "U",
            "USA",
            "UK",
            "EU",
            "ZZ",
            "U1",
            "\u{212A}E",
            "ke ",
            "\u{FF35}\u{FF33}",
        ] {
            assert!(!is_country_code(c), "{c:?}");
        }
        assert_eq!(check_country("de").unwrap(), "DE");
        assert_eq!(check_country("DEU").unwrap_err().code, Code::InvalidCountry);
    }

    #[test]
    fn zips() {
        for z in ["12345", "00501", "12345-6789"] {
            assert!(is_us_zip(z), "{z}");
        }
        for z in [
            "1234",
            "123456",
            "12345-678",
            "12345 6789",
            "123456789",
            "ABCDE",
            "SW1A 1AA",
            "\u{FF11}2345",
        ] {
            assert!(!is_us_zip(z), "{z:?}");
        }
    }
}
