//! Import progress: an indicatif bar when stderr is a terminal, plain lines otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Reports settled rows.
pub enum Progress {
    /// A live bar with rate and ETA.
    Bar(ProgressBar),
    /// A line every few seconds.
    Plain {
        start: Instant,
        last: Instant,
        done: u64,
        total: Option<u64>,
    },
    /// Nothing (the demo).
    Quiet,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise; `total` rows when known.
    pub fn new(total: Option<u64>) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total.unwrap_or(0));
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} rows  {per_sec}  {msg}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            Progress::Bar(bar)
        } else {
            let now = Instant::now();
            Progress::Plain {
                start: now,
                last: now,
                done: 0,
                total,
            }
        }
    }

    /// One more row settled; `pace` rows are allowed in flight now.
    pub fn inc(&mut self, pace: usize) {
        match self {
            Progress::Bar(bar) => {
                bar.inc(1);
                if bar.position() % 64 == 1 {
                    bar.set_message(format!("pace {pace}"));
                }
            }
            Progress::Plain {
                start,
                last,
                done,
                total,
            } => {
                *done += 1;
                if last.elapsed() >= Duration::from_secs(5) {
                    *last = Instant::now();
                    let rate = *done as f64 / start.elapsed().as_secs_f64().max(1e-3);
                    match total {
                        Some(t) => eprintln!(
                            "progress: {done}/{t} rows, {rate:.0} rows/s, pace {pace} in flight"
                        ),
                        None => {
                            eprintln!(
                                "progress: {done} rows, {rate:.0} rows/s, pace {pace} in flight"
                            )
                        }
                    }
                }
            }
            Progress::Quiet => {}
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
