//! The `vivamo` binary end to end: goldens for every subcommand's happy path and its main
//! errors, against an in-process sandbox over loopback.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn help_lists_every_command() {
    let (code, out, err) = run(vivamo().arg("--help"));
    golden("help.txt", &transcript(code, &out, &err));
}

#[test]
fn missing_key_is_one_sentence_exit_2() {
    let (code, out, err) = run(vivamo().args(["customers", "get", "user_1"]));
    assert_eq!(code, 2);
    golden("missing_key.txt", &transcript(code, &out, &err));
}

#[test]
fn bad_flag_is_a_usage_error() {
    vivamo()
        .args(["customers", "list", "--bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--bogus"));
    vivamo().args(["--output", "yaml", "demo"]).assert().code(2);
}

#[test]
fn customers_create_get_update_list() {
    let sb = Sb::start();
    // Global options after the subcommand work too.
    let (code, out, err) = run(sb.cmd().args([
        "customers",
        "create",
        "user_1",
        "--email",
        "jane@example.com",
        "--phone",
        "(415) 555-2671",
        "--first-name",
        "Jane",
        "--country",
        "us",
        "--output",
        "json",
    ]));
    golden("customers_create.txt", &transcript(code, &out, &err));
    assert_eq!(code, 0);

    let dir = tmp();
    let body = write(
        dir.path(),
        "new.json",
        r#"{"externalCustomerId": "user_2", "data": {"email": "max@example.com", "city": "Paris"}}"#,
    );
    let (code, out, err) = run(sb.cmd().args(["customers", "create", "--json"]).arg(&body));
    golden(
        "customers_create_json_table.txt",
        &transcript(code, &out, &err),
    );
    assert_eq!(code, 0);

    let (code, out, err) = run(sb
        .cmd()
        .args(["--output", "json", "customers", "get", "user_1"]));
    golden("customers_get.txt", &transcript(code, &out, &err));

    let (code, out, err) = run(sb.cmd().args([
        "customers",
        "update",
        "user_1",
        "--city",
        "Boston",
        "--state",
        "MA",
    ]));
    golden("customers_update.txt", &transcript(code, &out, &err));
    assert_eq!(code, 0);

    let (code, out, err) = run(sb
        .cmd()
        .args(["customers", "list", "--size", "1", "--page", "2"]));
    golden("customers_list.txt", &transcript(code, &out, &err));
    let (code, out, err) = run(sb.cmd().args([
        "customers",
        "list",
        "--all",
        "--size",
        "1",
        "--output",
        "json",
    ]));
    golden("customers_list_all.txt", &transcript(code, &out, &err));
    assert_eq!(code, 0);
}

#[test]
fn customer_errors() {
    let sb = Sb::start();
    let (code, out, err) = run(sb.cmd().args(["customers", "get", "nobody"]));
    assert_eq!(code, 1);
    golden("customers_get_unknown.txt", &transcript(code, &out, &err));

    // Production rules refuse a disposable email before sending.
    let (code, out, err) = run(sb.cmd_in("production").args([
        "customers",
        "create",
        "user_9",
        "--email",
        "temp@mailinator.com",
    ]));
    assert_eq!(code, 1);
    golden(
        "customers_create_invalid.txt",
        &transcript(code, &out, &err),
    );
    assert_eq!(sb.count(), 0);

    let (code, _, err) = run(sb.cmd().args(["customers", "update", "user_1"]));
    assert_eq!(code, 2, "{err}");
}

const MIXED_CSV: &str = "\u{feff}external_customer_id,Email,PHONE,first_name,lastName,street,street2,city,state,zip,country\r\n\
u1,ada@example.com,(415) 555-2671,Ada,L,,,,,,US\r\n\
u2,not-an-email,,B,,,,,,,\r\n\
u3,grace@example.com,,Grace,H,,,,ZZ,02110,US\r\n\
u4,ADA@example.com,,Ada,Again,,,,,,\r\n\
u1,other@example.com,,Dup,Id,,,,,,\r\n\
u5,ken@example.com,+1 415 555 2671,Ken,T,,,,,,\r\n\
u6,only,three\r\n\
u7,,,,,,,,,,\r\n\
u8,temp@mailinator.com,,,,,,,,,\r\n\
u9,linus@example.com,,Linus,T,,,,,,FI\r\n";

