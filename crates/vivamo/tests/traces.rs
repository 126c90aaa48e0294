//! Every call is a `vivamo.call` span and every attempt a `vivamo.attempt` span, carrying
//! OpenTelemetry's HTTP client fields, as a `tracing` subscriber (tracing-opentelemetry's, say)
//! sees them.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::{client_builder, sandbox, spawn};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use vivamo::{ErrorKind, NewCustomer};
use vivamo_sandbox::{Mode, Sandbox};

/// A span as the subscriber saw it: its name, parent and every field recorded.
#[derive(Clone, Debug, Default)]
struct SeenSpan {
    name: String,
    parent: Option<u64>,
    fields: BTreeMap<String, String>,
}

#[derive(Clone, Default)]
struct Spans {
    next: Arc<AtomicU64>,
    spans: Arc<Mutex<BTreeMap<u64, SeenSpan>>>,
    current: Arc<Mutex<Vec<u64>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl Subscriber for Spans {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("vivamo") && !metadata.target().starts_with("vivamo_sandbox")
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let parent = attrs
            .parent()
            .map(Id::into_u64)
            .or_else(|| self.current.lock().unwrap().last().copied());
        let mut span = SeenSpan {
            name: attrs.metadata().name().to_string(),
            parent,
            ..SeenSpan::default()
        };
        attrs.record(&mut Fields(&mut span.fields));
        self.spans.lock().unwrap().insert(id, span);
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(seen) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(&mut seen.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, span: &Id) {
        self.current.lock().unwrap().push(span.into_u64());
    }
    fn exit(&self, span: &Id) {
        let mut current = self.current.lock().unwrap();
        if let Some(at) = current.iter().rposition(|id| *id == span.into_u64()) {
            current.remove(at);
        }
    }
}

impl Spans {
    fn named(&self, name: &str) -> Vec<(u64, SeenSpan)> {
        self.spans
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, s)| s.name == name)
            .map(|(id, s)| (*id, s.clone()))
            .collect()
    }
}

#[tokio::test]
async fn a_call_is_a_client_span_with_the_http_semantic_fields() {
    let sb = sandbox(Mode::Test).await;
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let client = client_builder(&sb).build().unwrap();
    let created = client
        .customers()
        .create(NewCustomer::new("trace_1", "trace@example.com"))
        .with_response()
        .await
        .unwrap();

    let calls = spans.named("vivamo.call");
    assert_eq!(calls.len(), 1, "{calls:?}");
    let (call_id, call) = &calls[0];
    let f = &call.fields;
    assert_eq!(f["otel.name"], "create_customer");
    assert_eq!(f["otel.kind"], "client");
    assert_eq!(f["http.request.method"], "POST");
    assert_eq!(f["url.full"], format!("{}/v1/customers", sb.base_url()));
    assert_eq!(f["http.response.status_code"], "200");
    assert_eq!(f["http.request.resend_count"], "0");
    assert_eq!(Some(f["vivamo.request_id"].as_str()), created.request_id());
    assert!(!f.contains_key("error.type"));
    assert!(
        !f.values().any(|v| v.contains(sb.api_key())),
        "no key in a span"
    );

    let attempts = spans.named("vivamo.attempt");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].1.parent, Some(*call_id));
    assert_eq!(attempts[0].1.fields["http.response.status_code"], "200");
}

#[tokio::test]
async fn each_retry_is_an_attempt_span_and_the_call_carries_the_error_type() {
    let sb = spawn(Sandbox::builder().fail_rate(1.0).seed(9)).await;
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let client = client_builder(&sb).max_retries(2).build().unwrap();
    let err = client.customers().get("trace_2").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);

    let calls = spans.named("vivamo.call");
    assert_eq!(calls.len(), 1);
    let call = &calls[0].1.fields;
    assert_eq!(call["error.type"], "server");
    assert_eq!(call["http.response.status_code"], "500");
    assert_eq!(call["http.request.resend_count"], "2");
    assert_eq!(
        call["url.full"],
        format!("{}/v1/customers/trace_2", sb.base_url())
    );

    let attempts = spans.named("vivamo.attempt");
    let resends: Vec<_> = attempts
        .iter()
        .map(|(_, s)| s.fields["http.request.resend_count"].clone())
        .collect();
    assert_eq!(resends, ["0", "1", "2"]);
    assert!(attempts
        .iter()
        .all(|(_, s)| s.fields["error.type"] == "server" && s.parent == Some(calls[0].0)));
}
