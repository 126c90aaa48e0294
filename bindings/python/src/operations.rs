//! The operations that need a conversion of their own (a request body, list options, the
//! update keywords), once for both clients: their arguments converted (with the GIL held, so
//! Python objects can be read) and the SDK call they make, as a [`Call`].
//!
//! The methods of `Customers`, `Webhooks` and their async classes that call these are
//! generated from openapi.yaml (`x-vivamo` of each operation) into `crate::generated`, which
//! also holds the whole call of every operation whose `x-vivamo` gives it (`sdk:`). A function
//! here takes the method's arguments in the spec's order.

use std::collections::HashMap;

use pyo3::prelude::*;
use vivamo::rules::CustomerData;
use vivamo::{
    CustomerUpdate, NewCustomer, NewWebhook, WebhookEventType, WebhookStatus, WebhookUpdate,
};

use crate::call::{call, Call};
use crate::convert::{apply_fields, customer_data};
use crate::raw_response::answer;
// The result classes, which the generated methods name as `operations::Customer`.
pub(crate) use crate::kyc::KycInfo;
pub(crate) use crate::models::{CreatedCustomer, Customer, CustomerPage, EnsuredCustomer};
pub(crate) use crate::webhooks::{RegisteredWebhook, Webhook};

/// A count argument (`page`, `size`): a negative one is 0, which the SDK refuses by name.
pub(crate) fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn new_customer(
    external_customer_id: String,
    data: &Bound<'_, PyAny>,
    verify_after_creation: bool,
) -> PyResult<NewCustomer> {
    Ok(NewCustomer {
        external_customer_id,
        verify_after_creation,
        data: customer_data(Some(data))?,
    })
}

pub(crate) fn create(
    external_customer_id: String,
    data: &Bound<'_, PyAny>,
    verify_after_creation: bool,
) -> PyResult<Call<CreatedCustomer>> {
    let new = new_customer(external_customer_id, data, verify_after_creation)?;
    Ok(call(|c, o| async move {
        let r = c.customers().create(new).options(o).with_response().await?;
        Ok(answer(r, CreatedCustomer))
    }))
}

pub(crate) fn ensure(
    external_customer_id: String,
    data: &Bound<'_, PyAny>,
    verify_after_creation: bool,
) -> PyResult<Call<EnsuredCustomer>> {
    let new = new_customer(external_customer_id, data, verify_after_creation)?;
    Ok(call(|c, o| async move {
        let r = c.customers().ensure(new).options(o).with_response().await?;
        Ok(answer(r, EnsuredCustomer))
    }))
}

pub(crate) fn list(page: i64, size: i64) -> PyResult<Call<CustomerPage>> {
    Ok(call(move |c, o| async move {
        let r = c
            .customers()
            .list()
            .page(count(page))
            .size(count(size))
            .options(o)
            .with_response()
            .await?;
        Ok(answer(r, CustomerPage))
    }))
}

/// `fields`: the keyword arguments, one per customer field, over `data`.
pub(crate) fn update(
    external_customer_id: String,
    data: Option<&Bound<'_, PyAny>>,
    fields: Vec<(&'static str, Option<String>)>,
) -> PyResult<Call<Customer>> {
    let mut changes: CustomerData = customer_data(data)?;
    apply_fields(&mut changes, fields);
    let update = CustomerUpdate { data: changes };
    Ok(call(|c, o| async move {
        let r = c
            .customers()
            .update(external_customer_id, update)
            .options(o)
            .with_response()
            .await?;
        Ok(answer(r, Customer))
    }))
}

pub(crate) fn webhooks_register(
    url: String,
    headers: Option<HashMap<String, String>>,
) -> PyResult<Call<RegisteredWebhook>> {
    let new = NewWebhook {
        url,
        headers: headers.unwrap_or_default().into_iter().collect(),
    };
    Ok(call(|c, o| async move {
        let r = c
            .webhooks()
            .register(new)
            .options(o)
            .with_response()
            .await?;
        Ok(answer(r, RegisteredWebhook))
    }))
}

pub(crate) fn webhooks_update(
    webhook_id: String,
    url: Option<String>,
    status: Option<String>,
    event_types: Option<Vec<String>>,
    headers: Option<HashMap<String, String>>,
) -> PyResult<Call<Webhook>> {
    let update = WebhookUpdate {
        url,
        status: status.map(WebhookStatus::from),
        event_types: event_types.map(|t| t.into_iter().map(WebhookEventType::from).collect()),
        headers: headers.map(|h| h.into_iter().collect()),
    };
    Ok(call(|c, o| async move {
        let r = c
            .webhooks()
            .update(webhook_id, update)
            .options(o)
            .with_response()
            .await?;
        Ok(answer(r, Webhook))
    }))
}
