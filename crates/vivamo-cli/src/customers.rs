//! `vivamo customers create|get|update|list` and `vivamo export`.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use futures::TryStreamExt;
use vivamo::{Customer, CustomerUpdate, NewCustomer};

use crate::cli::{CustomersCmd, ExportArgs, FileFormat, GlobalOpts, Output};
use crate::error::CliError;
use crate::input::COLUMNS;

/// Runs a `customers` subcommand.
pub async fn command(global: &GlobalOpts, cmd: CustomersCmd) -> Result<u8, CliError> {
    let client = global.client(|b| b)?;
    let customers = client.customers();
    match cmd {
        CustomersCmd::Create(args) => {
            let mut new = match &args.json {
                Some(path) => read_json::<NewCustomer>(path)?,
                None => NewCustomer::default(),
            };
            if let Some(id) = args.id {
                new.external_customer_id = id;
            }
            if args.verify_after_creation {
                new.verify_after_creation = true;
            }
            merge(&mut new.data, args.fields.into_data());
            let created = customers.create(new).await?;
            for w in &created.warnings {
                eprintln!("warning: {w}");
            }
            match global.output {
                Output::Json => {
                    let mut v = serde_json::to_value(&created.customer).map_err(json_err)?;
                    if let Some(links) = &created.verification_links {
                        if let (Some(obj), Ok(serde_json::Value::Object(l))) =
                            (v.as_object_mut(), serde_json::to_value(links))
                        {
                            obj.extend(l.into_iter().filter(|(_, v)| !v.is_null()));
                        }
                    }
                    print_json(&v)?;
                }
                Output::Table => {
                    println!("created {}", created.customer.external_customer_id);
                    print_customer(&created.customer);
                    if let Some(links) = &created.verification_links {
                        for (name, link) in [
                            ("verification link", &links.verification_link),
                            ("link error", &links.verification_link_error),
                        ] {
                            if let Some(l) = link {
                                println!("  {name:<14}{l}");
                            }
                        }
                    }
                }
            }
        }
        CustomersCmd::Get { id } => {
            let customer = customers.get(&id).await?;
            show(global.output, &customer)?;
        }
        CustomersCmd::Update(args) => {
            let mut update = match &args.json {
                Some(path) => read_json::<CustomerUpdate>(path)?,
                None => CustomerUpdate::new(),
            };
            if args.json.is_none() && !args.fields.any() {
                return Err(CliError::Usage(
                    "nothing to update: pass at least one field flag (e.g. --city) or --json FILE"
                        .into(),
                ));
            }
            merge(&mut update.data, args.fields.into_data());
            let customer = customers.update(&args.id, update).await?;
            show(global.output, &customer)?;
        }
        CustomersCmd::List(args) => {
            if args.all {
                let mut stream = std::pin::pin!(customers.list_all().size(args.size).stream());
                let mut out = std::io::stdout().lock();
                let mut n = 0u64;
                if global.output == Output::Json {
                    writeln!(out, "[").map_err(stdout_err)?;
                } else {
                    table_header(&mut out)?;
                }
                while let Some(c) = stream.try_next().await? {
                    match global.output {
                        Output::Json => {
                            let sep = if n == 0 { "" } else { ",\n" };
                            let body = serde_json::to_string(&c).map_err(json_err)?;
                            write!(out, "{sep}  {body}").map_err(stdout_err)?;
                        }
                        Output::Table => table_row(&mut out, &c)?,
                    }
                    n += 1;
                }
                if global.output == Output::Json {
                    writeln!(out, "{}]", if n == 0 { "" } else { "\n" }).map_err(stdout_err)?;
                } else {
                    writeln!(out, "{n} customers").map_err(stdout_err)?;
                }
            } else {
                let page = customers
                    .list()
                    .page(args.page)
                    .size(args.size)
                    .send()
                    .await?;
                match global.output {
                    Output::Json => print_json(&page)?,
                    Output::Table => {
                        let mut out = std::io::stdout().lock();
                        table_header(&mut out)?;
                        for c in &page.customers {
                            table_row(&mut out, c)?;
                        }
                        writeln!(
                            out,
                            "page {} of {} ({} customers in all)",
                            page.page, page.total_pages, page.total
                        )
                        .map_err(stdout_err)?;
                    }
                }
            }
        }
    }
    Ok(0)
}

/// Fields set in `flags` override `base`.
fn merge(base: &mut vivamo::rules::CustomerData, flags: vivamo::rules::CustomerData) {
    for (key, _) in vivamo::rules::CustomerData::FIELDS {
        if let (Some(slot), Some(Some(value))) = (base.field_mut(key), flags.field(key)) {
            *slot = Some(value.clone());
        }
    }
}

