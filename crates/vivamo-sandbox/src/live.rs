//! Live notifications for the inspector page: every change the page shows (a request logged
//! or completed, a customer created or moved, a webhook registered, a delivery attempted, a
//! fault setting changed) is broadcast as one short topic name; the page's event stream
//! (`GET /__sandbox/events`) forwards them and the page fetches what changed.

use tokio::sync::broadcast;

/// Topics: what the page refetches when it hears one. The request log.
pub(crate) const REQUESTS: &str = "requests";
/// Customers and their KYC state.
pub(crate) const CUSTOMERS: &str = "customers";
/// Webhook endpoints and deliveries.
pub(crate) const WEBHOOKS: &str = "webhooks";
/// Fault settings.
pub(crate) const FAULTS: &str = "faults";
/// Everything (sent to a listener that fell behind).
pub(crate) const ALL: &str = "all";

/// The broadcast of changes; sending needs no runtime and never blocks.
pub(crate) struct Live {
    tx: broadcast::Sender<&'static str>,
}

impl Default for Live {
    fn default() -> Live {
        Live {
            tx: broadcast::channel(256).0,
        }
    }
}

impl Live {
    /// Tells every listener that `topic` changed (nobody listening is fine).
    pub fn changed(&self, topic: &'static str) {
        let _ = self.tx.send(topic);
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<&'static str> {
        self.tx.subscribe()
    }
}
