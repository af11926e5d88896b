//! Which files `lanes lint` reads, in every mode: Helm charts, kustomize roots and patches,
//! non-manifest YAML, `kind: List`, JSON, standard input, links leaving the repository.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn lanes_in(cwd: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const BAD_ROUTE: &str = "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: r
spec:
  hosts: [r]
  http:
  - route:
    - destination: {host: r, subset: v1}
      weight: 90
    - destination: {host: r, subset: v2}
      weight: 20
";

/// A repository-like tree with everything lanes must not lint as manifests.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    );
    write(r, "chart/values.yaml", "replicas: 1\n");
    write(
        r,
        "chart/templates/d.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n",
    );
    write(
        r,
        "kust/kustomization.yaml",
        "resources:\n- svc.yaml\npatches:\n- path: patch.yaml\npatchesJson6902:\n- path: ops.yaml\n  target: {kind: Service, name: s}\n",
    );
    write(
        r,
        "kust/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - name: http\n    port: 80\n",
    );
    write(
        r,
        "kust/patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s\nspec:\n  replicas: 2\n",
    );
    write(
        r,
        "kust/ops.yaml",
        "- op: add\n  path: /spec/x\n  value: 1\n",
    );
    write(r, ".github/workflows/ci.yaml", "on: push\njobs: {}\n");
    write(r, ".pre-commit-config.yaml", "repos: []\n");
    write(
        r,
        "skaffold.yaml",
        "apiVersion: skaffold/v4beta6\nkind: Config\n",
    );
    write(r, "docker-compose.yml", "services: {}\n");
    write(r, "api/swagger.yaml", "swagger: '2.0'\ninfo: {title: x}\n");
    write(r, "package.json", "{\"name\": \"x\"}\n");
    write(r, "cloudbuild.yaml", "steps:\n- name: gcr.io/x\n");
    dir
}

#[test]
fn charts_patches_and_non_manifests_are_not_linted_and_each_chart_gets_one_note() {
    let dir = tree();
    let o = lanes_in(dir.path(), &["lint", "--format", "concise"], None);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let text = out(&o);
    assert!(text.contains("chart/Chart.yaml:1:1: info[LN008]"), "{text}");
    assert_eq!(text.lines().count(), 2, "one note and the summary: {text}");
    assert!(
        text.contains("in 2 files"),
        "kust/svc.yaml and cloudbuild.yaml: {text}"
    );
}

#[test]
fn explain_files_says_what_was_done_with_each_file() {
    let dir = tree();
    let o = lanes_in(dir.path(), &["lint", "--explain-files"], None);
    let listing = err(&o);
    for (file, word, why) in [
        (
            "chart/templates/d.yaml",
            "skip",
            "a template of the Helm chart",
        ),
        ("chart/values.yaml", "skip", "Helm chart"),
        ("kust/kustomization.yaml", "skip", "kustomization"),
        (
            "kust/patch.yaml",
            "skip",
            "patch named by kust/kustomization.yaml (patches)",
        ),
        ("kust/ops.yaml", "skip", "(patchesJson6902)"),
        ("kust/svc.yaml", "lint", "manifest"),
        (".github/workflows/ci.yaml", "skip", "GitHub"),
        ("skaffold.yaml", "skip", "skaffold"),
        ("docker-compose.yml", "skip", "docker-compose"),
        ("api/swagger.yaml", "skip", "OpenAPI"),
        ("package.json", "skip", "JSON without Kubernetes objects"),
    ] {
        let line = listing
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(file))
            .unwrap_or_else(|| panic!("{file} not listed:\n{listing}"));
        assert!(line.starts_with(word), "{line}");
        assert!(line.contains(why), "{line}");
    }
}

