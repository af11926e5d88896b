//! Time each rule alone on a tree (for BENCHMARKS.md and profiling):
//! `cargo run --release -p lanes_lint --example rule_times -- DIR`
//!
//! `TOP=N` prints the N slowest rules (default 12). `REPEAT=N` runs everything N times and
//! keeps each rule's fastest time (default 1), which steadies the numbers on a busy machine.

use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let t = Instant::now();
    let index = lanes_model::load::load(&paths);
    eprintln!("load+parse+index: {:?}", t.elapsed());
    let repeat = env_usize("REPEAT", 1).max(1);
    let mut times: Vec<(Duration, &str, usize)> = lanes_lint::registry::RULES
        .iter()
        .map(|rule| (Duration::MAX, rule.meta.code, 0))
        .collect();
    let mut all = (Duration::MAX, 0);
    for _ in 0..repeat {
        for (rule, slot) in lanes_lint::registry::RULES.iter().zip(&mut times) {
            let config = lanes_lint::Config {
                select: Some(vec![rule.meta.code.to_string()]),
                ..lanes_lint::Config::default()
            };
            let t = Instant::now();
            let r = lanes_lint::lint(&index, &config);
            slot.0 = slot.0.min(t.elapsed());
            slot.2 = r.diagnostics.len();
        }
        let t = Instant::now();
        let r = lanes_lint::lint(&index, &lanes_lint::Config::default());
        all = (all.0.min(t.elapsed()), r.diagnostics.len());
    }
    times.sort();
    times.reverse();
    for (d, code, n) in times.iter().take(env_usize("TOP", 12)) {
        eprintln!("{code}: {d:?} ({n} findings)");
    }
    eprintln!("all rules: {:?} ({} findings)", all.0, all.1);
}
