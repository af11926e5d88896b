//! The parse floor: how fast `lanes_yaml::parse` alone reads a tree of YAML files, one thread,
//! files already in memory (no walk, no I/O, no index, no rules).
//!
//! ```sh
//! cargo run --profile profiling -p lanes_yaml --example parse_floor -- DIR [ROUNDS]
//! ```
//!
//! Prints the best of ROUNDS (default 5) passes: files, documents, bytes, wall time, MB/s.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            walk(&e, out);
        }
    } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: parse_floor DIR [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut paths = Vec::new();
    walk(Path::new(&dir), &mut paths);
    let texts: Vec<(String, String)> = paths
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut best = Duration::MAX;
    let mut docs = 0;
    let mut errors = 0;
    let mut notes = 0;
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        let (mut d, mut e, mut n) = (0, 0, 0);
        for (name, text) in &texts {
            let p = lanes_yaml::parse_str(name, text);
            d += p.docs.len();
            e += p.errors.len();
            n += p.notes.len();
        }
        best = best.min(start.elapsed());
        (docs, errors, notes) = (d, e, n);
    }
    let secs = best.as_secs_f64();
    println!(
        "{} files, {docs} documents, {errors} errors, {notes} notes, {:.1} MB: best of {rounds} \
         {:.1} ms, {:.1} MB/s, {:.0} docs/s",
        texts.len(),
        bytes as f64 / 1e6,
        secs * 1e3,
        bytes as f64 / 1e6 / secs,
        docs as f64 / secs
    );
}
