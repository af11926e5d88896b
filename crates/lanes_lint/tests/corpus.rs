//! Schema rules on generated corpora (`lanes_corpus`, the in-tree port of gen_corpus.py): a
//! clean corpus has no LN70x error, and the injected unknown-field faults are reported as LN702
//! on exactly the expected line.

use lanes_lint::{lint, Config, Severity};

fn generate(groups: usize, inject_errors: usize) -> (tempfile::TempDir, lanes_corpus::Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = lanes_corpus::generate(&lanes_corpus::Options {
        groups,
        inject_errors,
        ..Default::default()
    });
    corpus.write(&dir.path().join("corpus")).unwrap();
    (dir, corpus)
}

#[test]
fn clean_corpus_has_no_schema_errors() {
    let (dir, _) = generate(50, 0);
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
    let (dir, corpus) = generate(50, 12);
    let root = dir.path().join("corpus");
    let index = lanes_model::load::load_under(Some(&root), std::slice::from_ref(&root));
    let report = lint(&index, &Config::default());
    let mut checked = 0;
    for f in &corpus.faults {
        if f.kind != "unknown-field" {
            continue;
        }
        let (file, line) = (f.file.as_str(), f.line);
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.code == "LN702" && d.file == file && d.start.line == line),
            "no LN702 at {file}:{line} ({})",
            f.detail
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
