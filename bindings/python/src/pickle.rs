//! Python's object protocols for the result classes, kept apart from their attributes: pickle
//! and `copy` (through `__reduce__`, to the Rust value's serde form and back) and `to_json()`
//! (the JSON text of `to_dict()`).
//!
//! Every model is immutable, so a copy is the object rebuilt from its state: `copy.copy`,
//! `copy.deepcopy` and `pickle` all give an equal object.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use pyo3::PyClass;

use crate::kyc::{KycInfo, KycLinks, KycVerificationInfo, PaymentResult, WebhookEvent};
use crate::models::{
    CreatedCustomer, Customer, CustomerData, CustomerPage, EnsuredCustomer, KycVerification,
    RequestId, ValidationReport, VerificationLinks, Violation,
};
use crate::webhooks::{RegisteredWebhook, Webhook};

/// A class whose state is JSON text: the Rust value it wraps (with the request id of a
/// response), or itself.
trait Model: Sized {
    fn state(&self) -> serde_json::Result<String>;
    fn from_state(state: &str) -> serde_json::Result<Self>;
}

/// Classes wrapping an SDK value (`CustomerData(vivamo::CustomerData)`).
macro_rules! newtype_models {
    ($($class:ident => $inner:ty),* $(,)?) => {$(
        impl Model for $class {
            fn state(&self) -> serde_json::Result<String> {
                serde_json::to_string(&self.0)
            }
            fn from_state(state: &str) -> serde_json::Result<Self> {
                serde_json::from_str::<$inner>(state).map($class)
            }
        }
    )*};
}

/// Classes wrapping a response's value and its request id (`Customer(vivamo::Customer,
/// RequestId)`): the state is `[value, request id]`, so `_request_id` survives a pickle.
macro_rules! response_models {
    ($($class:ident => $inner:ty),* $(,)?) => {$(
        impl Model for $class {
            fn state(&self) -> serde_json::Result<String> {
                serde_json::to_string(&(&self.0, &self.1 .0))
            }
            fn from_state(state: &str) -> serde_json::Result<Self> {
                serde_json::from_str::<($inner, Option<String>)>(state)
                    .map(|(value, id)| $class(value, RequestId(id)))
            }
        }
    )*};
}

/// Classes that are their own serde value.
macro_rules! own_models {
    ($($class:ident),* $(,)?) => {$(
        impl Model for $class {
            fn state(&self) -> serde_json::Result<String> {
                serde_json::to_string(self)
            }
            fn from_state(state: &str) -> serde_json::Result<Self> {
                serde_json::from_str(state)
            }
        }
    )*};
}

newtype_models!(
    CustomerData => vivamo::CustomerData,
    KycVerification => vivamo::KycVerification,
    VerificationLinks => vivamo::VerificationLinks,
    KycLinks => vivamo::KycLinks,
    KycVerificationInfo => vivamo::KycVerificationInfo,
);
response_models!(
    Customer => vivamo::Customer,
    CreatedCustomer => vivamo::Created,
    EnsuredCustomer => vivamo::Ensured,
    CustomerPage => vivamo::Page,
    KycInfo => vivamo::KycInfo,
    Webhook => vivamo::Webhook,
    RegisteredWebhook => vivamo::RegisteredWebhook,
);
own_models!(ValidationReport, PaymentResult);

/// `(cls._from_state, (json,))`: what pickle and copy rebuild the object from.
fn reduce<'py, T: Model + PyClass>(
    slf: &Bound<'py, T>,
) -> PyResult<(Bound<'py, PyAny>, (String,))> {
    let state = slf
        .borrow()
        .state()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((slf.as_any().get_type().getattr("_from_state")?, (state,)))
}

fn restore<T: Model>(state: &str) -> PyResult<T> {
    T::from_state(state)
        .map_err(|e| PyValueError::new_err(format!("not a pickled vivamo object: {e}")))
}

/// `json.dumps(obj.to_dict(), indent=indent, ensure_ascii=False)`.
fn to_json(obj: &Bound<'_, PyAny>, indent: Option<usize>) -> PyResult<String> {
    let py = obj.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("indent", indent)?;
    kwargs.set_item("ensure_ascii", false)?;
    py.import("json")?
        .call_method("dumps", (obj.call_method0("to_dict")?,), Some(&kwargs))?
        .extract()
}

