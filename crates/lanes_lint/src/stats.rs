//! Counts of findings per rule (`lanes lint --statistics`).

use std::fmt::Write as _;

use crate::Report;

/// One row of the statistics: a rule and how often it fired.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleCount {
    /// Rule code.
    pub code: &'static str,
    /// Rule name.
    pub name: &'static str,
    /// Number of findings.
    pub count: usize,
}

/// Findings per rule, most frequent first (ties by code).
pub fn statistics(report: &Report) -> Vec<RuleCount> {
    let mut map: std::collections::BTreeMap<&'static str, RuleCount> = Default::default();
    for d in &report.diagnostics {
        map.entry(d.code)
            .or_insert(RuleCount {
                code: d.code,
                name: d.name,
                count: 0,
            })
            .count += 1;
    }
    let mut v: Vec<RuleCount> = map.into_values().collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    v
}

/// The statistics as a table: count, code, name.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for r in statistics(report) {
        let _ = writeln!(out, "{:>6}  {:<6} {}", r.count, r.code, r.name);
    }
    out
}

/// `render::json` with a `statistics` array added.
pub fn json(report: &Report) -> String {
    let base = crate::render::json(report);
    let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str::<serde_json::Value>(&base)
    else {
        return base;
    };
    obj.insert(
        "statistics".into(),
        serde_json::to_value(statistics(report)).unwrap_or_default(),
    );
    let mut s = serde_json::to_string_pretty(&obj).unwrap_or(base);
    s.push('\n');
    s
}
