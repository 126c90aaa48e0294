//! The Node and Python packages as users get them (the packed tarball installed in a project,
//! the release wheel in a fresh venv), and their `get` rows.

use std::path::PathBuf;
use std::process::Command;

use super::report::Row;
use super::workloads::{pair, throughput_row};
use super::{client_env, json_of, pinned, Placement, Sandbox, KEY_GET};
use crate::tools::{project_root, target_dir};

/// The Node side: the release addon built in bindings/node (for the get benchmark) and the
/// packed tarball installed in a project of its own (for `require('vivamo')` as users do).
pub struct NodeBench {
    package: PathBuf,
    project: PathBuf,
}

const NODE_LIST_ALL: &str = r#"
const { Vivamo } = require('vivamo');
(async () => {
  const vivamo = new Vivamo({ environment: 'sandbox' }); // VIVAMO_API_KEY, VIVAMO_BASE_URL
  let count = 0;
  for await (const customer of vivamo.customers.listAll({ size: 100 })) {
    if (customer.externalCustomerId) count++;
  }
  console.log(JSON.stringify({ count, peak_rss_kib: process.resourceUsage().maxRSS }));
})().catch((err) => { console.error(err); process.exit(1); });
"#;

impl NodeBench {
    pub fn setup() -> Result<NodeBench, String> {
        let target = crate::dist::Target::host()?;
        let (main, platform) = crate::node::package(&target, &target_dir().join("bench/npm"))?;
        let project =
            crate::node::install_packed(&[main, platform], &target_dir().join("bench/node"))?;
        let package = project_root().join("bindings/node");
        Ok(NodeBench { package, project })
    }

    pub fn node_command(&self, args: &[&str]) -> Command {
        let mut cmd = pinned(1, "node");
        cmd.args(args).current_dir(&self.project);
        cmd
    }

    pub fn list_all_command(&self) -> Command {
        self.node_command(&["-e", NODE_LIST_ALL])
    }

    pub fn get_rows(&self, sandbox: &Sandbox, quick: bool) -> Result<Vec<Row>, String> {
        let mut cmd = pinned(1, "node");
        cmd.arg("bench/get.mjs").current_dir(&self.package);
        client_env(&mut cmd, sandbox, KEY_GET, quick);
        let value = json_of(&mut cmd)?;
        Ok(vec![
            throughput_row(
                &value,
                "concurrent",
                "4",
                "Node `get`, 64 in flight",
                ("`vivamo` package", "Node's `fetch`"),
                "A ≥ 5 × B",
                5.0,
            )?,
            throughput_row(
                &value,
                "sequential",
                "4",
                "Node `get`, sequential",
                ("`vivamo` package", "Node's `fetch`"),
                "A ≥ 1.5 × B",
                1.5,
            )?,
        ])
    }
}

/// The Python side: the release wheel installed in a venv of its own, with httpx.
pub struct PythonBench {
    python: PathBuf,
}

const PYTHON_LIST_ALL: &str = r#"
import json, resource, vivamo
client = vivamo.Client(environment="sandbox")  # VIVAMO_API_KEY, VIVAMO_BASE_URL
count = sum(1 for c in client.customers.list_all(size=100) if c.external_customer_id)
print(json.dumps({"count": count, "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"#;

impl PythonBench {
    pub fn setup() -> Result<PythonBench, String> {
        let wheel = crate::python::wheel(
            &crate::dist::Target::host()?,
            &target_dir().join("bench/wheel"),
        )?;
        let python = crate::python::fresh_venv(&target_dir().join("bench/py-venv"), &wheel)?;
        Ok(PythonBench { python })
    }

    /// `python args…` on core 1 (or anywhere), outside the source tree.
    pub fn python_command(&self, placement: Placement, args: &[&str]) -> Command {
        let mut cmd = placement.command(1, &self.python);
        // Run outside the source tree so that `import vivamo` finds the installed wheel.
        cmd.args(args).current_dir(target_dir().join("bench"));
        cmd
    }

    pub fn list_all_command(&self) -> Command {
        self.python_command(Placement::Pinned, &["-c", PYTHON_LIST_ALL])
    }

    /// Python `get`: sync and async against httpx (rows 2 and 3, pinned only), and the sync
    /// client against `http.client` on one keep-alive connection (row 11) and a raw-socket
    /// keep-alive round trip (row 12), all four sync clients alternating in one process.
    pub fn get_rows(
        &self,
        sandbox: &Sandbox,
        quick: bool,
        placement: Placement,
    ) -> Result<Vec<Row>, String> {
        let script = project_root().join("bindings/python/bench/get.py");
        let mut cmd = self.python_command(placement, &[&script.to_string_lossy()]);
        client_env(&mut cmd, sandbox, KEY_GET, quick);
        if placement == Placement::Unpinned {
            cmd.env("VIVAMO_BENCH_SYNC_ONLY", "1");
        }
        let value = json_of(&mut cmd)?;
        let mut rows = Vec::new();
        if placement == Placement::Pinned {
            rows.push(throughput_row(
                &value,
                "sync",
                "2",
                "Python sync `get`, sequential",
                ("`vivamo.Client`", "`httpx.Client`"),
                "A ≥ 4 × B throughput",
                4.0,
            )?);
            rows.push(throughput_row(
                &value,
                "async",
                "3",
                "Python async `get`, 64 in flight",
                ("`vivamo.AsyncClient`", "`httpx.AsyncClient`"),
                "A ≥ 15 × B throughput",
                15.0,
            )?);
        }
        rows.push(throughput_row(
            &value,
            "sync_http_client",
            "11",
            &format!(
                "Python sync `get`, sequential, one keep-alive connection{}",
                placement.note()
            ),
            (
                "`vivamo.Client`",
                "`http.client.HTTPConnection` + `json.loads`",
            ),
            "A ≥ 1.2 × B throughput",
            1.2,
        )?);
        let (a, b) = pair(&value, "sync_raw_socket")?;
        let latency = b.median / a.median;
        rows.push(Row {
            id: "12",
            what: format!(
                "Python sync `get`, sequential, vs the floor{}",
                placement.note()
            ),
            a_label: "`vivamo.Client`".into(),
            b_label: "raw keep-alive socket round trip (`sendall` / `recv`)".into(),
            unit: "req/s",
            higher_is_better: true,
            a,
            b: Some(b),
            target: "A latency ≤ 1.5 × B",
            verdict: Some((format!("A latency = {latency:.2} × B"), latency <= 1.5)),
        });
        Ok(rows)
    }
}
