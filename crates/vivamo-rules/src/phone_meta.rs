//! Phone metadata look-ups: is an E.164 number a valid mobile number?
//!
//! The data is libphonenumber's, from the [`phonenumber`] crate. Going through
//! `phonenumber::parse` + `PhoneNumber::number_type` costs 2–20 µs per number: every regular
//! expression is fetched by its source text from one global, mutex-guarded LRU cache of 100
//! compiled expressions (numbers from many countries keep recompiling them, and threads
//! contend on the lock), and the type is computed twice.
//!
//! The fast path below reads the same metadata, compiles each region's expressions once into
//! a private table on first use of that region, and replays the crate's own `source_for` /
//! `number_type` logic on the national number (the digits after the calling code). A number
//! it accepts as mobile is accepted. Any other number takes the slow path through the
//! crate's full parser, which also copes with a trunk prefix written after the calling code
//! (`+44 (0)7911…`, `+33 0 6…`) and yields the canonical E.164 form. Tests check the fast
//! path against the crate on every example number in the metadata and on random variations
//! of them. They agree except where a national number keeps a leading 0 (Italian landlines,
//! Congo, Benin, Côte d'Ivoire): the crate's parser drops that 0, so it calls the Rome
//! landline `+39 06 1234 5678` a mobile number and rejects the metadata's own example mobile
//! numbers of Congo, Benin and Côte d'Ivoire. The fast path reads them as libphonenumber
//! does, and the slow path is taken only when the crate's parser could strip a trunk prefix
//! (the region's `national_prefix_for_parsing` matches, or its `national_prefix` starts the
//! national number), the one case where it reads a different number than the fast path.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, OnceLock};

use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use phonenumber::{Mode, Type};
use regex::{Regex, RegexBuilder};

/// What the metadata says about a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A valid mobile (or fixed-line-or-mobile) number, in canonical E.164 form.
    Mobile(String),
    /// Not a valid number, or a valid number of another type.
    NotMobile(Type),
}

/// A descriptor compiled for matching, with the crate's `Descriptor::is_match` semantics:
/// the length must be a possible length (when any are listed) and the pattern must match
/// at the start.
struct Desc {
    re: Regex,
    lengths: Vec<u16>,
    source: String,
}

impl Desc {
    fn new(d: &Descriptor) -> Option<Desc> {
        let source = d.national_number().as_str().to_owned();
        Some(Desc {
            re: anchored(&source)?,
            lengths: d.possible_length().to_vec(),
            source,
        })
    }

    fn is_match(&self, value: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(value.len() as u16)))
            && self.re.is_match(value)
    }
}

/// Compiles `source` so that `is_match` means "a match starts at offset 0", which is what
/// the crate's `find(..).start() == 0` tests. Same flags as the crate (`x` mode).
fn anchored(source: &str) -> Option<Regex> {
    RegexBuilder::new(&format!("^(?:{source})"))
        .ignore_whitespace(true)
        .build()
        .ok()
}

/// One region's descriptors, in the order `phonenumber::validator::number_type` tries them.
struct Region {
    leading_digits: Option<Regex>,
    /// `national_prefix_for_parsing`, anchored.
    trunk_pattern: Option<Regex>,
    /// `national_prefix`, used by the parser when there is no pattern.
    trunk_prefix: Option<String>,
    general: Desc,
    other: Vec<(Type, Desc)>,
    fixed_line: Option<Desc>,
    mobile: Option<Desc>,
}

impl Region {
    fn new(meta: &Metadata) -> Option<Region> {
        let d = meta.descriptors();
        let mut other = Vec::new();
        for (ty, desc) in [
            (Type::PremiumRate, d.premium_rate()),
            (Type::TollFree, d.toll_free()),
            (Type::SharedCost, d.shared_cost()),
            (Type::Voip, d.voip()),
            (Type::PersonalNumber, d.personal_number()),
            (Type::Pager, d.pager()),
            (Type::Uan, d.uan()),
            (Type::Voicemail, d.voicemail()),
        ] {
            if let Some(desc) = desc {
                other.push((ty, Desc::new(desc)?));
            }
        }
        let leading_digits = match meta.leading_digits() {
            Some(re) => Some(anchored(re.as_str())?),
            None => None,
        };
        let trunk_pattern = match meta.national_prefix_for_parsing() {
            Some(re) => Some(anchored(re.as_str())?),
            None => None,
        };
        Some(Region {
            leading_digits,
            trunk_pattern,
            trunk_prefix: meta.national_prefix().map(str::to_owned),
            general: Desc::new(d.general())?,
            other,
            fixed_line: d.fixed_line().and_then(Desc::new),
            mobile: d.mobile().and_then(Desc::new),
        })
    }

