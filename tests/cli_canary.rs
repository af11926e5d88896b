//! The writing commands on Istio canaries outside ASM lane groups: DestinationRule-subset splits
//! (fixtures/examples/subsets, bookinfo's layout), host splits (fixtures/examples/hosts),
//! controller-owned routes (fixtures/examples/argo-rollouts), targets and their errors, and the
//! guarantees every write keeps (byte splices, re-lint, confinement).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lanes(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            fs::copy(e.path(), to).unwrap();
        }
    }
}

fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/examples")
        .join(name);
    copy_dir(&src, dir.path());
    dir
}

/// Every file under `root`: relative path → bytes.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

const VS: &str = "networking/reviews-80-20.yaml";

#[test]
fn split_on_a_subset_split_rewrites_only_the_weight_scalars() {
    let dir = example("subsets");
    let before = snapshot(dir.path());
    ok(&lanes(dir.path(), &["split", "50:50"]));
    let after = snapshot(dir.path());
    for (path, bytes) in &before {
        if path != Path::new(VS) {
            assert_eq!(&after[path], bytes, "{} changed", path.display());
        }
    }
    let old = text(&before[Path::new(VS)]);
    let want = old
        .replace("weight: 80", "weight: 50")
        .replace("weight: 20 # canary", "weight: 50 # canary");
    assert_eq!(text(&after[Path::new(VS)]), want);
    // The same target named explicitly, three ways.
    for target in [
        &["--route", "default/reviews"][..],
        &["--route", "default/reviews#0"],
        &["--route", VS],
        &["--host", "reviews"],
    ] {
        let mut args = vec!["split", "60:40", "--dry-run"];
        args.extend_from_slice(target);
        let out = lanes(dir.path(), &args);
        ok(&out);
        assert!(
            text(&out.stdout).contains("+      weight: 60"),
            "{target:?}"
        );
    }
}

