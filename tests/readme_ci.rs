//! The README's CI recipes, run as written in a scratch GitOps repository that holds manifests
//! and no Rust project: the "Any CI" shell step, the GitHub Actions job, the GitLab CI job, and
//! the composite action's (`action.yml`) run steps. A recipe that does not work as written fails
//! here.
//!
//! Substitutions, the only ones (everything else runs verbatim, each step with the shell its CI
//! uses):
//! - **`cargo install`**: the recipe's install line must be exactly
//!   `cargo install --locked --git <workspace repository URL> lanes-cli` (never `--path .`, which
//!   fails in a manifests repository); it is replaced by `true`, and the `lanes` under test
//!   (`CARGO_BIN_EXE_lanes`, built from this checkout) is put first on PATH instead. The URL is
//!   the placeholder, so the line cannot be run from here.
//! - GitHub `uses:` steps: `actions/checkout` (fetch-depth 0) is the scratch clone itself,
//!   `dtolnay/rust-toolchain` does nothing, `github/codeql-action/upload-sarif` checks that
//!   its `sarif_file` exists and is SARIF 2.1.0.
//! - `${{ … }}` expressions get pull-request values (`github.base_ref` = `main`, …); an
//!   expression the test does not know fails it.
//! - `gh` is a stub on PATH that records its arguments and checks the `--body-file` exists.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const LANES: &str = env!("CARGO_BIN_EXE_lanes");
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The first fenced block after the heading line `heading`.
fn block_after(text: &str, heading: &str) -> String {
    let mut lines = text.lines().skip_while(|l| *l != heading);
    assert!(lines.next().is_some(), "README has no heading {heading:?}");
    let mut lines = lines.skip_while(|l| !l.starts_with("```"));
    lines
        .next()
        .unwrap_or_else(|| panic!("no code block after {heading:?}"));
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("```")).collect();
    body.join("\n") + "\n"
}

fn yaml(name: &str, text: &str) -> Value {
    let parsed = lanes_yaml::parse_str(name, text);
    assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
    lanes_yaml::to_json(parsed.docs[0].root().expect("a document")).unwrap()
}

/// The install substitution (see the module docs): checks the line, returns `true`.
fn substitute_install(line: &str) -> Option<String> {
    let cmd = line.split(" #").next().unwrap().trim();
    if !cmd.starts_with("cargo install") {
        return None;
    }
    assert_eq!(
        cmd,
        format!("cargo install --locked --git {REPOSITORY} lanes-cli"),
        "the README's install line must install lanes-cli from git with the lock file"
    );
    Some("true".to_owned())
}