    /// Whether the crate's parser could strip a national (trunk) prefix or carrier code from
    /// `national`, i.e. read the number differently from the fast path. Mirrors
    /// `phonenumber::parser::helper::national_number`: the prefix pattern matching at the
    /// start, or, without a pattern, the prefix string.
    fn may_strip(&self, national: &str) -> bool {
        match (&self.trunk_pattern, &self.trunk_prefix) {
            (Some(re), _) => re.is_match(national),
            (None, Some(prefix)) => national.starts_with(prefix.as_str()),
            (None, None) => false,
        }
    }

    /// Replays `phonenumber::validator::number_type`.
    fn number_type(&self, national: &str) -> Type {
        if !self.general.is_match(national) {
            return Type::Unknown;
        }
        if let Some((ty, _)) = self.other.iter().find(|(_, d)| d.is_match(national)) {
            return *ty;
        }
        let mobile_matches = || self.mobile.as_ref().is_some_and(|m| m.is_match(national));
        if let Some(fixed) = &self.fixed_line {
            if fixed.is_match(national) {
                let same = self
                    .mobile
                    .as_ref()
                    .is_some_and(|m| m.source == fixed.source);
                return if same || mobile_matches() {
                    Type::FixedLineOrMobile
                } else {
                    Type::FixedLine
                };
            }
        }
        if mobile_matches() {
            Type::Mobile
        } else {
            Type::Unknown
        }
    }
}

/// The regions that share one calling code, compiled lazily.
struct CallingCode {
    code: u16,
    regions: Vec<(String, OnceLock<Option<Region>>)>,
}

impl CallingCode {
    fn region(&self, index: usize) -> Option<&Region> {
        let (id, cell) = &self.regions[index];
        cell.get_or_init(|| {
            let meta = if id == "001" {
                DATABASE.by_code(&self.code)?.into_iter().next()?
            } else {
                DATABASE.by_id(id.as_str())?
            };
            Region::new(meta)
        })
        .as_ref()
    }

    /// Whether any region of this calling code could read `national` differently (see
    /// [`Region::may_strip`]); a region that fails to compile counts as "could".
    fn may_strip(&self, national: &str) -> bool {
        (0..self.regions.len()).any(|i| self.region(i).is_none_or(|r| r.may_strip(national)))
    }

    /// Replays `phonenumber::validator::source_for`.
    fn source_for(&self, national: &str) -> Option<&Region> {
        if self.regions.len() == 1 {
            return self.region(0);
        }
        (0..self.regions.len()).find_map(|i| {
            let region = self.region(i)?;
            let hit = match &region.leading_digits {
                Some(re) => re.is_match(national),
                None => region.number_type(national) != Type::Unknown,
            };
            hit.then_some(region)
        })
    }
}

/// Every calling code the metadata knows (calling codes are prefix-free, 1–3 digits).
static CODES: LazyLock<HashMap<u16, CallingCode>> = LazyLock::new(|| {
    (1..1000u16)
        .filter_map(|code| {
            let regions = DATABASE.region(&code)?;
            Some((
                code,
                CallingCode {
                    code,
                    regions: regions
                        .into_iter()
                        .map(|id| (id.to_owned(), OnceLock::new()))
                        .collect(),
                },
            ))
        })
        .collect()
});

/// The fast path's reading of a number.
struct Fast {
    ty: Type,
    /// The crate's parser might strip a trunk prefix and so read another number.
    ambiguous: bool,
}

/// Splits `+<digits>` into its calling code and national number.
fn split(e164: &str) -> Option<(&'static CallingCode, &str)> {
    let digits = e164.get(1..)?;
    (1..=3.min(digits.len())).find_map(|len| {
        let code = digits[..len].parse::<u16>().ok()?;
        CODES.get(&code).map(|cc| (cc, &digits[len..]))
    })
}

