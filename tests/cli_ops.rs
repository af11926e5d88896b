//! The writing commands through the binary: exit codes, --dry-run, summaries.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn lanes(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/swimlane");
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = sample();
    let before = files(dir.path());
    let out = lanes(
        dir.path(),
        &[
            "add",
            "v3",
            "--weight",
            "10",
            "--split",
            "60:30:10",
            "--dry-run",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("--- /dev/null\n+++ b/mock-v3.yaml\n"),
        "{stdout}"
    );
    assert!(stdout.contains("+          weight: 60\n"), "{stdout}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn add_writes_and_summarises_then_refuses_a_second_time() {
    let dir = sample();
    let out = lanes(
        dir.path(),
        &["add", "v3", "--weight", "10", "--split", "60:30:10"],
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("create mock-v3.yaml"), "{stdout}");
    assert!(stdout.contains("v1 60 / v2 30 / v3 10"), "{stdout}");
    let before = files(dir.path());
    let out = lanes(dir.path(), &["add", "v3", "--weight", "10"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("lane v3 already exists"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn plan_promote_rollback_through_the_binary() {
    let dir = sample();
    let root = dir.path();
    assert_eq!(
        lanes(root, &["add", "v3", "--split", "60:30:10"])
            .status
            .code(),
        Some(0)
    );
    let out = lanes(
        root,
        &[
            "plan",
            "v3",
            "--stages",
            "60:30:10,40:30:30,10:10:80,0:0:100",
            "--save",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    // One plan file format: the one lanes_plan reads (also for `rollout steps --from-plan`).
    let saved = std::fs::read_to_string(root.join(".lanes/plan-mock.json")).unwrap();
    let saved = lanes_plan::plan::Plan::from_file_str(&saved).unwrap();
    assert_eq!(saved.group, "mock");
    assert_eq!(saved.plan.target, "v3");
    assert_eq!(saved.plan.target_weights(), vec![10, 30, 80, 100]);
    for _ in 0..3 {
        assert_eq!(
            lanes(root, &["promote", "v3", "--next"]).status.code(),
            Some(0)
        );
    }
    let out = lanes(root, &["promote", "v3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no next stage"));
    let out = lanes(root, &["set", "v1=10"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = lanes(root, &["split", "10:10"]);
    assert_eq!(out.status.code(), Some(2));
    let out = lanes(root, &["rollback", "v1", "--prune"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lint = Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(["lint", "--format", "concise"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        lint.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = sample();
    assert_eq!(lanes(dir.path(), &["split"]).status.code(), Some(2));
    assert_eq!(lanes(dir.path(), &["set", "v1"]).status.code(), Some(2));
    assert_eq!(
        lanes(dir.path(), &["promote", "v1", "--to", "10", "--next"])
            .status
            .code(),
        Some(2)
    );
}

/// The writing commands read lanes.toml like `lanes lint` does: `plan-policy` and
/// `default-group` stand in for the flags, and a broken file refuses with exit 2.
#[test]
fn writing_commands_follow_lanes_toml() {
    let route_weights = |root: &Path| -> Vec<String> {
        fs::read_to_string(root.join("mock-route.yaml"))
            .unwrap()
            .lines()
            .filter(|l| l.trim_start().starts_with("weight:"))
            .map(|l| l.trim().to_string())
            .collect()
    };
    let proportional = sample();
    let oldest = sample();
    for d in [&proportional, &oldest] {
        let o = lanes(d.path(), &["add", "v3", "--split", "60:30:10"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    fs::write(
        oldest.path().join("lanes.toml"),
        "[lanes]\nplan-policy = \"oldest-first\"\n",
    )
    .unwrap();
    for d in [&proportional, &oldest] {
        let o = lanes(d.path(), &["promote", "v3", "--to", "20"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(
        route_weights(oldest.path()),
        ["weight: 50", "weight: 30", "weight: 20"],
        "oldest-first drains v1 first"
    );
    assert_eq!(
        route_weights(proportional.path()),
        ["weight: 53", "weight: 27", "weight: 20"]
    );
    // An explicit flag wins over the file.
    let o = lanes(
        oldest.path(),
        &[
            "promote",
            "v3",
            "--to",
            "30",
            "--policy",
            "proportional",
            "--dry-run",
        ],
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("+          weight: 44"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    fs::write(
        oldest.path().join("lanes.toml"),
        "[lanes]\ndefault-group = \"nope\"\n",
    )
    .unwrap();
    let before = files(oldest.path());
    let o = lanes(oldest.path(), &["promote", "v3", "--to", "30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no lane group named nope"));
    fs::write(
        oldest.path().join("lanes.toml"),
        "[lanes]\nplan-policy = \"fastest\"\n",
    )
    .unwrap();
    let before_bad = files(oldest.path());
    let o = lanes(oldest.path(), &["promote", "v3", "--to", "30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lanes.toml:2:15"));
    let after = files(oldest.path());
    assert_eq!(after, before_bad, "nothing written");
    assert_eq!(before.len(), after.len());
}
