//! Starts an in-process sandbox and walks through create → get → update → list → list_all.
//!
//! ```sh
//! cargo run -p vivamo --example quickstart
//! ```
//!
//! No key and no network needed: the sandbox is Vivamo's API emulated on 127.0.0.1.

use futures::TryStreamExt;
use vivamo::{Client, CustomerUpdate, Environment, NewCustomer};
use vivamo_sandbox::Sandbox;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder().spawn().await?;
    println!("sandbox listening on {}", sandbox.base_url());

    let client = Client::builder()
        .api_key(sandbox.api_key())
        .environment(Environment::Sandbox)
        .base_url(sandbox.base_url())
        .build()?;
    let customers = client.customers();

    let created = customers
        .create(
            NewCustomer::new("user_123", "jane@example.com")
                .phone("(415) 555-2671")
                .first_name("Jane")
                .last_name("Doe")
                .country("us"),
        )
        .await?;
    println!(
        "created   {} <{}> phone {}",
        created.customer.external_customer_id,
        created.customer.data.email,
        created.customer.data.phone.as_deref().unwrap_or("-"),
    );

    // The sandbox accepts what production would refuse, with warnings.
    let risky = customers
        .create(NewCustomer::new("user_456", "john+promo@mailinator.com"))
        .await?;
    for warning in &risky.warnings {
        println!("warning   {warning}");
    }

    let jane = customers.get("user_123").await?;
    println!(
        "fetched   {} created at {}",
        jane.external_customer_id,
        jane.created_at.map(|t| t.to_rfc3339()).unwrap_or_default()
    );

    let moved = customers
        .update("user_123", CustomerUpdate::new().city("Boston").state("MA"))
        .await?;
    println!(
        "updated   {} now in {}, {}",
        moved.external_customer_id,
        moved.data.city.as_deref().unwrap_or("-"),
        moved.data.state.as_deref().unwrap_or("-"),
    );

    let page = customers.list().page(1).size(10).send().await?;
    println!(
        "page {}/{}  {} of {} customers",
        page.page,
        page.total_pages,
        page.customers.len(),
        page.total
    );

    let mut all = std::pin::pin!(customers.list_all().size(100).stream());
    while let Some(customer) = all.try_next().await? {
        println!(
            "list_all  {} <{}>",
            customer.external_customer_id, customer.data.email
        );
    }

    match customers.get("nobody").await {
        Err(e) => println!("error     {} [{}]", e, e.kind()),
        Ok(_) => unreachable!("the sandbox has no customer `nobody`"),
    }
    Ok(())
}
