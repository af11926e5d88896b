//! Reliability promises through the binary: nothing is written from broken input, writers
//! lock, interrupted writes are recovered, metadata is kept, nothing is written outside the
//! repository.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .current_dir(cwd)
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

fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                v.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The reproduction: line 1 of swimlanes.yaml broken, so the lanes drop out of the
/// index and LN201's unsafe fix would rewrite a valid route in another file.
fn broken_sample() -> tempfile::TempDir {
    let dir = sample();
    let p = dir.path().join("swimlanes.yaml");
    let text = fs::read_to_string(&p).unwrap();
    let rest = text.split_once('\n').unwrap().1;
    fs::write(
        &p,
        format!("apiVersion: istio.alibabacloud.com/v1 x: y\n{rest}"),
    )
    .unwrap();
    dir
}

#[test]
fn lint_fix_writes_nothing_when_an_input_failed_to_parse() {
    for flags in [&["--fix"][..], &["--fix", "--unsafe-fixes"][..]] {
        let dir = broken_sample();
        let before = snapshot(dir.path());
        let mut args = vec!["lint"];
        args.extend_from_slice(flags);
        args.push(".");
        let out = run(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("nothing was written"),
            "{}",
            stderr(&out)
        );
        assert_eq!(snapshot(dir.path()), before, "{flags:?} wrote a file");
    }
}

#[test]
fn writing_commands_write_nothing_when_an_input_failed_to_parse() {
    let cases: [&[&str]; 4] = [
        &["add", "v3", "--weight", "10", "--split", "60:30:10"],
        &["promote", "v2", "--to", "70"],
        &["rollback", "v1"],
        &["split", "70:30"],
    ];
    for args in cases {
        let dir = broken_sample();
        let before = snapshot(dir.path());
        let mut a = args.to_vec();
        a.extend(["--root", "."]);
        let out = run(dir.path(), &a);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(snapshot(dir.path()), before, "{args:?} wrote a file");
    }
}

/// A pid no process can have (above the largest `pid_max`).
const DEAD_PID: &str = "4194400\n";