#[test]
fn add_then_rollback_prune_returns_the_tree_byte_for_byte() {
    let dir = example("subsets");
    let before = snapshot(dir.path());
    let out = lanes(
        dir.path(),
        &[
            "add",
            "v3",
            "--weight",
            "10",
            "--route",
            "default/reviews",
            "--image",
            "registry.example/shop/reviews-v3:1.5.0",
            "--container",
            "reviews",
        ],
    );
    ok(&out);
    let after = snapshot(dir.path());
    let vs = text(&after[Path::new(VS)]);
    assert!(vs.contains("weight: 72"), "{vs}");
    assert!(vs.contains("weight: 18 # canary"), "{vs}");
    assert!(
        vs.ends_with("        subset: v3\n      weight: 10\n"),
        "{vs}"
    );
    let dr = text(&after[Path::new("networking/destination-rules.yaml")]);
    assert!(
        dr.contains("  - name: v3\n    labels:\n      version: v3\n"),
        "{dr}"
    );
    let dep = text(&after[Path::new("platform/reviews-v3.yaml")]);
    assert!(dep.contains("name: reviews-v3\n"), "{dep}");
    assert_eq!(dep.matches("version: v3").count(), 3, "{dep}");
    // Only the named container's image changes.
    assert!(dep.contains("image: registry.example/shop/reviews-v3:1.5.0"));
    assert!(dep.contains("image: registry.example/shop/log-shipper:0.3"));
    // The result lints clean.
    let lint = Command::new(env!("CARGO_BIN_EXE_lanes"))
        .arg("lint")
        .arg(dir.path())
        .output()
        .unwrap();
    ok(&lint);
    // promote, then roll back and prune: the tree is as before `add`.
    ok(&lanes(dir.path(), &["promote", "v3", "--to", "50"]));
    ok(&lanes(dir.path(), &["rollback", "v3", "--prune"]));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn set_plan_and_promote_follow_the_subset_split() {
    let dir = example("subsets");
    ok(&lanes(dir.path(), &["set", "v2=30"]));
    let vs = fs::read_to_string(dir.path().join(VS)).unwrap();
    assert!(vs.contains("weight: 70") && vs.contains("weight: 30 # canary"));
    ok(&lanes(
        dir.path(),
        &["plan", "v2", "--stages", "50,100", "--save"],
    ));
    assert!(dir.path().join(".lanes/plan-reviews.json").is_file());
    ok(&lanes(dir.path(), &["promote", "v2"]));
    let vs = fs::read_to_string(dir.path().join(VS)).unwrap();
    assert!(vs.contains("weight: 50\n") && vs.contains("weight: 50 # canary"));
    let err = refused(&lanes(dir.path(), &["set", "v9=30"]));
    assert!(err.contains("unknown version v9"), "{err}");
    assert!(err.contains("known: v1, v2"), "{err}");
}

#[test]
fn a_route_defined_in_several_files_is_ambiguous_and_lists_them() {
    let dir = example("subsets");
    let alt = fs::read_to_string(dir.path().join(VS))
        .unwrap()
        .replace("weight: 80", "weight: 90")
        .replace("weight: 20", "weight: 10");
    fs::write(dir.path().join("networking/reviews-90-10.yaml"), alt).unwrap();
    let before = snapshot(dir.path());
    let err = refused(&lanes(
        dir.path(),
        &["split", "50:50", "--route", "default/reviews"],
    ));
    assert!(err.contains("ambiguous"), "{err}");
    assert!(err.contains("reviews-80-20.yaml:1"), "{err}");
    assert!(err.contains("reviews-90-10.yaml:1"), "{err}");
    assert!(
        err.contains("--route networking/reviews-90-10.yaml"),
        "{err}"
    );
    // Without a target: the two splits are the candidates, with file:line and the flag.
    let err = refused(&lanes(dir.path(), &["split", "50:50"]));
    assert!(err.contains("there are 2 split routes"), "{err}");
    assert!(err.contains("reviews-80-20.yaml:9"), "{err}");
    assert!(err.contains("--route"), "{err}");
    assert_eq!(snapshot(dir.path()), before);
    // A file path picks one.
    ok(&lanes(
        dir.path(),
        &[
            "split",
            "50:50",
            "--route",
            "networking/reviews-90-10.yaml#0",
        ],
    ));
    let vs = fs::read_to_string(dir.path().join("networking/reviews-90-10.yaml")).unwrap();
    assert!(vs.contains("weight: 50"), "{vs}");
    assert_eq!(
        fs::read(dir.path().join(VS)).unwrap(),
        before[Path::new(VS)]
    );
}

#[test]
fn no_split_says_what_lanes_looked_for() {
    let dir = example("subsets");
    fs::remove_file(dir.path().join(VS)).unwrap();
    for cmd in [
        &["split", "50:50"][..],
        &["set", "v2=10"],
        &["add", "v3", "--weight", "10"],
        &["promote", "v2", "--to", "30"],
        &["rollback", "v2"],
        &["plan", "v2", "--stages", "50,100"],
    ] {
        let err = refused(&lanes(dir.path(), cmd));
        assert!(err.contains("lanes looked for"), "{cmd:?}: {err}");
        assert!(!err.contains("ASMSwimLaneGroup found"), "{cmd:?}: {err}");
    }
}

#[test]
fn host_splits_split_add_and_prune() {
    let dir = example("hosts");
    let before = snapshot(dir.path());
    ok(&lanes(dir.path(), &["split", "70:30"]));
    let vs = fs::read_to_string(dir.path().join("virtualservice.yaml")).unwrap();
    assert!(
        vs.contains("weight: 70") && vs.contains("weight: 30"),
        "{vs}"
    );
    ok(&lanes(dir.path(), &["split", "90:10"]));
    assert_eq!(snapshot(dir.path()), before);
    ok(&lanes(dir.path(), &["add", "v3", "--weight", "10"]));
    let new = fs::read_to_string(dir.path().join("reviews-v3.yaml")).unwrap();
    assert!(new.contains("kind: Service") && new.contains("kind: Deployment"));
    assert!(new.contains("name: reviews-v3"));
    let vs = fs::read_to_string(dir.path().join("virtualservice.yaml")).unwrap();
    assert!(vs.contains("{host: reviews-v3}\n      weight: 10"), "{vs}");
    ok(&lanes(dir.path(), &["rollback", "reviews-v3", "--prune"]));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn controller_owned_routes_are_refused_even_with_force() {
    let dir = example("argo-rollouts");
    let before = snapshot(dir.path());
    for cmd in [
        &["split", "50:50"][..],
        &["split", "50:50", "--force"],
        &["set", "istio-rollout-canary=20"],
        &["promote", "istio-rollout-canary", "--to", "30"],
        &["rollback", "istio-rollout-canary"],
        &["add", "v3", "--weight", "10", "--force"],
        &["plan", "istio-rollout-canary", "--stages", "50,100"],
    ] {
        let err = refused(&lanes(dir.path(), cmd));
        assert!(err.contains("Rollout"), "{cmd:?}: {err}");
        assert!(err.contains("istio-rollout"), "{cmd:?}: {err}");
        assert!(err.contains("lanes rollout steps"), "{cmd:?}: {err}");
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn lane_names_must_be_dns_labels_whatever_force_says() {
    for ex in ["swimlane", "subsets"] {
        let dir = example(ex);
        let before = snapshot(dir.path());
        for name in ["../../../x/ESC", "V3", "v3/x", "v3-", ""] {
            let err = refused(&lanes(
                dir.path(),
                &["add", name, "--weight", "10", "--force"],
            ));
            assert!(err.contains("DNS-1123"), "{ex} {name}: {err}");
        }
        assert_eq!(snapshot(dir.path()), before);
        assert!(!dir.path().parent().unwrap().join("x").exists());
    }
}

#[test]
fn add_refuses_to_write_outside_the_root() {
    let dir = example("subsets");
    let outside = tempfile::tempdir().unwrap();
    let before = snapshot(dir.path());
    let err = refused(&lanes(
        dir.path(),
        &[
            "add",
            "v3",
            "--weight",
            "10",
            "--force",
            "--dir",
            outside.path().to_str().unwrap(),
        ],
    ));
    assert!(err.contains("outside the repository root"), "{err}");
    assert_eq!(snapshot(dir.path()), before);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn a_copied_broken_field_counts_as_a_new_error_per_resource() {
    // W4: the newest lane's apiVersion is wrong; `add` would clone it into the new lane. The
    // message text is the same, the resource is not: refused.
    let dir = example("swimlane");
    let path = dir.path().join("swimlanes.yaml");
    let lanes_text = fs::read_to_string(&path).unwrap();
    let at = lanes_text
        .rfind("apiVersion: istio.alibabacloud.com/v1")
        .unwrap();
    let broken = format!(
        "{}apiVersion: istio.alibabacloud.com/v1beta9{}",
        &lanes_text[..at],
        &lanes_text[at + "apiVersion: istio.alibabacloud.com/v1".len()..]
    );
    fs::write(&path, broken).unwrap();
    let before = snapshot(dir.path());
    let err = refused(&lanes(dir.path(), &["add", "v3", "--weight", "20"]));
    assert!(err.contains("new lint error"), "{err}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn weights_that_are_not_integers_are_errors_and_still_summed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("vs.yaml"),
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r, subset: v1}\n      weight: 99999999999999999999\n    - destination: {host: r, subset: v2}\n      weight: 1e1\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(["lint", "--format", "concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let s = text(&out.stdout);
    assert!(
        s.contains("weight `99999999999999999999` is above 100"),
        "{s}"
    );
    assert!(!s.contains("18446744073709551615"), "{s}");
    assert!(s.contains("weight `1e1` is a float"), "{s}");
    assert!(s.contains("[LN101]"), "{s}");
}
