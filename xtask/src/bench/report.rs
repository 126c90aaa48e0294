//! The bench report: medians of each side of a pair, one row per comparison, written as
//! Markdown (for people) and JSON (for tools), both with `serde_json` values.

use std::fmt::Write as _;

use serde_json::{json, Value};

/// Median, minimum and maximum of one side of a pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Stats {
    /// The statistics of `samples` (at least one).
    pub fn of(samples: &[f64]) -> Stats {
        let mut sorted = samples.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        Stats {
            median: sorted[sorted.len() / 2],
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        }
    }

    /// One value measured once.
    pub fn single(value: f64) -> Stats {
        Stats::of(&[value])
    }

    /// `{"median": …, "min": …, "max": …}`, as the workloads print it.
    pub fn from_json(value: &Value) -> Option<Stats> {
        Some(Stats {
            median: value.get("median")?.as_f64()?,
            min: value.get("min")?.as_f64()?,
            max: value.get("max")?.as_f64()?,
        })
    }

    fn to_json(self) -> Value {
        json!({"median": self.median, "min": self.min, "max": self.max})
    }
}

/// One line of the report.
pub struct Row {
    /// The row's number in the issue that set its target (rows sharing a number go together).
    pub id: &'static str,
    pub what: String,
    pub a_label: String,
    pub b_label: String,
    pub unit: &'static str,
    pub higher_is_better: bool,
    pub a: Stats,
    pub b: Option<Stats>,
    pub target: &'static str,
    /// The figure compared with the target (a ratio, a rate, a size…) and whether it meets it.
    pub verdict: Option<(String, bool)>,
}

impl Row {
    /// A / B, oriented so that > 1 means vivamo is better.
    pub fn advantage(&self) -> Option<f64> {
        let b = self.b?;
        Some(if self.higher_is_better {
            self.a.median / b.median
        } else {
            b.median / self.a.median
        })
    }

    /// The order of the report: by number.
    pub fn order(&self) -> u32 {
        self.id.parse().unwrap_or(u32::MAX)
    }

    fn to_json(&self) -> Value {
        let (figure, met) = match &self.verdict {
            Some((figure, met)) => (json!(figure), json!(met)),
            None => (Value::Null, Value::Null),
        };
        json!({
            "id": self.id,
            "what": self.what,
            "a_label": self.a_label,
            "b_label": self.b_label,
            "unit": self.unit,
            "higher_is_better": self.higher_is_better,
            "a": self.a.to_json(),
            "b": self.b.map(Stats::to_json),
            "ratio": self.b.map(|b| self.a.median / b.median),
            "target": self.target,
            "figure": figure,
            "met": met,
        })
    }
}

fn fmt_num(v: f64) -> String {
    if v >= 1000.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The Markdown table, its footnote and the rows that did not run.
pub fn markdown(rows: &[Row], quick: bool, failures: &[String]) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "| # | what | A (vivamo) | B (baseline) | unit | A median (min–max) | B median (min–max) | A vs B | target | result |"
    );
    let _ = writeln!(
        md,
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for r in rows {
        let side = |s: &Stats| {
            format!(
                "{} ({}–{})",
                fmt_num(s.median),
                fmt_num(s.min),
                fmt_num(s.max)
            )
        };
        let b = r.b.as_ref().map(side).unwrap_or_else(|| "—".into());
        let adv = r
            .advantage()
            .map(|x| format!("{x:.2}× better"))
            .unwrap_or_else(|| "—".into());
        let result = match &r.verdict {
            Some((figure, true)) => format!("✅ {figure}"),
            Some((figure, false)) => format!("❌ {figure}"),
            None => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            r.a_label,
            r.b_label,
            r.unit,
            side(&r.a),
            b,
            adv,
            r.target,
            result
        );
    }
    let _ = writeln!(
        md,
        "\nRelease builds; one `vivamo-sandbox` pinned to core 0, every client and wrk pinned to \
         core 1 (`taskset`), except the rows marked *unpinned* (a second sandbox and the client \
         left to the scheduler); {} cores. Pairs alternate A B A B after a warm-up; \"better\" is \
         throughput A/B or latency B/A.{}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if quick {
            " **--quick run: too short to quote; it proves the harness only.**"
        } else {
            ""
        }
    );
    for f in failures {
        let _ = writeln!(md, "\n**Did not run:** {f}");
    }
    md
}

/// The JSON report: `{"quick": …, "rows": [{"id", "what", "a", "b", "ratio", …}]}`.
pub fn json(rows: &[Row], quick: bool) -> String {
    let report = json!({
        "quick": quick,
        "rows": rows.iter().map(Row::to_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&report).expect("a JSON value serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(what: &str) -> Row {
        Row {
            id: "2",
            what: what.into(),
            a_label: "A".into(),
            b_label: "B".into(),
            unit: "req/s",
            higher_is_better: true,
            a: Stats::of(&[3.0, 1.0, 2.0]),
            b: Some(Stats::single(1.0)),
            target: "A ≥ 1.5 × B",
            verdict: Some(("A = 2.00 × B".into(), true)),
        }
    }

    #[test]
    fn json_escapes_text_and_keeps_figures() {
        let text = json(&[row("a \"quoted\" \\ name\nnext")], false);
        let value: Value = serde_json::from_str(&text).unwrap();
        let r = &value["rows"][0];
        assert_eq!(r["what"], "a \"quoted\" \\ name\nnext");
        assert_eq!(r["ratio"], 2.0);
        assert_eq!(Stats::from_json(&r["a"]), Some(Stats::of(&[1.0, 2.0, 3.0])));
        assert_eq!(r["met"], true);
    }

    #[test]
    fn markdown_orients_the_advantage() {
        let mut latency = row("latency");
        latency.higher_is_better = false;
        assert_eq!(latency.advantage(), Some(0.5));
        let md = markdown(&[row("rate")], true, &["x: failed".into()]);
        assert!(md.contains("| 2 | rate |"), "{md}");
        assert!(md.contains("2.00× better"), "{md}");
        assert!(md.contains("**Did not run:** x: failed"), "{md}");
    }
}
