//! The `lanes` binary against real temporary git repositories: `lint --staged/--rev/--app`,
//! `diff`, `hook` (with the system `git commit` running the installed hook), the GitHub and
//! SARIF formats, and the stage-per-commit flow of `add/promote/rollback --commit`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{Repository, Signature};

const LANES: &str = env!("CARGO_BIN_EXE_lanes");

struct Env {
    _dir: tempfile::TempDir,
    home: PathBuf,
    root: PathBuf,
    git: Repository,
}

fn route(weights: &[(&str, i64)]) -> String {
    let mut s = String::from("apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata:\n  name: ingressgateway\n  namespace: istio-system\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - port:\n        number: 80\n        name: http\n        protocol: HTTP\n      hosts:\n        - '*'\n---\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: mock\n  namespace: istio-system\nspec:\n  gateways:\n    - ingressgateway\n  hosts:\n    - '*'\n  http:\n    - match:\n        - uri:\n            exact: /mock\n      route:\n");
    for (l, w) in weights {
        s.push_str(&format!("        - destination:\n            host: mocka.default.svc.cluster.local\n            subset: {l}\n          weight: {w}\n"));
    }
    s
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let home = base.join("home");
        let root = base.join("repo");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&root).unwrap();
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(&root, &opts).unwrap();
        let mut cfg = git.config().unwrap();
        cfg.set_str("user.name", "Lane Tester").unwrap();
        cfg.set_str("user.email", "lanes@example.invalid").unwrap();
        Env {
            _dir: dir,
            home,
            root,
            git,
        }
    }

    fn write(&self, path: &str, text: &str) {
        let p = self.root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn stage(&self, path: &str) {
        let mut idx = self.git.index().unwrap();
        if self.root.join(path).exists() {
            idx.add_path(Path::new(path)).unwrap();
        } else {
            idx.remove_path(Path::new(path)).unwrap();
        }
        idx.write().unwrap();
    }

    fn commit_all(&self, msg: &str) -> git2::Oid {
        let mut idx = self.git.index().unwrap();
        idx.add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        idx.update_all(["*"], None).unwrap();
        idx.write().unwrap();
        let tree = self.git.find_tree(idx.write_tree().unwrap()).unwrap();
        let sig = Signature::now("Lane Tester", "lanes@example.invalid").unwrap();
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .unwrap()
    }

    /// A command isolated from the machine's git config and from any hook variables of the
    /// process running the tests.
    fn cmd(&self, program: &str, cwd: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(cwd)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1");
        for v in [
            "GIT_DIR",
            "GIT_INDEX_FILE",
            "GIT_WORK_TREE",
            "GIT_CONFIG_GLOBAL",
        ] {
            c.env_remove(v);
        }
        c
    }

    fn lanes(&self, args: &[&str]) -> Output {
        self.cmd(LANES, &self.root).args(args).output().unwrap()
    }

    fn sample(&self) {
        self.write(
            "argo-cd/swimlane/mock-route.yaml",
            &route(&[("v1", 50), ("v2", 50)]),
        );
        // The rest of the asm-labs sample, byte for byte: group, lanes, Services, Deployments.
        let sample =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/swimlane");
        for f in [
            "swimlanegroup.yaml",
            "swimlanes.yaml",
            "mock-v1.yaml",
            "mock-v2.yaml",
        ] {
            let text = std::fs::read_to_string(sample.join(f)).unwrap();
            self.write(&format!("argo-cd/swimlane/{f}"), &text);
        }
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn lint_staged_lints_the_index() {
    let e = Env::new();
    e.sample();
    e.commit_all("init");
    // Broken weights staged, then fixed only in the work tree: the staged content fails.
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 50)]),
    );
    e.stage("argo-cd/swimlane/mock-route.yaml");
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 50), ("v2", 50)]),
    );
    let o = e.lanes(&["lint", "--staged", "--format", "concise"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains(":argo-cd/swimlane/mock-route.yaml:"),
        "{}",
        out(&o)
    );
    // Plain lint of the work tree is clean.
    assert_eq!(code(&e.lanes(&["lint", "--format", "concise"])), 0);
    // Fixed staged content with a broken unstaged file: passes.
    e.stage("argo-cd/swimlane/mock-route.yaml");
    e.write("argo-cd/swimlane/unstaged.yaml", "a: [\n");
    e.write("argo-cd/swimlane/mock-v1.yaml", "b: {\n");
    let o = e.lanes(&["lint", "--staged", "--format", "concise"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("in 5 files"), "{}", out(&o));
    // A staged deletion drops the file (the v2 Deployments are gone: the v2 lane now selects
    // no workload, which the lint reports).
    std::fs::remove_file(e.root.join("argo-cd/swimlane/mock-v2.yaml")).unwrap();
    e.stage("argo-cd/swimlane/mock-v2.yaml");
    let o = e.lanes(&["lint", "--staged", "--format", "concise", "argo-cd"]);
    assert!(out(&o).contains("in 4 files"), "{}", out(&o));
    // From a subdirectory, the default prefix is that directory.
    let o = e
        .cmd(LANES, &e.root.join("argo-cd/swimlane"))
        .args(["lint", "--staged", "--format", "json"])
        .output()
        .unwrap();
    assert!(out(&o).contains("\"files\": 4"), "{}", out(&o));
}

#[test]
fn lint_staged_reads_the_index_even_when_the_work_tree_differs_by_the_same_size() {
    // Staged 60/50, then the work tree gets 50/60: same length, written right after staging.
    // Whatever the timestamps, the staged bytes are what is linted (a stat-clean work-tree
    // file may stand in for its blob only when git's racy-clean rule says it is safe).
    let e = Env::new();
    e.sample();
    e.commit_all("init");
    for _ in 0..20 {
        e.write(
            "argo-cd/swimlane/mock-route.yaml",
            &route(&[("v1", 60), ("v2", 50)]),
        );
        e.stage("argo-cd/swimlane/mock-route.yaml");
        e.write(
            "argo-cd/swimlane/mock-route.yaml",
            &route(&[("v1", 50), ("v2", 60)]),
        );
        let o = e.lanes(&["lint", "--staged", "--format", "json"]);
        assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
        assert!(
            out(&o).contains("sum to 110, not 100 (v1 60, v2 50)"),
            "{}",
            out(&o)
        );
        let wt = e.lanes(&["lint", "--format", "json"]);
        assert!(out(&wt).contains("(v1 50, v2 60)"), "{}", out(&wt));
        // Re-stage the work-tree version: now both agree on 50/60.
        e.stage("argo-cd/swimlane/mock-route.yaml");
    }
}

#[test]
fn lint_staged_keeps_a_parse_cache_that_never_changes_results() {
    let e = Env::new();
    e.sample();
    e.commit_all("init");
    let cache = e.root.join(".git/lanes/parse-cache");
    let fresh = e.lanes(&["lint", "--staged", "--no-cache", "--format", "json"]);
    assert_eq!(code(&fresh), 0, "{}{}", out(&fresh), err(&fresh));
    assert!(!cache.exists(), "--no-cache writes no cache");

    let first = e.lanes(&["lint", "--staged", "--format", "json"]);
    assert!(cache.is_file(), "the first run keeps its parses");
    let second = e.lanes(&["lint", "--staged", "--format", "json"]);
    assert_eq!(out(&first), out(&fresh));
    assert_eq!(out(&second), out(&fresh));

    // A staged change is parsed again; findings match a run without the cache.
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 50)]),
    );
    e.stage("argo-cd/swimlane/mock-route.yaml");
    let nc = e.lanes(&["lint", "--staged", "--no-cache", "--format", "json"]);
    let c = e.lanes(&["lint", "--staged", "--format", "json"]);
    assert_eq!(code(&c), 1);
    assert_eq!(out(&c), out(&nc));

    // A damaged cache file is ignored and then repaired.
    let mut bytes = std::fs::read(&cache).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xff;
    }
    std::fs::write(&cache, &bytes).unwrap();
    let c = e.lanes(&["lint", "--staged", "--format", "json"]);
    assert_eq!(out(&c), out(&nc));
    std::fs::write(&cache, b"garbage").unwrap();
    let c = e.lanes(&["lint", "--staged", "--format", "json"]);
    assert_eq!(out(&c), out(&nc));
    assert!(std::fs::read(&cache).unwrap().starts_with(b"LANESPC"));
    // The work tree holds nothing of the cache.
    assert!(!e.root.join("lanes").exists() && !e.root.join(".lanes").exists());
}

