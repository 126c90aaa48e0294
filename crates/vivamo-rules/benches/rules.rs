//! Per-check cost of the rules. Run with `cargo bench -p vivamo-rules --bench rules`.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use vivamo_rules::{
    check_email, check_phone, is_disposable_domain, normalize_phone, validate_create, CustomerData,
    CustomerInput, Environment,
};

const PROD: Environment = Environment::Production;

/// Valid mobile numbers from ten countries, so the phone benchmarks do not hit one region only.
const MOBILES: [&str; 10] = [
    "+14155552671",
    "+447911123456",
    "+491701234567",
    "+33612345678",
    "+8613812345678",
    "+61412345678",
    "+919876543210",
    "+5511961234567",
    "+2348021234567",
    "+971501234567",
];

fn email(c: &mut Criterion) {
    let start = Instant::now();
    is_disposable_domain("example.org");
    eprintln!(
        "first is_disposable_domain (builds the mailchecker extra set): {:?}",
        start.elapsed()
    );
    let mut g = c.benchmark_group("email");
    g.bench_function("check_email valid", |b| {
        b.iter(|| check_email(black_box("Jane.Doe@Example.com"), PROD))
    });
    g.bench_function("check_email plus+disposable", |b| {
        b.iter(|| check_email(black_box("user+x@a.b.mailinator.com"), PROD))
    });
    g.bench_function("is_disposable_domain miss (3 labels)", |b| {
        b.iter(|| is_disposable_domain(black_box("mail.example-company.co")))
    });
    g.bench_function("is_disposable_domain hit", |b| {
        b.iter(|| is_disposable_domain(black_box("yopmail.com")))
    });
    g.finish();
}

fn phone(c: &mut Criterion) {
    // One-off costs, printed once: the first number of a region compiles its patterns.
    let start = Instant::now();
    check_phone("+14155552671", PROD);
    eprintln!(
        "first check_phone (+1, compiles the US region): {:?}",
        start.elapsed()
    );
    let start = Instant::now();
    check_phone("+15551234567", PROD);
    eprintln!(
        "first non-mobile +1 check (compiles the other 24 NANPA regions): {:?}",
        start.elapsed()
    );
    for n in MOBILES {
        assert!(check_phone(n, PROD).errors.is_empty(), "{n}");
    }
    let mut g = c.benchmark_group("phone");
    g.bench_function("normalize_phone", |b| {
        b.iter(|| normalize_phone(black_box("(415) 555-2671")))
    });
    g.bench_function("check_phone US mobile", |b| {
        b.iter(|| check_phone(black_box("+1 (415) 555-2671"), PROD))
    });
    let mut i = 0;
    g.bench_function("check_phone 10 countries round-robin", |b| {
        b.iter(|| {
            i = (i + 1) % MOBILES.len();
            check_phone(black_box(MOBILES[i]), PROD)
        })
    });
    let distinct: Vec<String> = (0..100_000).map(|k| format!("+1555{k:07}")).collect();
    let mut k = 0;
    g.bench_function("check_phone non-mobile US, distinct", |b| {
        b.iter(|| {
            k = (k + 1) % distinct.len();
            check_phone(black_box(&distinct[k]), PROD)
        })
    });
    g.bench_function(
        "check_phone trunk prefix +44 (0)…, repeated (memoized slow path)",
        |b| b.iter(|| check_phone(black_box("+44 (0)20 7946 0123"), PROD)),
    );
    let trunk: Vec<String> = (0..100_000).map(|k| format!("+440207946{k:04}")).collect();
    let mut t = 0;
    g.bench_function(
        "check_phone trunk prefix +44 0…, distinct (slow path)",
        |b| {
            b.iter(|| {
                t = (t + 1) % trunk.len();
                check_phone(black_box(&trunk[t]), PROD)
            })
        },
    );
    let mut j = 0;
    g.bench_function("baseline phonenumber parse+number_type round-robin", |b| {
        b.iter(|| {
            j = (j + 1) % MOBILES.len();
            let n = phonenumber::parse(None, black_box(MOBILES[j])).unwrap();
            n.number_type(&phonenumber::metadata::DATABASE)
        })
    });
    g.finish();
}

fn customer(c: &mut Criterion) {
    // Set through the field table, so a field added to the spec needs no change here.
    let mut data = CustomerData::default();
    for (field, value) in [
        ("email", " demo@Vivamo.co "),
        ("phone", "(415) 555-2671"),
        ("firstName", "John"),
        ("lastName", "Smith"),
        ("street", "123 42nd St"),
        ("street2", "Suite 42"),
        ("state", "ny"),
        ("city", "New York"),
        ("zip", "10001"),
        ("country", "us"),
    ] {
        if let Some(slot) = data.field_mut(field) {
            *slot = Some(value.into());
        }
    }
    let input = CustomerInput {
        external_customer_id: Some("user_123".into()),
        data,
    };
    c.bench_function("customer/validate_create full profile", |b| {
        b.iter(|| validate_create(black_box(&input), PROD))
    });
}

criterion_group!(benches, email, phone, customer);
criterion_main!(benches);
