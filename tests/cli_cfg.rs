//! The `lanes` binary: config, schema, fix and statistics flows, run on temporary copies.

use std::path::{Path, PathBuf};
use std::process::Command;

fn lanes(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const VS: &str = "apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: [\"*\"]
  http:
    - route: # the split under test
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 60
        - destination: {host: mocka.default.svc.cluster.local, subset: v2}
          weight: 50
";

fn repo(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    for (name, text) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (dir, root)
}

#[test]
fn config_errors_exit_2_with_a_location() {
    let (_d, root) = repo(&[
        ("lanes.toml", "[lint]\nweight-totl = 100\n"),
        ("a.yaml", VS),
    ]);
    let (code, _, err) = lanes(&root, &["lint", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains("lanes.toml:2:1: unknown field `weight-totl`"),
        "{err}"
    );
    let (code, _, err) = lanes(&root, &["config"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn config_is_found_upwards_and_applied() {
    let (_d, root) = repo(&[
        (
            "lanes.toml",
            "exclude = [\"gen/**\"]\n[lint.severity]\nroute-weights-not-100 = \"off\"\n",
        ),
        ("apps/a.yaml", VS),
        (
            "gen/b.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {bogus: 1}\n",
        ),
    ]);
    let (code, out, _) = lanes(&root.join("apps"), &["lint", "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = lanes(&root, &["lint", "--format", "concise"]);
    assert_eq!(code, 0, "gen/ is excluded: {out}");
    let (code, out, _) = lanes(&root, &["lint", "--format", "concise", "gen/b.yaml"]);
    assert_eq!(code, 1, "explicit files are always linted: {out}");
    assert!(out.contains("LN702"), "{out}");
    let (code, out, _) = lanes(&root, &["config"]);
    assert_eq!(code, 0);
    assert!(out.contains("LN101 = \"off\""), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("LN101") && l.ends_with(":3")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("weight-total = 100") && l.ends_with("# default")),
        "{out}"
    );
}

#[test]
fn fix_dry_run_prints_a_diff_and_writes_nothing() {
    let (_d, root) = repo(&[("vs.yaml", VS)]);
    let (code, out, err) = lanes(&root, &["lint", "--fix", "--unsafe-fixes", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(out);
    assert!(
        err.contains("would fix 1 finding(s) in 1 file(s) (LN101 ×1)"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(root.join("vs.yaml")).unwrap(), VS);
}

#[test]
fn fix_applies_safe_only_unless_asked() {
    let (_d, root) = repo(&[("vs.yaml", VS)]);
    let (code, _, _) = lanes(&root, &["lint", "--fix", "--format", "concise"]);
    assert_eq!(code, 1, "LN101's fix is unsafe: nothing applied");
    assert_eq!(std::fs::read_to_string(root.join("vs.yaml")).unwrap(), VS);
    let (code, out, err) = lanes(
        &root,
        &["lint", "--fix", "--unsafe-fixes", "--format", "concise"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let fixed = std::fs::read_to_string(root.join("vs.yaml")).unwrap();
    assert_eq!(
        fixed,
        VS.replace("weight: 60", "weight: 55")
            .replace("weight: 50", "weight: 45")
    );
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

#[test]
fn schema_prints_by_kind_case_insensitively() {
    let (_d, root) = repo(&[]);
    let (code, out, _) = lanes(&root, &["schema", "virtualservice"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["$id"],
        "https://lanes.dev/schemas/virtualservice.schema.json"
    );
    let (code, out, _) = lanes(&root, &["schema", "ASMSwimLane"]);
    assert_eq!(code, 0);
    assert!(out.contains("asmswimlane.schema.json"));
    let (code, out, _) = lanes(&root, &["schema", "lanes-toml"]);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/lanes-toml.schema.json"),
    )
    .unwrap();
    assert_eq!(out, committed);
    let (code, _, err) = lanes(&root, &["schema", "Pod"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn statistics_count_per_rule() {
    let (_d, root) = repo(&[("vs.yaml", VS)]);
    let (code, out, _) = lanes(&root, &["lint", "--statistics"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("     1  LN101  route-weights-not-100\n"),
        "{out}"
    );
    let (_, out, _) = lanes(&root, &["lint", "--statistics", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["statistics"][0]["code"], "LN101");
    assert_eq!(v["statistics"][0]["count"], 1);
}

#[test]
fn suppression_comment_silences_the_finding() {
    let text = VS.replace(
        "    - route: # the split under test",
        "    # lanes: ignore[LN101] rebalanced in PLAT-42\n    - route:",
    );
    let (_d, root) = repo(&[("vs.yaml", &text)]);
    let (code, out, _) = lanes(&root, &["lint", "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("0 errors, 0 warnings"), "{out}");
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions_and_writes_through_links() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, root) = repo(&[("real/vs.yaml", VS)]);
    let real = root.join("real/vs.yaml");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::create_dir_all(root.join("apps")).unwrap();
    std::os::unix::fs::symlink(&real, root.join("apps/vs.yaml")).unwrap();
    let (code, out, err) = lanes(&root, &["lint", "--fix", "--unsafe-fixes", "apps/vs.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(std::fs::symlink_metadata(root.join("apps/vs.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .contains("weight: 55"));
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}