#[test]
fn list_items_are_resources_with_their_own_spans() {
    let dir = tempfile::tempdir().unwrap();
    let items: String = BAD_ROUTE
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>()
        .replacen("    apiVersion", "  - apiVersion", 1);
    let list = format!("apiVersion: v1\nkind: List\nitems:\n{items}");
    write(dir.path(), "list.yaml", &list);
    let o = lanes_in(dir.path(), &["lint", "--format", "concise"], None);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    // The route is on line 4 + 7 = 11 of the List, column 9 (inside the item).
    assert!(
        out(&o).contains("list.yaml:11:9: error[LN101] http[0] weights sum to 110"),
        "{}",
        out(&o)
    );
    // A typed list, JSON, walked from the folder.
    let json = r#"{"apiVersion": "v1", "kind": "ServiceList", "items": [
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"},
   "spec": {"ports": [{"port": "eighty"}]}}
]}
"#;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "svc.json", json);
    let o = lanes_in(dir.path(), &["lint", "--format", "concise"], None);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("svc.json:3:32: error[LN701]"),
        "{}",
        out(&o)
    );
}

#[test]
fn standard_input_is_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let o = lanes_in(
        dir.path(),
        &["lint", "--format", "concise", "-"],
        Some(BAD_ROUTE),
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).starts_with("<stdin>:8:5: error[LN101]"),
        "{}",
        out(&o)
    );
    let o = lanes_in(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "--stdin-filename",
            "apps/r.yaml",
            "-",
        ],
        Some(BAD_ROUTE),
    );
    assert!(
        out(&o).starts_with("apps/r.yaml:8:5: error[LN101]"),
        "{}",
        out(&o)
    );
    let o = lanes_in(
        dir.path(),
        &["lint", "--format", "concise", "/dev/stdin"],
        Some(BAD_ROUTE),
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).starts_with("<stdin>:8:5: error[LN101]"),
        "{}",
        out(&o)
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read_and_one_found_by_walking_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, BAD_ROUTE).unwrap())
    };
    let o = lanes_in(
        dir.path(),
        &["lint", "--format", "concise", "pipe.yaml"],
        None,
    );
    writer.join().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).starts_with("pipe.yaml:8:5: error[LN101]"),
        "{}",
        out(&o)
    );
    // Walking: the FIFO is skipped (no one writes to it: reading would hang).
    write(
        dir.path(),
        "ok.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n",
    );
    let o = lanes_in(dir.path(), &["lint", "--format", "concise"], None);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
}

#[test]
fn a_named_path_that_yields_nothing_is_exit_2() {
    let dir = tree();
    for path in [
        "chart/values.yaml",
        "kust/kustomization.yaml",
        ".github",
        "package.json",
    ] {
        let o = lanes_in(dir.path(), &["lint", "--format", "concise", path], None);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", out(&o));
        assert!(out(&o).contains("nothing to lint"), "{path}: {}", out(&o));
    }
    // The default path (no path named) never fails for being empty.
    let empty = tempfile::tempdir().unwrap();
    let o = lanes_in(empty.path(), &["lint"], None);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[cfg(unix)]
#[test]
fn a_link_leaving_the_root_is_reported_once_without_its_content() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.yaml",
        "SECRET_TOKEN: hunter2\nkind: x\nmetadata: {}\n",
    );
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ok.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("env.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("ok.yaml", dir.path().join("inside.yaml")).unwrap();
    for args in [
        &["lint"][..],
        &["lint", "env.yaml"],
        &["lint", "--format", "json"],
    ] {
        let o = lanes_in(dir.path(), args, None);
        let all = format!("{}{}", out(&o), err(&o));
        assert!(!all.contains("hunter2"), "{args:?}: {all}");
        assert_eq!(all.matches("LN009").count(), 1, "{args:?}: {all}");
        // Named on its own, a link that is not followed leaves nothing to lint: exit 2.
        let want = if args.contains(&"env.yaml") { 2 } else { 0 };
        assert_eq!(o.status.code(), Some(want), "{args:?}: {all}");
    }
}

#[test]
fn staged_lint_applies_the_same_file_set_and_lanes_toml_exclude() {
    let dir = tree();
    let r = dir.path();
    write(r, "gen/bad.yaml", BAD_ROUTE);
    write(r, "lanes.toml", "exclude = [\"gen/**\"]\n");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(r)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", r)
            .output();
        o.map(|o| o.status.success()).unwrap_or(false)
    };
    if !git(&["init", "-q"]) {
        eprintln!("skipped: no git CLI");
        return;
    }
    assert!(git(&["add", "-A"]));
    let work = lanes_in(r, &["lint", "--format", "concise"], None);
    let staged = lanes_in(r, &["lint", "--staged", "--format", "github"], None);
    assert_eq!(work.status.code(), Some(0), "{}", out(&work));
    assert_eq!(
        staged.status.code(),
        Some(0),
        "{}{}",
        out(&staged),
        err(&staged)
    );
    assert!(out(&staged).contains("LN008"), "{}", out(&staged));
    assert!(!out(&staged).contains("LN101"), "{}", out(&staged));
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

