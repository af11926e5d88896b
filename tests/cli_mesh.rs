//! The ASM upgrade flows through the binary, on real git repositories in a tempdir, with the
//! repository of `fixtures/examples/mesh-upgrade` (three namespaces: `istio-injection: enabled`,
//! `istio.io/rev: stable` in flow style, not injected; a Deployment in each, one file with CRLF
//! line endings; an IstioGateway shaped like the gateway-canary guide's sample; `[mesh]`
//! revisions 1-22-6 and 1-23-6):
//!
//! * the guide flow, one `--commit` per stage, checking after every stage that `lanes lint` is
//!   clean and what `lanes mesh revisions` shows;
//! * every refusal writes nothing and exits 2 with the reason;
//! * `lanes upgrade check` says the guides differ; `lanes upgrade plan --save` / `next` commit
//!   the plan stage by stage.
//!
//! Goldens (`tests/golden/mesh/`) are rewritten with `LANES_BLESS=1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{Repository, Signature};

const LANES: &str = env!("CARGO_BIN_EXE_lanes");
const T1: &str = "2026-12-02T16:00:00Z";
const T2: &str = "2026-12-02T17:00:00Z";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/mesh-upgrade")
}

fn golden(name: &str, got: &str) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/mesh")
        .join(name);
    if std::env::var_os("LANES_BLESS").is_some() {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e} (run with LANES_BLESS=1)", p.display()));
    assert_eq!(
        got, want,
        "golden {name} differs (LANES_BLESS=1 rewrites it)"
    );
}

struct Repo {
    _dir: tempfile::TempDir,
    home: PathBuf,
    root: PathBuf,
    git: Repository,
}

