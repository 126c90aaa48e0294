//! The SDK calls of the operations that need a conversion of their own — a request body or
//! list options — and the conversion of their result, once: the `NativeVivamo` methods that
//! run them (with the call's options and cancellation, as promises) are generated from
//! openapi.yaml (`x-vivamo` of each operation) into `crate::generated_methods`, which also
//! holds the whole call of every operation whose `x-vivamo` gives it (`sdk:`). A function
//! here takes the SDK client, the call's options, then the method's arguments.

use vivamo::{Client, RequestOptions};

use crate::errors::js_error;
use crate::models::WithRequestId;
use crate::options::whole;
use crate::response::{answer, Answer};
// The argument and result types, which the generated methods name as `operations::Page`.
pub(crate) use crate::kyc::KycInfo;
pub(crate) use crate::models::{
    CreateCustomerRequest, Created, Customer, CustomerFields, Ensured, ListOptions, Page,
};
pub(crate) use crate::webhook_endpoints::{
    RegisterWebhookRequest, RegisteredWebhook, UpdateWebhookRequest, Webhook,
};

pub(crate) async fn create(
    c: Client,
    o: RequestOptions,
    request: CreateCustomerRequest,
) -> napi::Result<Answer<Created>> {
    let r = c
        .customers()
        .create(request.into())
        .options(o)
        .with_response();
    r.await
        .map(|r| answer(r, Created::from_parts))
        .map_err(js_error)
}

pub(crate) async fn ensure(
    c: Client,
    o: RequestOptions,
    request: CreateCustomerRequest,
) -> napi::Result<Answer<Ensured>> {
    let r = c
        .customers()
        .ensure(request.into())
        .options(o)
        .with_response();
    r.await
        .map(|r| answer(r, Ensured::from_parts))
        .map_err(js_error)
}

pub(crate) async fn list(
    c: Client,
    o: RequestOptions,
    list_options: Option<ListOptions>,
) -> napi::Result<Answer<Page>> {
    let list_options = list_options.unwrap_or_default();
    let mut request = c.customers().list().options(o);
    if let Some(page) = list_options.page {
        request = request.page(whole("page", page, 1.0)?);
    }
    if let Some(size) = list_options.size {
        request = request.size(whole("size", size, 1.0)?);
    }
    let page = request.with_response().await;
    page.map(|r| answer(r, Page::from_parts)).map_err(js_error)
}

pub(crate) async fn update(
    c: Client,
    o: RequestOptions,
    external_customer_id: String,
    data: CustomerFields,
) -> napi::Result<Answer<Customer>> {
    let update = vivamo::CustomerUpdate { data: data.into() };
    let r = c
        .customers()
        .update(external_customer_id, update)
        .options(o);
    r.with_response()
        .await
        .map(|r| answer(r, Customer::from_parts))
        .map_err(js_error)
}

pub(crate) async fn webhooks_register(
    c: Client,
    o: RequestOptions,
    request: RegisterWebhookRequest,
) -> napi::Result<Answer<RegisteredWebhook>> {
    let r = c.webhooks().register(request.into()).options(o);
    r.with_response()
        .await
        .map(|r| answer(r, RegisteredWebhook::from_parts))
        .map_err(js_error)
}

pub(crate) async fn webhooks_update(
    c: Client,
    o: RequestOptions,
    webhook_id: String,
    request: UpdateWebhookRequest,
) -> napi::Result<Answer<Webhook>> {
    let r = c.webhooks().update(webhook_id, request.into()).options(o);
    r.with_response()
        .await
        .map(|r| answer(r, Webhook::from_parts))
        .map_err(js_error)
}
