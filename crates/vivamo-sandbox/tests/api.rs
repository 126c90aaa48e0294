//! The Customers API over HTTP on loopback: auth, CRUD, uniqueness, linking, modes,
//! pagination, error shapes, routing, concurrency and the control routes.

mod common;

use std::collections::HashSet;

use common::{assert_timestamp, call, client, create, get, raw};
use reqwest::Method;
use serde_json::{json, Value};
use vivamo_sandbox::{Mode, Sandbox, SandboxHandle};

const DISPOSABLE: &str = "Sorry, this email domain is not supported";
const NON_MOBILE: &str =
    "Sorry, this phone number cannot be used. Please use a valid mobile number.";
const CUSTOMER_EXISTS: &str = "This customer already exists";
const EMAIL_EXISTS: &str = "A customer with this email address already exists.";

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().spawn().await.unwrap()
}

async fn production() -> SandboxHandle {
    Sandbox::builder()
        .mode(Mode::Production)
        .spawn()
        .await
        .unwrap()
}

#[tokio::test]
async fn missing_or_unknown_key_is_403() {
    let sb = sandbox().await;
    let c = client();
    for key in [None, Some("sk_wrong"), Some("pk_test_vivamo_sandbox")] {
        let r = call(&c, &sb, key, Method::GET, "/v1/customers", None).await;
        assert_eq!(r.status, 403, "{key:?}");
        assert!(!r.message().is_empty());
        let r = call(&c, &sb, key, Method::GET, "/v1/customers/x", None).await;
        assert_eq!(r.status, 403);
        let body = json!({"externalCustomerId": "x", "data": {"email": "x@example.com"}});
        let r = call(&c, &sb, key, Method::POST, "/v1/customers", Some(body)).await;
        assert_eq!(r.status, 403);
    }
    // A non-bearer scheme is refused too.
    let r = c
        .get(format!("{}/v1/customers", sb.base_url()))
        .header("authorization", format!("Basic {}", sb.api_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(sb.api_key(), vivamo_sandbox::DEFAULT_API_KEY);
}

#[tokio::test]
async fn create_get_update_list_happy_path() {
    let sb = sandbox().await;
    let c = client();
    let r = create(
        &c,
        &sb,
        json!({
            "externalCustomerId": "user_123",
            "data": {
                "email": "john@example.com", "phone": "(201) 555-0123",
                "firstName": "John", "lastName": "Smith", "street": "123 42nd St",
                "street2": "Suite 42", "city": "New York", "state": "NY", "zip": "10001",
                "country": "us"
            }
        }),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let b = &r.body;
    assert_eq!(b["externalCustomerId"], "user_123");
    assert_eq!(b["data"]["email"], "john@example.com");
    assert_eq!(b["data"]["phone"], "+12015550123");
    assert_eq!(b["data"]["country"], "US");
    assert_eq!(b["data"]["firstName"], "John");
    assert_eq!(b["kycVerifications"], json!([]));
    assert_timestamp(b["createdAt"].as_str().unwrap());
    assert!(b.get("warning").is_none(), "{b}");
    assert!(b.get("verificationLink").is_none());
    assert!(r.headers.contains_key("x-request-id"));

    let g = get(&c, &sb, "/v1/customers/user_123").await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body["data"], b["data"]);
    assert_eq!(g.body["createdAt"], b["createdAt"]);

    let u = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/user_123",
        Some(json!({"data": {"city": "Boston", "state": "MA", "zip": "02108", "phone": "2015550124"}})),
    )
    .await;
    assert_eq!(u.status, 200, "{:?}", u.body);
    assert_eq!(u.body["data"]["city"], "Boston");
    assert_eq!(u.body["data"]["zip"], "02108");
    assert_eq!(u.body["data"]["phone"], "+12015550124");
    assert_eq!(u.body["data"]["email"], "john@example.com");
    assert_eq!(u.body["data"]["firstName"], "John");
    assert_eq!(get(&c, &sb, "/v1/customers/user_123").await.body, u.body);

    let l = get(&c, &sb, "/v1/customers").await;
    assert_eq!(l.status, 200);
    assert_eq!(l.body["total"], 1);
    assert_eq!(l.body["page"], 1);
    assert_eq!(l.body["limit"], 10);
    assert_eq!(l.body["totalPages"], 1);
    assert_eq!(l.body["customers"][0], u.body);
}

#[tokio::test]
async fn get_and_update_unknown_customer_is_404() {
    let sb = sandbox().await;
    let c = client();
    let r = get(&c, &sb, "/v1/customers/nobody").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.message(), "Customer not found");
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/nobody",
        Some(json!({"data": {"city": "Boston"}})),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.message(), "Customer not found");
}