#[test]
fn render_builds_kustomize_roots_and_points_findings_at_the_base_and_component_files() {
    if !on_path("kustomize") && !on_path("kubectl") {
        eprintln!("skipped: neither kustomize nor kubectl is on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "base/vs.yaml", BAD_ROUTE);
    write(r, "base/kustomization.yaml", "resources:\n- vs.yaml\n");
    write(
        r,
        "comp/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- dr.yaml\n",
    );
    write(
        r,
        "comp/dr.yaml",
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: r\nspec:\n  host: r\n  subsets:\n  - name: v1\n    labels: {version: v1}\n    weight: 3\n",
    );
    write(
        r,
        "overlay/kustomization.yaml",
        "resources:\n- ../base\ncomponents:\n- ../comp\nnamePrefix: prod-\nnamespace: prod\n",
    );
    let before: Vec<(String, Vec<u8>)> = ["base/kustomization.yaml", "overlay/kustomization.yaml"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(r.join(f)).unwrap()))
        .collect();
    let o = lanes_in(
        r,
        &["lint", "--render", "--format", "concise", "--explain-files"],
        None,
    );
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}{}", err(&o));
    // The route split is in the base file, the unknown field in the component's file.
    assert!(text.contains("base/vs.yaml:8:5: error[LN101]"), "{text}");
    assert!(
        text.contains("comp/dr.yaml:10:5: error[LN702] unknown field `weight`"),
        "{text}"
    );
    assert!(
        err(&o).contains("rendered     overlay/kustomization.yaml"),
        "{}",
        err(&o)
    );
    // Each finding once: the files are linted through the rendered output only.
    assert_eq!(text.matches("LN101").count(), 1, "{text}");
    for (f, bytes) in before {
        assert_eq!(
            std::fs::read(r.join(&f)).unwrap(),
            bytes,
            "{f} was modified"
        );
    }
    // A value a patch set is reported at the patch.
    write(
        r,
        "overlay/kustomization.yaml",
        "resources:\n- ../base\n- svc.yaml\npatches:\n- path: port.yaml\n  target: {kind: Service, name: s}\n",
    );
    write(
        r,
        "overlay/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - name: http\n    port: 80\n",
    );
    write(
        r,
        "overlay/port.yaml",
        "- op: replace\n  path: /spec/ports/0/port\n  value: eighty\n",
    );
    let o = lanes_in(r, &["lint", "--render", "--format", "concise"], None);
    assert!(
        out(&o).contains("overlay/port.yaml:3:10: error[LN701]"),
        "{}",
        out(&o)
    );
    // A kustomization that does not build is LN010 at the kustomization.
    write(
        r,
        "overlay/kustomization.yaml",
        "resources:\n- ../base\n- ../nothing-here\n",
    );
    let o = lanes_in(r, &["lint", "--render", "--format", "concise"], None);
    assert!(
        out(&o).contains("overlay/kustomization.yaml:1:1: error[LN010]"),
        "{}",
        out(&o)
    );
}

#[test]
fn render_with_helm_lints_the_chart_output_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "chart/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    );
    write(r, "chart/values.yaml", "weight: 110\n");
    write(
        r,
        "chart/templates/vs.yaml",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n      weight: {{ .Values.weight }}\n",
    );
    let o = lanes_in(r, &["lint", "--render", "--format", "concise"], None);
    if !on_path("helm") {
        eprintln!("skipped the rendering half: helm is not on PATH");
        assert!(
            out(&o).contains("chart/Chart.yaml:1:1: info[LN008]"),
            "{}",
            out(&o)
        );
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        return;
    }
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("LN101"), "{}", out(&o));
}