#[test]
fn lint_rev_and_errors_exit_2_with_one_line() {
    let e = Env::new();
    e.sample();
    let c1 = e.commit_all("init");
    e.git
        .tag_lightweight("v1", &e.git.find_object(c1, None).unwrap(), false)
        .unwrap();
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 50)]),
    );
    e.commit_all("broken");
    // The work tree is checked out at the broken commit; old revisions lint clean.
    for rev in ["v1", "HEAD~1", &c1.to_string()] {
        let o = e.lanes(&["lint", "--rev", rev, "--format", "concise"]);
        assert_eq!(code(&o), 0, "{rev}: {}{}", out(&o), err(&o));
    }
    let o = e.lanes(&["lint", "--rev", "main", "--format", "concise"]);
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).contains("main:argo-cd/swimlane/mock-route.yaml:"),
        "{}",
        out(&o)
    );
    // GitHub format names plain repository paths.
    let o = e.lanes(&["lint", "--rev", "main", "--format", "github"]);
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).starts_with("::error file=argo-cd/swimlane/mock-route.yaml,line="),
        "{}",
        out(&o)
    );
    let o = e.lanes(&["lint", "--rev", "main", "--format", "sarif"]);
    assert_eq!(code(&o), 1);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "argo-cd/swimlane/mock-route.yaml"
    );
    // Bad revision.
    let o = e.lanes(&["lint", "--rev", "nope"]);
    assert_eq!(code(&o), 2);
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(
        err(&o).starts_with("error: unknown revision `nope`"),
        "{}",
        err(&o)
    );
    // Path missing at that revision.
    let o = e.lanes(&["lint", "--rev", "v1", "nowhere"]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("does not exist at revision `v1`"),
        "{}",
        err(&o)
    );
    // Not a repository.
    let o = e
        .cmd(LANES, &e.home)
        .args(["lint", "--staged"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).starts_with("error: not a git repository"),
        "{}",
        err(&o)
    );
    // Bare repository: --staged refuses, --rev works.
    let bare = e.home.join("bare.git");
    Repository::init_bare(&bare).unwrap();
    let o = e
        .cmd(LANES, &bare)
        .args(["lint", "--staged"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("is bare"), "{}", err(&o));
    assert_eq!(err(&o).lines().count(), 1);
    // Locked index is an error for commits, not for reading; see lanes_git tests.
}