/// `__reduce__`, `_from_state` and `to_json` for each class.
macro_rules! protocols {
    ($($class:ident),* $(,)?) => {$(
        #[pymethods]
        impl $class {
            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                reduce(slf)
            }

            /// Rebuilds an object from its pickled state.
            #[classmethod]
            fn _from_state(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
                restore(state)
            }

            /// `to_dict()` as JSON text (`indent=None` for one line).
            #[pyo3(signature = (*, indent = Some(2)), text_signature = "($self, *, indent=2)")]
            fn to_json(slf: &Bound<'_, Self>, indent: Option<usize>) -> PyResult<String> {
                to_json(slf.as_any(), indent)
            }
        }
    )*};
}

protocols!(
    Customer,
    CustomerData,
    KycVerification,
    VerificationLinks,
    CreatedCustomer,
    EnsuredCustomer,
    CustomerPage,
    KycLinks,
    KycVerificationInfo,
    KycInfo,
    ValidationReport,
    Webhook,
    RegisteredWebhook,
);

// `Violation` pickles through its constructor (its own `__reduce__`).
#[pymethods]
impl Violation {
    /// `to_dict()` as JSON text (`indent=None` for one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "($self, *, indent=2)")]
    fn to_json(slf: &Bound<'_, Self>, indent: Option<usize>) -> PyResult<String> {
        to_json(slf.as_any(), indent)
    }
}

#[pymethods]
impl PaymentResult {
    /// The event's JSON shape (camelCase keys).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::models::dict_of(py, self)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        reduce(slf)
    }

    /// Rebuilds an object from its pickled state.
    #[classmethod]
    fn _from_state(_cls: &Bound<'_, PyType>, state: &str) -> PyResult<Self> {
        restore(state)
    }

    /// `to_dict()` as JSON text (`indent=None` for one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "($self, *, indent=2)")]
    fn to_json(slf: &Bound<'_, Self>, indent: Option<usize>) -> PyResult<String> {
        to_json(slf.as_any(), indent)
    }
}

/// A webhook event holds its decoded body as Python objects: it pickles as
/// `(type, payment, data)`, and `copy.deepcopy` copies `data`.
#[pymethods]
impl WebhookEvent {
    /// `{"type": ..., "data": ...}`: the event type and its decoded body.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = PyDict::new(py);
        dict.set_item("type", self.kind)?;
        dict.set_item("data", self.data.bind(py))?;
        Ok(dict.into_any())
    }

    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(
        Bound<'py, PyAny>,
        (&'static str, Option<PaymentResult>, Py<PyAny>),
    )> {
        let me = slf.get();
        Ok((
            slf.get_type().getattr("_from_state")?,
            (me.kind, me.payment.clone(), me.data.clone_ref(slf.py())),
        ))
    }

    /// Rebuilds an event from its pickled state.
    #[classmethod]
    fn _from_state(
        _cls: &Bound<'_, PyType>,
        kind: &str,
        payment: Option<Bound<'_, PaymentResult>>,
        data: Py<PyAny>,
    ) -> PyResult<Self> {
        let payment = payment.map(|p| p.get().clone());
        let kind = match kind {
            "payment_result" => "payment_result",
            "other" => "other",
            other => {
                return Err(PyValueError::new_err(format!(
                    "not a webhook event type: {other:?}"
                )))
            }
        };
        Ok(WebhookEvent {
            kind,
            payment,
            data,
        })
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<WebhookEvent>() else {
            return Ok(false);
        };
        let other = other.get();
        Ok(self.kind == other.kind
            && self.payment == other.payment
            && self.data.bind(py).eq(other.data.bind(py))?)
    }

    /// `to_dict()` as JSON text (`indent=None` for one line).
    #[pyo3(signature = (*, indent = Some(2)), text_signature = "($self, *, indent=2)")]
    fn to_json(slf: &Bound<'_, Self>, indent: Option<usize>) -> PyResult<String> {
        to_json(slf.as_any(), indent)
    }
}
