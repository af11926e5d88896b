//! Every refusal is clear and writes nothing.

mod common;

use std::fs;

use common::*;
use lanes_ops::{
    add, promote, rollback, set, split_weights, AddArgs, OpError, PromoteArgs, RollbackArgs,
    SetArgs, SplitArgs,
};

fn sample() -> tempfile::TempDir {
    copy_tree(&workspace().join("fixtures/examples/swimlane"))
}

/// Run an op on the sample, expect a refusal containing `needle`, and check that writing the
/// (absent) result changed nothing on disk.
fn refused(
    root: &std::path::Path,
    needle: &str,
    op: impl FnOnce(&lanes_model::Index, &lanes_ops::Options) -> Result<lanes_ops::Outcome, OpError>,
) {
    let before = snapshot(root);
    let idx = load(root);
    let err = op(&idx, &opts(root)).expect_err("the op should refuse");
    assert!(err.to_string().contains(needle), "{err}");
    assert_eq!(snapshot(root), before);
}

#[test]
fn add_refusals() {
    let dir = sample();
    let root = dir.path();
    refused(root, "already exists", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v2".into(),
                ..AddArgs::default()
            },
            o,
        )
    });
    refused(root, "unknown lane v9", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                from: Some("v9".into()),
                ..AddArgs::default()
            },
            o,
        )
    });
    refused(root, "sums to 90", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                split: Some("60:20:10".into()),
                ..AddArgs::default()
            },
            o,
        )
    });
    refused(root, "needs 3 weights", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                split: Some("60:40".into()),
                ..AddArgs::default()
            },
            o,
        )
    });
    refused(root, "--weight says 20", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                weight: Some(20),
                split: Some("60:30:10".into()),
                ..AddArgs::default()
            },
            o,
        )
    });
    refused(root, "above 100", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                weight: Some(120),
                ..AddArgs::default()
            },
            o,
        )
    });
    // The target file exists.
    fs::write(root.join("mock-v3.yaml"), "# mine\n").unwrap();
    refused(root, "target file already exists", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                weight: Some(10),
                ..AddArgs::default()
            },
            o,
        )
    });
    fs::remove_file(root.join("mock-v3.yaml")).unwrap();
    // A source Deployment is missing.
    let v2 = read(root, "mock-v2.yaml");
    let cut = v2.rfind("---").unwrap();
    fs::write(root.join("mock-v2.yaml"), &v2[..cut]).unwrap();
    refused(
        root,
        "no Deployment of lane v2 for service(s) default/mockc",
        |i, o| {
            add(
                i,
                &AddArgs {
                    lane: "v3".into(),
                    weight: Some(10),
                    ..AddArgs::default()
                },
                o,
            )
        },
    );
}

#[test]
fn weight_refusals() {
    let dir = sample();
    let root = dir.path();
    refused(root, "has 2 destinations", |i, o| {
        split_weights(
            i,
            &SplitArgs {
                split: "50:30:20".into(),
                route: None,
            },
            o,
        )
    });
    refused(root, "sums to 110", |i, o| {
        split_weights(
            i,
            &SplitArgs {
                split: "80:30".into(),
                route: None,
            },
            o,
        )
    });
    refused(root, "no route named nope", |i, o| {
        split_weights(
            i,
            &SplitArgs {
                split: "80:20".into(),
                route: Some("nope".into()),
            },
            o,
        )
    });
    refused(root, "unknown lane v7", |i, o| {
        set(
            i,
            &SetArgs {
                assignments: vec![("v7".into(), 10)],
                route: None,
            },
            o,
        )
    });
    refused(root, "unknown lane v7", |i, o| {
        rollback(
            i,
            &RollbackArgs {
                lane: "v7".into(),
                prune: false,
            },
            o,
        )
    });
    refused(root, "no saved plan", |i, o| {
        promote(
            i,
            &PromoteArgs {
                lane: "v2".into(),
                ..PromoteArgs::default()
            },
            o,
        )
    });
    refused(root, "no lane group named other", |i, o| {
        let mut o = o.clone();
        o.group = Some("other".into());
        split_weights(
            i,
            &SplitArgs {
                split: "80:20".into(),
                route: None,
            },
            &o,
        )
    });
}

#[test]
fn no_route_to_change() {
    let dir = sample();
    let root = dir.path();
    fs::remove_file(root.join("mock-route.yaml")).unwrap();
    refused(root, "no route to change", |i, o| {
        split_weights(
            i,
            &SplitArgs {
                split: "80:20".into(),
                route: None,
            },
            o,
        )
    });
    refused(root, "no route to change", |i, o| {
        rollback(
            i,
            &RollbackArgs {
                lane: "v2".into(),
                prune: false,
            },
            o,
        )
    });
}

#[test]
fn file_changed_on_disk_between_reading_and_writing() {
    let dir = sample();
    let root = dir.path();
    let idx = load(root);
    let out = split_weights(
        &idx,
        &SplitArgs {
            split: "90:10".into(),
            route: None,
        },
        &opts(root),
    )
    .unwrap();
    let mut route = read(root, "mock-route.yaml");
    route.push_str("\n# someone else's edit\n");
    fs::write(root.join("mock-route.yaml"), &route).unwrap();
    let before = snapshot(root);
    let err = out.changeset.write_atomic().unwrap_err();
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(snapshot(root), before);
}

#[test]
fn duplicate_keys_in_the_source_refuse_the_clone() {
    let dir = sample();
    let root = dir.path();
    let v2 =
        read(root, "mock-v2.yaml").replacen("  replicas: 1\n", "  replicas: 1\n  replicas: 2\n", 1);
    fs::write(root.join("mock-v2.yaml"), v2).unwrap();
    refused(root, "duplicate key `replicas`", |i, o| {
        add(
            i,
            &AddArgs {
                lane: "v3".into(),
                weight: Some(10),
                ..AddArgs::default()
            },
            o,
        )
    });
}

#[test]
fn pruning_the_fallback_lane_is_refused() {
    let dir = sample();
    let root = dir.path();
    let mut g = read(root, "swimlanegroup.yaml");
    g.push_str("\n  isPermissive: true\n  permissiveModeConfiguration:\n    fallbackTarget: v1\n    traceHeader: my-trace-id\n    routeHeader: x-asm-prefer-tag");
    fs::write(root.join("swimlanegroup.yaml"), g).unwrap();
    refused(root, "fallbackTarget of group mock", |i, o| {
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
