//! Universes from Argo CD Applications, on real git repositories built in temporary folders:
//! an Application's sources count only when its `repoURL` is a remote of the linted repository.

use std::path::Path;
use std::process::{Command, Output};

fn lanes_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lanes"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
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

fn git(r: &Path, args: &[&str]) -> bool {
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

const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n";

fn app(name: &str, repo: &str, path: &str, dest: &str) -> String {
    format!("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: {repo}\n    path: {path}\n    targetRevision: HEAD\n  destination:\n{dest}")
}

/// A repository with two environments defining the same Service, and (when `remote` is given)
/// that remote as `origin`; `None` when git is missing.
fn envs(remote: Option<&str>) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "envs/a/svc.yaml", SVC);
    write(r, "envs/b/svc.yaml", SVC);
    if !git(r, &["init", "-q"]) {
        eprintln!("skipped: no git CLI");
        return None;
    }
    if let Some(url) = remote {
        assert!(git(r, &["remote", "add", "origin", url]));
    }
    Some(dir)
}

fn lint(r: &Path) -> String {
    let o = lanes_in(r, &["lint", "--format", "concise"]);
    assert!(o.status.code() != Some(2), "{}{}", out(&o), err(&o));
    out(&o)
}

fn explain(r: &Path) -> String {
    let o = lanes_in(r, &["lint", "--format", "concise", "--explain-files"]);
    err(&o)
}

const URL: &str = "https://GitHub.com/acme/gitops/";

#[test]
fn applications_of_this_repository_form_one_universe_per_destination_cluster() {
    let Some(dir) = envs(Some("git@github.com:acme/gitops.git")) else {
        return;
    };
    let r = dir.path();
    let apps = |dest_a: &str, dest_b: &str| {
        write(
            r,
            "apps/apps.yaml",
            &format!(
                "{}---\n{}",
                app("a", URL, "envs/a", dest_a),
                app("b", "ssh://git@github.com/acme/gitops", "./envs/b/", dest_b)
            ),
        );
        lint(r)
    };
    // Different clusters: two objects, no duplicate.
    let text = apps(
        "    server: https://prod.example.invalid\n    namespace: shop\n",
        "    name: staging\n    namespace: shop\n",
    );
    assert!(!text.contains("LN011"), "{text}");
    let why = explain(r);
    assert!(
        why.contains("universe cluster:server:https://prod.example.invalid (Application `a`, default namespace shop)"),
        "{why}"
    );
    assert!(
        why.contains("Application `b`: envs/b synced to cluster name:staging"),
        "{why}"
    );
    // The same cluster (by server URL, or `in-cluster` by name): one object defined twice.
    let text = apps(
        "    server: https://kubernetes.default.svc\n    namespace: shop\n",
        "    name: in-cluster\n    namespace: shop\n",
    );
    assert_eq!(text.matches("LN011").count(), 1, "{text}");
    assert!(text.contains("envs/b/svc.yaml"), "{text}");
    // The same cluster, different destination namespaces: different objects.
    let text = apps(
        "    server: https://kubernetes.default.svc\n    namespace: shop\n",
        "    server: https://kubernetes.default.svc/\n    namespace: shop-eu\n",
    );
    assert!(!text.contains("LN011"), "{text}");
    // The hook's view (git names, `:path`) decides the same.
    assert!(git(r, &["add", "-A"]));
    let o = lanes_in(r, &["lint", "--staged", "--format", "concise"]);
    assert!(!out(&o).contains("LN011"), "{}{}", out(&o), err(&o));
    // Linted from elsewhere: source paths are still relative to the repository's root.
    let parent = r.parent().unwrap();
    let name = r.file_name().unwrap().to_str().unwrap();
    let o = lanes_in(parent, &["lint", "--format", "concise", name]);
    assert!(!out(&o).contains("LN011"), "{}{}", out(&o), err(&o));
    // lanes.toml `[universes]` wins over the Applications.
    write(r, "lanes.toml", "[universes]\nall = [\"envs/**\"]\n");
    let text = lint(r);
    assert_eq!(text.matches("LN011").count(), 1, "{text}");
}