/// rollouts-demo's layout: two sibling folders that each define Rollout `default/istio-rollout`
/// with its own Services and VirtualService.
fn two_demos() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rollout = |vs: &str, extra: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: istio-rollout\nspec:\n  selector:\n    matchLabels: {{app: istio-rollout}}\n  template:\n    metadata:\n      labels: {{app: istio-rollout}}\n    spec:\n      containers:\n      - name: c\n        image: argoproj/rollouts-demo:blue\n  strategy:\n    canary:\n{extra}      trafficRouting:\n        istio:\n          virtualService:\n            name: {vs}\n            routes: [primary]\n      steps:\n      - setWeight: 10\n      - pause: {{duration: 10}}\n"
        )
    };
    let r = dir.path();
    write(
        r,
        "istio/rollout.yaml",
        &rollout(
            "istio-rollout-vsvc",
            "      canaryService: istio-rollout-canary\n      stableService: istio-rollout-stable\n",
        ),
    );
    let svc = |n: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {n}\nspec:\n  ports:\n  - name: http\n    port: 80\n  selector: {{app: istio-rollout}}\n")
    };
    write(
        r,
        "istio/services.yaml",
        &format!(
            "{}---\n{}",
            svc("istio-rollout-canary"),
            svc("istio-rollout-stable")
        ),
    );
    write(
        r,
        "istio/vs.yaml",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: istio-rollout-vsvc\nspec:\n  hosts: [\"*\"]\n  http:\n  - name: primary\n    route:\n    - destination: {host: istio-rollout-stable}\n      weight: 100\n    - destination: {host: istio-rollout-canary}\n      weight: 0\n",
    );
    let mut subset = rollout("istio-rollout-vsvc", "");
    subset = subset.replace(
        "            routes: [primary]\n",
        "            routes: [primary]\n          destinationRule:\n            name: istio-rollout-destrule\n            canarySubsetName: canary\n            stableSubsetName: stable\n",
    );
    write(r, "istio-subset/rollout.yaml", &subset);
    write(r, "istio-subset/services.yaml", &svc("istio-rollout"));
    write(
        r,
        "istio-subset/vs.yaml",
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: istio-rollout-vsvc\nspec:\n  hosts: [\"*\"]\n  http:\n  - name: primary\n    route:\n    - destination: {host: istio-rollout, subset: stable}\n      weight: 100\n    - destination: {host: istio-rollout, subset: canary}\n      weight: 0\n",
    );
    write(
        r,
        "istio-subset/dr.yaml",
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: istio-rollout-destrule\nspec:\n  host: istio-rollout\n  subsets:\n  - name: canary\n    labels: {app: istio-rollout}\n  - name: stable\n    labels: {app: istio-rollout}\n",
    );
    dir
}

fn warnings_and_errors(o: &Output) -> Vec<String> {
    out(o)
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .map(str::to_string)
        .collect()
}

#[test]
fn duplicate_objects_in_one_universe_warn_once_and_references_resolve_to_the_nearest() {
    let dir = two_demos();
    for folder in ["istio", "istio-subset"] {
        let o = lanes_in(dir.path(), &["lint", "--format", "concise", folder], None);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        assert!(warnings_and_errors(&o).is_empty(), "{folder}: {}", out(&o));
    }
    let o = lanes_in(dir.path(), &["lint", "--format", "concise"], None);
    let found = warnings_and_errors(&o);
    assert_eq!(
        found,
        vec![
            "istio-subset/rollout.yaml:4:9: warning[LN011] Rollout default/istio-rollout is defined again in this universe (first in istio/rollout.yaml:4); Argo CD syncs both and one silently wins",
            "istio-subset/vs.yaml:4:9: warning[LN011] VirtualService default/istio-rollout-vsvc is defined again in this universe (first in istio/vs.yaml:4); Argo CD syncs both and one silently wins",
        ],
        "{}",
        out(&o)
    );
    assert_eq!(o.status.code(), Some(0));
    // Declared as separate universes: clean.
    write(
        dir.path(),
        "lanes.toml",
        "[universes]\nistio = [\"istio/**\"]\nistio-subset = [\"istio-subset/**\"]\n",
    );
    let o = lanes_in(dir.path(), &["lint", "--format", "concise"], None);
    assert!(warnings_and_errors(&o).is_empty(), "{}", out(&o));
    // A malformed entry is a located error.
    write(
        dir.path(),
        "lanes.toml",
        "[universes]\nistio = \"istio/**\"\n",
    );
    let o = lanes_in(dir.path(), &["lint"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("lanes.toml:1:1: `universes.istio` must be an array of globs"),
        "{}",
        err(&o)
    );
}

#[test]
fn app_directory_recurse_include_and_exclude_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "apps/top.yaml", BAD_ROUTE);
    write(r, "apps/skip.yaml", BAD_ROUTE);
    write(r, "apps/sub/deep.yaml", BAD_ROUTE);
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(r)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", r)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !git(&["init", "-q"]) {
        eprintln!("skipped: no git CLI");
        return;
    }
    assert!(git(&["add", "-A"]) && git(&["commit", "-qm", "init"]));
    let app = |directory: &str| {
        format!("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  source:\n    repoURL: https://example.invalid/acme/gitops\n    path: apps\n    targetRevision: HEAD\n{directory}")
    };
    let files = |directory: &str| -> Vec<String> {
        std::fs::write(r.join("app.yaml"), app(directory)).unwrap();
        let o = lanes_in(
            r,
            &[
                "lint",
                "--format",
                "github",
                "--app",
                "app.yaml",
                "--repo",
                "https://example.invalid/acme/gitops",
            ],
            None,
        );
        let mut v: Vec<String> = out(&o)
            .lines()
            .filter_map(|l| l.split("file=").nth(1))
            .filter_map(|l| l.split(',').next())
            .map(str::to_string)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(files(""), vec!["apps/skip.yaml", "apps/top.yaml"]);
    assert_eq!(
        files("    directory:\n      recurse: true\n      exclude: skip.yaml\n"),
        vec!["apps/sub/deep.yaml", "apps/top.yaml"]
    );
    assert_eq!(
        files("    directory:\n      recurse: true\n      include: '{top.yaml,sub/*}'\n"),
        vec!["apps/sub/deep.yaml", "apps/top.yaml"]
    );
}

