//! The round-trip law on every fixture (../shared/corpus: lanes_conformance's yaml_corpus):
//! an unedited document prints back as the same bytes, every span is exact, and CRLF / BOM /
//! missing final newline variants parse to the same values.

use lanes_yaml::parse_str;

mod common;
use common::{fixtures, laws};

#[test]
fn unedited_documents_print_back_byte_for_byte() {
    let files = fixtures();
    assert!(
        files.len() > 50,
        "expected the fixtures, found {}",
        files.len()
    );
    laws::unedited_documents_print_back_byte_for_byte(&files);
}

#[test]
fn every_span_is_exact() {
    let scalars = laws::every_span_is_exact(&fixtures());
    assert!(scalars > 1000, "only {scalars} scalars checked");
}

#[test]
fn line_ending_bom_and_final_newline_variants_parse_alike() {
    laws::line_ending_bom_and_final_newline_variants_parse_alike(&fixtures());
}

#[test]
fn bad_input_is_located_and_never_panics() {
    let cases: &[(&str, &str)] = &[
        ("a: [1, 2\nb: 3\n", "invalid YAML"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: *nope\n", "unknown anchor"),
        ("a: &x [*x]\n", "recursive alias"),
        ("a:\n\tb: 1\n", "invalid YAML"),
    ];
    for (text, want) in cases {
        let p = parse_str("bad.yaml", text);
        assert!(
            p.errors.iter().any(|e| e.message.contains(want)),
            "{text:?}: {:?}",
            p.errors
        );
        for e in &p.errors {
            assert!(e.range.end <= text.len());
        }
    }
    let deep = format!("a: {}{}\n", "[".repeat(500), "]".repeat(500));
    assert!(!parse_str("deep.yaml", &deep).errors.is_empty());
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let p = parse_str("bomb.yaml", &bomb);
    assert!(p
        .errors
        .iter()
        .any(|e| e.kind == lanes_yaml::YamlErrorKind::AliasBomb));
}
