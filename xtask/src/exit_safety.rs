//! `exit-safety`: every way a Python or Node program using vivamo ends, each run many times as
//! its own process against a sandbox with a little latency (so calls are in flight at exit).
//!
//! It reuses what `test-python` and `test-node` built (the wheel's fresh venv, the project
//! holding the packed tarball) and fails on any exit status other than the scenario's, any
//! unexpected stderr (a "Fatal Python error", a panic, a stray traceback), any exit taking
//! longer than [`EXIT_BOUND`] after the scenario printed `exiting <unix time>`, and any run
//! still alive after [`RUN_BOUND`]. Runs go [`parallelism`] at a time.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::tools::{project_root, run, sandbox_binary, start_sandbox, target_dir};

/// Runs per Python scenario and per Node scenario.
const PYTHON_RUNS: usize = 50;
const NODE_RUNS: usize = 20;
/// Longest time from the `exiting` line to the end of the process. The Python `atexit` hook
/// takes under 1 s by construction; the rest is slack for a loaded 2-core machine.
const EXIT_BOUND: Duration = Duration::from_secs(5);
/// A run alive this long has hung.
const RUN_BOUND: Duration = Duration::from_secs(30);

/// How a scenario must end.
#[derive(Clone, Copy)]
enum Ending {
    Code(i32),
    Signal(i32),
}

struct Scenario {
    name: String,
    program: PathBuf,
    args: Vec<String>,
    ending: Ending,
    /// What stderr must contain (`None`: stderr must be empty).
    stderr: Option<&'static str>,
    runs: usize,
}

/// What stderr must never hold.
const FATAL: [&str; 7] = [
    "Fatal Python error",
    "Segmentation fault",
    "panicked",
    "fatal runtime error",
    "FATAL ERROR",
    "Aborted",
    "core dumped",
];

/// The venv `test-python` made, the project `test-node` made.
pub fn python_venv() -> PathBuf {
    project_root().join("target/xtask/py-test-venv/bin/python")
}

pub fn node_project() -> PathBuf {
    target_dir().join("xtask/node-package-test/project")
}

/// Runs the suite on what `test-python` and `test-node` left (run them first).
pub fn run_suite() -> Result<(), String> {
    let started = Instant::now();
    let python = python_venv();
    let project = node_project();
    for needed in [&python, &project] {
        if !needed.exists() {
            return Err(format!(
                "{} is missing: run `cargo xtask test-python` and `cargo xtask test-node` first",
                needed.display()
            ));
        }
    }
    let sandbox = sandbox_binary(false)?;
    let mut cmd = Command::new(&sandbox);
    cmd.args(["--port", "0", "--latency-ms", "5"])
        .stderr(Stdio::null());
    let (_server, url) = start_sandbox(cmd)?;

    let py_script = project_root().join("bindings/python/exit_scenarios/scenarios.py");
    run(Command::new(&python)
        .arg(&py_script)
        .args(["setup", &url])
        .env("PYTHONDONTWRITEBYTECODE", "1"))?;
    // The Node scenarios import `vivamo` from the project holding the packed tarball.
    let node_dir = project.join("exit-scenarios");
    fs::create_dir_all(&node_dir)
        .map_err(|e| format!("cannot create {}: {e}", node_dir.display()))?;
    for file in ["scenarios.mjs", "worker.mjs"] {
        let from = project_root()
            .join("bindings/node/exit-scenarios")
            .join(file);
        fs::copy(&from, node_dir.join(file))
            .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }

    let python_scenario = |name: &str, ending: Ending, stderr: Option<&'static str>| Scenario {
        name: format!("python {name}"),
        program: python.clone(),
        args: vec![py_script.display().to_string(), name.into(), url.clone()],
        ending,
        stderr,
        runs: PYTHON_RUNS,
    };
    let node_scenario = |name: &str, ending: Ending, stderr: Option<&'static str>| Scenario {
        name: format!("node {name}"),
        program: "node".into(),
        args: vec![
            node_dir.join("scenarios.mjs").display().to_string(),
            name.into(),
            url.clone(),
        ],
        ending,
        stderr,
        runs: NODE_RUNS,
    };
    let scenarios = vec![
        python_scenario("async_open", Ending::Code(0), None),
        python_scenario("async_closed", Ending::Code(0), None),
        python_scenario("async_pending", Ending::Code(0), None),
        python_scenario("sync_open", Ending::Code(0), None),
        python_scenario("sys_exit_in_flight", Ending::Code(3), None),
        python_scenario(
            "unhandled",
            Ending::Code(1),
            Some("ScenarioError: deliberate"),
        ),
        python_scenario("sigterm", Ending::Signal(15), None),
        python_scenario("fork_child_exit", Ending::Code(0), None),
        python_scenario("sandbox_open", Ending::Code(0), None),
        node_scenario("natural_exit", Ending::Code(0), None),
        node_scenario("process_exit", Ending::Code(3), None),
        node_scenario("worker_terminated", Ending::Code(0), None),
        node_scenario("sandbox_open", Ending::Code(0), None),
        node_scenario(
            "unhandled_rejection",
            Ending::Code(1),
            Some("ScenarioError: deliberate"),
        ),
    ];
    let logs = target_dir().join("xtask/exit-safety");
    let _ = fs::remove_dir_all(&logs);
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;

    let runs_started = Instant::now();
    let jobs: Vec<(usize, usize)> = scenarios
        .iter()
        .enumerate()
        .flat_map(|(s, scenario)| (0..scenario.runs).map(move |r| (s, r)))
        .collect();
    let next = AtomicUsize::new(0);
    let slowest = Mutex::new(vec![Duration::ZERO; scenarios.len()]);
    let failures = Mutex::new(Vec::<String>::new());
    println!(
        "exit-safety: {} runs of {} scenarios, {} at a time, against {url}",
        jobs.len(),
        scenarios.len(),
        parallelism()
    );
    std::thread::scope(|scope| {
        for _ in 0..parallelism() {
            scope.spawn(|| loop {
                let Some(&(s, r)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    return;
                };
                let scenario = &scenarios[s];
                match run_once(
                    scenario,
                    &logs.join(format!("{}-{r}", slug(&scenario.name))),
                ) {
                    Ok(exit) => {
                        let mut slowest = slowest.lock().unwrap_or_else(|e| e.into_inner());
                        slowest[s] = slowest[s].max(exit);
                    }
                    Err(why) => failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("{} (run {r}): {why}", scenario.name)),
                }
            });
        }
    });
    let slowest = slowest.into_inner().unwrap_or_else(|e| e.into_inner());
    for (scenario, exit) in scenarios.iter().zip(&slowest) {
        println!(
            "  {:<32} {:>3} runs, slowest exit {:>5} ms",
            scenario.name,
            scenario.runs,
            exit.as_millis()
        );
    }
    let failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    println!(
        "exit-safety: {} runs, {} failed, in {:.1} s ({:.1} s with the setup)",
        jobs.len(),
        failures.len(),
        runs_started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "exit-safety failed (logs in {}):\n{}",
            logs.display(),
            failures.join("\n")
        ))
    }
}

