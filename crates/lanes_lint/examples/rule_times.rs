//! Time each rule alone on a tree (for BENCHMARKS.md and profiling):
//! `cargo run --release -p lanes_lint --example rule_times -- DIR`

use std::time::Instant;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let t = Instant::now();
    let index = lanes_model::load::load(&paths);
    eprintln!("load+parse+index: {:?}", t.elapsed());
    let mut times = Vec::new();
    for rule in lanes_lint::registry::RULES {
        let config = lanes_lint::Config {
            select: Some(vec![rule.meta.code.to_string()]),
            ..lanes_lint::Config::default()
        };
        let t = Instant::now();
        let r = lanes_lint::lint(&index, &config);
        times.push((t.elapsed(), rule.meta.code, r.diagnostics.len()));
    }
    times.sort();
    times.reverse();
    for (d, code, n) in times.iter().take(
        std::env::var("TOP")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(12),
    ) {
        eprintln!("{code}: {d:?} ({n} findings)");
    }
    let t = Instant::now();
    let r = lanes_lint::lint(&index, &lanes_lint::Config::default());
    eprintln!(
        "all rules: {:?} ({} findings)",
        t.elapsed(),
        r.diagnostics.len()
    );
}