#[tokio::test]
async fn duplicate_id_and_email_are_400() {
    let sb = sandbox().await;
    let c = client();
    let ok = create(
        &c,
        &sb,
        json!({"externalCustomerId": "a", "data": {"email": "a@example.com"}}),
    )
    .await;
    assert_eq!(ok.status, 200);
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "a", "data": {"email": "other@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), CUSTOMER_EXISTS);
    // Same email, other id, same operator: case-insensitive.
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "b", "data": {"email": "A@Example.COM"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), EMAIL_EXISTS);
    // Nothing was created by the refused calls.
    assert_eq!(get(&c, &sb, "/v1/customers").await.body["total"], 1);
    assert_eq!(get(&c, &sb, "/v1/customers/b").await.status, 404);

    // Update to an email held by another customer.
    create(
        &c,
        &sb,
        json!({"externalCustomerId": "c", "data": {"email": "c@example.com"}}),
    )
    .await;
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/c",
        Some(json!({"data": {"email": "A@example.com"}})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), EMAIL_EXISTS);
    // Updating to one's own email (other case) is fine.
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/c",
        Some(json!({"data": {"email": "C@example.com"}})),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[tokio::test]
async fn another_operators_customer_is_linked_not_duplicated() {
    let sb = Sandbox::builder()
        .api_key("sk_op_a")
        .api_key("sk_op_b")
        .spawn()
        .await
        .unwrap();
    let c = client();
    let (a, b) = (Some("sk_op_a"), Some("sk_op_b"));
    let post = |key, body: Value| {
        let (c, sb) = (&c, &sb);
        async move { call(c, sb, key, Method::POST, "/v1/customers", Some(body)).await }
    };

    let r = post(a, json!({"externalCustomerId": "a1", "data": {"email": "shared@example.com", "firstName": "Ann"}})).await;
    assert_eq!(r.status, 200);
    // Operator B, same email (other case), its own id: linked.
    let r = post(b, json!({"externalCustomerId": "b1", "data": {"email": "SHARED@example.com", "lastName": "Lee"}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["externalCustomerId"], "b1");
    assert_eq!(r.body["data"]["email"], "shared@example.com");
    assert_eq!(r.body["data"]["firstName"], "Ann");
    // Missing fields are filled in from the linking request.
    assert_eq!(r.body["data"]["lastName"], "Lee");
    // B again with the same email under another id: the email error.
    let r = post(
        b,
        json!({"externalCustomerId": "b2", "data": {"email": "shared@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), EMAIL_EXISTS);
    // A's id space is separate from B's.
    let r = post(
        b,
        json!({"externalCustomerId": "a1", "data": {"email": "b-own@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 200);

    // Phone match with an unknown email links too.
    let r = post(a, json!({"externalCustomerId": "a2", "data": {"email": "phone@example.com", "phone": "+447400123456"}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = post(b, json!({"externalCustomerId": "b3", "data": {"email": "new@example.com", "phone": "+44 7400 123456"}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["data"]["email"], "phone@example.com");
    assert_eq!(r.body["data"]["phone"], "+447400123456");

    // The profile is shared: B's update shows up for A.
    let r = call(
        &c,
        &sb,
        b,
        Method::PATCH,
        "/v1/customers/b1",
        Some(json!({"data": {"city": "Austin"}})),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = call(&c, &sb, a, Method::GET, "/v1/customers/a1", None).await;
    assert_eq!(r.body["data"]["city"], "Austin");
    assert_eq!(r.body["externalCustomerId"], "a1");

    // Each operator lists its own records only.
    let la = call(&c, &sb, a, Method::GET, "/v1/customers", None).await;
    let lb = call(&c, &sb, b, Method::GET, "/v1/customers", None).await;
    assert_eq!(la.body["total"], 2);
    assert_eq!(lb.body["total"], 3);
    let ids: Vec<&str> = lb.body["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["externalCustomerId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["b1", "a1", "b3"]);
    // B cannot see A's record under A's id other than its own a1.
    assert_eq!(
        call(&c, &sb, b, Method::GET, "/v1/customers/a2", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn production_rules_use_vivamos_messages() {
    let sb = production().await;
    let c = client();
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "d", "data": {"email": "x@mailinator.com"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    // A business refusal: Vivamo's exact message alone, no `errors`.
    assert_eq!(r.body, json!({ "message": DISPOSABLE }));

    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "p", "data": {"email": "user+test@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.message().contains("+ suffix"), "{:?}", r.body);
    assert!(r.body.get("errors").is_none(), "{:?}", r.body);
    // Several production rules at once: Vivamo's disposable message leads.
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "p", "data": {"email": "x+y@mailinator.com", "phone": "+18005550199"}}),
    )
    .await;
    assert_eq!(r.body, json!({ "message": DISPOSABLE }));

    for phone in ["+18005550199", "+15551234567"] {
        let r = create(
            &c,
            &sb,
            json!({"externalCustomerId": "m", "data": {"email": "m@example.com", "phone": phone}}),
        )
        .await;
        assert_eq!(r.status, 400, "{phone}: {:?}", r.body);
        assert_eq!(r.body, json!({ "message": NON_MOBILE }), "{phone}");
    }

    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "v", "data": {"email": "not-an-email", "country": "XX", "phone": "+18005550199"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    // A failed constraint is answered before the business rules, and the address format
    // never refuses.
    assert_eq!(
        r.body,
        json!({"message": "Validation failed", "errors": [{"isEmail": "data.email must be an email"}]})
    );

    // Nothing was stored; a valid customer still works, and updates follow the same rules.
    assert_eq!(get(&c, &sb, "/v1/customers").await.body["total"], 0);
    let r = create(&c, &sb, json!({"externalCustomerId": "ok", "data": {"email": "ok@example.com", "phone": "+12015550123"}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.body.get("warning").is_none());
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/ok",
        Some(json!({"data": {"email": "x@mailinator.com"}})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), DISPOSABLE);
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/ok",
        Some(json!({"data": {"phone": "+18005550199"}})),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.message(), NON_MOBILE);
    assert_eq!(
        get(&c, &sb, "/v1/customers/ok").await.body["data"]["email"],
        "ok@example.com"
    );
}

#[tokio::test]
async fn test_mode_accepts_with_a_warning() {
    let sb = sandbox().await;
    let c = client();
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "d", "data": {"email": "x@mailinator.com"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let w = r.body["warning"].as_str().unwrap();
    assert!(
        w.contains("likely to fail") && w.contains("disposable"),
        "{w}"
    );

    let r = create(&c, &sb, json!({"externalCustomerId": "m", "data": {"email": "m+tag@example.com", "phone": "+18005550199"}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let w = r.body["warning"].as_str().unwrap();
    assert!(w.contains("mobile") && w.contains('+'), "{w}");
    assert_eq!(r.body["data"]["phone"], "+18005550199");

    // The always-on rules still apply in test mode.
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "bad", "data": {"email": "nope"}}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_keys(), ["isEmail"]);
    // The warning is only on create; GET returns the plain customer.
    assert!(get(&c, &sb, "/v1/customers/d")
        .await
        .body
        .get("warning")
        .is_none());
}

#[tokio::test]
async fn verify_after_creation_returns_links_and_pending_kyc() {
    let sb = sandbox().await;
    let c = client();
    let r = create(&c, &sb, json!({"externalCustomerId": "k", "verifyAfterCreation": true, "data": {"email": "k@example.com"}})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let kyc = r.body["kycVerifications"].as_array().unwrap();
    assert_eq!(kyc.len(), 1);
    assert_eq!(kyc[0]["type"], "proof_of_id");
    assert_eq!(kyc[0]["status"], "pending");
    assert_timestamp(kyc[0]["createdAt"].as_str().unwrap());
    let link = r.body["verificationLink"].as_str().unwrap();
    let dl = r.body["driversLicenseVerificationLink"].as_str().unwrap();
    let pp = r.body["passportVerificationLink"].as_str().unwrap();
    assert!(link.starts_with("https://"));
    assert!(dl.starts_with(link) && pp.starts_with(link) && dl != pp);
    assert!(
        get(&c, &sb, "/v1/customers/k").await.body["kycVerifications"][0]["status"] == "pending"
    );

    let r2 = create(&c, &sb, json!({"externalCustomerId": "k2", "verifyAfterCreation": true, "data": {"email": "k2@example.com"}})).await;
    assert_ne!(
        r2.body["verificationLink"], r.body["verificationLink"],
        "tokens are unique"
    );
    let r3 = create(&c, &sb, json!({"externalCustomerId": "k3", "verifyAfterCreation": false, "data": {"email": "k3@example.com"}})).await;
    assert!(r3.body.get("verificationLink").is_none());
    assert_eq!(r3.body["kycVerifications"], json!([]));
}

#[tokio::test]
async fn pagination_edges_and_bad_params() {
    let sb = sandbox().await;
    let c = client();
    for i in 0..25 {
        let r = create(&c, &sb, json!({"externalCustomerId": format!("c{i:02}"), "data": {"email": format!("c{i}@example.com")}})).await;
        assert_eq!(r.status, 200);
    }
    let mut seen = Vec::new();
    for page in 1..=3 {
        let r = get(&c, &sb, &format!("/v1/customers?page={page}&size=10")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["total"], 25);
        assert_eq!(r.body["page"], page);
        assert_eq!(r.body["limit"], 10);
        assert_eq!(r.body["totalPages"], 3);
        for cst in r.body["customers"].as_array().unwrap() {
            seen.push(cst["externalCustomerId"].as_str().unwrap().to_string());
        }
    }
    let expected: Vec<String> = (0..25).map(|i| format!("c{i:02}")).collect();
    assert_eq!(seen, expected, "creation order across pages");

    let r = get(&c, &sb, "/v1/customers?page=4&size=10").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["customers"], json!([]));
    assert_eq!(r.body["total"], 25);
    assert_eq!(r.body["totalPages"], 3);
    assert_eq!(r.body["page"], 4);
    let r = get(&c, &sb, "/v1/customers?page=999999999999&size=100").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["customers"], json!([]));

    let r = get(&c, &sb, "/v1/customers").await;
    assert_eq!(
        (r.body["page"].clone(), r.body["limit"].clone()),
        (json!(1), json!(10))
    );
    assert_eq!(r.body["customers"].as_array().unwrap().len(), 10);
    let r = get(&c, &sb, "/v1/customers?size=100").await;
    assert_eq!(r.body["customers"].as_array().unwrap().len(), 25);
    assert_eq!(r.body["totalPages"], 1);

    for (q, key) in [
        ("page=0", "min"),
        ("page=-1", "min"),
        ("size=0", "min"),
        ("page=abc", "isInt"),
        ("size=1.5", "isInt"),
        ("size=101", "max"),
    ] {
        let r = get(&c, &sb, &format!("/v1/customers?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert!(!r.message().is_empty());
        assert_eq!(r.error_keys(), [key], "{q}: {:?}", r.body);
    }
    let r = get(&c, &sb, "/v1/customers?page=0").await;
    assert_eq!(r.body["errors"][0]["min"], "page must not be less than 1");
    let r = get(&c, &sb, "/v1/customers?page=x&size=500").await;
    assert_eq!(
        r.body,
        json!({"message": "Validation failed", "errors": [
            {"isInt": "page must be an integer number"},
            {"max": "size must not be greater than 100"}
        ]})
    );

    let small = Sandbox::builder().max_page_size(5).spawn().await.unwrap();
    assert_eq!(get(&c, &small, "/v1/customers?size=6").await.status, 400);
    assert_eq!(get(&c, &small, "/v1/customers?size=5").await.status, 200);
}

#[tokio::test]
async fn production_accepts_address_formats_with_a_warning() {
    let sb = production().await;
    let c = client();
    // Documented address formats Vivamo is not documented to enforce only warn, naming
    // each field; the values are still normalized where they can be.
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "tx", "data": {"email": "tx@example.com", "country": "USA", "state": "Texas", "zip": "1234"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let w = r.body["warning"].as_str().unwrap();
    assert!(
        w.contains("data.country") && !w.contains("production"),
        "{w}"
    );
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": "tx2", "data": {"email": "tx2@example.com", "country": "us", "state": "Texas", "zip": "1234"}}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["data"]["country"], "US");
    let w = r.body["warning"].as_str().unwrap();
    assert!(w.contains("data.state") && w.contains("data.zip"), "{w}");
}

#[tokio::test]
async fn malformed_bodies_get_vivamo_error_shape() {
    let sb = sandbox().await;
    let c = client();
    let json_ct = Some("application/json");
    // A body that is not a JSON object: `message` alone. A failed constraint: `Validation
    // failed` with `{constraint: description}` entries.
    let cases: Vec<(Option<&str>, &'static str, Value)> = vec![
        (json_ct, "{not json", json!(null)),
        (json_ct, "", json!(null)),
        (json_ct, "[1,2]", json!(null)),
        (
            None,
            r#"{"externalCustomerId":"x","data":{"email":"x@example.com"}}"#,
            json!(null),
        ),
        (
            Some("text/plain"),
            r#"{"externalCustomerId":"x","data":{"email":"x@example.com"}}"#,
            json!(null),
        ),
        (
            json_ct,
            r#"{"data":{"email":"x@example.com"}}"#,
            json!([{"isNotEmpty": "externalCustomerId should not be empty"}]),
        ),
        (
            json_ct,
            r#"{"externalCustomerId":"x"}"#,
            json!([{"isNotEmpty": "data.email should not be empty"}]),
        ),
        (
            json_ct,
            r#"{"externalCustomerId":"x","data":{}}"#,
            json!([{"isNotEmpty": "data.email should not be empty"}]),
        ),
        (
            json_ct,
            r#"{"externalCustomerId":5,"data":{"email":"x@example.com"}}"#,
            json!([{"isString": "externalCustomerId must be a string"}]),
        ),
        (
            json_ct,
            r#"{"externalCustomerId":"x","data":{"email":"x@example.com","phone":12,"zip":1}}"#,
            json!([{"isString": "data.phone must be a string"}, {"isString": "data.zip must be a string"}]),
        ),
        (
            json_ct,
            r#"{"externalCustomerId":"x","data":"x@example.com"}"#,
            json!([{"isObject": "data must be an object"}]),
        ),
        (
            json_ct,
            r#"{"externalCustomerId":"x","verifyAfterCreation":"yes","data":{"email":"x@example.com"}}"#,
            json!([{"isBoolean": "verifyAfterCreation must be a boolean value"}]),
        ),
    ];
    for (ct, body, errors) in cases {
        let r = raw(&c, &sb, Method::POST, "/v1/customers", ct, body).await;
        assert_eq!(r.status, 400, "{ct:?} {body}: {:?}", r.body);
        assert!(!r.message().is_empty(), "{body}");
        if errors.is_null() {
            assert!(r.body.get("errors").is_none(), "{body}: {:?}", r.body);
            assert_ne!(r.message(), "Validation failed", "{body}");
        } else {
            assert_eq!(r.message(), "Validation failed", "{body}");
            assert_eq!(r.body["errors"], errors, "{body}");
        }
    }
    // application/json with a charset is fine.
    let r = raw(
        &c,
        &sb,
        Method::POST,
        "/v1/customers",
        Some("application/json; charset=utf-8"),
        r#"{"externalCustomerId":"ok","data":{"email":"ok@example.com"}}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    for (body, keys) in [
        ("{oops", vec![]),
        ("{}", vec!["isNotEmpty"]),
        (r#"{"data":[]}"#, vec!["isObject"]),
        (r#"{"data":{"city":7}}"#, vec!["isString"]),
        // The update fields are not nullable in the spec (null would mean "clear" or "keep"?).
        (r#"{"data":{"country":null}}"#, vec!["isString"]),
    ] {
        let r = raw(&c, &sb, Method::PATCH, "/v1/customers/ok", json_ct, body).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.error_keys(), keys, "{body}: {:?}", r.body);
    }
    assert_eq!(get(&c, &sb, "/v1/customers").await.body["total"], 1);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_json() {
    let sb = sandbox().await;
    let c = client();
    for path in [
        "/",
        "/nope",
        "/v2/customers",
        "/v1/customers/a/b",
        "/__sandbox/nope",
    ] {
        let r = get(&c, &sb, path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.message().is_empty());
        assert!(r.headers.contains_key("x-request-id"));
    }
    for (m, path) in [
        (Method::DELETE, "/v1/customers/x"),
        (Method::PUT, "/v1/customers"),
        (Method::GET, "/__sandbox/reset"),
    ] {
        let r = common::call(&c, &sb, Some(sb.api_key()), m.clone(), path, None).await;
        assert_eq!(r.status, 405, "{m} {path}");
        assert!(!r.message().is_empty());
    }
}

#[tokio::test]
async fn percent_encoded_ids_round_trip() {
    let sb = sandbox().await;
    let c = client();
    let id = "a/b c?d#e%f";
    let r = create(
        &c,
        &sb,
        json!({"externalCustomerId": id, "data": {"email": "pct@example.com"}}),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = get(&c, &sb, "/v1/customers/a%2Fb%20c%3Fd%23e%25f").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["externalCustomerId"], id);
    let r = call(
        &c,
        &sb,
        Some(sb.api_key()),
        Method::PATCH,
        "/v1/customers/a%2Fb%20c%3Fd%23e%25f",
        Some(json!({"data": {"city": "Paris"}})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"]["city"], "Paris");
    let unicode = "user/é 1";
    create(
        &c,
        &sb,
        json!({"externalCustomerId": unicode, "data": {"email": "u@example.com"}}),
    )
    .await;
    let r = get(&c, &sb, "/v1/customers/user%2F%C3%A9%201").await;
    assert_eq!(r.body["externalCustomerId"], unicode);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_id_succeed_once() {
    let sb = sandbox().await;
    let c = client();
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let (c, url, key) = (c.clone(), sb.base_url(), sb.api_key().to_string());
            tokio::spawn(async move {
                let r = c
                    .post(format!("{url}/v1/customers"))
                    .bearer_auth(key)
                    .json(&json!({"externalCustomerId": "same", "data": {"email": format!("same{i}@example.com")}}))
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let body: Value = r.json().await.unwrap();
                (status, body)
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            200 => ok += 1,
            400 => assert_eq!(body["message"], CUSTOMER_EXISTS),
            s => panic!("unexpected {s}: {body}"),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(get(&c, &sb, "/v1/customers").await.body["total"], 1);
}

#[tokio::test]
async fn every_response_has_a_unique_request_id() {
    let sb = sandbox().await;
    let c = client();
    let mut ids = HashSet::new();
    for path in [
        "/v1/customers",
        "/v1/customers/x",
        "/nope",
        "/__sandbox/health",
    ] {
        for key in [Some(sb.api_key()), None] {
            let r = call(&c, &sb, key, Method::GET, path, None).await;
            let id = r.headers["x-request-id"].to_str().unwrap().to_string();
            assert!(id.starts_with("req_"), "{id}");
            assert!(ids.insert(id), "duplicate request id");
        }
    }
}

#[tokio::test]
async fn control_routes() {
    let sb = Sandbox::builder()
        .api_key("sk_a")
        .api_key("sk_b")
        .spawn()
        .await
        .unwrap();
    let c = client();
    let a = Some("sk_a");
    let r = call(&c, &sb, None, Method::GET, "/__sandbox/health", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "ok");
    assert_eq!(r.body["mode"], "test");

    // Seed needs an operator key.
    let r = call(
        &c,
        &sb,
        None,
        Method::POST,
        "/__sandbox/seed",
        Some(json!({"count": 5})),
    )
    .await;
    assert_eq!(r.status, 403);
    let r = call(
        &c,
        &sb,
        a,
        Method::POST,
        "/__sandbox/seed",
        Some(json!({"count": 2500, "prefix": "bench_"})),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["created"], 2500);
    assert_eq!(r.body["total"], 2500);
    assert_eq!(r.body["firstExternalCustomerId"], "bench_0");
    let l = call(
        &c,
        &sb,
        a,
        Method::GET,
        "/v1/customers?page=3&size=100",
        None,
    )
    .await;
    assert_eq!(l.body["total"], 2500);
    assert_eq!(l.body["totalPages"], 25);
    assert_eq!(l.body["customers"][0]["externalCustomerId"], "bench_200");
    let seeded = call(&c, &sb, a, Method::GET, "/v1/customers/bench_7", None).await;
    assert_eq!(seeded.status, 200);
    assert!(seeded.body["data"]["email"].as_str().unwrap().contains('@'));
    // Seeding again continues instead of colliding; another operator's seeds are its own.
    let r = call(
        &c,
        &sb,
        a,
        Method::POST,
        "/__sandbox/seed",
        Some(json!({"count": 10, "prefix": "bench_"})),
    )
    .await;
    assert_eq!(r.body["total"], 2510);
    let r = call(
        &c,
        &sb,
        Some("sk_b"),
        Method::POST,
        "/__sandbox/seed",
        Some(json!({"count": 10, "prefix": "bench_"})),
    )
    .await;
    assert_eq!(r.body["total"], 10);
    let r = call(
        &c,
        &sb,
        a,
        Method::POST,
        "/__sandbox/seed",
        Some(json!({"count": -1})),
    )
    .await;
    assert_eq!(r.status, 400);

    // KYC status control.
    let r = call(&c, &sb, a, Method::POST, "/v1/customers", Some(json!({"externalCustomerId": "k/1", "verifyAfterCreation": true, "data": {"email": "k@example.com"}}))).await;
    assert_eq!(r.status, 200);
    let r = call(
        &c,
        &sb,
        a,
        Method::POST,
        "/__sandbox/customers/k%2F1/kyc",
        Some(json!({"status": "under_review"})),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["kycVerifications"].as_array().unwrap().len(), 1);
    let g = call(&c, &sb, a, Method::GET, "/v1/customers/k%2F1", None).await;
    assert_eq!(g.body["kycVerifications"][0]["status"], "under_review");
    // A record is added when the customer has none of that type; unknown statuses are kept.
    let r = call(
        &c,
        &sb,
        a,
        Method::POST,
        "/__sandbox/customers/bench_1/kyc",
        Some(json!({"status": "some_future_status", "type": "proof_of_address"})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["kycVerifications"][0]["type"], "proof_of_address");
    assert_eq!(
        r.body["kycVerifications"][0]["status"],
        "some_future_status"
    );
    assert_eq!(
        call(
            &c,
            &sb,
            None,
            Method::POST,
            "/__sandbox/customers/k%2F1/kyc",
            Some(json!({"status": "verified"}))
        )
        .await
        .status,
        403
    );
    assert_eq!(
        call(
            &c,
            &sb,
            a,
            Method::POST,
            "/__sandbox/customers/nobody/kyc",
            Some(json!({"status": "verified"}))
        )
        .await
        .status,
        404
    );
    assert_eq!(
        call(
            &c,
            &sb,
            a,
            Method::POST,
            "/__sandbox/customers/k%2F1/kyc",
            Some(json!({}))
        )
        .await
        .status,
        400
    );

    // Reset clears every operator.
    let r = call(&c, &sb, None, Method::POST, "/__sandbox/reset", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        call(&c, &sb, a, Method::GET, "/v1/customers", None)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        call(&c, &sb, Some("sk_b"), Method::GET, "/v1/customers", None)
            .await
            .body["total"],
        0
    );
    assert_eq!(sb.state().customer_count(), 0);
    // Emails are free again after a reset.
    let r = call(
        &c,
        &sb,
        a,
        Method::POST,
        "/v1/customers",
        Some(json!({"externalCustomerId": "k/1", "data": {"email": "k@example.com"}})),
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sb = sandbox().await;
    let url = sb.base_url();
    let c = client();
    assert_eq!(get(&c, &sb, "/__sandbox/health").await.status, 200);
    sb.shutdown().await;
    let fresh = client();
    assert!(fresh
        .get(format!("{url}/__sandbox/health"))
        .send()
        .await
        .is_err());
}

/// The sandbox's log of `/v1` requests (`GET /__sandbox/requests`).
async fn request_log(
    http: &reqwest::Client,
    sb: &vivamo_sandbox::SandboxHandle,
) -> serde_json::Value {
    http.get(format!("{}/__sandbox/requests", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_request_log_shows_headers_ids_and_abandoned_requests() {
    let sb = vivamo_sandbox::Sandbox::builder()
        .latency(std::time::Duration::from_millis(500))
        .spawn()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let response = http
        .get(format!("{}/v1/customers/nobody", sb.base_url()))
        .bearer_auth(sb.api_key())
        .header("x-correlation-id", "corr_1")
        .send()
        .await
        .unwrap();
    let sent_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    // A request whose client leaves before the answer: dropped once the log shows it
    // arrived (the answer comes 500 ms later at the earliest).
    let abandoned = tokio::spawn(
        http.get(format!("{}/v1/customers/gone", sb.base_url()))
            .bearer_auth(sb.api_key())
            .send(),
    );
    let started = std::time::Instant::now();
    while request_log(&http, &sb).await["requests"]
        .as_array()
        .unwrap()
        .len()
        < 2
    {
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    abandoned.abort();
    assert!(abandoned.await.unwrap_err().is_cancelled());
    // A third request, sent after it, is answered after the same latency: by then the
    // abandoned one would have been answered had its client stayed.
    let third = http
        .get(format!("{}/v1/customers/later", sb.base_url()))
        .bearer_auth(sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(third.status(), 404);
    let log = request_log(&http, &sb).await;
    let requests = log["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3, "{log}");
    assert_eq!(requests[0]["requestId"], sent_id.as_str());
    assert_eq!(requests[0]["headers"]["x-correlation-id"], "corr_1");
    assert_eq!(requests[0]["headers"]["authorization"], "[redacted]");
    assert_eq!(requests[0]["completed"], true);
    assert_eq!(requests[1]["path"], "/v1/customers/gone");
    assert_eq!(requests[1]["completed"], false, "{log}");
}

#[tokio::test]
async fn the_request_log_shows_each_body_as_it_arrived() {
    let sb = vivamo_sandbox::Sandbox::builder().spawn().await.unwrap();
    let http = reqwest::Client::new();
    // A key the API does not know is kept in the log exactly as sent (the API ignores it).
    let sent = serde_json::json!({
        "externalCustomerId": "logged_1",
        "data": {"email": "logged_1@example.com", "nickname": "Jo", "tags": [1, null]}
    });
    let created = http
        .post(format!("{}/v1/customers", sb.base_url()))
        .bearer_auth(sb.api_key())
        .json(&sent)
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    let refused = http
        .patch(format!("{}/v1/customers/logged_1", sb.base_url()))
        .bearer_auth(sb.api_key())
        .header("content-type", "application/json")
        .body("not json {")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let fetched = http
        .get(format!("{}/v1/customers/logged_1", sb.base_url()))
        .bearer_auth(sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), 200);
    let log = request_log(&http, &sb).await;
    let requests = log["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3, "{log}");
    assert_eq!(requests[0]["body"], sent, "{log}");
    assert_eq!(requests[1]["body"], "not json {", "{log}");
    assert_eq!(requests[2]["body"], serde_json::Value::Null, "{log}");
}

#[tokio::test]
async fn extra_fields_are_added_to_every_customer_until_cleared() {
    let sb = vivamo_sandbox::Sandbox::builder().spawn().await.unwrap();
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", sb.base_url());
    let set = |fields: serde_json::Value| {
        http.post(url("/__sandbox/extra-fields"))
            .json(&serde_json::json!({ "fields": fields }))
            .send()
    };
    assert!(set(serde_json::json!({"loyaltyTier": "gold"}))
        .await
        .unwrap()
        .status()
        .is_success());
    let created: serde_json::Value = http
        .post(url("/v1/customers"))
        .bearer_auth(sb.api_key())
        .json(&serde_json::json!({"externalCustomerId": "x1", "data": {"email": "x1@example.com"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["loyaltyTier"], "gold", "{created}");
    let page: serde_json::Value = http
        .get(url("/v1/customers"))
        .bearer_auth(sb.api_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["customers"][0]["loyaltyTier"], "gold", "{page}");
    assert!(page.get("loyaltyTier").is_none());
    set(serde_json::json!({})).await.unwrap();
    let again: serde_json::Value = http
        .get(url("/v1/customers/x1"))
        .bearer_auth(sb.api_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(again.get("loyaltyTier").is_none(), "{again}");
}

#[tokio::test]
async fn webhook_bodies_refuse_what_the_spec_does_not_allow() {
    let sb = sandbox().await;
    let c = client();
    let json_ct = Some("application/json");
    let register = |body| {
        raw(
            &c,
            &sb,
            Method::POST,
            "/v1/operators/webhooks",
            json_ct,
            body,
        )
    };
    let r =
        register(r#"{"url":"http://127.0.0.1:9/hook","headers":{"x-pre-shared-key":"k"}}"#).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let id = r.body["_id"].as_str().unwrap().to_string();
    let path = format!("/v1/operators/webhooks/{id}");
    for (body, keys) in [
        (r#"{"url":null}"#, vec!["isString"]),
        (
            r#"{"url":"http://127.0.0.1:9/b","headers":null}"#,
            vec!["isObject"],
        ),
        (
            r#"{"url":"http://127.0.0.1:9/c","headers":{"x":1}}"#,
            vec!["isString"],
        ),
        (
            r#"{"url":"http://127.0.0.1:9/d","headers":{"signature":"s"}}"#,
            vec!["isNotReserved"],
        ),
    ] {
        let r = register(body).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
        assert_eq!(r.error_keys(), keys, "{body}: {:?}", r.body);
    }
    for (body, keys) in [
        (r#"{"url":null}"#, vec!["isString"]),
        (r#"{"status":null}"#, vec!["isString"]),
        (r#"{"headers":null}"#, vec!["isObject"]),
        (r#"{"eventTypes":"transaction"}"#, vec!["isArray"]),
    ] {
        let r = raw(&c, &sb, Method::PATCH, &path, json_ct, body).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
        assert_eq!(r.error_keys(), keys, "{body}: {:?}", r.body);
    }
    // `eventTypes: null` is documented as "keep the current ones"; the headers are kept too.
    let r = raw(
        &c,
        &sb,
        Method::PATCH,
        &path,
        json_ct,
        r#"{"eventTypes":null}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["headers"], json!({"x-pre-shared-key": "k"}));
}