/// `git` in `r` with a clean identity and no user configuration; false when git is missing.
fn git_in(r: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(r)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", r)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn app_on_a_kustomize_root_renders_it_at_the_revision_and_points_at_the_base() {
    if !on_path("kustomize") && !on_path("kubectl") {
        eprintln!("skipped: neither kustomize nor kubectl is on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "base/vs.yaml", BAD_ROUTE);
    write(r, "base/kustomization.yaml", "resources:\n- vs.yaml\n");
    write(
        r,
        "overlay/kustomization.yaml",
        "resources:\n- ../base\nnamespace: prod\n",
    );
    // Not listed by the kustomization, and a kustomization below the source path: Argo CD
    // applies neither.
    write(r, "overlay/stray.yaml", BAD_ROUTE);
    write(r, "overlay/test/vs.yaml", BAD_ROUTE);
    write(
        r,
        "overlay/test/kustomization.yaml",
        "resources:\n- vs.yaml\n",
    );
    write(
        r,
        "app.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  source:\n    repoURL: https://example.invalid/acme/gitops\n    path: overlay\n    targetRevision: HEAD\n",
    );
    if !git_in(r, &["init", "-q"]) {
        eprintln!("skipped: no git CLI");
        return;
    }
    assert!(git_in(r, &["add", "-A"]) && git_in(r, &["commit", "-qm", "init"]));
    // The work tree differs from the commit: the revision is what gets rendered.
    write(r, "base/vs.yaml", "# emptied in the work tree\n");
    let o = lanes_in(
        r,
        &[
            "lint",
            "--format",
            "concise",
            "--explain-files",
            "--app",
            "app.yaml",
            "--repo",
            "https://example.invalid/acme/gitops",
        ],
        None,
    );
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}{}", err(&o));
    // The overlay's only resource is its base: found through the render, reported at the base
    // file of the commit, once.
    assert!(
        text.contains("HEAD:base/vs.yaml:8:5: error[LN101]"),
        "{text}"
    );
    assert_eq!(text.matches("LN101").count(), 1, "{text}");
    assert!(
        err(&o).contains("rendered     HEAD:overlay/kustomization.yaml"),
        "{}",
        err(&o)
    );
    assert!(!text.contains("/tmp"), "{text}");
}
