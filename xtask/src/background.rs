//! Builds CI starts at its beginning and needs only near its end (the repro rebuild of the
//! CLI, the nightly fuzz crate), run as `nice -n 19 cargo xtask <task>` children: they take
//! the CPU the foreground steps leave idle (test suites waiting on sockets, browsers and
//! sleeps) instead of adding their whole length at the end. Each writes a log file of its
//! own; `wait` joins it and shows that log's tail on a failure. A child still running when
//! CI fails is killed with its process group.

use std::fs::File;
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::tools::target_dir;

/// One background task: the `nice`d child and its log.
pub struct Background {
    task: &'static str,
    child: Option<Child>,
    log: PathBuf,
    started: Instant,
}

impl Background {
    /// Starts `cargo xtask <task>` (this binary) at the lowest priority, in a process group of
    /// its own, output to `target/xtask/background-<task>.log`.
    pub fn start(task: &'static str) -> Result<Background, String> {
        let exe = std::env::current_exe().map_err(|e| format!("no current executable: {e}"))?;
        let dir = target_dir().join("xtask");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let log = dir.join(format!("background-{task}.log"));
        let out =
            File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        // `nice` and process groups are Unix's; elsewhere (release.yml's Windows job builds
        // xtask too) the task runs at normal priority.
        #[cfg(unix)]
        let mut command = {
            let mut command = Command::new("nice");
            command.args(["-n", "19"]).arg(exe).process_group(0);
            command
        };
        #[cfg(not(unix))]
        let mut command = Command::new(exe);
        let child = command
            .arg(task)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start the background task {task}: {e}"))?;
        println!(
            "background: `cargo xtask {task}` started at nice 19, log {}",
            log.display()
        );
        Ok(Background {
            task,
            child: Some(child),
            log,
            started: Instant::now(),
        })
    }

    /// Waits for the task; fails with the last lines of its log if it failed.
    pub fn wait(mut self) -> Result<(), String> {
        let waited = Instant::now();
        let mut child = self.child.take().expect("a started task has its child");
        // CI now waits for it: back to normal priority, ahead of the other background tasks
        // (cargo and the compilers it starts from now on inherit it). Best effort: an
        // unprivileged user may not raise a priority.
        if cfg!(unix) {
            let _ = Command::new("renice")
                .args(["-n", "0", "-g", &child.id().to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let status = child
            .wait()
            .map_err(|e| format!("could not wait for {}: {e}", self.task))?;
        println!(
            "background: `cargo xtask {}` {} after {:.0} s (waited {:.0} s for it), log {}",
            self.task,
            if status.success() {
                "finished"
            } else {
                "FAILED"
            },
            self.started.elapsed().as_secs_f64(),
            waited.elapsed().as_secs_f64(),
            self.log.display()
        );
        if status.success() {
            return Ok(());
        }
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        Err(format!(
            "`cargo xtask {}` failed ({status}):\n{tail}",
            self.task
        ))
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // The whole group: cargo and the compilers it started.
            if cfg!(unix) {
                let _ = Command::new("kill")
                    .args(["-TERM", "--", &format!("-{}", child.id())])
                    .status();
            } else {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}
