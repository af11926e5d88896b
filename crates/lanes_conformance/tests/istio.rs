//! lanes against `istioctl analyze`'s own test cases (`../shared/peer-suites/istio`).
//! `cargo run -p lanes_conformance --example peers` prints the full per-case report.

use lanes_conformance::peers;

/// In-scope expected messages that lanes reports on the right resource, as measured (see
/// CONFORMANCE.md). Raise it when lanes finds more; the test fails when it finds fewer.
const MIN_FOUND: usize = 88;

#[test]
#[ignore = "conformance: needs ../shared"]
fn istio_suite_recall_and_no_false_positives() {
    let reports = peers::run_istio(&peers::suite_dir());
    let text = peers::render("istioctl analyze test suite", &reports);
    let t = peers::istio_totals(&reports);
    let false_positives: Vec<&String> = reports.iter().flat_map(|r| &r.false_positives).collect();
    assert!(
        false_positives.is_empty(),
        "false positives on the Istio suite:\n{false_positives:#?}\n\n{text}"
    );
    assert!(
        t.found >= MIN_FOUND,
        "recall dropped: {} of {} in-scope messages found, expected at least {MIN_FOUND}\n\n{text}",
        t.found,
        t.expected
    );
}
