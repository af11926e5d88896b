//! lanes_git against real temporary repositories built with git2. No mocks.

use std::path::Path;
use std::sync::Once;

use git2::{Repository, Signature};
use lanes_git::{argo, hook, stage_message, CommitOpts, GitEnv, GitError, Repo, Source};
use lanes_model::traffic::{diff, traffic_of};

static ISOLATE: Once = Once::new();

/// Keep the machine's global and system git config out of every test of this binary.
fn isolate() {
    ISOLATE.call_once(|| {
        let empty =
            std::env::temp_dir().join(format!("lanes-git-empty-config-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        for level in [
            git2::ConfigLevel::Global,
            git2::ConfigLevel::XDG,
            git2::ConfigLevel::System,
        ] {
            // SAFETY: called once, before any repository of this process is opened.
            unsafe { git2::opts::set_search_path(level, &empty).unwrap() };
        }
    });
}

const VS: &str = "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: mock\n  namespace: istio-system\nspec:\n  hosts: ['*']\n  http:\n    - match:\n        - uri:\n            exact: /mock\n      route:\n";

fn vs(weights: &[(&str, i64)]) -> String {
    let mut s = VS.to_string();
    for (l, w) in weights {
        s.push_str(&format!(
            "        - destination:\n            host: mocka\n            subset: {l}\n          weight: {w}\n"
        ));
    }
    s
}

fn deploy(name: &str) -> String {
    format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n")
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    git: Repository,
}

impl Fixture {
    fn new() -> Fixture {
        isolate();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let git = Repository::init(&root).unwrap();
        let mut cfg = git.config().unwrap();
        cfg.set_str("user.name", "Lane Tester").unwrap();
        cfg.set_str("user.email", "lanes@example.invalid").unwrap();
        Fixture {
            _dir: dir,
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

    fn repo(&self) -> Repo {
        Repo::open(&self.root).unwrap()
    }
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(p, _)| p.as_str()).collect()
}

fn text_of<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
    let (_, b) = files.iter().find(|(p, _)| p == path).unwrap();
    std::str::from_utf8(b).unwrap()
}

#[test]
fn staged_files_read_the_index_not_the_work_tree() {
    let f = Fixture::new();
    f.write("apps/route.yaml", &vs(&[("v1", 50), ("v2", 50)]));
    f.write("apps/deploy.yaml", &deploy("a"));
    f.write("apps/gone.yaml", &deploy("gone"));
    f.write("apps/notes.txt", "not yaml");
    f.write("other/x.yml", &deploy("x"));
    f.commit_all("init");
    // Staged edit, then an unstaged edit on top: the staged one counts.
    f.write("apps/route.yaml", &vs(&[("v1", 60), ("v2", 40)]));
    f.stage("apps/route.yaml");
    f.write("apps/route.yaml", "this: [is broken\n");
    // Unstaged broken new file: not in the index, not read.
    f.write("apps/new-broken.yaml", "a: [\n");
    // Staged deletion.
    std::fs::remove_file(f.root.join("apps/gone.yaml")).unwrap();
    f.stage("apps/gone.yaml");
    let repo = f.repo();
    let all = repo.staged_files("").unwrap();
    assert_eq!(
        names(&all),
        ["apps/deploy.yaml", "apps/route.yaml", "other/x.yml"]
    );
    assert!(text_of(&all, "apps/route.yaml").contains("weight: 60"));
    // Unchanged files come from the index too.
    assert!(text_of(&all, "apps/deploy.yaml").contains("name: a"));
    let apps = repo.staged_files("apps").unwrap();
    assert_eq!(names(&apps), ["apps/deploy.yaml", "apps/route.yaml"]);
    assert_eq!(
        names(&repo.staged_files("apps/route.yaml").unwrap()),
        ["apps/route.yaml"]
    );
    assert!(repo.staged_files("app").unwrap().is_empty());
}

#[test]
fn staged_files_give_blob_bytes_when_attributes_convert_the_work_tree() {
    // `eol=crlf`: checkout writes CRLF into the work tree while the blob keeps LF, and the
    // refreshed index entry is stat-clean. The staged bytes are the blob's, never the
    // converted work-tree copy.
    for attrs_at in [".gitattributes", "apps/.gitattributes"] {
        let f = Fixture::new();
        f.write(attrs_at, "*.yaml text eol=crlf\n");
        f.write("apps/deploy.yaml", &deploy("a"));
        f.commit_all("init");
        std::fs::remove_file(f.root.join("apps/deploy.yaml")).unwrap();
        f.git
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .unwrap();
        let on_disk = std::fs::read(f.root.join("apps/deploy.yaml")).unwrap();
        assert!(
            on_disk.contains(&b'\r'),
            "{attrs_at}: checkout converted to CRLF"
        );
        // Make the entry stat-clean and not racily clean: an older mtime, then re-stage
        // (the clean filter gives back the same LF blob; the entry records the CRLF file).
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(f.root.join("apps/deploy.yaml"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        f.stage("apps/deploy.yaml");
        let all = f.repo().staged_files("apps").unwrap();
        let text = text_of(&all, "apps/deploy.yaml");
        assert_eq!(text, deploy("a"), "{attrs_at}: the blob's LF bytes");
    }
}

#[test]
fn git_index_file_and_git_dir_are_honoured() {
    let f = Fixture::new();
    f.write("r.yaml", &vs(&[("v1", 50), ("v2", 50)]));
    f.commit_all("init");
    // Build a second index, as `git commit -a` does, holding a different blob.
    let alt = f.root.join(".git/next-index.lock");
    let mut idx = git2::Index::open(&alt).unwrap();
    let blob = f
        .git
        .blob(vs(&[("v1", 10), ("v2", 90)]).as_bytes())
        .unwrap();
    let head_entry = f
        .git
        .index()
        .unwrap()
        .get_path(Path::new("r.yaml"), 0)
        .unwrap();
    idx.add(&git2::IndexEntry {
        id: blob,
        file_size: 0,
        ..head_entry
    })
    .unwrap();
    idx.write().unwrap();
    let env = GitEnv {
        git_dir: Some(f.root.join(".git")),
        work_tree: Some(f.root.clone()),
        index_file: Some(alt),
    };
    // Discovery starts somewhere unrelated: GIT_DIR wins.
    let repo = Repo::discover_with(&std::env::temp_dir(), &env).unwrap();
    let files = repo.staged_files("").unwrap();
    assert!(text_of(&files, "r.yaml").contains("weight: 90"));
    let plain = f.repo().staged_files("").unwrap();
    assert!(text_of(&plain, "r.yaml").contains("weight: 50"));
}

#[test]
fn tree_files_at_branch_tag_sha_and_relative_revs_without_checkout() {
    let f = Fixture::new();
    f.write(
        "argo-cd/swimlane/route.yaml",
        &vs(&[("v1", 50), ("v2", 50)]),
    );
    let first = f.commit_all("one");
    f.git
        .tag_lightweight("v1.0", &f.git.find_object(first, None).unwrap(), false)
        .unwrap();
    f.write(
        "argo-cd/swimlane/route.yaml",
        &vs(&[("v1", 60), ("v2", 40)]),
    );
    f.write("argo-cd/swimlane/deploy.yaml", &deploy("b"));
    f.commit_all("two");
    f.git
        .branch("old", &f.git.find_commit(first).unwrap(), false)
        .unwrap();
    let repo = f.repo();
    for rev in [
        "old",
        "v1.0",
        &first.to_string(),
        &first.to_string()[..8],
        "HEAD~1",
    ] {
        let files = repo.tree_files(rev, "argo-cd").unwrap();
        assert_eq!(names(&files), ["argo-cd/swimlane/route.yaml"], "{rev}");
        assert!(text_of(&files, "argo-cd/swimlane/route.yaml").contains("weight: 50"));
    }
    let head = repo.tree_files("HEAD", "").unwrap();
    assert_eq!(head.len(), 2);
    match repo.tree_files("nope", "") {
        Err(e @ GitError::BadRev { .. }) => {
            let msg = e.to_string();
            assert!(msg.starts_with("unknown revision `nope`"), "{msg}");
            assert!(!msg.contains('\n'));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        repo.tree_files("old", "argo-cd/missing"),
        Err(GitError::PathMissing { .. })
    ));
    assert_eq!(
        Source::Rev("main".into()).display_name("a/b.yaml"),
        "main:a/b.yaml"
    );
}

#[test]
fn not_a_repo_and_bare_repo_errors() {
    isolate();
    let dir = tempfile::tempdir().unwrap();
    let e = Repo::open(dir.path()).unwrap_err();
    assert!(matches!(e, GitError::NotARepo(_)), "{e}");
    let bare = Repository::init_bare(dir.path().join("b.git")).unwrap();
    let _ = bare;
    let repo = Repo::open(&dir.path().join("b.git")).unwrap();
    let e = repo.staged_files("").unwrap_err();
    assert!(e.to_string().contains("is bare"), "{e}");
    let e = repo
        .preflight_commit(&["a.yaml"], CommitOpts::default())
        .unwrap_err();
    assert!(e.to_string().contains("is bare"), "{e}");
}

#[test]
fn commit_on_an_unborn_branch_then_on_top() {
    let f = Fixture::new();
    f.write("r.yaml", &vs(&[("v1", 100)]));
    f.write("other.yaml", &deploy("other"));
    let repo = f.repo();
    assert!(repo.head_is_unborn());
    let plan = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap();
    let msg = stage_message("add v1 at 100%", &[("v1", 100)]);
    let c1 = repo.commit_paths(&plan, &msg).unwrap();
    let commit = f.git.find_commit(c1).unwrap();
    assert_eq!(commit.parent_count(), 0);
    assert_eq!(commit.message().unwrap(), "lanes: add v1 at 100% (v1 100)");
    assert_eq!(commit.author().name().unwrap(), "Lane Tester");
    let tree = commit.tree().unwrap();
    assert_eq!(tree.len(), 1, "only the stage's file");
    // The index agrees with HEAD for that path; the other file stays untracked.
    assert!(repo.staged_changes().unwrap().is_empty());
    let st = f.git.statuses(None).unwrap();
    let dirty: Vec<_> = st
        .iter()
        .map(|s| (s.path().unwrap().to_string(), s.status()))
        .collect();
    assert_eq!(dirty, [("other.yaml".to_string(), git2::Status::WT_NEW)]);
    // Second stage on top, with a deletion.
    f.write("r.yaml", &vs(&[("v1", 90), ("v2", 10)]));
    let plan = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap();
    let c2 = repo.commit_paths(&plan, "lanes: split").unwrap();
    assert_eq!(f.git.find_commit(c2).unwrap().parent_id(0).unwrap(), c1);
    let d = diff(
        &traffic_of(&lanes_model::load::load_blobs(
            repo.tree_files("HEAD~1", "").unwrap(),
        )),
        &traffic_of(&lanes_model::load::load_blobs(
            repo.tree_files("HEAD", "").unwrap(),
        )),
    );
    assert_eq!(
        d.routes[0].line(),
        "VirtualService istio-system/mock /mock: v1 100→90, v2 new→10"
    );
    std::fs::remove_file(f.root.join("r.yaml")).unwrap();
    let plan = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap();
    let c3 = repo.commit_paths(&plan, "lanes: remove").unwrap();
    assert!(f.git.find_commit(c3).unwrap().tree().unwrap().is_empty());
}

#[test]
fn commit_refuses_without_identity_with_other_staged_changes_and_when_locked() {
    let f = Fixture::new();
    f.write("r.yaml", &vs(&[("v1", 100)]));
    f.write("s.yaml", &deploy("s"));
    f.commit_all("init");
    let repo = f.repo();
    // Other staged change.
    f.write("s.yaml", &deploy("s2"));
    f.stage("s.yaml");
    f.write("r.yaml", &vs(&[("v1", 50), ("v2", 50)]));
    let e = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap_err();
    assert!(
        matches!(&e, GitError::OtherStaged(v) if v == &["s.yaml".to_string()]),
        "{e}"
    );
    assert!(e.to_string().contains("--include-staged"));
    let opts = CommitOpts {
        include_staged: true,
    };
    // Locked index.
    std::fs::write(f.root.join(".git/index.lock"), "").unwrap();
    let e = repo.preflight_commit(&["r.yaml"], opts).unwrap_err();
    assert!(matches!(e, GitError::IndexLocked(_)), "{e}");
    std::fs::remove_file(f.root.join(".git/index.lock")).unwrap();
    let plan = repo.preflight_commit(&["r.yaml"], opts).unwrap();
    let c = repo.commit_paths(&plan, "both").unwrap();
    assert_eq!(f.git.find_commit(c).unwrap().tree().unwrap().len(), 2);
    assert!(repo.staged_changes().unwrap().is_empty());
    // Missing identity.
    let mut cfg = f.git.config().unwrap();
    cfg.remove("user.email").unwrap();
    let index_before = std::fs::read(f.root.join(".git/index")).unwrap();
    let e = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap_err();
    assert!(matches!(e, GitError::MissingIdentity("user.email")), "{e}");
    cfg.remove("user.name").unwrap();
    let e = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap_err();
    assert!(matches!(e, GitError::MissingIdentity("user.name")), "{e}");
    assert_eq!(
        std::fs::read(f.root.join(".git/index")).unwrap(),
        index_before
    );
    assert!(repo
        .preflight_commit(&["../x"], CommitOpts::default())
        .is_err());
}

#[test]
fn commit_in_a_linked_worktree_and_hooks_live_in_the_common_dir() {
    let f = Fixture::new();
    f.write("r.yaml", &vs(&[("v1", 100)]));
    f.commit_all("init");
    let wt_path = f.root.parent().unwrap().join(format!(
        "{}-wt",
        f.root.file_name().unwrap().to_string_lossy()
    ));
    let wt = f.git.worktree("feature", &wt_path, None).unwrap();
    let _ = wt;
    let repo = Repo::open(&wt_path).unwrap();
    std::fs::write(wt_path.join("r.yaml"), vs(&[("v1", 70), ("v3", 30)])).unwrap();
    let plan = repo
        .preflight_commit(&["r.yaml"], CommitOpts::default())
        .unwrap();
    let c = repo.commit_paths(&plan, "lanes: in worktree").unwrap();
    let branch = f
        .git
        .find_branch("feature", git2::BranchType::Local)
        .unwrap();
    assert_eq!(branch.get().target().unwrap(), c);
    // main did not move.
    assert_ne!(f.git.head().unwrap().target().unwrap(), c);
    assert!(repo.staged_changes().unwrap().is_empty());
    // Hooks: installed into the common dir, seen from both.
    let dir = hook::hooks_dir(&repo).unwrap();
    assert_eq!(dir, f.git.commondir().join("hooks"));
    let exe = Path::new("/usr/local/bin/lanes");
    hook::install(&repo, exe, false).unwrap();
    assert!(f.root.join(".git/hooks/pre-commit").exists());
    let _ = std::fs::remove_dir_all(&wt_path);
}

#[test]
fn hook_install_refuses_foreign_hooks_and_uninstall_removes_only_its_own() {
    let f = Fixture::new();
    let repo = f.repo();
    let exe = Path::new("/opt/lanes it's/lanes");
    let p = f.root.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "#!/bin/sh\necho mine\n").unwrap();
    assert!(matches!(
        hook::install(&repo, exe, false),
        Err(GitError::ForeignHook(..))
    ));
    assert!(matches!(
        hook::uninstall(&repo),
        Err(GitError::ForeignHook(..))
    ));
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    let r = hook::install(&repo, exe, true).unwrap();
    assert!(matches!(r, hook::Installed::Replaced(..)));
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(hook::MARKER) && text.contains("lint --staged"));
    assert!(text.contains(r"lanes='/opt/lanes it'\''s/lanes'"), "{text}");
    assert!(matches!(
        hook::install(&repo, exe, false).unwrap(),
        hook::Installed::Updated(_)
    ));
    // Uninstall removes lanes' hook and puts back the one it replaced.
    let u = hook::uninstall(&repo).unwrap().unwrap();
    assert_eq!(u.removed, p);
    assert!(u.restored.is_some());
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    std::fs::remove_file(&p).unwrap();
    assert_eq!(hook::uninstall(&repo).unwrap(), None);
    // core.hooksPath is honoured, relative to the work tree.
    f.git
        .config()
        .unwrap()
        .set_str("core.hooksPath", "githooks")
        .unwrap();
    let Ok(hook::Installed::Created(p)) = hook::install(&repo, exe, false) else {
        panic!()
    };
    assert_eq!(p, f.root.join("githooks/pre-commit"));
}

#[test]
fn argo_target_revisions_resolve_like_argo_cd() {
    let f = Fixture::new();
    f.write("apps/r.yaml", &vs(&[("v1", 100)]));
    let c1 = f.commit_all("one");
    f.write("apps/r.yaml", &vs(&[("v1", 50), ("v2", 50)]));
    let c2 = f.commit_all("two");
    f.git
        .remote("origin", "git@github.com:Acme/gitops.git")
        .unwrap();
    // origin/release is behind local release: Argo CD sees the remote's branch.
    f.git
        .branch("release", &f.git.find_commit(c2).unwrap(), false)
        .unwrap();
    f.git
        .reference("refs/remotes/origin/release", c1, false, "test")
        .unwrap();
    f.git
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/release",
            false,
            "test",
        )
        .unwrap();
    f.git
        .tag_lightweight("stable", &f.git.find_object(c1, None).unwrap(), false)
        .unwrap();
    let repo = f.repo();
    assert_eq!(
        repo.resolve_target_revision("origin", "release").unwrap(),
        c1
    );
    assert_eq!(repo.resolve_target_revision("origin", "HEAD").unwrap(), c1);
    assert_eq!(repo.resolve_target_revision("origin", "").unwrap(), c1);
    assert_eq!(
        repo.resolve_target_revision("origin", "stable").unwrap(),
        c1
    );
    assert_eq!(
        repo.resolve_target_revision("origin", &c2.to_string())
            .unwrap(),
        c2
    );
    let head = f.git.head().unwrap().shorthand().unwrap().to_string();
    assert_eq!(repo.resolve_target_revision("origin", &head).unwrap(), c2);
    let app = argo::parse_applications(
        "app.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: mock\nspec:\n  sources:\n  - repoURL: https://github.com/acme/gitops\n    path: apps\n    targetRevision: release\n  - repoURL: https://charts.example/x\n    chart: x\n",
    )
    .unwrap();
    let srcs = repo.resolve_app(&app[0], None).unwrap();
    assert_eq!(srcs.len(), 1);
    assert_eq!((srcs[0].commit, srcs[0].remote.as_str()), (c1, "origin"));
    let other = argo::parse_applications(
        "a.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: x\nspec:\n  source:\n    repoURL: https://gitlab.example/y.git\n    path: apps\n",
    )
    .unwrap();
    let e = repo.resolve_app(&other[0], None).unwrap_err();
    assert!(e.to_string().contains("--repo"), "{e}");
    assert_eq!(
        repo.resolve_app(&other[0], Some("https://gitlab.example/y"))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn stage_commit_takes_paths_relative_to_the_current_directory() {
    let f = Fixture::new();
    f.write("argo-cd/swimlane/r.yaml", &vs(&[("v1", 100)]));
    f.write("argo-cd/swimlane/other.yaml", &deploy("o"));
    f.commit_all("init");
    let cwd = f.root.join("argo-cd");
    f.write("argo-cd/swimlane/r.yaml", &vs(&[("v1", 90), ("v3", 10)]));
    let stage = lanes_git::StageCommit::prepare(
        &cwd,
        &[std::path::PathBuf::from("swimlane/r.yaml")],
        CommitOpts::default(),
    )
    .unwrap();
    assert_eq!(stage.paths(), ["argo-cd/swimlane/r.yaml"]);
    let id = stage.commit("lanes: add v3 at 10% (v1 90, v3 10)").unwrap();
    assert_eq!(f.git.head().unwrap().target().unwrap(), id);
    let e = lanes_git::StageCommit::prepare(
        &cwd,
        &[f.root.parent().unwrap().join("elsewhere.yaml")],
        CommitOpts::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("outside the repository"), "{e}");
    assert!(e
        .after_write()
        .starts_with("the files were written but not committed: "));
}
