//! Ops on a repository from the corpus generator (`lanes_corpus`, the in-tree port of
//! gen_corpus.py): lanes named `<group>-vN`, routes through DestinationRule subsets `vN`,
//! header comments, several groups.

mod common;

use common::*;
use lanes_ops::{
    add, plan, promote, rollback, set, AddArgs, Options, PlanArgs, PromoteArgs, RollbackArgs,
    SetArgs,
};
use std::path::Path;

/// Generate a corpus of `groups` lane groups under `<tempdir>/repo`.
fn corpus(groups: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    lanes_corpus::generate(&lanes_corpus::Options {
        groups,
        ..Default::default()
    })
    .write(&dir.path().join("repo"))
    .unwrap();
    dir
}

fn group_opts(root: &Path, group: &str) -> Options {
    let mut o = opts(root);
    o.group = Some(group.into());
    o
}

#[test]
fn add_promote_rollback_on_a_generated_repo() {
    let dir = corpus(3);
    let root = dir.path().join("repo");
    let root = root.as_path();
    assert!(lint_errors(root).is_empty());
    let g = "checkout-0000";
    let gdir = "apps/team-00/checkout-0000";

    // Several groups: --group is required.
    let idx = load(root);
    let err = add(
        &idx,
        &AddArgs {
            lane: "x".into(),
            ..AddArgs::default()
        },
        &opts(root),
    )
    .unwrap_err();
    assert!(err.to_string().contains("pick one with --group"), "{err}");

    let before = snapshot(root);
    let out = add(
        &idx,
        &AddArgs {
            lane: format!("{g}-v4"),
            weight: Some(10),
            image: Some("acr.example.cn/shop/app:2.0.0".into()),
            ..AddArgs::default()
        },
        &group_opts(root, g),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    let v4 = read(root, &format!("{gdir}/deploy-v4.yaml"));
    let v3 = read(root, &format!("{gdir}/deploy-v3.yaml"));
    for svc in ["checkout-core", "checkout-sync", "checkout-rules"] {
        assert!(v4.contains(&format!("name: {svc}-v4\n")), "{svc}");
    }
    assert_eq!(
        v4.matches("image: acr.example.cn/shop/app:2.0.0").count(),
        3
    );
    assert_eq!(v4.matches("value: v4").count(), 3, "LANE env");
    assert_eq!(v4.lines().count(), v3.lines().count());
    // Only lane values and images differ from the source, line for line.
    for (a, b) in v3.lines().zip(v4.lines()) {
        if a != b {
            assert!(
                a.replace("v3", "v4") == b || a.contains("image:"),
                "unexpected change: {a:?} -> {b:?}"
            );
        }
    }
    let route = read(root, &format!("{gdir}/route.yaml"));
    assert!(
        route.contains("    - name: v4\n      labels:\n        version: v4\n"),
        "DR subset"
    );
    let lanes = read(root, &format!("{gdir}/swimlanes.yaml"));
    assert!(lanes.contains(&format!("  name: {g}-v4\n")));
    // Other groups are untouched.
    let after = snapshot(root);
    for (k, v) in &before {
        if !k.starts_with(gdir) {
            assert_eq!(&after[k], v, "{k}");
        }
    }
    assert!(lint_errors(root).is_empty(), "{:?}", lint_errors(root));

    // Plan (short form, oldest first), save, promote twice.
    let idx = load(root);
    let out = plan(
        &idx,
        &PlanArgs {
            lane: format!("{g}-v4"),
            stages: "10,50,100".into(),
            policy: lanes_ops::Policy::OldestFirst,
            save: true,
            route: Some("weighted".into()),
        },
        &group_opts(root, g),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    let idx = load(root);
    let out = promote(
        &idx,
        &PromoteArgs {
            lane: format!("{g}-v4"),
            ..PromoteArgs::default()
        },
        &group_opts(root, g),
    )
    .unwrap();
    assert_eq!(out.weights[0].after, vec![28, 13, 9, 50]);
    assert_eq!(out.weights[0].after[3], 50);
    assert_eq!(out.weights[0].after.iter().sum::<u32>(), 100);
    out.changeset.write_atomic().unwrap();

    // set: pin v2, the others share the rest.
    let idx = load(root);
    let out = set(
        &idx,
        &SetArgs {
            assignments: vec![(format!("{g}-v2"), 0)],
            route: Some("weighted".into()),
        },
        &group_opts(root, g),
    )
    .unwrap();
    assert_eq!(out.weights[0].after[1], 0);
    out.changeset.write_atomic().unwrap();

    // Roll v4 back and prune it: deploy-v4.yaml goes, the lane goes, the destination goes.
    let idx = load(root);
    let out = rollback(
        &idx,
        &RollbackArgs {
            lane: format!("{g}-v4"),
            prune: true,
        },
        &group_opts(root, g),
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    assert!(!root.join(gdir).join("deploy-v4.yaml").exists());
    assert_eq!(
        read(root, &format!("{gdir}/swimlanes.yaml")),
        String::from_utf8(before[&format!("{gdir}/swimlanes.yaml")].clone()).unwrap()
    );
    assert!(lint_errors(root).is_empty(), "{:?}", lint_errors(root));
}

/// The scoped loader gives the same changes as a full load.
#[test]
fn scoped_load_matches_full_load() {
    let dir = corpus(12);
    let root = dir.path().join("repo");
    let root = root.as_path();
    let full = load(root);
    // Without --group and with several groups, everything is loaded (and the op says so).
    let all = lanes_ops::scope::load_for_group(&[root.to_path_buf()], None);
    assert_eq!(all.files.len(), full.files.len());
    let mut tested = 0;
    for g in ["checkout-0000", "payments-0001", "cart-0004"] {
        let Some(group) = full.group(g) else { continue };
        tested += 1;
        let scoped = lanes_ops::scope::load_for_group(&[root.to_path_buf()], Some(g));
        assert!(scoped.files.len() < full.files.len());
        assert_eq!(scoped.group(g).unwrap().lanes.len(), group.lanes.len());
        let args = AddArgs {
            lane: format!("{g}-v9"),
            weight: Some(25),
            ..AddArgs::default()
        };
        let a = add(&full, &args, &group_opts(root, g)).unwrap();
        let b = add(&scoped, &args, &group_opts(root, g)).unwrap();
        assert_eq!(a.changeset, b.changeset, "{g}");
        let r = RollbackArgs {
            lane: format!("{g}-v2"),
            prune: true,
        };
        let a = rollback(&full, &r, &group_opts(root, g)).unwrap();
        let b = rollback(&scoped, &r, &group_opts(root, g)).unwrap();
        assert_eq!(a.changeset, b.changeset, "{g}");
        // Prune also takes the lane's header-pinned route and its DestinationRule subset.
        assert!(
            a.summary
                .iter()
                .any(|l| l.contains("http[0] (every destination is lane")),
            "{:?}",
            a.summary
        );
        assert!(
            a.summary.iter().any(|l| l.contains("subset v2")),
            "{:?}",
            a.summary
        );
        assert!(a.new_errors.is_empty());
        let route = a
            .changeset
            .changes
            .iter()
            .find(|c| c.display.ends_with("route.yaml"))
            .and_then(|c| c.after.clone())
            .expect("route.yaml changes");
        a.changeset.write_atomic().unwrap();
        assert!(!route.contains("name: lane-v2"), "{route}");
        assert!(!route.contains("subset: v2"), "{route}");
        assert!(!route.contains("name: v2\n"), "{route}");
        assert!(route.contains("name: lane-v3"), "{route}");
    }
    assert!(lint_errors(root).is_empty(), "{:?}", lint_errors(root));
    assert_eq!(tested, 3);
}