fn substitute_script(script: &str) -> String {
    let mut out = String::new();
    let mut installs = 0;
    for line in script.lines() {
        match substitute_install(line) {
            Some(s) => {
                installs += 1;
                out.push_str(&s);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    assert!(installs <= 1, "{script}");
    out
}

fn expressions(text: &str) -> String {
    let known = [
        ("${{ github.base_ref }}", "main"),
        ("${{ github.event.pull_request.number }}", "7"),
        ("${{ github.token }}", "test-token"),
    ];
    let mut s = text.to_owned();
    for (k, v) in known {
        s = s.replace(k, v);
    }
    assert!(!s.contains("${{"), "unknown expression in {s:?}");
    s
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

struct Scratch {
    _dir: tempfile::TempDir,
    base: PathBuf,
    /// The clone CI checks out: branch `feature` (one commit moving traffic) on `origin/main`.
    work: PathBuf,
    bin: PathBuf,
}

/// A GitOps repository with no Rust project: the bundled swimlane sample under `apps/mock/`,
/// pushed to a bare `origin`, cloned, and a pull-request branch that moves 10% of traffic.
fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let seed = base.join("seed");
    let apps = seed.join("apps/mock");
    std::fs::create_dir_all(&apps).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/swimlane");
    for e in std::fs::read_dir(&sample).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, apps.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(seed.join("README.md"), "manifests\n").unwrap();
    git(&seed, &["init", "-q", "-b", "main"]);
    git(&seed, &["add", "."]);
    git(&seed, &["commit", "-q", "-m", "mock lanes"]);
    git(&base, &["clone", "-q", "--bare", "seed", "origin.git"]);
    git(&base, &["clone", "-q", "origin.git", "work"]);
    let work = base.join("work");
    git(&work, &["checkout", "-q", "-b", "feature"]);
    let route = work.join("apps/mock/mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    assert_eq!(text.matches("weight: 50").count(), 2);
    let text = text
        .replacen("weight: 50", "weight: 60", 1)
        .replacen("weight: 50", "weight: 40", 1);
    std::fs::write(&route, text).unwrap();
    git(&work, &["commit", "-q", "-am", "mock: v1 60, v2 40"]);

    // PATH: the lanes under test first, and the `gh` stub.
    let bin = base.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(LANES, bin.join("lanes")).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        "#!/bin/sh\necho \"$@\" >> \"$GH_LOG\"\nwhile [ $# -gt 0 ]; do\n  if [ \"$1\" = --body-file ]; then test -s \"$2\" || exit 3; fi\n  shift\ndone\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    Scratch {
        _dir: dir,
        base,
        work,
        bin,
    }
}

impl Scratch {
    fn path(&self) -> String {
        format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// Runs `script` with `shell` (argv before the script) in the work tree; returns the exit code.
    fn run(&self, shell: &[&str], script: &str, env: &BTreeMap<String, String>) -> i32 {
        let out = Command::new(shell[0])
            .args(&shell[1..])
            .arg(script)
            .current_dir(&self.work)
            .env("PATH", self.path())
            .env("GH_LOG", self.base.join("gh.log"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("TARGET_BRANCH")
            .envs(env)
            .output()
            .unwrap();
        eprintln!(
            "--- {script}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out.status.code().unwrap_or(-1)
    }
}

fn sarif_ok(path: &Path) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0", "{}", path.display());
}

#[test]
fn any_ci_shell_step_runs_as_written() {
    let script = substitute_script(&block_after(&readme(), "#### Any CI (shell step)"));
    assert!(!script.contains("--path ."), "{script}");
    let s = scratch();
    assert_eq!(s.run(&["sh", "-c"], &script, &BTreeMap::new()), 0);
    let traffic = std::fs::read_to_string(s.work.join("traffic.md")).unwrap();
    assert!(traffic.contains("60"), "{traffic}");

    // The same job on a pull request that breaks a split fails.
    let route = s.work.join("apps/mock/mock-route.yaml");
    let text = std::fs::read_to_string(&route).unwrap();
    std::fs::write(&route, text.replacen("weight: 40", "weight: 50", 1)).unwrap();
    assert_eq!(s.run(&["sh", "-c"], &script, &BTreeMap::new()), 1);
}

/// Runs GitHub steps in order, as a runner would: a failed step skips the later steps unless
/// they are `if: always()`. Returns whether the job succeeded.
fn run_github_steps(s: &Scratch, steps: &[Value], inputs: &BTreeMap<String, String>) -> bool {
    let mut failed = false;
    for step in steps {
        let cond = step["if"].as_str().unwrap_or("");
        let cond = cond.trim_start_matches("${{").trim_end_matches("}}").trim();
        let wanted = match cond {
            "" => !failed,
            "always()" => true,
            other => {
                // action.yml: `always() && inputs.sarif == 'true'`.
                let rest = other
                    .strip_prefix("always() && inputs.")
                    .unwrap_or_else(|| panic!("unknown condition {other:?}"));
                let (name, val) = rest.split_once(" == ").unwrap();
                inputs.get(name).map(String::as_str) == Some(val.trim_matches('\''))
            }
        };
        if !wanted {
            continue;
        }
        if let Some(uses) = step["uses"].as_str() {
            let action = uses.split('@').next().unwrap();
            match action {
                "actions/checkout" => {
                    assert_eq!(step["with"]["fetch-depth"], 0, "lanes diff needs history")
                }
                "dtolnay/rust-toolchain" => {}
                "github/codeql-action/upload-sarif" => {
                    let file = step["with"]["sarif_file"].as_str().unwrap();
                    sarif_ok(&s.work.join(file));
                }
                other => panic!("unknown action {other}"),
            }
            continue;
        }
        let run = step["run"].as_str().expect("a run or uses step");
        let mut env = BTreeMap::new();
        if let Some(e) = step["env"].as_object() {
            for (k, v) in e {
                let v = v.as_str().unwrap();
                let v = match v {
                    "${{ github.action_path }}" => env!("CARGO_MANIFEST_DIR").to_owned(),
                    v if v.starts_with("${{ inputs.") => {
                        let name = v["${{ inputs.".len()..].trim_end_matches(" }}");
                        inputs[name].clone()
                    }
                    v => expressions(v),
                };
                env.insert(k.clone(), v);
            }
        }
        env.insert(
            "GITHUB_OUTPUT".into(),
            s.base.join("github_output").display().to_string(),
        );
        env.insert(
            "GITHUB_PATH".into(),
            s.base.join("github_path").display().to_string(),
        );
        let script = if run.contains("$GITHUB_ACTION_PATH") {
            // action.yml installs from its own checkout: the same substitution.
            assert!(
                run.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""),
                "{run}"
            );
            "true".to_owned()
        } else {
            substitute_script(&expressions(run))
        };
        // GitHub's `shell: bash` (the default on Linux runners).
        let rc = s.run(
            &["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"],
            &script,
            &env,
        );
        if rc != 0 {
            failed = true;
        }
    }
    !failed
}

#[test]
fn github_actions_job_runs_as_written() {
    let text = block_after(&readme(), "#### GitHub Actions");
    let wf = yaml("lanes.yml", &text);
    let steps = wf["jobs"]["lint"]["steps"].as_array().unwrap();
    let installs = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .filter(|r| r.contains("cargo install"))
        .count();
    assert_eq!(installs, 1);
    let s = scratch();
    assert!(run_github_steps(&s, steps, &BTreeMap::new()));
    let log = std::fs::read_to_string(s.base.join("gh.log")).unwrap();
    assert!(log.contains("pr comment 7 --body-file traffic.md"), "{log}");
    let traffic = std::fs::read_to_string(s.work.join("traffic.md")).unwrap();
    assert!(traffic.contains("60"), "{traffic}");
}

#[test]
fn composite_action_runs_as_written() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    let action = yaml("action.yml", &text);
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    for st in steps.iter().filter(|s| s["run"].is_string()) {
        assert_eq!(st["shell"], "bash", "composite run steps need a shell");
    }
    let inputs = |sarif: &str| -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        for (k, v) in action["inputs"].as_object().unwrap() {
            m.insert(k.clone(), v["default"].as_str().unwrap().to_owned());
        }
        m.insert("sarif".into(), sarif.into());
        m
    };
    let s = scratch();
    assert!(run_github_steps(&s, steps, &inputs("false")));
    assert!(!s.work.join("lanes.sarif").exists());
    assert!(run_github_steps(&s, steps, &inputs("true")));
    sarif_ok(&s.work.join("lanes.sarif"));
    let out = std::fs::read_to_string(s.base.join("github_output")).unwrap();
    assert!(out.contains("exit-code=0"), "{out}");

    // A broken split fails the action, and its SARIF is still written and uploaded.
    std::fs::remove_file(s.work.join("lanes.sarif")).unwrap();
    let route = s.work.join("apps/mock/mock-route.yaml");
    let t = std::fs::read_to_string(&route).unwrap();
    std::fs::write(&route, t.replacen("weight: 40", "weight: 50", 1)).unwrap();
    assert!(!run_github_steps(&s, steps, &inputs("true")));
    sarif_ok(&s.work.join("lanes.sarif"));
    let out = std::fs::read_to_string(s.base.join("github_output")).unwrap();
    assert!(out.contains("exit-code=1"), "{out}");
}

#[test]
fn gitlab_ci_job_runs_as_written() {
    let text = block_after(&readme(), "#### GitLab CI");
    let ci = yaml(".gitlab-ci.yml", &text);
    let job = &ci["lanes"];
    let lines: Vec<&str> = ["before_script", "script"]
        .iter()
        .flat_map(|k| job[k].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap())
        .collect();
    // GitLab runs the lines in one shell and fails the job at the first line that fails.
    let script = substitute_script(&format!("set -e\n{}\n", lines.join("\n")));
    assert!(script.contains("\ntrue\n"), "one install line: {script}");
    let report = job["artifacts"]["reports"]["codequality"].as_str().unwrap();
    assert_eq!(job["artifacts"]["when"], "always");

    let s = scratch();
    assert_eq!(s.run(&["sh", "-c"], &script, &BTreeMap::new()), 0);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(s.work.join(report)).unwrap()).unwrap();
    assert_eq!(v, Value::Array(vec![]));

    // A broken split (in a fresh job: no report from the last run in the checkout): the job
    // fails and the report names the file from the repository root.
    std::fs::remove_file(s.work.join(report)).unwrap();
    let route = s.work.join("apps/mock/mock-route.yaml");
    let t = std::fs::read_to_string(&route).unwrap();
    std::fs::write(&route, t.replacen("weight: 40", "weight: 50", 1)).unwrap();
    assert_eq!(s.run(&["sh", "-c"], &script, &BTreeMap::new()), 1);
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(s.work.join(report)).unwrap()).unwrap();
    assert_eq!(v[0]["check_name"], "LN101");
    assert_eq!(v[0]["location"]["path"], "apps/mock/mock-route.yaml");
}