impl Repo {
    /// A git repository holding the fixture, committed.
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let home = base.join("home");
        let root = base.join("repo");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&root).unwrap();
        for e in std::fs::read_dir(fixture_dir()).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, root.join(p.file_name().unwrap())).unwrap();
        }
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(&root, &opts).unwrap();
        let mut cfg = git.config().unwrap();
        cfg.set_str("user.name", "Mesh Tester").unwrap();
        cfg.set_str("user.email", "mesh@example.invalid").unwrap();
        let r = Repo {
            _dir: dir,
            home,
            root,
            git,
        };
        r.commit_all("the mesh-upgrade example");
        r
    }

    fn commit_all(&self, msg: &str) {
        let mut idx = self.git.index().unwrap();
        idx.add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        idx.write().unwrap();
        let tree = self.git.find_tree(idx.write_tree().unwrap()).unwrap();
        let sig = Signature::now("Mesh Tester", "mesh@example.invalid").unwrap();
        let parent = self.git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .unwrap();
    }

    fn lanes(&self, args: &[&str]) -> Output {
        let mut c = Command::new(LANES);
        c.current_dir(&self.root)
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
        c.args(args).output().unwrap()
    }

    fn read(&self, f: &str) -> String {
        std::fs::read_to_string(self.root.join(f)).unwrap()
    }

    fn commits(&self) -> usize {
        let mut walk = self.git.revwalk().unwrap();
        walk.push_head().unwrap();
        walk.count()
    }

    /// The HEAD commit's message and the files it changed.
    fn head(&self) -> (String, Vec<String>) {
        let c = self.git.head().unwrap().peel_to_commit().unwrap();
        let parent = c.parent(0).unwrap();
        let diff = self
            .git
            .diff_tree_to_tree(
                Some(&parent.tree().unwrap()),
                Some(&c.tree().unwrap()),
                None,
            )
            .unwrap();
        let mut files: Vec<String> = diff
            .deltas()
            .map(|d| d.new_file().path().unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        (c.message().unwrap_or("").trim_end().to_string(), files)
    }

    fn clean(&self) -> bool {
        let mut o = git2::StatusOptions::new();
        o.include_untracked(true);
        self.git.statuses(Some(&mut o)).unwrap().is_empty()
    }

    /// `lanes lint` exits 0 with no error or warning.
    fn assert_lint_clean(&self, stage: &str) {
        let o = self.lanes(&["lint", "--format", "concise"]);
        let text = out(&o);
        assert_eq!(code(&o), 0, "{stage}: lint: {text}{}", err(&o));
        assert!(
            !text.contains("error[") && !text.contains("warning["),
            "{stage}: {text}"
        );
    }

    /// `lanes mesh revisions --format json` as (namespace, injects) pairs.
    fn revisions(&self) -> Vec<(String, String)> {
        let o = self.lanes(&["mesh", "revisions", "--format", "json"]);
        assert_eq!(code(&o), 0, "{}", err(&o));
        let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["namespace"].as_str().unwrap().to_string(),
                    r["injects"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn assert_revisions(&self, stage: &str, want: &[(&str, &str)]) {
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(self.revisions(), want, "{stage}: mesh revisions");
    }

    /// Run a committing stage: exit 0, one new commit with `message` holding exactly `files`,
    /// a clean work tree, lint clean, and the expected revisions table.
    fn stage(
        &self,
        args: &[&str],
        message: &str,
        files: &[&str],
        revisions: &[(&str, &str)],
    ) -> String {
        let before = self.commits();
        let o = self.lanes(args);
        assert_eq!(code(&o), 0, "{args:?}: {}{}", out(&o), err(&o));
        assert_eq!(self.commits(), before + 1, "{args:?}: one commit per stage");
        let (msg, changed) = self.head();
        assert_eq!(msg, message, "{args:?}");
        assert_eq!(changed, files, "{args:?}");
        assert!(
            self.clean(),
            "{args:?}: the work tree is clean after the commit"
        );
        self.assert_lint_clean(&format!("{args:?}"));
        self.assert_revisions(&format!("{args:?}"), revisions);
        out(&o)
    }

    /// A refusal: exit 2, the reason on stderr, no file changed and no commit made.
    fn refused(&self, args: &[&str], reason: &str) {
        let before = self.commits();
        let o = self.lanes(args);
        assert_eq!(code(&o), 2, "{args:?}: {}{}", out(&o), err(&o));
        assert!(err(&o).contains(reason), "{args:?}: {}", err(&o));
        assert_eq!(self.commits(), before, "{args:?}: no commit");
        assert!(self.clean(), "{args:?}: nothing written");
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

const START: &[(&str, &str)] = &[
    ("istio-system", "?"),
    ("productpage", "stable"),
    ("reviews", "stable"),
    ("tools", "none"),
];

#[test]
fn the_example_lints_clean_with_its_lanes_toml() {
    // The two false errors of issue #15: ports with Istio protocols (LN701) and
    // `istio.io/rev: stable` next to `[mesh] revisions` (LN602).
    let r = Repo::new();
    r.assert_lint_clean("fixture");
    r.assert_revisions("fixture", START);
}

#[test]
fn the_guide_flow_one_commit_per_stage() {
    let r = Repo::new();
    let gateway = r.read("gateway.yaml");
    let namespaces = r.read("namespaces.yaml");

    // Gateway canary: start, then finish.
    r.stage(
        &["gateway", "canary", "start", "ingressgateway", "--commit"],
        "lanes: gateway canary start istio-system/ingressgateway",
        &["gateway.yaml"],
        START,
    );
    golden("gateway_canary_started.yaml", &r.read("gateway.yaml"));
    // LN606 notes the running canary (info), which does not make lint unclean.
    let o = r.lanes(&["lint", "--format", "concise"]);
    assert!(out(&o).contains("LN606"), "{}", out(&o));
    let said = r.stage(
        &["gateway", "canary", "finish", "ingressgateway", "--commit"],
        "lanes: gateway canary finish istio-system/ingressgateway",
        &["gateway.yaml"],
        START,
    );
    assert!(
        said.contains("a canary left enabled follows every control-plane upgrade"),
        "{said}"
    );
    assert_eq!(
        r.read("gateway.yaml"),
        gateway,
        "finish undoes start byte for byte"
    );

    // Switch one namespace to canary and redeploy reviews-v2.
    r.stage(
        &[
            "mesh",
            "switch",
            "reviews",
            "--to",
            "canary",
            "--restart",
            "reviews-v2",
            "--restarted-at",
            T1,
            "--commit",
        ],
        "lanes: switch reviews to istio.io/rev canary, restart reviews-v2",
        &["namespaces.yaml", "reviews.yaml"],
        &[
            ("istio-system", "?"),
            ("productpage", "stable"),
            ("reviews", "canary"),
            ("tools", "none"),
        ],
    );
    golden("switched_namespaces.yaml", &r.read("namespaces.yaml"));
    let reviews = r.read("reviews.yaml");
    golden("switched_reviews.yaml", &reviews);
    assert!(
        reviews.matches('\n').count() == reviews.matches("\r\n").count(),
        "CRLF kept"
    );
    assert!(reviews.contains("      # the sidecar version follows the namespace label\r\n"));
    assert!(reviews.contains(&format!(
        "      annotations:\r\n        kubectl.kubernetes.io/restartedAt: \"{T1}\"\r\n"
    )));

    // Switch back: the guide's rollback.
    r.stage(
        &["mesh", "switch", "reviews", "--to", "stable", "--commit"],
        "lanes: switch reviews to istio.io/rev stable",
        &["namespaces.yaml"],
        START,
    );
    assert_eq!(
        r.read("namespaces.yaml"),
        namespaces,
        "switching back restores the labels"
    );

    // Switch again; the revoke check fails while a namespace is on canary.
    r.stage(
        &["mesh", "switch", "reviews", "--to", "canary", "--commit"],
        "lanes: switch reviews to istio.io/rev canary",
        &["namespaces.yaml"],
        &[
            ("istio-system", "?"),
            ("productpage", "stable"),
            ("reviews", "canary"),
            ("tools", "none"),
        ],
    );
    r.refused(
        &["mesh", "check", "--revoke"],
        "namespaces.yaml:15: namespace reviews has istio.io/rev: canary",
    );

    // Promotion sync, then switch the rest (replacing istio-injection: enabled) and restart.
    r.stage(
        &["mesh", "promote", "--commit"],
        "lanes: promotion sync: istio.io/rev canary -> stable",
        &["namespaces.yaml"],
        START,
    );
    r.stage(
        &[
            "mesh",
            "switch",
            "productpage",
            "--to",
            "stable",
            "--restart-all",
            "--restarted-at",
            T2,
            "--commit",
        ],
        "lanes: switch productpage to istio.io/rev stable, restart all workloads",
        &["namespaces.yaml", "productpage.yaml"],
        START,
    );
    let final_ns = r.read("namespaces.yaml");
    golden("final_namespaces.yaml", &final_ns);
    assert!(final_ns.contains("    # injected by the default (stable) control plane\n    istio.io/rev: stable\n    team: web\n"));
    assert!(!final_ns.contains("istio-injection"));
    golden("final_productpage.yaml", &r.read("productpage.yaml"));
    let o = r.lanes(&["mesh", "check", "--revoke"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    // 1 + 7 stage commits.
    assert_eq!(r.commits(), 8);

    // The next canary round: a namespace on canary blocks the revoke again.
    r.stage(
        &[
            "mesh",
            "switch",
            "productpage",
            "--to",
            "canary",
            "--commit",
        ],
        "lanes: switch productpage to istio.io/rev canary",
        &["namespaces.yaml"],
        &[
            ("istio-system", "?"),
            ("productpage", "canary"),
            ("reviews", "stable"),
            ("tools", "none"),
        ],
    );
    r.refused(
        &["mesh", "check", "--revoke"],
        "namespaces.yaml:8: namespace productpage has istio.io/rev: canary",
    );
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let r = Repo::new();
    let o = r.lanes(&[
        "mesh",
        "switch",
        "productpage",
        "reviews",
        "--to",
        "canary",
        "--restart-all",
        "--restarted-at",
        T1,
        "--dry-run",
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    golden("switch_dry_run.diff", &out(&o));
    assert!(r.clean());
    let o = r.lanes(&["gateway", "canary", "start", "ingressgateway", "--dry-run"]);
    assert_eq!(code(&o), 0);
    assert!(out(&o).contains(
        "+  annotations:\n+    asm.alibabacloud.com/enable-canary-deployment: \"true\"\n"
    ));
    assert!(r.clean());
}

#[test]
fn refusals_write_nothing_and_exit_2() {
    let r = Repo::new();
    // The guide's prerequisite: no Deployment named like the canary gateway.
    std::fs::write(
        r.root.join("canary-gw.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istio-ingressgateway-canary\n  namespace: istio-system\nspec:\n  selector:\n    matchLabels: {app: istio-ingressgateway}\n  template:\n    metadata:\n      labels: {app: istio-ingressgateway}\n    spec:\n      containers:\n        - name: istio-proxy\n          image: proxyv2\n",
    )
    .unwrap();
    r.commit_all("a hand-made canary gateway");
    r.refused(
        &["gateway", "canary", "start", "ingressgateway", "--commit"],
        "a Deployment istio-system/istio-ingressgateway-canary already exists in the repository (canary-gw.yaml)",
    );
    std::fs::remove_file(r.root.join("canary-gw.yaml")).unwrap();
    let mut idx = r.git.index().unwrap();
    idx.remove_path(Path::new("canary-gw.yaml")).unwrap();
    idx.write().unwrap();
    r.commit_all("remove it");

    // Canary skipping two minors (the canary-upgrade guide's reading), and two minors with the
    // looser reading.
    r.refused(
        &[
            "upgrade",
            "plan",
            "--to",
            "1.24.2.10",
            "--method",
            "canary",
            "--direct",
            "--save",
        ],
        "not directly to version 1.24",
    );
    r.refused(
        &[
            "upgrade",
            "plan",
            "--to",
            "1.25.0.1",
            "--method",
            "canary",
            "--direct",
            "--canary-skip-minor",
        ],
        "a canary upgrade may skip at most one minor version (1.22 -> 1.24), not 1.22 -> 1.25",
    );

    // Switches the guide does not allow.
    r.refused(
        &["mesh", "switch", "tools", "--to", "canary", "--commit"],
        "namespace tools is not injected",
    );
    r.refused(
        &["mesh", "switch", "reviews", "--to", "1-24-2"],
        "--to 1-24-2: not canary, stable or a known revision (lanes.toml [mesh] lists 1-22-6, 1-23-6)",
    );
    r.refused(
        &[
            "mesh",
            "switch",
            "reviews",
            "--to",
            "canary",
            "--restart",
            "ratings-v1",
        ],
        "--restart ratings-v1: no Deployment or Rollout named ratings-v1 in namespace reviews",
    );
    r.refused(
        &["mesh", "switch", "nowhere", "--to", "canary"],
        "no Namespace nowhere in the repository",
    );
    r.refused(&["mesh", "promote"], "nothing to promote");
    r.refused(
        &["gateway", "canary", "finish", "ingressgateway"],
        "has no asm.alibabacloud.com/enable-canary-deployment annotation",
    );
    r.refused(
        &["gateway", "canary", "start", "egress"],
        "no IstioGateway istio-system/egress in the repository (found: istio-system/ingressgateway)",
    );
    r.refused(&["upgrade", "next"], "no saved upgrade plan");

    // A mesh below 1.20 has no gateway canary.
    let toml = r.read("lanes.toml").replace("1.22.6.20", "1.18.0.158");
    std::fs::write(r.root.join("lanes.toml"), toml).unwrap();
    r.commit_all("an older mesh");
    r.refused(
        &["gateway", "canary", "start", "ingressgateway"],
        "lanes.toml [mesh] version is 1.18.0.158; a gateway canary upgrade needs ASM 1.20 or later",
    );

    // Input that does not parse: nothing is written.
    std::fs::write(r.root.join("broken.yaml"), "kind: [unclosed\n").unwrap();
    r.commit_all("a broken file");
    r.refused(
        &["mesh", "switch", "reviews", "--to", "canary"],
        "an input failed to read or parse, so nothing is written",
    );
}

#[test]
fn upgrade_check_says_the_canary_guide_forbids_the_skip() {
    let r = Repo::new();
    let o = r.lanes(&[
        "upgrade",
        "check",
        "--from",
        "1.22.6.20",
        "--to",
        "1.24.2.10",
    ]);
    assert_eq!(code(&o), 0);
    let t = out(&o);
    assert!(
        t.contains("canary: 2 steps, can be rolled back\n  1. canary to 1.23.x\n  2. canary to 1.24.2.10\n"),
        "{t}"
    );
    assert!(t.contains("\"from version 1.22, you can upgrade to version 1.23 but not directly to version 1.24\""), "{t}");
    assert!(t.contains("the instance-upgrade guide's path table lists 1.16.4.93 -> 1.18.0.158 as \"canary release only\""), "{t}");
    // The looser reading, chosen explicitly in lanes.toml.
    let toml = r.read("lanes.toml") + "canary-skip-minor = true\n";
    std::fs::write(r.root.join("lanes.toml"), toml).unwrap();
    let o = r.lanes(&[
        "upgrade",
        "check",
        "--from",
        "1.22.6.20",
        "--to",
        "1.24.2.10",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["methods"][0]["kind"], "canary");
    assert_eq!(v["methods"][0]["steps"].as_array().unwrap().len(), 1);
    assert!(v["notes"][0]
        .as_str()
        .unwrap()
        .contains("the console may refuse"));
}

#[test]
fn upgrade_plan_prints_the_hops_and_git_changes() {
    // The issue's own command, with open versions.
    let r = Repo::new();
    let o = r.lanes(&[
        "upgrade", "plan", "--from", "1.22.6.x", "--to", "1.24.x", "--method", "canary",
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let t = out(&o);
    assert!(
        t.starts_with("ASM upgrade plan 1.22.6.x -> 1.24.x (canary), 18 stages\n"),
        "{t}"
    );
    assert!(t.contains("[hop 1 to 1.23.x] git: lanes mesh switch productpage reviews --to canary --restart-all"), "{t}");
    assert!(
        t.contains("[hop 2 to 1.24.x] git: lanes mesh promote"),
        "{t}"
    );
    assert!(
        t.contains(
            "[hop 2 to 1.24.x] git: lanes gateway canary finish ingressgateway -n istio-system"
        ),
        "{t}"
    );
    assert!(
        t.contains("not directly to version 1.24"),
        "the guides differ: {t}"
    );
    assert!(r.clean(), "without --save nothing is written");
    let o = r.lanes(&[
        "upgrade", "plan", "--from", "1.22.6.x", "--to", "1.24.x", "--method", "in-place",
    ]);
    assert_eq!(code(&o), 0);
    assert!(out(&o).contains("(in-place), 10 stages"), "{}", out(&o));
}

#[test]
fn upgrade_plan_saved_and_committed_stage_by_stage() {
    let r = Repo::new();
    let o = r.lanes(&["upgrade", "plan", "--to", "1.23.6.5", "--save", "--commit"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let shown: String = out(&o)
        .lines()
        .filter(|l| !l.starts_with("committed "))
        .map(|l| format!("{l}\n"))
        .collect();
    golden("upgrade_plan.txt", &shown);
    assert_eq!(r.head().1, [".lanes/upgrade-plan.json"]);
    let plan: serde_json::Value =
        serde_json::from_str(&r.read(".lanes/upgrade-plan.json")).unwrap();
    let stages = plan["stages"].as_array().unwrap().len();
    assert_eq!(stages, 9);
    // A manual stage is printed until it is checked off; nothing is written meanwhile.
    let o = r.lanes(&["upgrade", "next", "--commit"]);
    assert_eq!(code(&o), 0);
    assert!(
        out(&o).contains("stage 1/9 is a manual step"),
        "{}",
        out(&o)
    );
    assert!(r.clean());
    let mut commits = r.commits();
    for n in 1..=stages {
        let mut o = r.lanes(&["upgrade", "next", "--commit", "--restarted-at", T1]);
        assert_eq!(code(&o), 0, "stage {n}: {}", err(&o));
        if out(&o).contains("is a manual step") {
            o = r.lanes(&["upgrade", "next", "--done", "--commit"]);
            assert_eq!(code(&o), 0, "stage {n}: {}", err(&o));
        }
        assert!(out(&o).contains("committed"), "stage {n}: {}", out(&o));
        commits += 1;
        assert_eq!(r.commits(), commits, "stage {n}: one commit");
        let (msg, files) = r.head();
        assert!(
            msg.starts_with(&format!("lanes: upgrade stage {n}: ")),
            "{msg}"
        );
        assert!(files.contains(&".lanes/upgrade-plan.json".to_string()));
        assert!(r.clean());
        r.assert_lint_clean(&format!("stage {n}"));
        let revs = r.revisions();
        let reviews = &revs.iter().find(|(n, _)| n == "reviews").unwrap().1;
        // Stages 3-4 run on the canary control plane; everything else on stable.
        if n == 3 || n == 4 {
            assert_eq!(reviews, "canary", "stage {n}");
        } else {
            assert_eq!(reviews, "stable", "stage {n}");
        }
        if n == 1 {
            // Stage 2 is a git change: --done does not skip it.
            r.refused(&["upgrade", "next", "--done"], "stage 2/9 is a git change");
        }
    }
    r.refused(
        &["upgrade", "next"],
        "every stage of the upgrade plan 1.22.6.20 -> 1.23.6.5 is done",
    );
    golden("upgrade_final_namespaces.yaml", &r.read("namespaces.yaml"));
}
