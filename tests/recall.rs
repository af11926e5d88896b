//! Recall at scale: generate a repository with planted faults (`lanes_corpus`, the in-tree port
//! of gen_corpus.py), lint it, and check that every fault is reported at the right file and
//! line, and that nothing else is reported as an error. The conformance step runs the same
//! check on the script's own output (crates/lanes_conformance/tests/corpus.rs).

use std::path::Path;

use lanes_corpus::{generate, Options, Rollouts, FAULT_KINDS};

fn lint(root: &Path) -> lanes_lint::Report {
    let index = lanes_model::load::load_under(Some(root), &[root.to_path_buf()]);
    lanes_lint::lint(&index, &lanes_lint::Config::default())
}

fn check_recall(groups: usize, faults: usize, seed: i64) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(&Options {
        groups,
        inject_errors: faults,
        seed,
        ..Options::default()
    });
    corpus.write(dir.path()).unwrap();
    let report = lint(dir.path());
    let faults = &corpus.faults;
    assert!(!faults.is_empty());
    let missed: Vec<String> = faults
        .iter()
        .filter(|f| {
            !report
                .diagnostics
                .iter()
                .any(|d| f.matches(&d.file, d.start.line))
        })
        .map(|f| format!("{} at {}:{} ({})", f.kind, f.file, f.line, f.detail))
        .collect();
    assert!(
        missed.is_empty(),
        "faults not reported:\n{}",
        missed.join("\n")
    );

    // Every error must be explained by a fault: at the fault itself, or in the same group
    // folder as an unreadable (syntax-error) file, whose Services then disappear.
    let broken_groups: Vec<&str> = faults
        .iter()
        .filter(|f| f.kind == "yaml-syntax")
        .map(|f| &f.file[..f.file.rfind('/').unwrap()])
        .collect();
    let stray: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == lanes_lint::Severity::Error)
        .filter(|d| !faults.iter().any(|f| f.matches(&d.file, d.start.line)))
        .filter(|d| !broken_groups.iter().any(|g| d.file.starts_with(g)))
        .map(|d| format!("{}:{}: {} {}", d.file, d.start.line, d.code, d.message))
        .collect();
    assert!(
        stray.is_empty(),
        "errors that match no planted fault:\n{}",
        stray.join("\n")
    );
    // Every kind of fault was planted at least once.
    for kind in FAULT_KINDS {
        assert!(
            faults.iter().any(|f| f.kind == kind),
            "kind {kind} was not planted; raise inject_errors"
        );
    }
}

#[test]
fn every_planted_fault_is_found_at_its_line() {
    check_recall(60, 24, 1);
}

#[test]
fn recall_holds_for_another_seed() {
    check_recall(40, 18, 7);
}

#[test]
fn clean_corpus_has_no_errors() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(&Options {
        groups: 30,
        rollouts: Rollouts::All,
        ..Options::default()
    });
    corpus.write(dir.path()).unwrap();
    let report = lint(dir.path());
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == lanes_lint::Severity::Error)
        .map(|d| format!("{}:{}: {} {}", d.file, d.start.line, d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(report.documents, 30 * 21);
    assert_eq!(report.documents, corpus.documents);
}
