//! Run every rule over a tree several times, for profiling the whole lint pass alone:
//! `cargo run --profile profiling -p lanes_lint --example lint_all -- DIR`
//!
//! `REPEAT=N` runs (default 20); prints the fastest. `SELECT=LN401,LN412` limits the rules
//! (`SELECT=` with nothing runs no rule: the fixed cost of a lint call).

use std::time::{Duration, Instant};

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let index = lanes_model::load::load(&paths);
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let select = std::env::var("SELECT").ok().map(|s| {
        s.split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    });
    let config = lanes_lint::Config {
        select,
        ..lanes_lint::Config::default()
    };
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let r = lanes_lint::lint(&index, &config);
        best = best.min(t.elapsed());
        findings = r.diagnostics.len();
    }
    eprintln!("fastest of {repeat}: {best:?} ({findings} findings)");
}
