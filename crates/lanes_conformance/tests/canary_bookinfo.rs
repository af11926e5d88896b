//! Issue 13's acceptance on Istio's bookinfo (../shared/real-repos/istio/samples/bookinfo):
//! the `reviews` VirtualService is ambiguous on the whole folder, and on a copy of three files
//! `split`, `add` and `rollback --prune` work, the last returning the files byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lanes_ops::{AddArgs, Options, RollbackArgs, SplitArgs};

fn bookinfo() -> PathBuf {
    lanes_conformance::shared_dir().join("real-repos/istio/samples/bookinfo")
}

fn opts(root: &Path, route: &str) -> Options {
    Options {
        route: Some(route.to_string()),
        ..Options::new(root)
    }
}

fn load(root: &Path) -> lanes_model::Index {
    lanes_model::load::load(&[root.to_path_buf()])
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn the_whole_folder_is_ambiguous_and_lists_the_files() {
    let root = bookinfo();
    let index = load(&root);
    let err = lanes_ops::split_weights(
        &index,
        &SplitArgs {
            split: "50:50".into(),
            route: None,
        },
        &opts(&root, "default/reviews"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("ambiguous"), "{err}");
    assert!(
        err.contains("11 files define VirtualService default/reviews"),
        "{err}"
    );
    assert!(
        err.contains("virtual-service-reviews-80-20.yaml:1"),
        "{err}"
    );
    assert!(
        err.contains("--route networking/virtual-service-reviews-80-20.yaml"),
        "{err}"
    );
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn split_add_and_prune_on_three_files() {
    let src = bookinfo();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for rel in [
        "platform/kube/bookinfo.yaml",
        "networking/destination-rule-all.yaml",
        "networking/virtual-service-reviews-80-20.yaml",
    ] {
        fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        fs::copy(src.join(rel), root.join(rel)).unwrap();
    }
    let vs = Path::new("networking/virtual-service-reviews-80-20.yaml");
    let before = snapshot(root);
    let o = opts(root, "default/reviews");
    // split 50:50 changes exactly the weight scalars of the VirtualService.
    let out = lanes_ops::split_weights(
        &load(root),
        &SplitArgs {
            split: "50:50".into(),
            route: None,
        },
        &o,
    )
    .unwrap();
    assert_eq!(out.changeset.changes.len(), 1);
    let after = out.changeset.changes[0].after.clone().unwrap();
    let old = String::from_utf8(before[vs].clone()).unwrap();
    assert_eq!(
        after,
        old.replace("weight: 80", "weight: 50")
            .replace("weight: 20", "weight: 50")
    );
    // add v4 at 10: reviews-v4, subset v4, 72:18:10, lints clean.
    let out = lanes_ops::add(
        &load(root),
        &AddArgs {
            lane: "v4".into(),
            weight: Some(10),
            ..AddArgs::default()
        },
        &o,
    )
    .unwrap();
    assert!(out.new_errors.is_empty());
    assert_eq!(out.weights[0].after, vec![72, 18, 10]);
    out.changeset.write_atomic().unwrap();
    let dep = fs::read_to_string(root.join("platform/kube/reviews-v4.yaml")).unwrap();
    assert!(dep.contains("name: reviews-v4"), "{dep}");
    let dr = fs::read_to_string(root.join("networking/destination-rule-all.yaml")).unwrap();
    assert!(
        dr.contains("- name: v4\n    labels:\n      version: v4\n"),
        "{dr}"
    );
    let report = lanes_lint::lint(&load(root), &lanes_lint::Config::default());
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity != lanes_lint::Severity::Error),
        "{:?}",
        report.diagnostics
    );
    // rollback v4 --prune: byte for byte as before add.
    let out = lanes_ops::rollback(
        &load(root),
        &RollbackArgs {
            lane: "v4".into(),
            prune: true,
        },
        &o,
    )
    .unwrap();
    out.changeset.write_atomic().unwrap();
    assert_eq!(snapshot(root), before);
}
