//! Recall at scale: generate a repository with planted faults (../shared/bench/gen_corpus.py
//! --inject-errors), lint it, and check that every fault in EXPECTED.json is reported at the
//! right file and line, and that nothing else is reported as an error.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn generator() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
}

fn generate(out: &Path, args: &[&str]) -> Value {
    let status = Command::new("python3")
        .arg(generator())
        .arg("--out")
        .arg(out)
        .args(args)
        .arg("--force")
        .output()
        .expect("python3 must be installed to run the recall test");
    assert!(
        status.status.success(),
        "gen_corpus.py failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out.join("EXPECTED.json")).unwrap()).unwrap()
}

fn lint(root: &Path) -> lanes_lint::Report {
    let index = lanes_model::load::load_under(Some(root), &[root.to_path_buf()]);
    lanes_lint::lint(&index, &lanes_lint::Config::default())
}

fn matches(fault: &Value, d: &lanes_lint::Diagnostic) -> bool {
    if d.file != fault["file"].as_str().unwrap() {
        return false;
    }
    let line = fault["line"].as_u64().unwrap() as usize;
    let tol = fault["line_tolerance"].as_u64().unwrap_or(0) as usize;
    if d.start.line.abs_diff(line) <= tol {
        return true;
    }
    if let Some(acc) = fault["accept_lines"].as_array() {
        let (a, b) = (
            acc[0].as_u64().unwrap() as usize,
            acc[1].as_u64().unwrap() as usize,
        );
        return (a..=b).contains(&d.start.line);
    }
    false
}

fn check_recall(groups: &str, faults: &str, seed: &str) {
    let dir = tempfile::tempdir().unwrap();
    let expected = generate(
        dir.path(),
        &[
            "--groups",
            groups,
            "--inject-errors",
            faults,
            "--seed",
            seed,
        ],
    );
    let report = lint(dir.path());
    let faults = expected["faults"].as_array().unwrap();
    assert!(!faults.is_empty());
    let mut missed = Vec::new();
    for f in faults {
        if !report.diagnostics.iter().any(|d| matches(f, d)) {
            missed.push(format!(
                "{} at {}:{} ({})",
                f["kind"], f["file"], f["line"], f["detail"]
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "faults not reported:\n{}",
        missed.join("\n")
    );

    // Every error must be explained by a fault: at the fault itself, or in the same group
    // folder as an unreadable (syntax-error) file, whose Services then disappear.
    let broken_groups: Vec<String> = faults
        .iter()
        .filter(|f| f["kind"] == "yaml-syntax")
        .map(|f| {
            let file = f["file"].as_str().unwrap();
            file[..file.rfind('/').unwrap()].to_string()
        })
        .collect();
    let stray: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == lanes_lint::Severity::Error)
        .filter(|d| !faults.iter().any(|f| matches(f, d)))
        .filter(|d| !broken_groups.iter().any(|g| d.file.starts_with(g.as_str())))
        .map(|d| format!("{}:{}: {} {}", d.file, d.start.line, d.code, d.message))
        .collect();
    assert!(
        stray.is_empty(),
        "errors that match no planted fault:\n{}",
        stray.join("\n")
    );
    // Every kind of fault was planted at least once.
    for kind in expected["kinds"].as_array().unwrap() {
        assert!(
            faults.iter().any(|f| &f["kind"] == kind),
            "kind {kind} was not planted; raise --inject-errors"
        );
    }
}

#[test]
fn every_planted_fault_is_found_at_its_line() {
    check_recall("60", "24", "1");
}

#[test]
fn recall_holds_for_another_seed() {
    check_recall("40", "18", "7");
}

#[test]
fn clean_corpus_has_no_errors() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &["--groups", "30", "--rollouts", "all"]);
    let report = lint(dir.path());
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == lanes_lint::Severity::Error)
        .map(|d| format!("{}:{}: {} {}", d.file, d.start.line, d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(report.documents, 30 * 21);
}

#[test]
fn the_asm_labs_sample_lints_clean() {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/asm-labs/argo-cd/swimlane");
    let report = lint(&root);
    assert_eq!(report.files, 5);
    assert_eq!(report.documents, 14);
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        lanes_lint::render::concise(&report)
    );
}
