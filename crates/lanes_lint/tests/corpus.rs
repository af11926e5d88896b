//! Schema rules on generated corpora (`shared/bench/gen_corpus.py`, skipped when the generator or
//! python3 is not there): a clean corpus has no LN70x error, and the injected unknown-field
//! faults are reported as LN702 on exactly the expected line.

use std::path::{Path, PathBuf};
use std::process::Command;

use lanes_lint::{lint, Config, Severity};

fn generator() -> Option<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        std::env::var_os("LANES_GEN_CORPUS").map(PathBuf::from),
        Some(here.join("../../../shared/bench/gen_corpus.py")),
        Some(PathBuf::from("/work/shared/bench/gen_corpus.py")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

fn generate(args: &[&str]) -> Option<tempfile::TempDir> {
    let gen = generator()?;
    let dir = tempfile::tempdir().ok()?;
    let out = dir.path().join("corpus");
    let ok = Command::new("python3")
        .arg(gen)
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .ok()?
        .status
        .success();
    ok.then_some(dir)
}

#[test]
fn clean_corpus_has_no_schema_errors() {
    let Some(dir) = generate(&["--groups", "50"]) else {
        eprintln!("gen_corpus.py not found; skipped");
        return;
    };
    let root = dir.path().join("corpus");
    let index = lanes_model::load::load_under(Some(&root), std::slice::from_ref(&root));
    let report = lint(&index, &Config::default());
    let bad: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("LN7") && d.severity == Severity::Error)
        .map(|d| format!("{}:{} {} {}", d.file, d.start.line, d.code, d.message))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn injected_unknown_fields_are_found_on_the_expected_line() {
    let Some(dir) = generate(&["--groups", "50", "--inject-errors", "12"]) else {
        eprintln!("gen_corpus.py not found; skipped");
        return;
    };
    let root = dir.path().join("corpus");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("EXPECTED.json")).unwrap())
            .unwrap();
    let index = lanes_model::load::load_under(Some(&root), std::slice::from_ref(&root));
    let report = lint(&index, &Config::default());
    let mut checked = 0;
    for f in expected["faults"].as_array().unwrap() {
        if f["kind"] != "unknown-field" {
            continue;
        }
        let file = f["file"].as_str().unwrap();
        let line = f["line"].as_u64().unwrap() as usize;
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.code == "LN702" && d.file == file && d.start.line == line),
            "no LN702 at {file}:{line} ({})",
            f["detail"]
        );
        checked += 1;
    }
    assert!(checked > 0, "the corpus has no unknown-field fault");
    // Every LN702 is an injected fault.
    let ln702 = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "LN702")
        .count();
    assert_eq!(ln702, checked);
}
