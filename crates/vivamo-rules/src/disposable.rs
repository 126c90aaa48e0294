//! Disposable (throw-away) email domains.
//!
//! The list is the union of two maintained lists, compiled at build time (build.rs) into a
//! finite-state transducer set (the `fst` crate) that is embedded in the binary and searched
//! in place: no start-up cost, no allocation, and a few hundred KB instead of the ≈4 MB a
//! `&[&str]` of the same domains costs in relocations.
//!
//! * `data/disposable_domains.txt` (≈77,000 domains): a copy of the community
//!   [`disposable-email-domains`](https://github.com/disposable/disposable-email-domains)
//!   aggregate (see `data/README.md` for its origin and how to refresh it);
//! * the `mailchecker` crate's list (≈56,000 domains; a few hundred are not in the first),
//!   refreshed by bumping the crate.
//!
//! A domain is disposable when it, or any parent domain (`a.b.mailinator.com` →
//! `b.mailinator.com` → `mailinator.com`), is on the list, unless it or a parent is on the
//! [`ALLOW`] list of real mailbox providers that a list flags by mistake.

use std::sync::OnceLock;

/// Real mailbox providers (and Vivamo's own documented example) that a list flags by
/// mistake. A domain under one of these is never disposable.
const ALLOW: &[&str] = &[
    // Vivamo's guide says "user@example.com is valid"; `disposable-emails` lists it.
    "example.com",
    // Sohu Mail, one of China's largest free mailbox providers; `disposable-emails` lists
    // sohu.com and vip.sohu.com (its paid tier).
    "sohu.com",
    // Onet Poczta, one of Poland's largest mailbox providers; `disposable-emails` lists it.
    "onet.pl",
];

/// The merged list as FST bytes, written by build.rs.
static LIST_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/disposable_domains.fst"));

/// The merged list, opened once (reading the FST's header; the bytes are used in place).
fn list() -> Option<&'static fst::Set<&'static [u8]>> {
    static LIST: OnceLock<Option<fst::Set<&'static [u8]>>> = OnceLock::new();
    // build.rs wrote these bytes with the same `fst` version; a failure here would be a
    // build defect, and then nothing is flagged rather than the caller panicking.
    LIST.get_or_init(|| fst::Set::new(LIST_BYTES).ok()).as_ref()
}

/// `true` when `domain` (already ASCII lower case) is itself on the list.
fn listed(domain: &str) -> bool {
    list().is_some_and(|set| set.contains(domain))
}

/// The domain and each parent domain that still has a dot: `a.b.c` → `a.b.c`, `b.c`.
fn suffixes(domain: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(domain), |d| d.split_once('.').map(|(_, rest)| rest))
        .take_while(|d| d.contains('.'))
}

/// Whether `domain`, or any of its parent domains, belongs to a known disposable or
/// temporary email provider (Mailinator, Guerrilla Mail, 10 Minute Mail, YOPmail, …).
///
/// Case-insensitive; a trailing dot is ignored. Big mailbox providers (Gmail, Outlook,
/// Yahoo, iCloud, Proton, QQ, 163, Mail.ru, Yandex, GMX, …) are never flagged. Email
/// relay services (DuckDuckGo's `duck.com`, Firefox Relay's `mozmail.com`, SimpleLogin,
/// addy.io) are on both lists and are flagged.
///
/// ```
/// use vivamo_rules::is_disposable_domain;
///
/// assert!(is_disposable_domain("mailinator.com"));
/// assert!(is_disposable_domain("inbox.YOPmail.com"));
/// assert!(!is_disposable_domain("gmail.com"));
/// ```
pub fn is_disposable_domain(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.');
    if domain.is_empty() || !domain.is_ascii() {
        return false;
    }
    let lower;
    let domain = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = domain.to_ascii_lowercase();
        lower.as_str()
    } else {
        domain
    };
    if suffixes(domain).any(|d| ALLOW.contains(&d)) {
        return false;
    }
    let disposable = suffixes(domain).any(listed);
    disposable
}

/// Number of domains on the merged list.
#[cfg(test)]
pub(crate) fn list_size() -> usize {
    list().map_or(0, |set| set.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The big mailbox providers must never be flagged, whatever the lists say.
    const BIG_PROVIDERS: &[&str] = &[
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "mail.ru",
        "yandex.ru",
        "gmx.de",
        "gmx.net",
        "web.de",
        "aol.com",
        "zoho.com",
        "fastmail.com",
        // more large providers checked while choosing the lists
        "msn.com",
        "mac.com",
        "pm.me",
        "yahoo.co.uk",
        "yahoo.co.jp",
        "hotmail.co.uk",
        "outlook.de",
        "gmx.com",
        "mail.com",
        "yandex.com",
        "naver.com",
        "daum.net",
        "sina.com",
        "sohu.com",
        "vip.sohu.com",
        "onet.pl",
        "wp.pl",
        "seznam.cz",
        "libero.it",
        "orange.fr",
        "free.fr",
        "t-online.de",
        "comcast.net",
        "btinternet.com",
        "rediffmail.com",
        "uol.com.br",
        "privaterelay.appleid.com",
        "example.com",
        "vivamo.co",
    ];

    #[test]
    fn big_providers_are_never_flagged() {
        let flagged: Vec<_> = BIG_PROVIDERS
            .iter()
            .filter(|d| is_disposable_domain(d))
            .collect();
        assert!(flagged.is_empty(), "flagged real providers: {flagged:?}");
        for d in BIG_PROVIDERS {
            assert!(!is_disposable_domain(&format!("mail.{d}")), "sub of {d}");
            assert!(!is_disposable_domain(&d.to_uppercase()), "{d} upper");
        }
    }

    #[test]
    fn known_disposable_providers_are_flagged() {
        for d in [
            "mailinator.com",
            "yopmail.com",
            "guerrillamail.com",
            "sharklasers.com",
            "10minutemail.com",
            "temp-mail.org",
            "trashmail.com",
            "maildrop.cc",
            "33mail.com",
            "MAILINATOR.COM",
            "mailinator.com.",
            "a.b.mailinator.com",
            "x.guerrillamail.com",
        ] {
            assert!(is_disposable_domain(d), "{d}");
        }
    }

    /// Whether `domain` is, or is under, an [`ALLOW`]ed provider.
    fn allowed(domain: &str) -> bool {
        suffixes(domain).any(|d| ALLOW.contains(&d))
    }

    #[test]
    fn every_domain_of_both_source_lists_is_flagged() {
        let vendored = include_str!("../data/disposable_domains.txt");
        let mut checked = 0;
        let mailchecker = mailchecker::blacklist();
        for line in vendored.lines().chain(mailchecker.iter().copied()) {
            let d = line.trim().trim_end_matches('.').to_ascii_lowercase();
            if d.is_empty() || d.starts_with('#') || !d.contains('.') || allowed(&d) {
                continue;
            }
            assert!(is_disposable_domain(&d), "{d}");
            checked += 1;
        }
        assert!(checked > 77_000, "{checked}");
        assert!(list_size() > 77_000, "{}", list_size());
    }

    #[test]
    fn odd_input_is_not_disposable() {
        for d in [
            "",
            ".",
            "com",
            "mailinator",
            "ex\u{e4}mple.com",
            "..",
            "a..b",
        ] {
            assert!(!is_disposable_domain(d), "{d:?}");
        }
    }

    #[test]
    fn suffix_walk() {
        assert_eq!(
            suffixes("a.b.c.d").collect::<Vec<_>>(),
            ["a.b.c.d", "b.c.d", "c.d"]
        );
        assert_eq!(suffixes("com").count(), 0);
    }
}