#[test]
fn validate_reports_rules_duplicates_and_malformed_rows() {
    let dir = tmp();
    let file = write(dir.path(), "people.csv", MIXED_CSV);
    // No key needed; report on stdout.
    let (code, out, err) = run(vivamo()
        .args(["validate"])
        .arg(&file)
        .args(["--environment", "sandbox"]));
    assert_eq!(code, 1);
    golden("validate_mixed.txt", &transcript(code, &out, &err));

    // Production: the disposable email is an error too; report to a file.
    let report = dir.path().join("r.csv");
    let (code, out, err) = run(vivamo()
        .arg("validate")
        .arg(&file)
        .arg("--report")
        .arg(&report));
    assert_eq!(code, 1);
    assert!(out.is_empty());
    golden(
        "validate_mixed_production.txt",
        &transcript(code, &std::fs::read_to_string(&report).unwrap(), &err),
    );

    let ok = write(dir.path(), "ok.jsonl", "{\"externalCustomerId\":\"a\",\"data\":{\"email\":\"a@example.com\"}}\n\n{\"externalCustomerId\":\"b\",\"data\":{\"email\":\"b@example.com\"}}\n");
    let (code, out, err) = run(vivamo().arg("validate").arg(&ok));
    assert_eq!(code, 0);
    golden("validate_ok_jsonl.txt", &transcript(code, &out, &err));

    let bad = write(dir.path(), "bad.csv", "id,mail\nx,y\n");
    let (code, _, err) = run(vivamo().arg("validate").arg(&bad));
    assert_eq!(code, 2);
    golden("validate_bad_header.txt", &transcript(code, "", &err));
    let (code, _, _) = run(vivamo().arg("validate").arg(dir.path().join("x.txt")));
    assert_eq!(code, 2);
}

#[test]
fn validate_50k_rows_with_duplicates() {
    let dir = tmp();
    let file = dir.path().join("big.csv");
    generate_csv(&file, 50_000, 100);
    // Append duplicates of early rows (id, email case, phone-free) at the end.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        writeln!(f, "u0000001,someone@example.com,,,,,,,,,").unwrap();
        writeln!(f, "fresh_1,USER2@EXAMPLE.COM,,,,,,,,,").unwrap();
        writeln!(f, "fresh_2,fresh2@example.com,,,,,,,,,").unwrap();
    }
    let report = dir.path().join("big.report.csv");
    let (code, out, err) = run(vivamo()
        .arg("validate")
        .arg(&file)
        .arg("--report")
        .arg(&report));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("validated 50003 rows for production: 49501 valid, 500 invalid, 2 duplicate"),
        "{err}"
    );
    let text = std::fs::read_to_string(&report).unwrap();
    assert_eq!(text.lines().count(), 50_004);
    assert!(text.contains(
        "50001,u0000001,duplicate,duplicate,duplicate of row 1 (same externalCustomerId),"
    ));
    assert!(text.contains("50002,fresh_1,duplicate,duplicate,duplicate of row 2 (same email),"));
    assert!(text.contains("50003,fresh_2,valid,,,"));
}

const IMPORT_CSV: &str =
    "externalCustomerId,email,phone,firstName,lastName,street,street2,city,state,zip,country
a1,ada@example.com,(415) 555-2671,Ada,Lovelace,,,,,,US
a2,bad-email,,,,,,,,,
a3,grace@example.com,,Grace,Hopper,,,,,,
a1,ada@example.com,,,,,,,,,
a4,GRACE@example.com,,,,,,,,,
a5,too,few
a6,temp@mailinator.com,,,,,,,,,
";

