//! The ten customer fields, spelled once for every struct that carries them.

/// A struct literal of type `$ty` whose ten customer fields (`email`, `phone`, `first_name`,
/// `last_name`, `street`, `street2`, `state`, `city`, `zip`, `country`) are moved from the
/// same-named fields of `$src`; `email: EXPR` replaces the email (say, to unwrap it).
///
/// The sandbox, the SDK and the bindings each have their own types for a customer's data
/// (the generated API types, napi and pyo3 objects); this copies between any two of them,
/// so adding a field means changing this list and the types, not every conversion.
///
/// ```
/// use vivamo_rules::{customer_fields, CustomerData};
///
/// struct Form { email: Option<String>, phone: Option<String>, first_name: Option<String>,
///     last_name: Option<String>, street: Option<String>, street2: Option<String>,
///     state: Option<String>, city: Option<String>, zip: Option<String>, country: Option<String> }
///
/// let form = Form { email: Some("jane@example.com".into()), phone: None, first_name: None,
///     last_name: None, street: None, street2: None, state: None, city: Some("Boston".into()),
///     zip: None, country: None };
/// let data: CustomerData = customer_fields!(CustomerData, form);
/// assert_eq!(data.city.as_deref(), Some("Boston"));
///
/// struct Sent { email: String, phone: Option<String>, first_name: Option<String>,
///     last_name: Option<String>, street: Option<String>, street2: Option<String>,
///     state: Option<String>, city: Option<String>, zip: Option<String>, country: Option<String> }
/// let sent = customer_fields!(Sent, data, email: data.email.clone().unwrap_or_default());
/// assert_eq!(sent.email, "jane@example.com");
/// ```
#[macro_export]
macro_rules! customer_fields {
    ($ty:path, $src:ident) => {
        $crate::customer_fields!($ty, $src, email: $src.email)
    };
    ($ty:path, $src:ident, email: $email:expr) => {{
        let email = $email;
        $ty {
            email,
            phone: $src.phone,
            first_name: $src.first_name,
            last_name: $src.last_name,
            street: $src.street,
            street2: $src.street2,
            state: $src.state,
            city: $src.city,
            zip: $src.zip,
            country: $src.country,
        }
    }};
}
