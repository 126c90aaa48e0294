//! The API client: openapi.yaml → crates/vivamo-api/src/generated.rs via progenitor.

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

use super::output::Output;

/// The client for `spec` (the text of openapi.yaml).
pub fn output(text: &str) -> Result<Output, String> {
    let spec: openapiv3::OpenAPI =
        serde_yaml::from_str(text).map_err(|e| format!("openapi.yaml does not parse: {e}"))?;

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // crates/vivamo-api/src/hooks.rs implements `ClientHooks` for the generated client.
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq");
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor could not generate the client: {e}"))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced invalid Rust: {e}"))?;
    Ok(Output::file(
        "crates/vivamo-api/src/generated.rs",
        "//",
        "openapi.yaml",
        prettyplease::unparse(&file),
    ))
}
