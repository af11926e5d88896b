//! lanes against `kubectl argo rollouts lint`'s own test files
//! (`../shared/peer-suites/argo-rollouts`), each file linted on its own.

use lanes_conformance::peers;

/// Invalid files that lanes rejects with the peer's error, as measured (see CONFORMANCE.md).
const MIN_CAUGHT: usize = 9;

#[test]
#[ignore = "conformance: needs ../shared"]
fn rollouts_suite_catches_invalid_files_and_passes_valid_ones() {
    let reports = peers::run_rollouts(&peers::suite_dir());
    let text = peers::render("argo rollouts lint test suite", &reports);
    let t = peers::rollouts_totals(&reports);
    assert!(
        t.false_positives == 0,
        "false positives on the Rollouts suite:\n\n{text}"
    );
    assert!(
        t.found >= MIN_CAUGHT,
        "{} of {} invalid files caught, expected at least {MIN_CAUGHT}\n\n{text}",
        t.found,
        t.expected
    );
}
