//! `vivamo webhooks create|list|update|delete`: the webhook endpoints of your operator.

use std::collections::BTreeMap;

use vivamo::{NewWebhook, Webhook, WebhookEventType, WebhookStatus, WebhookUpdate};

use crate::cli::{GlobalOpts, Output, WebhooksCmd};
use crate::customers::print_json;
use crate::error::CliError;

/// Runs a webhook endpoint subcommand.
pub async fn command(global: &GlobalOpts, cmd: WebhooksCmd) -> Result<u8, CliError> {
    let client = global.client(|b| b)?;
    let webhooks = client.webhooks();
    match cmd {
        WebhooksCmd::Create { url, headers } => {
            let mut new = NewWebhook::new(url);
            for (name, value) in headers {
                new = new.header(name, value);
            }
            let registered = webhooks.register(new).await?;
            match global.output {
                Output::Json => print_json(&serde_json::json!({
                    "webhook": registered.webhook,
                    "secretKey": registered.secret_key.expose(),
                }))?,
                Output::Table => {
                    print_webhook(&registered.webhook);
                    println!(
                        "  {:<12}{}  (shown this once: store it where your receiver reads it)",
                        "secret key",
                        registered.secret_key.expose()
                    );
                }
            }
        }
        WebhooksCmd::List => {
            let list = webhooks.list().await?;
            match global.output {
                Output::Json => print_json(&list)?,
                Output::Table => {
                    for w in &list {
                        print_webhook(w);
                        println!();
                    }
                    println!("{} webhook(s)", list.len());
                }
            }
        }
        WebhooksCmd::Update {
            id,
            url,
            status,
            event_types,
            all_events,
            headers,
        } => {
            let mut update = WebhookUpdate::new();
            if let Some(url) = url {
                update = update.url(url);
            }
            if let Some(status) = status {
                update = update.status(WebhookStatus::from(status));
            }
            if all_events {
                update = update.event_types([]);
            } else if !event_types.is_empty() {
                update = update.event_types(event_types.into_iter().map(WebhookEventType::from));
            }
            if !headers.is_empty() {
                update = update.headers(headers.into_iter().collect::<BTreeMap<_, _>>());
            }
            let updated = webhooks.update(&id, update).await?;
            match global.output {
                Output::Json => print_json(&updated)?,
                Output::Table => print_webhook(&updated),
            }
        }
        WebhooksCmd::Delete { id } => {
            let message = webhooks.delete(&id).await?;
            match global.output {
                Output::Json => print_json(&serde_json::json!({ "_id": id, "message": message }))?,
                Output::Table => println!("{id}: {message}"),
            }
        }
        WebhooksCmd::Sign { .. } | WebhooksCmd::Verify { .. } => {
            return crate::webhooks::command(cmd);
        }
    }
    Ok(0)
}

/// A webhook as aligned lines; custom header values are not shown (often pre-shared keys).
fn print_webhook(w: &Webhook) {
    println!("  {:<12}{}", "id", w.id);
    println!("  {:<12}{}", "url", w.url);
    println!("  {:<12}{}", "status", w.status);
    let types = if w.event_types.is_empty() {
        "every event type".to_string()
    } else {
        w.event_types
            .iter()
            .map(WebhookEventType::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("  {:<12}{types}", "events");
    if !w.headers.is_empty() {
        let names: Vec<&str> = w.headers.keys().map(String::as_str).collect();
        println!("  {:<12}{}", "headers", names.join(", "));
    }
}
