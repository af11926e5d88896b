//! `.pre-commit-hooks.yaml` under the real pre-commit framework (from PyPI; .ci/run installs it
//! in a virtualenv under target/pre-commit, or `$LANES_PRE_COMMIT` names the executable), in a
//! scratch GitOps repository with no Rust project: `pre-commit try-repo <this checkout>
//! lanes-lint-system` (`language: system`, the `lanes` built for this run first on PATH) passes
//! on clean staged manifests and fails, with lanes' finding, on a staged broken split.
//!
//! `lanes-lint` (`language: rust`) is the same entry built by pre-commit's `cargo install`; it
//! is not run here (a release build takes minutes).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pre_commit() -> PathBuf {
    if let Some(p) = std::env::var_os("LANES_PRE_COMMIT") {
        return PathBuf::from(p);
    }
    let p = lanes_conformance::workspace_root().join("target/pre-commit/bin/pre-commit");
    assert!(
        p.exists(),
        "pre-commit not found at {} (python3 -m venv target/pre-commit && target/pre-commit/bin/pip install pre-commit, or set LANES_PRE_COMMIT)",
        p.display()
    );
    p
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Lane Tester")
        .env("GIT_AUTHOR_EMAIL", "lanes@example.invalid")
        .env("GIT_COMMITTER_NAME", "Lane Tester")
        .env("GIT_COMMITTER_EMAIL", "lanes@example.invalid")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn try_repo(repo: &Path, home: &Path) -> Output {
    let bin = lanes_conformance::lanes_bin();
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(pre_commit())
        .args(["try-repo"])
        .arg(lanes_conformance::workspace_root())
        .arg("lanes-lint-system")
        .current_dir(repo)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    eprintln!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
#[ignore = "conformance: needs the pre-commit framework (PyPI)"]
fn system_hook_lints_the_staged_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let repo = base.join("gitops");
    let apps = repo.join("apps/mock");
    std::fs::create_dir_all(&apps).unwrap();
    let sample = lanes_conformance::workspace_root().join("fixtures/examples/swimlane");
    for e in std::fs::read_dir(&sample).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, apps.join(p.file_name().unwrap())).unwrap();
        }
    }
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    let home = base.join("pre-commit-home");

    let out = try_repo(&repo, &home);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Passed"));

    let route = apps.join("mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    std::fs::write(&route, text.replacen("weight: 50", "weight: 60", 1)).unwrap();
    git(&repo, &["add", "."]);
    let out = try_repo(&repo, &home);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Failed") && stdout.contains("LN101"),
        "{stdout}"
    );
}