#[test]
fn a_second_writer_waits_then_refuses_naming_the_lock() {
    let dir = sample();
    let before = snapshot(dir.path());
    // Held by a live process (this test).
    let lock = dir.path().join(lanes_ops::changeset::LOCK_FILE);
    fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
    let out = run(dir.path(), &["promote", "v2", "--to", "70", "--root", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("another lanes process is writing")
            && stderr(&out).contains("lanes.lock"),
        "{}",
        stderr(&out)
    );
    fs::remove_file(&lock).unwrap();
    assert_eq!(snapshot(dir.path()), before);
    // Released: the same command goes through.
    let out = run(dir.path(), &["promote", "v2", "--to", "70", "--root", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A multi-file write killed between two renames (the writer's test hook stops it as a kill
/// would) is completed by the next lanes command, which says so.
#[test]
fn the_next_command_rolls_an_interrupted_write_forward_and_says_so() {
    for k in 0..3 {
        let dir = sample();
        let root = dir.path().canonicalize().unwrap();
        // What `add v3` would write, computed by the library.
        let index = lanes_ops::scope::load_for_group(std::slice::from_ref(&root), None);
        let op = lanes_ops::AddArgs {
            lane: "v3".into(),
            weight: Some(10),
            from: None,
            split: None,
            image: None,
            container: None,
            dir: None,
        };
        let outcome = lanes_ops::add(&index, &op, &lanes_ops::Options::new(&root)).unwrap();
        let n = outcome.changeset.summary().len();
        assert!(n >= 3, "{:?}", outcome.changeset.summary());
        let mut o = lanes_ops::WriteOptions::new(&root, &root);
        o.crash_after = Some(k);
        assert!(outcome.changeset.write_with(&o).is_err());
        fs::write(root.join(lanes_ops::changeset::LOCK_FILE), DEAD_PID).unwrap();
        let out = run(&root, &["lint", "."]);
        assert!(
            stderr(&out).contains("interrupted write was found and completed (rolled forward)"),
            "step {k}: {}",
            stderr(&out)
        );
        assert_eq!(out.status.code(), Some(0), "step {k}: {}", stderr(&out));
        for c in &outcome.changeset.changes {
            assert_eq!(
                fs::read_to_string(&c.path).ok(),
                c.after,
                "step {k}: {}",
                c.display
            );
        }
        let names: Vec<String> = snapshot(&root).into_iter().map(|(n, _)| n).collect();
        assert!(
            names
                .iter()
                .all(|n| !n.starts_with(".lanes-tmp") && !n.contains("lanes-journal")),
            "{names:?}"
        );
        // And `add v3` again refuses cleanly (the lane exists), rather than half-existing.
        let out = run(&root, &["add", "v3", "--weight", "10", "--root", "."]);
        assert_eq!(out.status.code(), Some(2));
    }
}

#[cfg(unix)]
#[test]
fn plan_save_through_a_symlinked_lanes_dir_that_leaves_the_repo_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let dir = sample();
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".lanes")).unwrap();
    let out = run(
        dir.path(),
        &[
            "plan",
            "v2",
            "--stages",
            "50:50,0:100",
            "--save",
            "--root",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the repository root"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}

const VS_60_50: &str = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a, subset: v1}\n      weight: 60\n    - destination: {host: a, subset: v2}\n      weight: 50\n";

#[cfg(unix)]
#[test]
fn lint_fix_edits_a_symlinked_manifest_through_the_link_but_never_outside() {
    // LN101's unsafe fix rescales 60/50 to 55/45. Inside the root: the link stays and the
    // file it points to is fixed, keeping its mode.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("real")).unwrap();
    fs::write(root.join("real/vs.yaml"), VS_60_50).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("real/vs.yaml"), fs::Permissions::from_mode(0o664)).unwrap();
    }
    std::os::unix::fs::symlink("real/vs.yaml", root.join("vs.yaml")).unwrap();
    let out = run(root, &["lint", "--fix", "--unsafe-fixes", "vs.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = fs::symlink_metadata(root.join("vs.yaml")).unwrap();
    assert!(link.file_type().is_symlink());
    let fixed = fs::read_to_string(root.join("real/vs.yaml")).unwrap();
    assert!(
        fixed.contains("weight: 55\n") && fixed.contains("weight: 45\n"),
        "{fixed}"
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let m = fs::metadata(root.join("real/vs.yaml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(m & 0o777, 0o664);
    }
    // Pointing outside the root: refused, nothing written.
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let victim = outside.path().join("vs.yaml");
    fs::write(&victim, VS_60_50).unwrap();
    std::os::unix::fs::symlink(&victim, root.join("vs.yaml")).unwrap();
    fs::write(
        root.join("other.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    )
    .unwrap();
    // The link is not followed when reading (LN009), so nothing is fixed through it; the
    // writer's own check (tested in lanes_ops) is the second line.
    let out = run(root, &["lint", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("LN009"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        fs::read_to_string(&victim).unwrap(),
        VS_60_50,
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_lanes_toml_above_the_repository_does_not_apply() {
    let outer = tempfile::tempdir().unwrap();
    fs::write(
        outer.path().join("lanes.toml"),
        "[lint.severity]\nroute-weights-not-100 = \"off\"\n",
    )
    .unwrap();
    let repo = outer.path().join("repo");
    fs::create_dir(&repo).unwrap();
    git2::Repository::init(&repo).unwrap();
    fs::write(repo.join("vs.yaml"), VS_60_50).unwrap();
    let out = run(&repo, &["lint", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("LN101"));
    // `--config` can still name it.
    let cfg = outer.path().join("lanes.toml");
    let out = run(&repo, &["lint", "--config", cfg.to_str().unwrap(), "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // And without a repository the walk up still finds it (nothing bounds it).
    fs::remove_dir_all(repo.join(".git")).unwrap();
    let out = run(&repo, &["lint", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Whatever a lane name holds, the writer never writes outside `--root` (the lane name check
/// itself is the model's; this is the writer's backstop).
#[test]
fn add_with_a_path_in_the_lane_name_writes_nothing_outside_the_root() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("a/b/c");
    fs::create_dir_all(&root).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/swimlane");
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), root.join(e.file_name())).unwrap();
    }
    let before = snapshot(outer.path());
    let out = run(
        &root,
        &[
            "add",
            "../../../x/ESC",
            "--weight",
            "10",
            "--force",
            "--root",
            ".",
        ],
    );
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(snapshot(outer.path()), before, "{}", stderr(&out));
}

/// In a repository the lock and the journal live in the git directory: every writer in the
/// work tree agrees on them, and the work tree never holds them.
#[test]
fn in_a_repository_the_lock_lives_in_the_git_directory() {
    let dir = sample();
    let root = dir.path();
    git2::Repository::init(root).unwrap();
    let lock = root.join(".git").join(lanes_ops::changeset::LOCK_FILE);
    fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
    let out = run(root, &["promote", "v2", "--to", "70", "--root", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&lock.display().to_string()),
        "{}",
        stderr(&out)
    );
    fs::remove_file(&lock).unwrap();
    let before: Vec<String> = snapshot(root).into_iter().map(|(n, _)| n).collect();
    let out = run(root, &["promote", "v2", "--to", "70", "--root", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after: Vec<String> = snapshot(root).into_iter().map(|(n, _)| n).collect();
    let tree = |v: &[String]| -> Vec<String> {
        v.iter()
            .filter(|n| !n.starts_with(".git/"))
            .cloned()
            .collect()
    };
    assert_eq!(tree(&after), tree(&before));
    assert!(!lock.exists());
}

/// A stray staged file of a dead writer (no process has the pid in its name).
const STRAY: &str = ".lanes-tmp-4194400-0-0";

/// The sample in a git repository (identity set), committed.
fn repo_sample() -> tempfile::TempDir {
    let dir = sample();
    let repo = git2::Repository::init(dir.path()).unwrap();
    let mut cfg = repo.config().unwrap();
    cfg.set_str("user.name", "Lane Tester").unwrap();
    cfg.set_str("user.email", "lanes@example.invalid").unwrap();
    commit_all(&repo, "init");
    dir
}

fn commit_all(repo: &git2::Repository, msg: &str) {
    let mut idx = repo.index().unwrap();
    idx.add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    idx.update_all(["*"], None).unwrap();
    idx.write().unwrap();
    let tree = repo.find_tree(idx.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Lane Tester", "lanes@example.invalid").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .unwrap();
}

/// A command isolated from the machine's git configuration and from the hook variables of the
/// process running the tests.
fn isolated(program: &str, cwd: &Path) -> Command {
    let mut c = Command::new(program);
    c.current_dir(cwd)
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd)
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

/// An `add v3` killed after its first rename, with the lock and journal where the binary keeps
/// them in a repository (the git directory). Returns the changeset it was writing.
fn interrupted_add(root: &Path) -> lanes_ops::Changeset {
    let index = lanes_ops::scope::load_for_group(&[root.to_path_buf()], None);
    let op = lanes_ops::AddArgs {
        lane: "v3".into(),
        weight: Some(10),
        from: None,
        split: None,
        image: None,
        container: None,
        dir: None,
    };
    let outcome = lanes_ops::add(&index, &op, &lanes_ops::Options::new(root)).unwrap();
    let state = root.join(".git");
    let mut o = lanes_ops::WriteOptions::new(root, &state);
    o.crash_after = Some(1);
    assert!(outcome.changeset.write_with(&o).is_err());
    fs::write(state.join(lanes_ops::changeset::LOCK_FILE), DEAD_PID).unwrap();
    assert!(state.join(lanes_ops::changeset::JOURNAL_FILE).exists());
    outcome.changeset
}

fn assert_new(cs: &lanes_ops::Changeset, what: &str) {
    for c in &cs.changes {
        assert_eq!(
            fs::read_to_string(&c.path).ok(),
            c.after,
            "{what}: {}",
            c.display
        );
    }
}

/// Every command that reads the repository's manifests (or its git objects) first rolls an
/// interrupted write forward, and says so: `diff`, `mesh revisions`, `lint --staged` (what the
/// hook runs), `hook install`, as well as `lint` and the writing commands.
#[test]
fn every_command_that_reads_the_repository_recovers_first() {
    let cases: [&[&str]; 6] = [
        &["diff"],
        &["diff", "--format", "json"],
        &["mesh", "revisions"],
        &["lint", "--staged"],
        &["hook", "install"],
        &[
            "rollout",
            "steps",
            "nope",
            "--stages",
            "10,100",
            "--dry-run",
        ],
    ];
    for args in cases {
        let dir = repo_sample();
        let root = dir.path().canonicalize().unwrap();
        let cs = interrupted_add(&root);
        let out = isolated(env!("CARGO_BIN_EXE_lanes"), &root)
            .args(args)
            .output()
            .unwrap();
        assert!(
            stderr(&out).contains("interrupted write was found and completed (rolled forward)"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_new(&cs, &format!("{args:?}"));
        assert!(!root
            .join(".git")
            .join(lanes_ops::changeset::JOURNAL_FILE)
            .exists());
        assert!(!root
            .join(".git")
            .join(lanes_ops::changeset::LOCK_FILE)
            .exists());
    }
}

/// The installed pre-commit hook, run by the system git, recovers before it lints the index.
#[test]
fn the_pre_commit_hook_recovers_an_interrupted_write_first() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: no git binary");
        return;
    }
    let dir = repo_sample();
    let root = dir.path().canonicalize().unwrap();
    let lanes = env!("CARGO_BIN_EXE_lanes");
    let o = isolated(lanes, &root)
        .args(["hook", "install"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cs = interrupted_add(&root);
    let o = isolated("git", &root)
        .args(["commit", "--allow-empty", "-m", "x"])
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("interrupted write was found and completed (rolled forward)"),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    assert_new(&cs, "hook");
}

/// With nothing to recover, the read-only commands write nothing: no lock, no journal, no file
/// of the work tree (`diff` and `lint --staged` keep their parse cache under `.git/lanes/`).
#[test]
fn read_only_commands_write_nothing_when_there_is_nothing_to_recover() {
    let dir = repo_sample();
    let root = dir.path().canonicalize().unwrap();
    let listing = |root: &Path| -> Vec<(String, Vec<u8>)> {
        snapshot(root)
            .into_iter()
            .filter(|(n, _)| !n.starts_with(".git/lanes/") && !n.starts_with(".git/index"))
            .collect()
    };
    let before = listing(&root);
    for args in [
        &["diff"][..],
        &["lint", "--staged"],
        &["lint", "."],
        &["mesh", "revisions"],
    ] {
        let out = isolated(env!("CARGO_BIN_EXE_lanes"), &root)
            .args(args)
            .output()
            .unwrap();
        assert!(!stderr(&out).contains("interrupted"), "{}", stderr(&out));
        assert_eq!(listing(&root), before, "{args:?}");
    }
}

/// Staged files a killed writer left anywhere in the tree, not only where a later write goes,
/// are removed by the next command (under the lock), which says so; a live writer's stay.
#[test]
fn stray_staged_files_anywhere_in_the_tree_are_removed_by_the_next_command() {
    let dir = sample();
    let root = dir.path().canonicalize().unwrap();
    let strays = [root.join(STRAY), root.join("deep/er").join(STRAY)];
    fs::create_dir_all(root.join("deep/er")).unwrap();
    for p in &strays {
        fs::write(p, "half").unwrap();
    }
    let live = root.join(format!(".lanes-tmp-{}-0-0", std::process::id()));
    fs::write(&live, "a live writer's").unwrap();
    let out = run(&root, &["lint", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("removed 2 temporary file(s) left by an interrupted write")
            && stderr(&out).contains("deep/er/.lanes-tmp-4194400-0-0"),
        "{}",
        stderr(&out)
    );
    for p in &strays {
        assert!(!p.exists(), "{}", p.display());
    }
    assert!(live.exists());
    assert!(!root.join(lanes_ops::changeset::LOCK_FILE).exists());
}

/// A lock left by a lanes process on another host is not taken over: the command waits, then
/// refuses, naming the host, the pid, the age and the file to remove.
#[test]
fn a_lock_from_another_host_is_refused_with_its_host_pid_age_and_path() {
    let dir = sample();
    let before = snapshot(dir.path());
    let lock = dir.path().join(lanes_ops::changeset::LOCK_FILE);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let text = format!("4194400\nhost ci-runner-3.example\nstarted {}\n", now - 120);
    fs::write(&lock, &text).unwrap();
    let out = run(dir.path(), &["promote", "v2", "--to", "70", "--root", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for part in [
        "ci-runner-3.example",
        "4194400",
        "2m0",
        "lanes.lock",
        "remove",
        "nothing was written",
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
    assert_eq!(fs::read_to_string(&lock).unwrap(), text);
    fs::remove_file(&lock).unwrap();
    assert_eq!(snapshot(dir.path()), before);
}

/// Control characters in file names and values reach the terminal escaped, with the one
/// function lint output uses: `--dry-run` headers and summaries, the writing commands'
/// summaries and errors, `lanes diff`. The lines of a `--dry-run` diff stay faithful.
#[test]
fn control_characters_reach_the_terminal_escaped() {
    let dir = repo_sample();
    let root = dir.path().canonicalize().unwrap();
    let evil = "mock\u{1b}]0;pwned\u{7}-route.yaml";
    fs::rename(root.join("mock-route.yaml"), root.join(evil)).unwrap();
    let raw = |o: &Output| {
        let all = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        all.iter().any(|&b| b == 0x1b || b == 0x07)
    };
    let shown = "mock\\x1b]0;pwned\\x07-route.yaml";
    let out = run(
        &root,
        &["promote", "v2", "--to", "70", "--root", ".", "--dry-run"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!raw(&out), "{text:?}");
    assert!(text.contains(&format!("--- a/{shown}")), "{text}");
    // A bad assignment's error names it escaped.
    let out = run(&root, &["set", "v\u{1b}[2J=30", "--root", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!raw(&out), "{:?}", stderr(&out));
    // The write's summary.
    let out = run(&root, &["promote", "v2", "--to", "70", "--root", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!raw(&out), "{:?}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains(shown));
    // `lanes diff` between HEAD and the index: a route renamed with control characters.
    let repo = git2::Repository::open(&root).unwrap();
    let p = root.join(evil);
    let text = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        text.replacen("  name: mock\n", "  name: \"mock\\e[2J\\a\"\n", 1),
    )
    .unwrap();
    let mut idx = repo.index().unwrap();
    idx.add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    idx.update_all(["*"], None).unwrap();
    idx.write().unwrap();
    for format in ["human", "markdown", "json"] {
        let out = isolated(env!("CARGO_BIN_EXE_lanes"), &root)
            .args(["diff", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(
            !raw(&out),
            "{format}: {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if format != "json" {
            assert!(text.contains("\\x1b[2J\\x07"), "{format}: {text}");
        }
    }
}
