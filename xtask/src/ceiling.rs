//! A time ceiling for test runners. A test that leaves a socket, a timer or a child process
//! behind can keep `node --test` or pytest from ever exiting after every test passed; CI
//! would then wait until its own limit and say nothing of why. Past the ceiling the runner
//! and everything it started are killed, and the error names the processes still running
//! (with Node, the test file that would not end).

use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::tools::{describe, project_root};

/// How long one test runner may take: many times a run on a loaded 2-core machine.
pub const TEST_RUNNER_CEILING: Duration = Duration::from_secs(20 * 60);

/// Runs `cmd` (in the project root unless it has a directory) like [`crate::tools::run`],
/// but fails, killing its process tree, if it has not ended within `ceiling`.
pub fn run_within(cmd: &mut Command, ceiling: Duration) -> Result<(), String> {
    let status = status_within(cmd, ceiling)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` and returns its exit status, or fails as [`run_within`] does at the ceiling.
pub fn status_within(cmd: &mut Command, ceiling: Duration) -> Result<ExitStatus, String> {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(project_root());
    }
    let shown = describe(cmd);
    println!("$ {shown}");
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if started.elapsed() < ceiling => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok(None) => break,
            Err(e) => return Err(format!("could not wait for `{shown}`: {e}")),
        }
    }
    let left = descendants(child.id());
    let running: Vec<String> = left.iter().map(|(_, line)| line.clone()).collect();
    // The whole tree, children before their parents.
    for (pid, _) in left.iter().rev() {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!(
        "`{shown}` had not ended after {} min, so it and the processes it started were killed; \
         a test left something running (a socket, a timer, a child). Still running were:\n  {}",
        ceiling.as_secs() / 60,
        if running.is_empty() {
            "(no child process: the runner itself)".to_string()
        } else {
            running.join("\n  ")
        }
    ))
}

/// Every process below `root`, parents before children, with its command line (Linux's
/// `/proc`; elsewhere none, and only the runner itself is killed).
fn descendants(root: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let parents: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // `pid (comm) state ppid …`: comm may hold spaces and parentheses.
            let after = &stat[stat.rfind(')')? + 1..];
            let ppid = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for &(pid, _) in parents.iter().filter(|(_, p)| *p == parent) {
            let line = std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
                .unwrap_or_default();
            found.push((pid, line.trim().to_string()));
            frontier.push(pid);
        }
    }
    found
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_runner_past_its_ceiling_is_killed_and_its_children_named() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 300 & wait"]);
        let err = status_within(&mut cmd, Duration::from_secs(1)).unwrap_err();
        assert!(err.contains("had not ended"), "{err}");
        assert!(err.contains("sleep 300"), "the hung child is named: {err}");
    }

    #[test]
    fn a_runner_within_its_ceiling_gives_its_status() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "exit 3"]);
        let status = status_within(&mut cmd, Duration::from_secs(60)).unwrap();
        assert_eq!(status.code(), Some(3));
    }
}
