//! HTTP layer, one concern per module: shared state and auth ([`state`]), the JSON error
//! shape and the mapping of every domain error to it ([`error`]), the constraint names of a
//! failed validation ([`constraint`]), fault injection ([`faults`]), request body parsing ([`body`]), the `/v1` handlers ([`v1`], and [`kyc`] for KYC), the
//! `/__sandbox` control routes ([`control`]) and the router ([`router`]).

mod body;
mod constraint;
mod control;
mod error;
mod faults;
mod inspect;
mod kyc;
mod page;
mod router;
mod state;
mod v1;
mod webhooks;

pub(crate) use error::ApiError;
pub(crate) use faults::Injected;
pub use page::PAGE_BYTES;
pub use router::router;
pub(crate) use state::{now, Inner};
