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
