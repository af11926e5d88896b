//! `cargo run -p lanes_corpus --example gen_corpus -- --out DIR [--groups G] [--services S]
//! [--lanes L] [--seed N] [--inject-errors K] [--rollouts none|half|all] [--groups-per-team N]`
//!
//! Writes the repository and `EXPECTED.json` under DIR, like `gen_corpus.py` (DIR must be
//! missing or empty).

use std::path::PathBuf;
use std::process::ExitCode;

use lanes_corpus::{generate, Options, Rollouts};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut o = Options::default();
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let num = |v: String| v.parse::<usize>().map_err(|e| format!("{v}: {e}"));
        match flag.as_str() {
            "--out" => out = Some(value()?.into()),
            "--groups" => o.groups = num(value()?)?,
            "--services" => o.services = num(value()?)?,
            "--lanes" => o.lanes = num(value()?)?,
            "--inject-errors" => o.inject_errors = num(value()?)?,
            "--groups-per-team" => o.groups_per_team = num(value()?)?,
            "--seed" => {
                let v = value()?;
                o.seed = v.parse().map_err(|e| format!("{v}: {e}"))?;
            }
            "--rollouts" => {
                o.rollouts = match value()?.as_str() {
                    "none" => Rollouts::None,
                    "half" => Rollouts::Half,
                    "all" => Rollouts::All,
                    v => return Err(format!("--rollouts: {v}: expected none, half or all")),
                }
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if o.groups == 0 || o.services == 0 || o.lanes == 0 || o.groups_per_team == 0 {
        return Err("--groups, --services, --lanes and --groups-per-team must be >= 1".into());
    }
    if out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(format!("{} exists and is not empty", out.display()));
    }
    let corpus = generate(&o);
    corpus
        .write(&out)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    println!("files: {}", corpus.files.len());
    println!("documents: {}", corpus.documents);
    println!("bytes: {}", corpus.bytes());
    println!(
        "faults: {} (listed in {})",
        corpus.faults.len(),
        out.join("EXPECTED.json").display()
    );
    Ok(())
}