#[test]
fn applications_of_another_repository_or_outside_git_assign_nothing() {
    // The reverted first attempt: an app-of-apps whose `path: envs` names a folder of another
    // repository must not claim this repository's `envs/`.
    let other = |r: &Path| {
        write(
            r,
            "apps/apps.yaml",
            &format!(
                "{}---\n{}",
                app(
                    "a",
                    "https://github.com/someone/else",
                    "envs/a",
                    "    server: https://prod.example.invalid\n    namespace: argocd\n"
                ),
                app(
                    "b",
                    "https://github.com/someone/else",
                    "envs/b",
                    "    name: staging\n    namespace: argocd\n"
                )
            ),
        );
    };
    let Some(dir) = envs(Some(URL)) else { return };
    let r = dir.path();
    other(r);
    // Today's rule (the linted tree): the two Services are one object defined twice, in
    // namespace default (not argocd).
    let text = lint(r);
    assert_eq!(text.matches("LN011").count(), 1, "{text}");
    assert!(text.contains("default/web"), "{text}");
    let why = explain(r);
    assert!(
        why.contains("Application `a`: repoURL https://github.com/someone/else is not a remote of this repository, so its sources form no universe"),
        "{why}"
    );
    assert!(!why.contains("universe cluster:"), "{why}");
    // No remote at all, and no repository at all.
    let Some(dir) = envs(None) else { return };
    other(dir.path());
    assert_eq!(lint(dir.path()).matches("LN011").count(), 1);
    let plain = tempfile::tempdir().unwrap();
    let r = plain.path();
    write(r, "envs/a/svc.yaml", SVC);
    write(r, "envs/b/svc.yaml", SVC);
    other(r);
    if lanes_git_finds_no_repository(r) {
        assert_eq!(lint(r).matches("LN011").count(), 1);
        let why = explain(r);
        assert!(
            why.contains(
                "Application `b`: sources not matched (the linted tree is not a git repository)"
            ),
            "{why}"
        );
    }
}