#[test]
fn import_csv_report_and_summary() {
    let sb = Sb::start();
    let dir = tmp();
    let file = write(dir.path(), "people.csv", IMPORT_CSV);
    let (code, out, err) = run(sb
        .cmd()
        .args(["import", "--concurrency", "1", "--output", "json"])
        .arg(&file));
    assert_eq!(code, 1, "{err}");
    golden("import_csv.txt", &transcript(code, &out, ""));
    let report = dir.path().join("people.csv.report.csv");
    golden("import_csv_report.csv", &sorted_report(&report));
    assert!(dir.path().join("people.csv.report.csv.journal").exists());
    // a1, a3 and (sandbox env: a warning only) a6.
    assert_eq!(sb.count(), 3);

    // Importing again: nothing new, the valid rows are already there.
    let (code, out, _) = run(sb.cmd().args(["import", "--concurrency", "4"]).arg(&file));
    assert_eq!(code, 1);
    golden("import_csv_again.txt", &out);
    assert_eq!(sb.count(), 3);
}

#[test]
fn import_jsonl_and_dry_run() {
    let sb = Sb::start();
    let dir = tmp();
    let file = write(
        dir.path(),
        "people.jsonl",
        "{\"externalCustomerId\":\"j1\",\"data\":{\"email\":\"j1@example.com\",\"phone\":\"4155552671\"}}\n\
         {\"externalCustomerId\":\"j2\",\"data\":{\"email\":\"j2@example.com\"},\"verifyAfterCreation\":true}\n\
         {\"externalCustomerId\":\"j3\",\"data\":{}}\n\
         not json\n",
    );
    let report = dir.path().join("dry.csv");
    let (code, out, _) = run(sb
        .cmd()
        .args(["import", "--dry-run", "--report"])
        .arg(&report)
        .arg(&file));
    assert_eq!(code, 1);
    golden("import_dry_run.txt", &out);
    golden(
        "import_dry_run_report.csv",
        &std::fs::read_to_string(&report).unwrap(),
    );
    assert_eq!(sb.count(), 0, "a dry run sends nothing");

    let report = dir.path().join("real.csv");
    let (code, _, err) = run(sb
        .cmd()
        .args(["import", "--report"])
        .arg(&report)
        .arg(&file));
    assert_eq!(code, 1, "{err}");
    golden("import_jsonl_report.csv", &sorted_report(&report));
    assert_eq!(sb.count(), 2);

    // All valid: exit 0.
    let ok = write(
        dir.path(),
        "ok.jsonl",
        "{\"externalCustomerId\":\"j9\",\"data\":{\"email\":\"j9@example.com\"}}\n",
    );
    sb.cmd().arg("import").arg(&ok).assert().code(0);
}

#[test]
fn import_without_key_or_with_unknown_extension() {
    let dir = tmp();
    let file = write(dir.path(), "p.csv", IMPORT_CSV);
    let (code, _, err) = run(vivamo().arg("import").arg(&file));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: no API key: pass --api-key or set the VIVAMO_API_KEY environment variable\n"
    );
    // A dry run needs no key.
    vivamo()
        .args(["import", "--dry-run"])
        .arg(&file)
        .assert()
        .code(1);
    let txt = write(dir.path(), "p.txt", IMPORT_CSV);
    vivamo()
        .args(["import", "--api-key", "sk_test_x"])
        .arg(&txt)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format csv"));
}

