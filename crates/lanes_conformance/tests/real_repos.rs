//! `lanes lint` on the real repositories of `../shared/real-repos` (see its SOURCES.md): never
//! exit 2, and exactly the judged findings in `snapshots/real_repos.txt` (every finding there
//! was checked by reading the YAML; a change shows up in review). `LANES_BLESS=1` rewrites the
//! snapshot from the current output, to be judged again before committing.
//!
//! Info-level findings of other rules than LN008 (parser notes) are not part of the snapshot:
//! they say how a file was read, not what is wrong with it.
//!
//! The hook's view: in a git copy of each repository with everything staged, `lanes lint
//! --staged` gives the same findings as the work-tree lint.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lanes_conformance::{lanes_bin, shared_dir};

const REPOS: &[&str] = &["flagger", "gitops-istio", "istio", "microservices-demo"];

fn lanes(cwd: &Path, args: &[&str]) -> Output {
    Command::new(lanes_bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("lanes runs")
}

/// Finding lines of a concise report (no summary), without info notes of other rules.
fn findings(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.contains("]"))
        .filter(|l| !l.contains(": info[") || l.contains("info[LN008]"))
        .map(str::to_string)
        .collect()
}

fn snapshot_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/real_repos.txt")
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn real_repositories_lint_without_input_failures_and_with_the_judged_findings() {
    let root = shared_dir().join("real-repos");
    let mut got = String::new();
    let mut failures = Vec::new();
    for target in REPOS.iter().copied().chain(["."]) {
        let o = lanes(&root, &["lint", target, "--format", "concise"]);
        let code = o.status.code();
        if !matches!(code, Some(0) | Some(1)) {
            failures.push(format!(
                "{target}: exit {code:?}, want 0 or 1\n{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        got.push_str(&format!("== {target} (exit {})\n", code.unwrap_or(-1)));
        for f in findings(&o) {
            got.push_str(&f);
            got.push('\n');
        }
    }
    let path = snapshot_path();
    if std::env::var_os("LANES_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want != got {
        failures.push(format!(
            "findings differ from {} (LANES_BLESS=1 rewrites it; judge each line)\n--- want\n{want}--- got\n{got}",
            path.display()
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn copy_tree(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp runs");
    assert!(status.success(), "cp -a {}", from.display());
}

fn git(cwd: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn staged_lint_of_each_real_repository_matches_the_work_tree_lint() {
    let root = shared_dir().join("real-repos");
    let mut failures = Vec::new();
    for repo in REPOS {
        let tmp = tempfile_dir();
        let copy = tmp.join(repo);
        copy_tree(&root.join(repo), &copy);
        git(&copy, &["init", "-q"]);
        git(&copy, &["add", "-A"]);
        // The GitHub format names files by repository path in both modes.
        let work = lanes(&copy, &["lint", "--format", "github"]);
        let staged = lanes(&copy, &["lint", "--staged", "--format", "github"]);
        if work.stdout != staged.stdout || work.status.code() != staged.status.code() {
            failures.push(format!(
                "{repo}: work tree (exit {:?}) and --staged (exit {:?}) differ\n--- work tree\n{}--- staged\n{}{}",
                work.status.code(),
                staged.status.code(),
                String::from_utf8_lossy(&work.stdout),
                String::from_utf8_lossy(&staged.stdout),
                String::from_utf8_lossy(&staged.stderr),
            ));
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A fresh temporary folder (no tempfile dependency in this crate).
fn tempfile_dir() -> PathBuf {
    let base = std::env::temp_dir().join(format!(
        "lanes-real-repos-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&base).unwrap();
    base
}