#[test]
fn lint_app_follows_the_application() {
    let e = Env::new();
    e.sample();
    e.write("other/bad.yaml", &route(&[("v1", 1), ("v2", 1)]));
    let c1 = e.commit_all("init");
    e.git
        .branch("release", &e.git.find_commit(c1).unwrap(), false)
        .unwrap();
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 50)]),
    );
    e.commit_all("broken on main");
    e.git
        .remote("origin", "git@github.com:acme/gitops.git")
        .unwrap();
    let app = |rev: &str, path: &str| {
        format!("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: mock\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://github.com/acme/gitops\n    path: {path}\n    targetRevision: {rev}\n  destination:\n    server: https://kubernetes.default.svc\n")
    };
    std::fs::write(
        e.home.join("release.yaml"),
        app("release", "argo-cd/swimlane"),
    )
    .unwrap();
    std::fs::write(e.home.join("main.yaml"), app("main", "argo-cd/swimlane")).unwrap();
    std::fs::write(e.home.join("head.yaml"), app("HEAD", "argo-cd/swimlane")).unwrap();
    std::fs::write(e.home.join("missing.yaml"), app("release", "argo-cd/gone")).unwrap();
    let sources = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: multi\nspec:\n  sources:\n    - repoURL: https://charts.example/repo\n      chart: x\n      targetRevision: 1.0.0\n    - repoURL: ssh://git@github.com/acme/gitops.git\n      path: argo-cd/swimlane\n      targetRevision: release\n";
    std::fs::write(e.home.join("sources.yaml"), sources).unwrap();
    let run = |file: &str, extra: &[&str]| {
        let f = e.home.join(file);
        let mut args = vec!["lint", "--format", "concise", "--app", f.to_str().unwrap()];
        args.extend_from_slice(extra);
        e.lanes(&args)
    };
    let o = run("release.yaml", &[]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("in 5 files"), "{}", out(&o));
    let o = run("main.yaml", &[]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains("main:argo-cd/swimlane/mock-route.yaml:"),
        "{}",
        out(&o)
    );
    // HEAD resolves to the default branch (no origin/HEAD here: local HEAD = main).
    let o = run("head.yaml", &[]);
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).contains("HEAD:argo-cd/swimlane/mock-route.yaml:"),
        "{}",
        out(&o)
    );
    let o = run("sources.yaml", &[]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("in 5 files"), "{}", out(&o));
    let o = run("missing.yaml", &[]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("`argo-cd/gone` does not exist at revision `release`"),
        "{}",
        err(&o)
    );
    // No matching remote, then --repo.
    e.git.remote_delete("origin").unwrap();
    let o = run("release.yaml", &[]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("--repo"), "{}", err(&o));
    let o = run(
        "release.yaml",
        &["--repo", "https://github.com/acme/gitops.git"],
    );
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
}

