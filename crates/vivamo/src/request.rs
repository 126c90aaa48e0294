//! What every request builder shares: per-call options, `.with_response()`, and `.await`.

/// A request builder asked for the response's metadata: `.await` it for a
/// [`crate::Response`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct WithResponse<B>(pub(crate) B);

/// Adds the per-call option setters to a request builder `$name<'a>` that has an
/// `options: RequestOptions` field.
macro_rules! request_options {
    ($name:ident) => {
        impl<'a> $name<'a> {
            /// Time allowed for one attempt of this call (instead of the client's).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options = self.options.timeout(timeout);
                self
            }

            /// Time allowed for this whole call, every retry and wait included.
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.options = self.options.deadline(deadline);
                self
            }

            /// How many times a failed attempt of this call is retried (`0`: never).
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.options = self.options.max_retries(max_retries);
                self
            }

            /// An extra header for this call; see [`crate::RequestOptions::header`].
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options = self.options.header(name, value);
                self
            }

            /// A JSON field sent in this call's body as given, not validated (a field this SDK
            /// does not know yet): `.extra_field("data", json!({"nickname": "Jo"}))` adds
            /// `nickname` inside `data`; see [`crate::RequestOptions::extra_field`].
            pub fn extra_field(
                mut self,
                name: impl Into<String>,
                value: serde_json::Value,
            ) -> Self {
                self.options = self.options.extra_field(name, value);
                self
            }

            /// Several extra body fields at once; see [`crate::RequestOptions::extra_body`].
            pub fn extra_body(
                mut self,
                fields: serde_json::Map<String, serde_json::Value>,
            ) -> Self {
                self.options = self.options.extra_body(fields);
                self
            }

            /// Applies a set of options: what `options` sets wins over what was set before.
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options.over(&self.options);
                self
            }
        }
    };
}

/// Adds the per-call option setters, `.with_response()` and `IntoFuture` to a request
/// builder `$name<'a>` that has an `options: RequestOptions` field and an
/// `async fn run(self) -> Result<Response<$output>>`.
macro_rules! request_builder {
    ($name:ident, $output:ty) => {
        crate::request::request_options!($name);

        impl<'a> $name<'a> {
            /// Yields a [`crate::Response`] (request id, status, headers and the value)
            /// instead of the value alone.
            pub fn with_response(self) -> crate::request::WithResponse<Self> {
                crate::request::WithResponse(self)
            }
        }

        impl<'a> std::future::IntoFuture for $name<'a> {
            type Output = crate::Result<$output>;
            type IntoFuture = futures::future::BoxFuture<'a, crate::Result<$output>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(async move { self.run().await.map(crate::Response::into_inner) })
            }
        }

        impl<'a> std::future::IntoFuture for crate::request::WithResponse<$name<'a>> {
            type Output = crate::Result<crate::Response<$output>>;
            type IntoFuture =
                futures::future::BoxFuture<'a, crate::Result<crate::Response<$output>>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.0.run())
            }
        }
    };
}

pub(crate) use {request_builder, request_options};