#[test]
fn export_round_trips_through_import() {
    let sb = Sb::start();
    let dir = tmp();
    let file = write(dir.path(), "people.csv", IMPORT_CSV);
    // One at a time: rows 1 and 4 share an id, and the first must win for a stable golden.
    run(sb.cmd().args(["import", "--concurrency", "1"]).arg(&file));
    let out = dir.path().join("export.csv");
    let (code, _, err) = run(sb.cmd().args(["export", "--out"]).arg(&out));
    assert_eq!(code, 0);
    assert_eq!(err, "exported 3 customers\n");
    let exported = std::fs::read_to_string(&out).unwrap();
    golden("export.csv", &exported);

    let (code, jsonl, _) = run(sb.cmd().args(["export", "--format", "jsonl"]));
    assert_eq!(code, 0);
    golden("export.jsonl", &jsonl);

    let fresh = Sb::start();
    let (code, _, err) = run(fresh.cmd().arg("import").arg(&out));
    assert_eq!(code, 0, "{err}");
    let jsonl_file = write(dir.path(), "export.jsonl", &jsonl);
    let (code, _, _) = run(fresh.cmd().arg("import").arg(&jsonl_file));
    assert_eq!(code, 0);
    let mut a: Vec<_> = sb
        .all()
        .into_iter()
        .map(|c| (c.external_customer_id, c.data))
        .collect();
    let mut b: Vec<_> = fresh
        .all()
        .into_iter()
        .map(|c| (c.external_customer_id, c.data))
        .collect();
    a.sort_by(|x, y| x.0.cmp(&y.0));
    b.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(a, b);
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        vivamo()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(
                predicate::str::contains("import").and(predicate::str::contains("concurrency")),
            );
    }
}

#[test]
fn demo_runs_with_no_key_and_no_network() {
    let (code, out, err) = run(vivamo().arg("demo"));
    assert_eq!(code, 0, "{err}");
    golden("demo.txt", &out);
}

