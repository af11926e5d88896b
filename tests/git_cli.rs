//! The `lanes` binary against real temporary git repositories: `lint --staged/--rev/--app`,
//! `diff`, `hook` (with the system `git commit` running the installed hook), the GitHub and
//! SARIF formats, and one stage-per-commit flow through `lanes_git::Repo::commit_paths`.

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

fn lane(name: &str) -> String {
    format!("apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  labels:\n    swimlane-group: mock\n  name: {name}\nspec:\n  labelSelector:\n    version: {name}\n")
}

fn deploy(name: &str) -> String {
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n")
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
    assert!(out(&o).contains("in 4 files"), "{}", out(&o));
    // A staged deletion drops the file.
    std::fs::remove_file(e.root.join("argo-cd/swimlane/mock-v2.yaml")).unwrap();
    e.stage("argo-cd/swimlane/mock-v2.yaml");
    let o = e.lanes(&["lint", "--staged", "--format", "concise", "argo-cd"]);
    assert!(out(&o).contains("in 3 files"), "{}", out(&o));
    // From a subdirectory, the default prefix is that directory.
    let o = e
        .cmd(LANES, &e.root.join("argo-cd/swimlane"))
        .args(["lint", "--staged", "--format", "json"])
        .output()
        .unwrap();
    assert!(out(&o).contains("\"files\": 3"), "{}", out(&o));
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
    assert!(out(&o).contains("in 4 files"), "{}", out(&o));
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
    assert!(out(&o).contains("in 4 files"), "{}", out(&o));
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
    e.write(
        "argo-cd/swimlane/mock-route.yaml",
        &route(&[("v1", 60), ("v2", 30), ("v3", 10)]),
    );
    e.write(
        "argo-cd/swimlane/swimlanes.yaml",
        &format!("{}---\n{}---\n{}", lane("v1"), lane("v2"), lane("v3")),
    );
    std::fs::remove_file(e.root.join("argo-cd/swimlane/mock-v2.yaml")).unwrap();
    // Unstaged: HEAD vs index shows nothing yet.
    assert_eq!(code(&e.lanes(&["diff"])), 0);
    for p in [
        "argo-cd/swimlane/mock-route.yaml",
        "argo-cd/swimlane/swimlanes.yaml",
        "argo-cd/swimlane/mock-v2.yaml",
    ] {
        e.stage(p);
    }
    let o = e.lanes(&["diff"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert_eq!(
        out(&o),
        "VirtualService istio-system/mock /mock: v1 50→60, v2 50→30, v3 new→10\nlane added mock/v3\nDeployment removed default/mocka-v2\n"
    );
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
    assert_eq!(j["deployments_removed"][0], "default/mocka-v2");
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

/// The seed's flow, one commit per stage: add v3 at 10 (60:30:10), promote to 30, 60, 100;
/// then roll back v3 on a second branch. The edits stand in for `lanes add/promote/rollback`
/// (another crate); the commits go through `lanes_git` exactly as `--commit` will.
#[test]
fn stage_per_commit_flow_with_diff_and_lint_rev_at_each_commit() {
    let e = Env::new();
    e.sample();
    e.commit_all("sample");
    let repo = lanes_git::Repo::open(&e.root).unwrap();
    let path = "argo-cd/swimlane/mock-route.yaml";
    let stage = |action: &str, weights: &[(&str, i64)], expect: &str| {
        e.write(path, &route(weights));
        let plan = repo
            .preflight_commit(&[path], lanes_git::CommitOpts::default())
            .unwrap();
        let msg = lanes_git::stage_message(action, weights);
        let c = repo.commit_paths(&plan, &msg).unwrap();
        let commit = e.git.find_commit(c).unwrap();
        assert_eq!(commit.message().unwrap(), msg);
        assert_eq!(
            commit.parent(0).unwrap().tree().unwrap().len(),
            commit.tree().unwrap().len()
        );
        let o = e.lanes(&["diff", "HEAD~1..HEAD"]);
        assert_eq!(code(&o), 1, "{}", err(&o));
        assert_eq!(out(&o).lines().next().unwrap(), expect);
        let o = e.lanes(&["lint", "--rev", &c.to_string(), "--format", "concise"]);
        assert_eq!(code(&o), 0, "{}", out(&o));
        assert_eq!(code(&e.lanes(&["diff"])), 0, "index agrees with HEAD");
    };
    stage(
        "add v3 at 10%",
        &[("v1", 60), ("v2", 30), ("v3", 10)],
        "VirtualService istio-system/mock /mock: v1 50→60, v2 50→30, v3 new→10",
    );
    stage(
        "promote v3 to 30%",
        &[("v1", 40), ("v2", 30), ("v3", 30)],
        "VirtualService istio-system/mock /mock: v1 60→40, v2 30, v3 10→30",
    );
    stage(
        "promote v3 to 60%",
        &[("v1", 20), ("v2", 20), ("v3", 60)],
        "VirtualService istio-system/mock /mock: v1 40→20, v2 30→20, v3 30→60",
    );
    let promoted = e.git.head().unwrap().target().unwrap();
    stage(
        "promote v3 to 100%",
        &[("v1", 0), ("v2", 0), ("v3", 100)],
        "VirtualService istio-system/mock /mock: v1 20→0, v2 20→0, v3 60→100",
    );
    assert_eq!(
        e.git
            .head()
            .unwrap()
            .peel_to_commit()
            .unwrap()
            .message()
            .unwrap(),
        "lanes: promote v3 to 100% (v1 0, v2 0, v3 100)"
    );
    // Roll back on a second branch, from the 60% stage.
    e.git
        .branch("rollback", &e.git.find_commit(promoted).unwrap(), false)
        .unwrap();
    e.git.set_head("refs/heads/rollback").unwrap();
    e.git
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    stage(
        "rollback v3 --prune",
        &[("v1", 50), ("v2", 50)],
        "VirtualService istio-system/mock /mock: v1 20→50, v2 20→50, v3 60→gone",
    );
    let o = e.lanes(&["diff", "main...rollback", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let o = e.lanes(&["lint", "--rev", "main", "--format", "concise"]);
    assert_eq!(code(&o), 0, "{}", out(&o));
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