/// The number type by the fast path; `e164` must be `+` followed by ASCII digits.
fn fast(e164: &str) -> Fast {
    let Some((cc, national)) = split(e164) else {
        // No calling code starts the number: the crate's parser cannot read it either.
        return Fast {
            ty: Type::Unknown,
            ambiguous: false,
        };
    };
    let ty = cc
        .source_for(national)
        .map_or(Type::Unknown, |r| r.number_type(national));
    let ambiguous = !is_mobile(ty) && cc.may_strip(national);
    Fast { ty, ambiguous }
}

#[cfg(test)]
fn fast_type(e164: &str) -> Type {
    fast(e164).ty
}

/// The number type by the `phonenumber` crate's own parser, and its E.164 form.
pub(crate) fn crate_type(e164: &str) -> (Type, Option<String>) {
    match phonenumber::parse(None, e164) {
        Ok(number) if number.is_valid() => {
            let ty = number.number_type(&DATABASE);
            let canonical = number.format().mode(Mode::E164).to_string();
            (ty, Some(canonical))
        }
        _ => (Type::Unknown, None),
    }
}

fn is_mobile(ty: Type) -> bool {
    matches!(ty, Type::Mobile | Type::FixedLineOrMobile)
}

/// Most slow-path verdicts remembered; the memo is emptied when it is full.
const SLOW_MEMO_CAPACITY: usize = 4096;

/// Slow-path verdicts by number: a client that retries or re-validates the same number
/// written with a trunk prefix pays the crate's ≈18 µs parse once.
static SLOW_MEMO: LazyLock<Mutex<HashMap<Box<str>, Verdict>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn slow_classify(e164: &str) -> Verdict {
    match crate_type(e164) {
        (ty, Some(canonical)) if is_mobile(ty) => Verdict::Mobile(canonical),
        (ty, _) => Verdict::NotMobile(ty),
    }
}