#[test]
fn sandbox_command_serves_the_api() {
    use std::io::{BufRead, BufReader};
    let bin = assert_cmd::cargo::cargo_bin("vivamo");
    let mut child = std::process::Command::new(bin)
        .args(["sandbox", "--port", "0", "--api-key", "sk_test_cli"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let result = std::panic::catch_unwind(|| {
        vivamo()
            .args([
                "--base-url",
                &url,
                "--api-key",
                "sk_test_cli",
                "customers",
                "create",
                "s1",
                "--email",
                "s1@example.com",
            ])
            .assert()
            .success();
        vivamo()
            .args([
                "--base-url",
                &url,
                "--api-key",
                "sk_test_cli",
                "customers",
                "get",
                "s1",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains("s1@example.com"));
    });
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap();
}

#[test]
fn verbose_prints_one_log_line_per_attempt_on_stderr_never_the_key() {
    let sb = Sb::with(vivamo_sandbox::Sandbox::builder().fail_rate(1.0).seed(5));
    for how in ["-v", "VIVAMO_LOG"] {
        let mut cmd = sb.cmd();
        if how == "-v" {
            cmd.arg("-v");
        } else {
            cmd.env("VIVAMO_LOG", "info");
        }
        let (code, out, err) = run(cmd.args(["customers", "get", "nobody"]));
        assert_ne!(code, 0);
        assert!(out.is_empty(), "{out}");
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("vivamo ") && l.contains("(attempt "))
            .collect();
        assert_eq!(
            lines.len(),
            3,
            "{how}: one line per attempt (2 retries):\n{err}"
        );
        assert!(
            lines[0].contains("GET /v1/customers/nobody -> 500"),
            "{err}"
        );
        assert!(!err.contains(sb.handle.api_key()), "{err}");
    }
    // Without either, no log lines.
    let (_, _, err) = run(sb.cmd().args(["customers", "get", "nobody"]));
    assert!(!err.contains("(attempt "), "{err}");
}

#[test]
fn export_keeps_fields_the_sdk_does_not_know() {
    let sb = Sb::start();
    let (code, _, err) =
        run(sb
            .cmd()
            .args(["customers", "create", "fc_1", "--email", "fc1@example.com"]));
    assert_eq!(code, 0, "{err}");
    let http = reqwest_blocking_post(
        &format!("{}/__sandbox/extra-fields", sb.handle.base_url()),
        r#"{"fields": {"loyaltyTier": "gold"}}"#,
    );
    assert!(http.contains("\"fields\":1"), "{http}");
    let (code, jsonl, err) = run(sb.cmd().args(["export", "--format", "jsonl"]));
    assert_eq!(code, 0, "{err}");
    assert!(jsonl.contains(r#""loyaltyTier":"gold""#), "{jsonl}");
    // The exported file imports again (the unknown field rides along harmlessly).
    let dir = tmp();
    let file = write(
        dir.path(),
        "export.jsonl",
        &jsonl.replace("fc_1", "fc_2").replace("fc1@", "fc2@"),
    );
    let (code, _, err) = run(sb.cmd().arg("import").arg(&file));
    assert_eq!(code, 0, "{err}");
    assert_eq!(sb.count(), 2);
}

/// A tiny blocking POST over loopback (the CLI's tests have no HTTP client).
fn reqwest_blocking_post(url: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nhost: {authority}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn create_with_verify_after_creation_prints_the_verification_link() {
    let sb = Sb::start();
    let (code, out, err) = run(sb.cmd().args([
        "--output",
        "json",
        "customers",
        "create",
        "kyc_1",
        "--email",
        "kyc1@example.com",
        "--verify-after-creation",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(created["externalCustomerId"], "kyc_1", "{out}");
    let link = created["verificationLink"].as_str().unwrap_or_default();
    assert!(link.starts_with("http"), "a verification link: {out}");
    // Without the flag there is no link.
    let (code, out, _) = run(sb.cmd().args([
        "--output",
        "json",
        "customers",
        "create",
        "kyc_2",
        "--email",
        "kyc2@example.com",
    ]));
    assert_eq!(code, 0);
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(created.get("verificationLink").is_none(), "{out}");
}

#[test]
fn update_reads_the_update_from_json_and_flags_override_it() {
    let sb = Sb::start();
    let (code, out, err) = run(sb.cmd().args([
        "customers",
        "create",
        "upd_1",
        "--email",
        "upd1@example.com",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let dir = tmp();
    let body = write(
        dir.path(),
        "update.json",
        r#"{"data": {"city": "Lyon", "firstName": "Ana"}}"#,
    );
    let (code, out, err) = run(sb
        .cmd()
        .args(["--output", "json", "customers", "update", "upd_1", "--json"])
        .arg(&body)
        .args(["--first-name", "Eva"]));
    assert_eq!(code, 0, "{out}{err}");
    let updated: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(updated["data"]["city"], "Lyon", "{out}");
    assert_eq!(updated["data"]["firstName"], "Eva", "the flag wins: {out}");
    // From stdin too.
    let (code, out, err) = run(sb
        .cmd()
        .args([
            "--output",
            "json",
            "customers",
            "update",
            "upd_1",
            "--json",
            "-",
        ])
        .write_stdin(r#"{"data": {"city": "Nice"}}"#));
    assert_eq!(code, 0, "{out}{err}");
    let updated: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(updated["data"]["city"], "Nice", "{out}");
}

#[test]
fn the_key_comes_from_vivamo_api_key() {
    let sb = Sb::start();
    let base = sb.handle.base_url();
    let with_env = |key: &str| {
        let mut cmd = vivamo();
        cmd.args(["--base-url", &base, "--environment", "sandbox"])
            .env("VIVAMO_API_KEY", key);
        cmd
    };
    let (code, out, err) = run(with_env(sb.handle.api_key()).args([
        "customers",
        "create",
        "env_1",
        "--email",
        "env1@example.com",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(sb.count(), 1);
    // The variable is what the command sends: another key is refused by the sandbox.
    let (code, out, err) =
        run(with_env("sk_test_not_the_sandbox_key").args(["customers", "get", "env_1"]));
    assert_ne!(code, 0, "{out}");
    assert!(
        err.to_lowercase().contains("permission") || err.contains("403"),
        "{err}"
    );
    assert!(!err.contains("sk_test_not_the_sandbox_key"), "{err}");
    // --api-key wins over the variable.
    let (code, out, err) = run(with_env("sk_test_not_the_sandbox_key").args([
        "--api-key",
        sb.handle.api_key(),
        "customers",
        "get",
        "env_1",
    ]));
    assert_eq!(code, 0, "{out}{err}");
}
