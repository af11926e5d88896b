//! Lossless goldens: each case runs one op on a copy of `fixtures/edit/<input>/input` and
//! compares the whole resulting tree with `fixtures/edit/<case>/expected`.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test -p lanes_ops --test golden` and review the diff.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use lanes_model::Index;
use lanes_ops::{
    add, rollback, split_weights, AddArgs, OpError, Options, Outcome, RollbackArgs, SplitArgs,
};

type Op = fn(&Index, &Options) -> Result<Outcome, OpError>;

fn run_case(case: &str, input: &str, op: Op) {
    let fixtures = workspace().join("fixtures/edit");
    let dir = copy_tree(&fixtures.join(input).join("input"));
    let root = dir.path();
    let before = snapshot(root);
    let idx = load(root);
    let out = op(&idx, &opts(root)).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert!(out.new_errors.is_empty());
    out.changeset.write_atomic().unwrap();
    let after = snapshot(root);
    let expected_dir = fixtures.join(case).join("expected");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = fs::remove_dir_all(&expected_dir);
        copy_into(root, &expected_dir);
    }
    let expected = snapshot(&expected_dir);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{case}: files differ"
    );
    for (k, v) in &after {
        assert!(
            v == &expected[k],
            "{case}: {k} differs from the golden:\n{}",
            String::from_utf8_lossy(v)
        );
    }
    // Line endings and the final-newline policy of every edited file are kept.
    for (k, v) in &after {
        let Some(b) = before.get(k) else { continue };
        let crlf = |x: &[u8]| x.windows(2).any(|w| w == b"\r\n");
        assert_eq!(crlf(b), crlf(v), "{case}: {k} changed line endings");
        assert_eq!(
            b.ends_with(b"\n"),
            v.ends_with(b"\n"),
            "{case}: {k} final newline"
        );
        if crlf(b) {
            // No bare LF sneaked in.
            let lf = v.iter().filter(|c| **c == b'\n').count();
            let crlf_n = v.windows(2).filter(|w| *w == b"\r\n").count();
            assert_eq!(lf, crlf_n, "{case}: {k} has mixed line endings");
        }
        // Every comment line of the input is still there (pruning removes the lane's own).
        if case.ends_with("prune") {
            continue;
        }
        let text = String::from_utf8_lossy(v);
        for line in String::from_utf8_lossy(b).lines() {
            if line.trim_start().starts_with('#') && !k.contains("deploy") {
                assert!(text.contains(line), "{case}: {k} lost comment {line:?}");
            }
        }
    }
    assert!(
        lint_errors(root).is_empty(),
        "{case}: {:?}",
        lint_errors(root)
    );
    let _ = Path::new(case);
}

fn add_lane(lane: &str, weight: Option<u32>, split: Option<&str>) -> AddArgs {
    AddArgs {
        lane: lane.into(),
        weight,
        split: split.map(str::to_string),
        ..AddArgs::default()
    }
}

#[test]
fn comments_add() {
    run_case("comments-add", "comments", |i, o| {
        add(i, &add_lane("shop-v3", Some(10), None), o)
    });
}

#[test]
fn comments_prune() {
    run_case("comments-prune", "comments", |i, o| {
        rollback(
            i,
            &RollbackArgs {
                lane: "shop-v1".into(),
                prune: true,
            },
            o,
        )
    });
}

#[test]
fn flow_add() {
    run_case("flow-add", "flow", |i, o| {
        add(i, &add_lane("v3", Some(20), None), o)
    });
}

#[test]
fn flow_split() {
    run_case("flow-split", "flow", |i, o| {
        split_weights(
            i,
            &SplitArgs {
                split: "30:70".into(),
                route: None,
            },
            o,
        )
    });
}

#[test]
fn crlf_add() {
    run_case("crlf-add", "crlf", |i, o| {
        add(i, &add_lane("v3", Some(10), Some("60:30:10")), o)
    });
}

#[test]
fn crlf_prune() {
    run_case("crlf-prune", "crlf", |i, o| {
        rollback(
            i,
            &RollbackArgs {
                lane: "v1".into(),
                prune: true,
            },
            o,
        )
    });
}