#[test]
fn diff_reports_traffic_changes_with_exit_codes() {
    let e = Env::new();
    e.sample();
    e.commit_all("init");
    let o = e.lanes(&["diff"]);
    assert_eq!((code(&o), out(&o).as_str()), (0, "no traffic changes\n"));
    // A lint-clean stage made by the binary itself: v3 at 60:30:10.
    let o = e.lanes(&[
        "add",
        "v3",
        "--split",
        "60:30:10",
        "--root",
        "argo-cd/swimlane",
    ]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    // Unstaged: HEAD vs index shows nothing yet.
    assert_eq!(code(&e.lanes(&["diff"])), 0);
    for p in [
        "argo-cd/swimlane/mock-route.yaml",
        "argo-cd/swimlane/swimlanes.yaml",
        "argo-cd/swimlane/mock-v3.yaml",
    ] {
        e.stage(p);
    }
    let o = e.lanes(&["diff"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert_eq!(
        out(&o),
        "VirtualService istio-system/mock /mock: v1 50→60, v2 50→30, v3 new→10\nlane added mock/v3\nDeployment added default/mocka-v3\nDeployment added default/mockb-v3\nDeployment added default/mockc-v3\n"
    );
    assert_eq!(code(&e.lanes(&["lint", "--staged"])), 0);
    e.commit_all("stage");
    let o = e.lanes(&["diff", "HEAD~1..HEAD", "--format", "markdown"]);
    assert_eq!(code(&o), 1);
    assert!(
        out(&o).contains("| Route | Lane | Before | After |"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("| v3 | new | **10** |"), "{}", out(&o));
    let o = e.lanes(&["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["changed"], true);
    assert_eq!(
        j["routes"][0]["lanes"][2]["before"],
        serde_json::Value::Null
    );
    assert_eq!(j["deployments_added"][0], "default/mocka-v3");
    // A...B: from the merge base. A branch from HEAD~1 that changed nothing shows no change
    // against HEAD~1's side, and the whole stage from the merge base to HEAD.
    let base = e
        .git
        .revparse_single("HEAD~1")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    e.git.branch("topic", &base, false).unwrap();
    assert_eq!(code(&e.lanes(&["diff", "HEAD...topic"])), 0);
    assert_eq!(code(&e.lanes(&["diff", "topic...HEAD"])), 1);
    let o = e.lanes(&["diff", "nope..HEAD"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).starts_with("error: unknown revision `nope`"));
}

fn system_git() -> Option<()> {
    Command::new("git")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| ())
}

#[test]
fn installed_hook_blocks_a_bad_commit_with_real_git() {
    if system_git().is_none() {
        eprintln!("skipped: no git binary");
        return;
    }
    let e = Env::new();
    e.sample();
    e.commit_all("init");
    let o = e.lanes(&["hook", "install"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let hook = std::fs::read_to_string(e.root.join(".git/hooks/pre-commit")).unwrap();
    assert!(hook.contains(LANES), "{hook}");
    // Weights summing to 110: the hook blocks the commit.
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 50)]),
    );
    let git = |args: &[&str]| e.cmd("git", &e.root).args(args).output().unwrap();
    assert!(git(&["add", "argo-cd/swimlane/mock-route.yaml"])
        .status
        .success());
    let head = e.git.head().unwrap().target().unwrap();
    let o = git(&["commit", "-m", "bad split"]);
    assert!(
        !o.status.success(),
        "commit should be blocked: {}{}",
        out(&o),
        err(&o)
    );
    let all = format!("{}{}", out(&o), err(&o));
    assert!(all.contains("LN101"), "{all}");
    assert_eq!(e.git.head().unwrap().target().unwrap(), head);
    // Fix it in the work tree only: still blocked (the index is what counts).
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 40)]),
    );
    assert!(!git(&["commit", "-m", "still bad"]).status.success());
    // `git commit -a` runs the hook against a temporary index (GIT_INDEX_FILE): passes.
    let o = git(&["commit", "-a", "-m", "good split"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert_ne!(e.git.head().unwrap().target().unwrap(), head);
    // A clean stage passes with a plain commit too.
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 70), ("v2", 30)]),
    );
    assert!(git(&["add", "-A"]).status.success());
    let o = git(&["commit", "-m", "promote"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    // Foreign hooks are refused; uninstall removes ours only.
    let o = e.lanes(&["hook", "uninstall"]);
    assert_eq!(code(&o), 0);
    std::fs::write(e.root.join(".git/hooks/pre-commit"), "#!/bin/sh\nexit 0\n").unwrap();
    let o = e.lanes(&["hook", "install"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("--force"), "{}", err(&o));
    assert_eq!(code(&e.lanes(&["hook", "install", "--force"])), 0);
}

/// The paths a commit changed against its first parent, sorted.
fn changed_paths(git: &Repository, commit: &git2::Commit<'_>) -> Vec<String> {
    let parent = commit.parent(0).unwrap().tree().unwrap();
    let diff = git
        .diff_tree_to_tree(Some(&parent), Some(&commit.tree().unwrap()), None)
        .unwrap();
    let mut v: Vec<String> = diff
        .deltas()
        .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

const SW: &str = "argo-cd/swimlane";

/// After a `--commit` command: it succeeded, HEAD is one new commit with the default message
/// holding exactly `files`, `lanes diff HEAD~1..HEAD` prints `diff` first and exits 1,
/// `lanes lint --rev <sha>` is clean, and the index agrees with HEAD.
fn assert_stage(
    e: &Env,
    o: &Output,
    parent: git2::Oid,
    msg: &str,
    files: &[&str],
    diff: &[&str],
) -> git2::Oid {
    assert_eq!(code(o), 0, "{}{}", out(o), err(o));
    let head = e.git.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.parent_id(0).unwrap(), parent, "one commit on top");
    assert_eq!(head.message().unwrap(), msg);
    assert!(
        out(o).contains(&format!("committed {}", &head.id().to_string()[..12])),
        "{}",
        out(o)
    );
    let mut want: Vec<String> = files.iter().map(|f| format!("{SW}/{f}")).collect();
    want.sort();
    assert_eq!(changed_paths(&e.git, &head), want, "{msg}");
    let d = e.lanes(&["diff", "HEAD~1..HEAD"]);
    assert_eq!(code(&d), 1, "{}{}", out(&d), err(&d));
    let lines: Vec<String> = out(&d).lines().map(str::to_string).collect();
    assert_eq!(
        lines[..diff.len()],
        diff.iter().map(|l| l.to_string()).collect::<Vec<_>>()[..],
        "{}",
        out(&d)
    );
    let sha = head.id().to_string();
    let l = e.lanes(&["lint", "--rev", &sha, "--format", "concise"]);
    assert_eq!(code(&l), 0, "{}{}", out(&l), err(&l));
    assert_eq!(code(&e.lanes(&["diff"])), 0, "index agrees with HEAD");
    head.id()
}

/// The seed's flow through the real binary, one commit per stage: add v3 at 60:30:10, save
/// a plan, promote stage by stage to 0:0:100; then, on a second branch from the 60:30:10
/// commit, roll v3 back and prune it.
#[test]
fn stage_per_commit_flow_through_the_binary() {
    let e = Env::new();
    e.sample();
    let sample = e.commit_all("sample");
    let root = ["--root", SW];
    let with_root = |args: &[&str]| {
        let mut v = args.to_vec();
        v.extend_from_slice(&root);
        e.lanes(&v)
    };
    let route_line = |s: &str| format!("VirtualService istio-system/mock /mock: {s}");

    // 2. add v3 at 10% with an explicit 60:30:10.
    let o = with_root(&[
        "add", "v3", "--weight", "10", "--split", "60:30:10", "--commit",
    ]);
    let added = assert_stage(
        &e,
        &o,
        sample,
        "lanes: add v3 at 10% (v1 60, v2 30, v3 10)",
        &["mock-route.yaml", "mock-v3.yaml", "swimlanes.yaml"],
        &[
            &route_line("v1 50→60, v2 50→30, v3 new→10"),
            "lane added mock/v3",
            "Deployment added default/mocka-v3",
        ],
    );

    // 3. Save the plan and commit it on its own (it is the team's record of the rollout;
    //    `lanes plan` has no --commit). It changes no traffic.
    let o = with_root(&[
        "plan",
        "v3",
        "--stages",
        "60:30:10,40:30:30,10:10:80,0:0:100",
        "--save",
    ]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(e.root.join(SW).join(".lanes/plan-mock.json").exists());
    let planned = e.commit_all("plan the v3 rollout");
    let d = e.lanes(&["diff", "HEAD~1..HEAD"]);
    assert_eq!((code(&d), out(&d).as_str()), (0, "no traffic changes\n"));

    // Promote through the plan, one commit per stage.
    let mut parent = planned;
    for (to, weights, line) in [
        (30, "v1 40, v2 30, v3 30", "v1 60→40, v2 30, v3 10→30"),
        (80, "v1 10, v2 10, v3 80", "v1 40→10, v2 30→10, v3 30→80"),
        (100, "v1 0, v2 0, v3 100", "v1 10→0, v2 10→0, v3 80→100"),
    ] {
        let o = with_root(&["promote", "v3", "--next", "--commit"]);
        parent = assert_stage(
            &e,
            &o,
            parent,
            &format!("lanes: promote v3 to {to}% ({weights})"),
            &["mock-route.yaml"],
            &[&route_line(line)],
        );
    }
    // Past the last stage: refused, no commit.
    let o = with_root(&["promote", "v3", "--next", "--commit"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("no next stage"), "{}", err(&o));
    assert_eq!(e.git.head().unwrap().target().unwrap(), parent);

    // 4. A second branch from the 60:30:10 commit: roll v3 back and prune it.
    e.git
        .branch("rollback", &e.git.find_commit(added).unwrap(), false)
        .unwrap();
    e.git.set_head("refs/heads/rollback").unwrap();
    e.git
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let o = with_root(&["rollback", "v3", "--prune", "--commit"]);
    let pruned = assert_stage(
        &e,
        &o,
        added,
        "lanes: rollback and prune v3 (v1 67, v2 33)",
        &["mock-route.yaml", "mock-v3.yaml", "swimlanes.yaml"],
        &[
            &route_line("v1 60→67, v2 30→33, v3 10→gone"),
            "lane removed mock/v3",
            "Deployment removed default/mocka-v3",
        ],
    );
    assert!(!e.root.join(SW).join("mock-v3.yaml").exists());
    // The branch is back to the sample's lanes; main is untouched and still lints clean.
    let d = e.lanes(&["diff", &format!("{sample}..{pruned}")]);
    assert_eq!(code(&d), 1);
    assert_eq!(out(&d), format!("{}\n", route_line("v1 50→67, v2 50→33")));
    let o = e.lanes(&["lint", "--rev", "main", "--format", "concise"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
}

/// Every file under the repository's work tree (not `.git`), with its bytes.
fn tree_snapshot(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn commit_refuses_before_writing_anything() {
    let e = Env::new();
    e.sample();
    let head = e.commit_all("sample");
    let add = ["add", "v3", "--split", "60:30:10", "--commit", "--root", SW];
    // No user.email: one clear line, exit 2, nothing written, no commit.
    e.git.config().unwrap().remove("user.email").unwrap();
    let before = tree_snapshot(&e.root);
    let o = e.lanes(&add);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(err(&o).contains("git user.email is not set"), "{}", err(&o));
    assert!(err(&o).contains("nothing was written"), "{}", err(&o));
    assert_eq!(tree_snapshot(&e.root), before);
    assert_eq!(e.git.head().unwrap().target().unwrap(), head);
    e.git
        .config()
        .unwrap()
        .set_str("user.email", "lanes@example.invalid")
        .unwrap();

    // Another change already staged: refused, nothing written.
    e.write("notes/todo.yaml", "todo: promote v3\n");
    e.stage("notes/todo.yaml");
    let before = tree_snapshot(&e.root);
    let o = e.lanes(&add);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
    assert!(
        err(&o).contains("other changes are already staged (notes/todo.yaml)"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("--include-staged"), "{}", err(&o));
    assert_eq!(tree_snapshot(&e.root), before);
    assert_eq!(e.git.head().unwrap().target().unwrap(), head);

    // --commit and --dry-run exclude each other; -m needs --commit.
    assert_eq!(
        code(&e.lanes(&["split", "60:40", "--commit", "--dry-run", "--root", SW])),
        2
    );
    assert_eq!(
        code(&e.lanes(&["split", "60:40", "-m", "x", "--root", SW])),
        2
    );

    // --include-staged: the staged file joins the stage's commit; -m sets the message.
    let mut args = add.to_vec();
    args.extend_from_slice(&["--include-staged", "-m", "ship v3 (with notes)"]);
    let o = e.lanes(&args);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let c = e.git.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(c.parent_id(0).unwrap(), head);
    assert_eq!(c.message().unwrap(), "ship v3 (with notes)");
    assert_eq!(
        changed_paths(&e.git, &c),
        vec![
            format!("{SW}/mock-route.yaml"),
            format!("{SW}/mock-v3.yaml"),
            format!("{SW}/swimlanes.yaml"),
            "notes/todo.yaml".to_string(),
        ]
    );
    // A command that changes nothing makes no commit.
    let o = e.lanes(&["split", "60:30:10", "--commit", "--root", SW]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("no commit made"), "{}", out(&o));
    assert_eq!(e.git.head().unwrap().target().unwrap(), c.id());
}

#[test]
fn hook_runs_in_a_linked_worktree() {
    if system_git().is_none() {
        eprintln!("skipped: no git binary");
        return;
    }
    let e = Env::new();
    e.sample();
    e.commit_all("init");
    let wt = e.home.join("wt");
    let git = |cwd: &Path, args: &[&str]| e.cmd("git", cwd).args(args).output().unwrap();
    assert!(git(
        &e.root,
        &["worktree", "add", "-q", wt.to_str().unwrap(), "-b", "feat"]
    )
    .status
    .success());
    // Installed from the worktree: lands in the common dir, runs for both.
    let o = e
        .cmd(LANES, &wt)
        .args(["hook", "install"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(e.root.join(".git/hooks/pre-commit").exists());
    std::fs::write(
        wt.join("argo-cd/swimlane/mock-route.yaml"),
        route(&[("v1", 60), ("v2", 50)]),
    )
    .unwrap();
    assert!(git(&wt, &["add", "-A"]).status.success());
    let o = git(&wt, &["commit", "-m", "bad"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("LN101") || out(&o).contains("LN101"));
    std::fs::write(
        wt.join("argo-cd/swimlane/mock-route.yaml"),
        route(&[("v1", 60), ("v2", 40)]),
    )
    .unwrap();
    let o = git(&wt, &["commit", "-a", "-m", "good"]);
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
}

#[test]
fn commit_works_on_an_unborn_branch_and_in_a_linked_worktree() {
    // Unborn branch: the first commit holds exactly the files the command changed.
    let e = Env::new();
    e.sample();
    let o = e.lanes(&["add", "v3", "--split", "60:30:10", "--commit", "--root", SW]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let c = e.git.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(c.parent_count(), 0);
    assert_eq!(
        c.message().unwrap(),
        "lanes: add v3 at 10% (v1 60, v2 30, v3 10)"
    );
    let mut paths = Vec::new();
    c.tree()
        .unwrap()
        .walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                paths.push(format!("{dir}{}", entry.name().unwrap()));
            }
            git2::TreeWalkResult::Ok
        })
        .unwrap();
    paths.sort();
    assert_eq!(
        paths,
        [
            format!("{SW}/mock-route.yaml"),
            format!("{SW}/mock-v3.yaml"),
            format!("{SW}/swimlanes.yaml"),
        ]
    );

    // Linked worktree: the commit lands on the worktree's branch, main is untouched.
    let e = Env::new();
    e.sample();
    let main = e.commit_all("sample");
    let wt_path = e.home.join("wt");
    e.git.worktree("feat", &wt_path, None).unwrap();
    let o = e
        .cmd(LANES, &wt_path)
        .args(["promote", "v2", "--to", "70", "--commit", "--root", SW])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let wt = Repository::open(&wt_path).unwrap();
    let c = wt.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(c.parent_id(0).unwrap(), main);
    assert_eq!(
        c.message().unwrap(),
        "lanes: promote v2 to 70% (v1 30, v2 70)"
    );
    assert_eq!(changed_paths(&wt, &c), [format!("{SW}/mock-route.yaml")]);
    assert_eq!(e.git.head().unwrap().target().unwrap(), main);
}