/// Runs at a time: the cores, at least 2, at most 6 (each run is mostly waiting).
fn parallelism() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get() * 2)
        .unwrap_or(2)
        .clamp(2, 6)
}

fn slug(name: &str) -> String {
    name.replace(' ', "-")
}

/// One run; its logs go to `log.out` and `log.err`, kept on failure. Returns how long the
/// exit took (from the `exiting` line to the end of the process).
fn run_once(scenario: &Scenario, log: &Path) -> Result<Duration, String> {
    let out_path = log.with_extension("out");
    let err_path = log.with_extension("err");
    let file = |p: &Path| fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut child = crate::tools::clean_test_env(&mut Command::new(&scenario.program))
        .args(&scenario.args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(file(&out_path)?)
        .stderr(file(&err_path)?)
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", scenario.program.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > RUN_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {RUN_BOUND:?}: hung"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let ended = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    let ending_ok = {
        use std::os::unix::process::ExitStatusExt;
        match scenario.ending {
            Ending::Code(code) => status.code() == Some(code),
            Ending::Signal(signal) => status.signal() == Some(signal),
        }
    };
    if !ending_ok {
        return Err(format!("ended with {status}; stderr: {}", tail(&stderr)));
    }
    if let Some(fatal) = FATAL.iter().find(|f| stderr.contains(*f)) {
        return Err(format!("stderr holds {fatal:?}: {}", tail(&stderr)));
    }
    match scenario.stderr {
        None if !stderr.trim().is_empty() => {
            return Err(format!("unexpected stderr: {}", tail(&stderr)))
        }
        Some(wanted) if !stderr.contains(wanted) => {
            return Err(format!("stderr lacks {wanted:?}: {}", tail(&stderr)))
        }
        _ => {}
    }
    let marked = stdout
        .lines()
        .find_map(|l| l.strip_prefix("exiting "))
        .and_then(|t| t.trim().parse::<f64>().ok())
        .ok_or_else(|| format!("no `exiting` line on stdout: {}", tail(&stdout)))?;
    let exit = Duration::from_secs_f64((ended - marked).max(0.0));
    if exit > EXIT_BOUND {
        return Err(format!("took {exit:?} to exit (bound {EXIT_BOUND:?})"));
    }
    let _ = fs::remove_file(&out_path);
    let _ = fs::remove_file(&err_path);
    Ok(exit)
}

fn tail(text: &str) -> String {
    let start = text.len().saturating_sub(600);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[start..].trim().to_string()
}