/// A customer's fields in the field table's type (`data.email` always set).
fn profile(c: &Customer) -> vivamo::rules::CustomerData {
    let d = c.data.clone();
    vivamo::rules::customer_fields!(vivamo::rules::CustomerData, d, email: Some(d.email))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Failure(format!("cannot read stdin: {e}")))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| CliError::io("read", path, e))?;
    }
    serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "{} is not a valid request body: {e}",
            if path.as_os_str() == "-" {
                "stdin".to_string()
            } else {
                path.display().to_string()
            }
        ))
    })
}

pub(crate) fn json_err(e: serde_json::Error) -> CliError {
    CliError::Failure(format!("cannot encode JSON: {e}"))
}

pub(crate) fn stdout_err(e: std::io::Error) -> CliError {
    CliError::Failure(format!("cannot write to stdout: {e}"))
}

pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    println!("{}", serde_json::to_string_pretty(v).map_err(json_err)?);
    Ok(())
}

fn show(output: Output, c: &Customer) -> Result<(), CliError> {
    match output {
        Output::Json => print_json(c),
        Output::Table => {
            println!("{}", c.external_customer_id);
            print_customer(c);
            Ok(())
        }
    }
}

/// The fields of a customer, one per line.
pub fn print_customer(c: &Customer) {
    let d = profile(c);
    for (key, snake) in vivamo::rules::CustomerData::FIELDS {
        if let Some(Some(v)) = d.field(key) {
            println!("  {:<14}{v}", snake.replace('_', " "));
        }
    }
    for k in &c.kyc_verifications {
        println!(
            "  {:<14}{} {}",
            "kyc",
            k.verification_type.as_deref().unwrap_or("?"),
            k.status.as_ref().map(|s| s.as_str()).unwrap_or("?")
        );
    }
    if let Some(at) = c.created_at {
        println!(
            "  {:<14}{}",
            "created",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
    }
}

pub(crate) fn table_header(out: &mut impl Write) -> Result<(), CliError> {
    writeln!(
        out,
        "{:<24} {:<32} {:<16} {:<24} {:<7}",
        "EXTERNAL ID", "EMAIL", "PHONE", "NAME", "COUNTRY"
    )
    .map_err(stdout_err)
}

pub(crate) fn table_row(out: &mut impl Write, c: &Customer) -> Result<(), CliError> {
    let d = &c.data;
    let name = [d.first_name.as_deref(), d.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    writeln!(
        out,
        "{:<24} {:<32} {:<16} {:<24} {:<7}",
        c.external_customer_id,
        d.email,
        d.phone.as_deref().unwrap_or("-"),
        if name.is_empty() { "-" } else { &name },
        d.country.as_deref().unwrap_or("-")
    )
    .map_err(stdout_err)
}

/// `vivamo export [--format csv|jsonl] [--out FILE]`: streams every customer.
pub async fn export(global: &GlobalOpts, args: &ExportArgs) -> Result<u8, CliError> {
    let client = global.client(|b| b)?;
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(File::create(p).map_err(|e| CliError::io("create", p, e))?),
        None => Box::new(std::io::stdout()),
    };
    let werr = |e: std::io::Error| CliError::Failure(format!("cannot write the export: {e}"));
    let cerr = |e: csv::Error| CliError::Failure(format!("cannot write the export: {e}"));
    // Both writers buffer a bounded amount: memory stays flat whatever the customer count.
    enum Sink {
        Csv(Box<csv::Writer<Box<dyn Write>>>),
        Jsonl(BufWriter<Box<dyn Write>>),
    }
    let mut out = match args.format {
        FileFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .buffer_capacity(1 << 16)
                .from_writer(sink);
            w.write_record(COLUMNS).map_err(cerr)?;
            Sink::Csv(Box::new(w))
        }
        FileFormat::Jsonl => Sink::Jsonl(BufWriter::with_capacity(1 << 16, sink)),
    };
    let mut stream = std::pin::pin!(client.customers().list_all().size(args.page_size).stream());
    let mut n = 0u64;
    while let Some(c) = stream.try_next().await? {
        n += 1;
        let d = &c.data;
        match &mut out {
            Sink::Csv(w) => {
                let p = profile(&c);
                let fields = COLUMNS[1..]
                    .iter()
                    .map(|key| p.field(key).cloned().flatten().unwrap_or_default());
                w.write_record(std::iter::once(c.external_customer_id.clone()).chain(fields))
                    .map_err(cerr)?;
            }
            Sink::Jsonl(w) => {
                let mut line = serde_json::json!({
                    "externalCustomerId": c.external_customer_id,
                    "data": d,
                });
                // Fields this version does not know (added by Vivamo later) are kept.
                if let Some(object) = line.as_object_mut() {
                    for (k, v) in &c.extra {
                        object.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
                serde_json::to_writer(&mut *w, &line).map_err(json_err)?;
                w.write_all(b"\n").map_err(werr)?;
            }
        }
    }
    match &mut out {
        Sink::Csv(w) => w.flush().map_err(werr)?,
        Sink::Jsonl(w) => w.flush().map_err(werr)?,
    }
    eprintln!("exported {n} customers");
    Ok(0)
}