/// Whether `r` is outside any git repository (a temporary folder inside one would not be).
fn lanes_git_finds_no_repository(r: &Path) -> bool {
    !Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .current_dir(r)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn application_sets_with_list_generators_expand_per_element_in_both_syntaxes() {
    let Some(dir) = envs(Some(URL)) else { return };
    let r = dir.path();
    let set = |go: bool, url_a: &str, url_b: &str| {
        let (env, url, opt) = if go {
            ("{{ .env }}", "{{.cluster.url}}", "  goTemplate: true\n")
        } else {
            ("{{env}}", "{{ cluster.url }}", "")
        };
        write(
            r,
            "apps/set.yaml",
            &format!("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n{opt}  generators:\n  - list:\n      elements:\n      - env: a\n        cluster:\n          url: {url_a}\n      - env: b\n        cluster:\n          url: {url_b}\n  template:\n    metadata:\n      name: 'web-{env}'\n    spec:\n      project: default\n      source:\n        repoURL: {URL}\n        path: 'envs/{env}'\n      destination:\n        server: '{url}'\n        namespace: web\n"),
        );
        lint(r)
    };
    for go in [false, true] {
        let text = set(go, "https://a.example.invalid", "https://b.example.invalid");
        assert!(!text.contains("LN011"), "go={go}: {text}");
        let text = set(go, "https://a.example.invalid", "https://a.example.invalid");
        assert_eq!(text.matches("LN011").count(), 1, "go={go}: {text}");
        assert!(text.contains("web/web"), "go={go}: {text}");
    }
    // A generator lanes does not expand is said so, and assigns nothing.
    write(
        r,
        "apps/set.yaml",
        &format!("apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: dirs\nspec:\n  generators:\n  - git:\n      repoURL: {URL}\n      directories:\n      - path: envs/*\n  template:\n    metadata:\n      name: '{{{{path.basename}}}}'\n    spec:\n      source:\n        repoURL: {URL}\n        path: '{{{{path}}}}'\n      destination:\n        server: https://kubernetes.default.svc\n"),
    );
    assert_eq!(lint(r).matches("LN011").count(), 1);
    let why = explain(r);
    assert!(
        why.contains("ApplicationSet `dirs` not expanded: its `git` generator is not expanded"),
        "{why}"
    );
}

/// One environment of bookinfo's `reviews`: VirtualService, DestinationRule, Service and two
/// Deployments, all named as in every other environment.
fn reviews_env(r: &Path, dir: &str, w1: u32, w2: u32) {
    write(
        r,
        &format!("{dir}/kustomization.yaml"),
        "resources:\n- vs.yaml\n- dr.yaml\n- svc.yaml\n- deploy.yaml\n",
    );
    write(
        r,
        &format!("{dir}/vs.yaml"),
        &format!("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {{host: reviews, subset: v1}}\n      weight: {w1}\n    - destination: {{host: reviews, subset: v2}}\n      weight: {w2}\n"),
    );
    write(
        r,
        &format!("{dir}/dr.yaml"),
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v2\n    labels: {version: v2}\n",
    );
    write(
        r,
        &format!("{dir}/svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\nspec:\n  selector: {app: reviews}\n  ports:\n  - name: http\n    port: 9080\n",
    );
    let dep = |v: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-{v}\nspec:\n  selector:\n    matchLabels: {{app: reviews, version: {v}}}\n  template:\n    metadata:\n      labels: {{app: reviews, version: {v}}}\n    spec:\n      containers:\n      - name: reviews\n        image: reviews:{v}\n")
    };
    write(
        r,
        &format!("{dir}/deploy.yaml"),
        &format!("{}---\n{}", dep("v1"), dep("v2")),
    );
}

#[test]
fn diff_tells_universes_apart_and_reads_each_file_by_its_repository_path() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    reviews_env(r, "overlays/dev", 80, 20);
    reviews_env(r, "overlays/prod", 80, 20);
    if !git(r, &["init", "-q"]) {
        eprintln!("skipped: no git CLI");
        return;
    }
    assert!(git(r, &["add", "-A"]) && git(r, &["commit", "-qm", "init"]));
    // A staged 80/20 -> 60/40 edit in dev: one change, named by its universe; prod untouched.
    write(
        r,
        "overlays/dev/vs.yaml",
        &std::fs::read_to_string(r.join("overlays/dev/vs.yaml"))
            .unwrap()
            .replace("weight: 80", "weight: 60")
            .replace("weight: 20", "weight: 40"),
    );
    // Moving prod's VirtualService to another file of its universe is no traffic change.
    std::fs::rename(
        r.join("overlays/prod/vs.yaml"),
        r.join("overlays/prod/routes.yaml"),
    )
    .unwrap();
    write(
        r,
        "overlays/prod/kustomization.yaml",
        "resources:\n- routes.yaml\n- dr.yaml\n- svc.yaml\n- deploy.yaml\n",
    );
    assert!(git(r, &["add", "-A"]));
    let o = lanes_in(r, &["diff"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", out(&o), err(&o));
    assert_eq!(
        out(&o),
        "VirtualService default/reviews (kustomize:overlays/dev) http[0]: v1 80→60, v2 20→40\n",
        "{}",
        err(&o)
    );
    // The same edit in one plain folder of two defining `reviews`: told apart by file.
    let plain = tempfile::tempdir().unwrap();
    let p = plain.path();
    reviews_env(p, "a", 80, 20);
    reviews_env(p, "b", 80, 20);
    for d in ["a", "b"] {
        std::fs::remove_file(p.join(format!("{d}/kustomization.yaml"))).unwrap();
    }
    assert!(git(p, &["init", "-q"]));
    assert!(git(p, &["add", "-A"]) && git(p, &["commit", "-qm", "init"]));
    write(
        p,
        "b/vs.yaml",
        &std::fs::read_to_string(p.join("b/vs.yaml"))
            .unwrap()
            .replace("weight: 80", "weight: 70")
            .replace("weight: 20", "weight: 30"),
    );
    assert!(git(p, &["add", "-A"]));
    let o = lanes_in(p, &["diff"]);
    assert_eq!(
        out(&o),
        "VirtualService default/reviews (b/vs.yaml) http[0]: v1 80→70, v2 20→30\n",
        "{}",
        err(&o)
    );
}

#[test]
fn writing_commands_edit_only_the_universe_of_the_route_they_change() {
    let dir = tempfile::tempdir().unwrap();
    // Each environment is a kustomize root, so each is its own universe.
    prune_prod_only(dir.path(), true);
}

#[test]
fn mesh_revisions_lists_a_namespace_once_per_universe() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    for (env, label) in [
        ("dev", "istio.io/rev: canary"),
        ("prod", "istio-injection: enabled"),
    ] {
        write(
            r,
            &format!("overlays/{env}/kustomization.yaml"),
            "resources:\n- ns.yaml\n",
        );
        write(
            r,
            &format!("overlays/{env}/ns.yaml"),
            &format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    {label}\n"),
        );
    }
    let o = lanes_in(r, &["mesh", "revisions", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let rows: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let got: Vec<(String, String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["universe"].as_str().unwrap().to_string(),
                r["namespace"].as_str().unwrap().to_string(),
                r["injects"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "kustomize:overlays/dev".into(),
                "shop".into(),
                "canary".into()
            ),
            (
                "kustomize:overlays/prod".into(),
                "shop".into(),
                "stable".into()
            ),
        ]
    );
    let o = lanes_in(r, &["mesh", "revisions"]);
    assert!(out(&o).starts_with("UNIVERSE"), "{}", out(&o));
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

#[test]
fn explain_files_says_which_files_a_render_read_and_which_it_left_out() {
    if !on_path("kubectl") && !on_path("kustomize") {
        eprintln!("skipped: neither kustomize nor kubectl is on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    let cm = |n: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\ndata: {{a: b}}\n")
    };
    write(r, "base/cm.yaml", &cm("c"));
    write(r, "base/kustomization.yaml", "resources:\n- cm.yaml\n");
    write(
        r,
        "overlay/kustomization.yaml",
        "resources:\n- ../base\n- extra.yaml\nnamePrefix: dev-\n",
    );
    write(r, "overlay/extra.yaml", &cm("e"));
    write(r, "overlay/stray.yaml", &cm("s"));
    write(
        r,
        "app.yaml",
        &app(
            "a",
            URL,
            "overlay",
            "    server: https://kubernetes.default.svc\n    namespace: x\n",
        ),
    );
    if !git(r, &["init", "-q"]) {
        eprintln!("skipped: no git CLI");
        return;
    }
    assert!(git(r, &["remote", "add", "origin", URL]));
    assert!(git(r, &["add", "-A"]) && git(r, &["commit", "-qm", "init"]));
    let o = lanes_in(r, &["lint", "--app", "app.yaml", "--explain-files"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let why = err(&o);
    let line = |name: &str| {
        why.lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{why}"))
            .to_string()
    };
    assert!(
        line("HEAD:overlay/extra.yaml").starts_with("source "),
        "{why}"
    );
    assert!(
        line("HEAD:overlay/extra.yaml")
            .contains("rendered by HEAD:overlay/kustomization.yaml: linted in the rendered output"),
        "{why}"
    );
    assert!(
        line("HEAD:overlay/stray.yaml").starts_with("skip "),
        "{why}"
    );
    assert!(
        line("HEAD:overlay/stray.yaml").contains("not applied"),
        "{why}"
    );
    assert!(!why.lines().any(|l| l.starts_with("lint ")), "{why}");
    assert!(why.contains("1 through a render"), "{why}");
    assert!(!why.contains("/tmp"), "{why}");
    // --render in the work tree: the base's file is read by the overlay's render.
    let o = lanes_in(
        r,
        &["lint", "--render", "--explain-files", "overlay", "base"],
    );
    let why = err(&o);
    let cm_line = why
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("base/cm.yaml"))
        .unwrap_or_default();
    assert!(cm_line.starts_with("source "), "{why}");
}

/// Two environments with the same names: `rollback v1 --prune` on prod's route must edit only
/// prod's VirtualService, DestinationRule and Deployments, and leave dev byte-identical. dev
/// comes first in file order, so an op that ignored universes would pick dev's objects. With
/// `kustomize`, each folder is a kustomize root; without, only `lanes.toml` `[universes]` or
/// this repository's Applications tell them apart.
fn prune_prod_only(r: &Path, kustomize: bool) {
    for env in ["dev", "prod"] {
        reviews_env(r, &format!("overlays/{env}"), 80, 20);
        if !kustomize {
            std::fs::remove_file(r.join(format!("overlays/{env}/kustomization.yaml"))).unwrap();
        }
    }
    let before_dev: Vec<String> = ["vs.yaml", "dr.yaml", "deploy.yaml"]
        .iter()
        .map(|f| std::fs::read_to_string(r.join("overlays/dev").join(f)).unwrap())
        .collect();
    let o = lanes_in(
        r,
        &[
            "rollback",
            "v1",
            "--prune",
            "--route",
            "overlays/prod/vs.yaml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    for (f, want) in ["vs.yaml", "dr.yaml", "deploy.yaml"]
        .iter()
        .zip(&before_dev)
    {
        let got = std::fs::read_to_string(r.join("overlays/dev").join(f)).unwrap();
        assert_eq!(
            &got,
            want,
            "overlays/dev/{f} changed\n{}{}",
            out(&o),
            err(&o)
        );
    }
    let vs = std::fs::read_to_string(r.join("overlays/prod/vs.yaml")).unwrap();
    assert!(!vs.contains("subset: v1"), "{vs}");
    let dr = std::fs::read_to_string(r.join("overlays/prod/dr.yaml")).unwrap();
    assert!(!dr.contains("name: v1"), "{dr}");
    let deploy = std::fs::read_to_string(r.join("overlays/prod/deploy.yaml")).unwrap();
    assert!(!deploy.contains("reviews-v1"), "{deploy}");
    assert!(deploy.contains("reviews-v2"), "{deploy}");
}

#[test]
fn writing_commands_use_the_universes_lanes_toml_declares() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "lanes.toml",
        "[universes]\ndev = [\"overlays/dev/**\"]\nprod = [\"overlays/prod/**\"]\n",
    );
    prune_prod_only(r, false);
}

#[test]
fn writing_commands_use_the_universes_of_this_repositorys_applications() {
    let Some(dir) = envs(Some(URL)) else { return };
    let r = dir.path();
    let dest = |server: &str| format!("    server: {server}\n    namespace: default\n");
    write(
        r,
        "apps/dev.yaml",
        &app(
            "dev",
            URL,
            "overlays/dev",
            &dest("https://dev.example.invalid"),
        ),
    );
    write(
        r,
        "apps/prod.yaml",
        &app(
            "prod",
            URL,
            "overlays/prod",
            &dest("https://prod.example.invalid"),
        ),
    );
    prune_prod_only(r, false);
}