/// Classifies an E.164-shaped number (`^\+[1-9][0-9]{7,14}$`).
pub(crate) fn classify(e164: &str) -> Verdict {
    let fast = fast(e164);
    if is_mobile(fast.ty) {
        return Verdict::Mobile(e164.to_owned());
    }
    if !fast.ambiguous {
        return Verdict::NotMobile(fast.ty);
    }
    // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
    if let Some(v) = SLOW_MEMO
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(e164)
    {
        return v.clone();
    }
    let verdict = slow_classify(e164);
    let mut memo = SLOW_MEMO.lock().unwrap_or_else(|e| e.into_inner());
    if memo.len() >= SLOW_MEMO_CAPACITY {
        memo.clear();
    }
    memo.insert(e164.into(), verdict.clone());
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(code: u16, national: &str) -> String {
        format!("+{code}{national}")
    }

    /// The type an example number of descriptor `kind` must have.
    fn expected(kind: Type) -> Type {
        match kind {
            Type::FixedLine | Type::Mobile => Type::FixedLineOrMobile,
            other => other,
        }
    }

    fn same(a: Type, b: Type) -> bool {
        let norm = |t: Type| {
            if is_mobile(t) || t == Type::FixedLine {
                Type::FixedLineOrMobile
            } else {
                t
            }
        };
        norm(a) == norm(b)
    }

    /// Every example number in the metadata, of every type, for every region. The fast path
    /// must give the crate's answer, except where the crate's parser mishandles a national
    /// number with a leading zero (Congo, Benin, Côte d'Ivoire): there the fast path must give
    /// the example's own type, i.e. it is the one that agrees with libphonenumber.
    #[test]
    fn fast_path_agrees_with_the_crate_on_every_example_number() {
        let mut checked = 0;
        let mut crate_wrong = Vec::new();
        let mut fast_wrong = Vec::new();
        for meta in DATABASE.iter() {
            let d = meta.descriptors();
            let descs = [
                (Type::FixedLine, d.fixed_line()),
                (Type::Mobile, d.mobile()),
                (Type::TollFree, d.toll_free()),
                (Type::PremiumRate, d.premium_rate()),
                (Type::SharedCost, d.shared_cost()),
                (Type::PersonalNumber, d.personal_number()),
                (Type::Voip, d.voip()),
                (Type::Pager, d.pager()),
                (Type::Uan, d.uan()),
                (Type::Voicemail, d.voicemail()),
            ];
            for (kind, desc) in descs {
                let Some(ex) = desc.and_then(|d| d.example()) else {
                    continue;
                };
                let n = e164(meta.country_code(), ex);
                if !(9..=16).contains(&n.len()) {
                    continue;
                }
                checked += 1;
                let fast = fast_type(&n);
                let slow = crate_type(&n).0;
                if is_mobile(fast) == is_mobile(slow) {
                    continue;
                }
                if same(fast, expected(kind)) {
                    crate_wrong.push(n);
                } else {
                    fast_wrong.push((n, fast, slow));
                }
            }
        }
        assert!(checked > 500, "only {checked} examples");
        assert!(fast_wrong.is_empty(), "{fast_wrong:?}");
        assert!(crate_wrong.len() <= 5, "{crate_wrong:?}");
    }

    #[test]
    fn known_numbers() {
        let cases = [
            ("+14155552671", true),  // US, fixed-line-or-mobile
            ("+15551234567", false), // 555 is fictional
            ("+18005550199", false), // toll-free
            ("+447911123456", true), // UK mobile
            ("+442079460123", false),
            ("+491701234567", true),
            ("+33612345678", true),
            ("+8613812345678", true),
            ("+61412345678", true),
            ("+919876543210", true),
            ("+16132532000", true),   // Canada
            ("+390612345678", false), // Rome landline: the crate's parser alone says mobile
            ("+393123456789", true),  // Italian mobile
        ];
        for (n, mobile) in cases {
            assert_eq!(matches!(classify(n), Verdict::Mobile(_)), mobile, "{n}");
        }
    }

    #[test]
    fn national_prefix_after_calling_code_is_accepted_in_canonical_form() {
        // The crate's parser strips the French trunk prefix 0.
        assert_eq!(
            classify("+330612345678"),
            Verdict::Mobile("+33612345678".into())
        );
    }

    /// Mobile and fixed-line example numbers of every region, except those whose national
    /// number starts with 0 (where the crate's parser is unreliable, see above).
    fn examples() -> Vec<(u16, String)> {
        DATABASE
            .iter()
            .flat_map(|m| {
                let d = m.descriptors();
                [d.mobile(), d.fixed_line()]
                    .into_iter()
                    .flatten()
                    .filter_map(|d| d.example())
                    .filter(|ex| !ex.starts_with('0') && ex.len() >= 6)
                    .map(|ex| (m.country_code(), ex.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Whatever the fast path accepts, the crate's parser accepts too: example numbers of
        /// every region with their last three digits replaced at random.
        #[test]
        fn fast_accept_implies_crate_accept(
            example in proptest::sample::select(examples()),
            tail in "[0-9]{3}",
        ) {
            let (code, ex) = example;
            let n = e164(code, &format!("{}{tail}", &ex[..ex.len() - 3]));
            proptest::prop_assume!(n.len() <= 16);
            if is_mobile(fast_type(&n)) {
                proptest::prop_assert!(is_mobile(crate_type(&n).0), "{}", n);
            }
        }

        /// `classify`, which skips the crate's parser when no trunk prefix can apply, gives
        /// the crate's verdict: example-like numbers and random digits, trunk prefixes included.
        #[test]
        fn classify_agrees_with_the_crate(
            example in proptest::sample::select(examples()),
            tail in "[0-9]{3}",
            trunk in proptest::sample::select(vec!["", "", "0", "1", "8", "06", "01", "9"]),
            code in proptest::sample::select(vec![1u16, 7, 20, 33, 36, 39, 44, 49, 52, 54, 55, 61, 86, 91, 234, 998]),
            random in "[0-9]{6,12}",
            use_example in proptest::bool::ANY,
        ) {
            let n = if use_example {
                let (code, ex) = example;
                e164(code, &format!("{trunk}{}{tail}", &ex[..ex.len() - 3]))
            } else {
                e164(code, &format!("{trunk}{random}"))
            };
            proptest::prop_assume!(n.len() <= 16);
            // The crate's parser drops a leading zero that belongs to the number (Italian
            // landlines, Congo, Benin, Côte d'Ivoire): `+39 0321 000000` comes out as the
            // mobile-looking `321000000`. Where the metadata reads such a number as valid
            // as written, the fast path is right and the crate is not; skip those.
            let zero_kept = split(&n).is_some_and(|(_, national)| national.starts_with('0'))
                && fast_type(&n) != Type::Unknown;
            proptest::prop_assume!(!zero_kept);
            let ours = matches!(classify(&n), Verdict::Mobile(_));
            let theirs = is_mobile(crate_type(&n).0);
            proptest::prop_assert_eq!(ours, theirs, "{}", n);
        }
    }
}
