//! What a resource needs from its client: the shared transport, the environment's rules, and
//! the client's request options.

use std::sync::Arc;

use vivamo_rules::Environment;

use crate::options::RequestOptions;
use crate::transport::Transport;
use crate::validation::Validation;

/// One client's view: the transport is shared by every client derived with `with_options`.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) transport: Arc<Transport>,
    pub(crate) environment: Environment,
    pub(crate) base_url: String,
    pub(crate) validation: Validation,
    /// The client's options (empty unless derived with `with_options`).
    pub(crate) options: RequestOptions,
}
