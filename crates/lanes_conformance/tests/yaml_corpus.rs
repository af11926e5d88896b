//! The lanes_yaml parse laws (crates/lanes_yaml/tests/common/laws.rs) over ../shared/corpus:
//! the same checks `cargo test -p lanes_yaml` runs over the project's fixtures.

#[path = "../../lanes_yaml/tests/common/mod.rs"]
mod common;

use common::{laws, read_yaml_texts};

fn corpus() -> Vec<(String, String)> {
    let files = read_yaml_texts(&[lanes_conformance::shared_dir().join("corpus")]);
    assert!(!files.is_empty(), "no YAML files under ../shared/corpus");
    files
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn shared_corpus_prints_back_byte_for_byte() {
    laws::unedited_documents_print_back_byte_for_byte(&corpus());
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn shared_corpus_spans_are_exact() {
    let scalars = laws::every_span_is_exact(&corpus());
    assert!(scalars > 100, "only {scalars} scalars checked");
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn shared_corpus_line_ending_bom_and_final_newline_variants_parse_alike() {
    laws::line_ending_bom_and_final_newline_variants_parse_alike(&corpus());
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn shared_corpus_snapshots_decode_to_the_same_parse() {
    let files = corpus();
    let taken = laws::snapshots_decode_to_the_same_parse(&files);
    assert!(taken > 0, "no file of ../shared/corpus was snapshotted");
}
