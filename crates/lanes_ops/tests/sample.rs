//! The acceptance test: the asm-labs Argo CD sample, from 50:50 through a new v3 lane to 100 %
//! on v3, then retiring v1 and v2.

mod common;

use common::*;
use lanes_ops::{
    add, plan, promote, rollback, AddArgs, OpError, PlanArgs, PromoteArgs, RollbackArgs,
};

fn sample() -> tempfile::TempDir {
    copy_tree(&workspace().join("fixtures/examples/swimlane"))
}

fn add_v3(root: &std::path::Path) {
    let idx = load(root);
    let out = add(
        &idx,
        &AddArgs {
            lane: "v3".into(),
            weight: Some(10),
            split: Some("60:30:10".into()),
            ..AddArgs::default()
        },
        &opts(root),
    )
    .unwrap();
    assert!(out.new_errors.is_empty());
    out.changeset.write_atomic().unwrap();
}

#[test]
fn add_v3_then_promote_through_the_plan_then_retire_v1_and_v2() {
    let dir = sample();
    let root = dir.path();
    let before = snapshot(root);
    add_v3(root);

    // mock-v3.yaml: the three v3 Deployments, cloned from v2, without a final newline.
    let v3 = read(root, "mock-v3.yaml");
    let v2 = read(root, "mock-v2.yaml");
    assert!(!v3.ends_with('\n'));
    assert_eq!(v3.matches("kind: Deployment").count(), 3);
    for name in ["mocka-v3", "mockb-v3", "mockc-v3"] {
        assert!(
            v3.contains(&format!("name: {name}\n")),
            "{name} missing:\n{v3}"
        );
    }
    assert!(!v3.contains("v2"), "v2 left over:\n{v3}");
    assert!(v3.contains("value: \"http://mockb:8000/\""));
    assert!(v3.contains("value: \"http://mockc:8000/\""));
    // Exactly the v2 text with v2 → v3.
    assert_eq!(v3, v2.replace("v2", "v3"));

    // The v3 lane, appended in the same style, still no final newline.
    let lanes = read(root, "swimlanes.yaml");
    let lanes_before = String::from_utf8(before["swimlanes.yaml"].clone()).unwrap();
    assert!(lanes.starts_with(&lanes_before));
    assert_eq!(
        &lanes[lanes_before.len()..],
        "\n---\napiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  labels:\n    swimlane-group: mock\n  name: v3\nspec:\n  labelSelector:\n    version: v3"
    );

    // The route: v1 60 / v2 30 / v3 10.
    let route = read(root, "mock-route.yaml");
    assert!(!route.ends_with('\n'));
    assert_eq!(
        route_weights(&route, 1),
        vec![("v1".into(), 60), ("v2".into(), 30), ("v3".into(), 10)]
    );
    assert!(route.ends_with(
        "            subset: v2\n          weight: 30\n        - destination:\n            host: mocka.default.svc.cluster.local\n            subset: v3\n          weight: 10"
    ));
    // Untouched files are byte-identical.
    for f in ["mock-v1.yaml", "mock-v2.yaml", "swimlanegroup.yaml"] {
        assert_eq!(
            read(root, f).as_bytes(),
            before[f].as_slice(),
            "{f} changed"
        );
    }
    assert!(lint_errors(root).is_empty(), "{:?}", lint_errors(root));

    // Plan and save it.
    let idx = load(root);
    let out = plan(
        &idx,
        &PlanArgs {
            lane: "v3".into(),
            stages: "60:30:10,40:30:30,10:10:80,0:0:100".into(),
            save: true,
            ..PlanArgs::default()
        },
        &opts(root),
    )
    .unwrap();
    assert!(
        out.summary.iter().any(|l| l.starts_with(">")),
        "{:?}",
        out.summary
    );
    out.changeset.write_atomic().unwrap();
    let saved = read(root, ".lanes/plan-mock.json");
    assert!(saved.contains("\"target\": \"v3\""), "{saved}");
    let back = lanes_plan::plan::Plan::from_file_str(&saved).unwrap();
    assert_eq!(back.group, "mock");
    assert_eq!(back.plan.stages.len(), 4);

    // Promote through the plan.
    for expect in [[40, 30, 30], [10, 10, 80], [0, 0, 100]] {
        let idx = load(root);
        let out = promote(
            &idx,
            &PromoteArgs {
                lane: "v3".into(),
                ..PromoteArgs::default()
            },
            &opts(root),
        )
        .unwrap();
        out.changeset.write_atomic().unwrap();
        let w: Vec<i64> = route_weights(&read(root, "mock-route.yaml"), 1)
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(w, expect.map(i64::from).to_vec());
        assert!(lint_errors(root).is_empty());
    }
    // Past the last stage: refused, nothing written.
    let snap = snapshot(root);
    let idx = load(root);
    let err = promote(
        &idx,
        &PromoteArgs {
            lane: "v3".into(),
            ..PromoteArgs::default()
        },
        &opts(root),
    )
    .unwrap_err();
    assert!(matches!(err, OpError::Refused(_)));
    assert!(err.to_string().contains("last stage"), "{err}");
    assert_eq!(snapshot(root), snap);

    // Retire v1: its Deployments leave mock-v1.yaml (the Services stay), its lane and its
    // destination go.
    let idx = load(root);
    let out = rollback(
        &idx,
        &RollbackArgs {
            lane: "v1".into(),
            prune: true,
        },
        &opts(root),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    let v1 = read(root, "mock-v1.yaml");
    assert_eq!(v1.matches("kind: Service").count(), 3);
    assert!(!v1.contains("kind: Deployment"));
    assert!(!v1.ends_with('\n'));
    assert_eq!(
        route_weights(&read(root, "mock-route.yaml"), 1),
        vec![("v2".into(), 0), ("v3".into(), 100)]
    );
    assert!(!read(root, "swimlanes.yaml").contains("name: v1"));
    assert!(lint_errors(root).is_empty(), "{:?}", lint_errors(root));

    // Retire v2: mock-v2.yaml held only its Deployments, so it goes.
    let idx = load(root);
    let out = rollback(
        &idx,
        &RollbackArgs {
            lane: "v2".into(),
            prune: true,
        },
        &opts(root),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    assert!(!root.join("mock-v2.yaml").exists());
    let route = read(root, "mock-route.yaml");
    assert_eq!(route_weights(&route, 1), vec![("v3".into(), 100)]);
    assert!(lint_errors(root).is_empty(), "{:?}", lint_errors(root));
    let lanes = read(root, "swimlanes.yaml");
    assert_eq!(
        lanes,
        "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  labels:\n    swimlane-group: mock\n  name: v3\nspec:\n  labelSelector:\n    version: v3"
    );
}

#[test]
fn add_then_rollback_prune_restores_the_sample_except_weights() {
    let dir = sample();
    let root = dir.path();
    let before = snapshot(root);
    add_v3(root);
    let idx = load(root);
    let out = rollback(
        &idx,
        &RollbackArgs {
            lane: "v3".into(),
            prune: true,
        },
        &opts(root),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    let after = snapshot(root);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (k, v) in &before {
        if k == "mock-route.yaml" {
            let want = String::from_utf8(v.clone())
                .unwrap()
                .replacen("weight: 50", "weight: 67", 1)
                .replacen("weight: 50", "weight: 33", 1);
            assert_eq!(read(root, k), want);
        } else {
            assert_eq!(&after[k], v, "{k} differs");
        }
    }
}

#[test]
fn rollback_without_prune_keeps_the_zero_destination() {
    let dir = sample();
    let root = dir.path();
    add_v3(root);
    let idx = load(root);
    let out = rollback(
        &idx,
        &RollbackArgs {
            lane: "v3".into(),
            prune: false,
        },
        &opts(root),
    )
    .unwrap();
    assert_eq!(out.weights[0].after, vec![67, 33, 0]);
    out.changeset.write_atomic().unwrap();
    assert_eq!(
        route_weights(&read(root, "mock-route.yaml"), 1),
        vec![("v1".into(), 67), ("v2".into(), 33), ("v3".into(), 0)]
    );
    assert!(root.join("mock-v3.yaml").exists());
    assert!(lint_errors(root).is_empty());
}

#[test]
fn weight_only_shrinks_in_proportion() {
    let dir = sample();
    let root = dir.path();
    let idx = load(root);
    let out = add(
        &idx,
        &AddArgs {
            lane: "v3".into(),
            weight: Some(10),
            ..AddArgs::default()
        },
        &opts(root),
    )
    .unwrap();
    assert_eq!(out.weights[0].after, vec![45, 45, 10]);
    let diff = out.changeset.diff();
    assert!(diff.contains("--- /dev/null\n+++ b/mock-v3.yaml"), "{diff}");
    assert!(diff.contains("\\ No newline at end of file"), "{diff}");
}

#[test]
fn add_from_an_older_lane_takes_only_its_deployments() {
    let dir = sample();
    let root = dir.path();
    let idx = load(root);
    let out = add(
        &idx,
        &AddArgs {
            lane: "v3".into(),
            from: Some("v1".into()),
            weight: Some(20),
            image: Some("registry.example/mock:2".into()),
            ..AddArgs::default()
        },
        &opts(root),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    let v3 = read(root, "mock-v3.yaml");
    assert_eq!(v3.matches("kind: Deployment").count(), 3);
    assert!(!v3.contains("kind: Service"));
    assert!(!v3.contains(": v1") && !v3.contains("-v1"), "{v3}");
    assert_eq!(v3.matches("image: registry.example/mock:2\n").count(), 3);
    assert!(v3.ends_with("image: registry.example/mock:2\n        imagePullPolicy: IfNotPresent\n        env:\n        - name: version\n          value: v3\n        - name: app\n          value: mockc\n        ports:\n        - containerPort: 8000"));
    assert_eq!(
        route_weights(&read(root, "mock-route.yaml"), 1),
        vec![("v1".into(), 40), ("v2".into(), 40), ("v3".into(), 20)]
    );
    assert!(lint_errors(root).is_empty());
}
