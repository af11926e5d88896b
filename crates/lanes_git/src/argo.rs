//! Argo CD `Application`s: which paths of this repository an Application syncs, and at which
//! commit.

use git2::Oid;

use crate::repo::short_reason;
use crate::{GitError, Repo};

/// One source of an Application (`spec.source` or an item of `spec.sources`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSource {
    /// `repoURL`.
    pub repo_url: String,
    /// `path` (`None` for Helm-chart or `ref`-only sources).
    pub path: Option<String>,
    /// `targetRevision` as written (empty when absent).
    pub target_revision: String,
    /// `directory:` options of a plain directory source.
    pub directory: lanes_model::files::AppDirectory,
    /// `helm:` options (release name, value files, parameters); the namespace is the
    /// Application's `destination.namespace`.
    pub helm: lanes_model::render::HelmOptions,
}

/// An Application read from a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    /// `metadata.name`.
    pub name: String,
    /// `spec.source` followed by `spec.sources[]`.
    pub sources: Vec<AppSource>,
}

/// Read every `Application` (argoproj.io) in a manifest.
pub fn parse_applications(name: &str, text: &str) -> Result<Vec<Application>, GitError> {
    let file = lanes_yaml::parse_str(name, text);
    let mut apps = Vec::new();
    for doc in &file.docs {
        let Some(root) = doc.root() else { continue };
        let kind = root.get("kind").and_then(|k| k.as_text());
        let api = root
            .get("apiVersion")
            .and_then(|k| k.as_text())
            .unwrap_or("");
        if kind != Some("Application") || !api.starts_with("argoproj.io/") {
            continue;
        }
        let app_name = root
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(|n| n.as_text())
            .unwrap_or("")
            .to_string();
        let spec = root.get("spec");
        let namespace = spec
            .and_then(|s| s.get("destination"))
            .and_then(|d| d.get("namespace"))
            .and_then(|n| n.as_text())
            .map(str::to_string);
        let mut sources = Vec::new();
        let read = |n: lanes_yaml::NodeRef<'_>| {
            let s = |k: &str| n.get(k).and_then(|v| v.as_text()).map(str::to_string);
            let dir = n.get("directory");
            let d = |k: &str| {
                dir.and_then(|d| d.get(k))
                    .and_then(|v| v.as_text())
                    .map(str::to_string)
            };
            s("repoURL").map(|repo_url| AppSource {
                repo_url,
                path: s("path"),
                target_revision: s("targetRevision").unwrap_or_default(),
                directory: lanes_model::files::AppDirectory {
                    recurse: dir
                        .and_then(|d| d.get("recurse"))
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                    include: d("include"),
                    exclude: d("exclude"),
                },
                helm: helm_options(n.get("helm"), namespace.as_deref()),
            })
        };
        if let Some(src) = spec.and_then(|s| s.get("source")).filter(|s| s.is_map()) {
            sources.extend(read(src));
        }
        if let Some(list) = spec.and_then(|s| s.get("sources")) {
            sources.extend(list.items().filter(|i| i.is_map()).filter_map(read));
        }
        apps.push(Application {
            name: app_name,
            sources,
        });
    }
    if file.docs.iter().any(|d| d.root().is_none()) && apps.is_empty() {
        return Err(GitError::App(format!("{name}: not valid YAML")));
    }
    if apps.is_empty() {
        return Err(GitError::App(format!(
            "{name}: no Argo CD Application (apiVersion argoproj.io/*, kind Application) in the file"
        )));
    }
    Ok(apps)
}

/// `spec.source.helm` as `helm template` options.
fn helm_options(
    helm: Option<lanes_yaml::NodeRef<'_>>,
    namespace: Option<&str>,
) -> lanes_model::render::HelmOptions {
    let text = |n: Option<lanes_yaml::NodeRef<'_>>, k: &str| {
        n.and_then(|n| n.get(k))
            .and_then(|v| v.as_text())
            .map(str::to_string)
    };
    let items = |k: &str| {
        helm.and_then(|h| h.get(k))
            .map(|l| l.items().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    lanes_model::render::HelmOptions {
        release_name: text(helm, "releaseName"),
        value_files: items("valueFiles")
            .into_iter()
            .filter_map(|v| v.as_text().map(str::to_string))
            .collect(),
        parameters: items("parameters")
            .into_iter()
            .filter_map(|p| {
                Some((
                    text(Some(p), "name")?,
                    text(Some(p), "value").unwrap_or_default(),
                    p.get("forceString")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                ))
            })
            .collect(),
        file_parameters: items("fileParameters")
            .into_iter()
            .filter_map(|p| Some((text(Some(p), "name")?, text(Some(p), "path")?)))
            .collect(),
        namespace: namespace.map(str::to_string),
    }
}

/// Normalize a git URL for comparison, as Argo CD does (see
/// [`lanes_model::universes::normalize_url`]): `git@github.com:Org/Repo.git`,
/// `https://github.com/org/repo/` and `ssh://git@github.com/org/repo` all give
/// `github.com/org/repo`.
pub use lanes_model::universes::normalize_url;

/// A source of an Application resolved against this repository.
#[derive(Clone, Debug)]
pub struct ResolvedSource {
    /// The source.
    pub source: AppSource,
    /// The commit `targetRevision` resolves to.
    pub commit: Oid,
    /// The remote the URL matched (`origin` when `--repo` matched).
    pub remote: String,
    /// The revision label used in diagnostics (`targetRevision`, or `HEAD` when empty).
    pub label: String,
}

impl Repo {
    /// The name of the remote whose URL matches `url`, or `origin` when `repo_override`
    /// (`--repo`) matches. `None`: the source is another repository.
    pub(crate) fn match_remote(&self, url: &str, repo_override: Option<&str>) -> Option<String> {
        let want = normalize_url(url);
        if let Some(o) = repo_override {
            return (normalize_url(o) == want).then(|| {
                self.remote_urls()
                    .into_iter()
                    .find(|(_, u)| normalize_url(u) == want)
                    .map(|(n, _)| n)
                    .unwrap_or_else(|| "origin".into())
            });
        }
        self.remote_urls()
            .into_iter()
            .find(|(_, u)| normalize_url(u) == want)
            .map(|(n, _)| n)
    }

    /// Resolve `targetRevision` like Argo CD: empty or `HEAD` → the remote's default branch
    /// (`refs/remotes/REMOTE/HEAD`, else local `HEAD`); a branch name →
    /// `refs/remotes/REMOTE/NAME` when fetched, else `refs/heads/NAME`; then tags
    /// (`refs/tags/NAME`); then anything git understands (full ref names, SHAs).
    pub fn resolve_target_revision(&self, remote: &str, rev: &str) -> Result<Oid, GitError> {
        let repo = self.git2();
        let peel = |name: &str| -> Option<Oid> {
            repo.find_reference(name)
                .ok()?
                .resolve()
                .ok()?
                .peel_to_commit()
                .ok()
                .map(|c| c.id())
        };
        let rev = rev.trim();
        if rev.is_empty() || rev == "HEAD" {
            if let Some(id) = peel(&format!("refs/remotes/{remote}/HEAD")) {
                return Ok(id);
            }
            return repo
                .head()
                .and_then(|h| h.peel_to_commit())
                .map(|c| c.id())
                .map_err(|e| GitError::BadRev {
                    rev: "HEAD".into(),
                    reason: short_reason(&e),
                });
        }
        for name in [
            format!("refs/remotes/{remote}/{rev}"),
            format!("refs/heads/{rev}"),
            format!("refs/tags/{rev}"),
        ] {
            if let Some(id) = peel(&name) {
                return Ok(id);
            }
        }
        self.resolve(rev)
    }

    /// The sources of an Application that point at this repository, resolved. Errors when none
    /// does (naming the remotes), or when a revision does not resolve.
    pub fn resolve_app(
        &self,
        app: &Application,
        repo_override: Option<&str>,
    ) -> Result<Vec<ResolvedSource>, GitError> {
        let mut out = Vec::new();
        for s in &app.sources {
            let Some(remote) = self.match_remote(&s.repo_url, repo_override) else {
                continue;
            };
            if s.path.is_none() {
                continue;
            }
            let commit = self.resolve_target_revision(&remote, &s.target_revision)?;
            let label = if s.target_revision.is_empty() {
                "HEAD".to_string()
            } else {
                s.target_revision.clone()
            };
            out.push(ResolvedSource {
                source: s.clone(),
                commit,
                remote,
                label,
            });
        }
        if out.is_empty() {
            let urls: Vec<String> = app.sources.iter().map(|s| s.repo_url.clone()).collect();
            let remotes: Vec<String> = self.remote_urls().into_iter().map(|(_, u)| u).collect();
            return Err(GitError::App(format!(
                "Application `{}`: no source with a path in this repository (sources: {}; remotes: {}); pass --repo URL to name this repository's URL",
                app.name,
                if urls.is_empty() { "none".into() } else { urls.join(", ") },
                if remotes.is_empty() { "none".into() } else { remotes.join(", ") },
            )));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_source_and_sources() {
        let apps = parse_applications(
            "app.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  source:\n    repoURL: https://x/y.git\n    path: p\n    targetRevision: main\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: b\nspec:\n  sources:\n  - repoURL: https://x/y\n    path: q\n  - repoURL: https://charts\n    chart: c\n",
        )
        .unwrap();
        assert_eq!(apps.len(), 2);
        assert_eq!(apps[0].sources[0].path.as_deref(), Some("p"));
        assert_eq!(apps[1].sources.len(), 2);
        assert_eq!(apps[1].sources[0].target_revision, "");
        assert!(parse_applications("x.yaml", "kind: Service\n").is_err());
    }

    #[test]
    fn helm_options_and_the_destination_namespace_are_read() {
        let apps = parse_applications(
            "app.yaml",
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: shop\n  source:\n    repoURL: https://x/y.git\n    path: charts/shop\n    helm:\n      releaseName: web\n      valueFiles: [values-prod.yaml]\n      parameters:\n      - name: image.tag\n        value: v2\n      - name: replicas\n        value: '3'\n        forceString: true\n      fileParameters:\n      - name: config\n        path: files/c.txt\n",
        )
        .unwrap();
        let h = &apps[0].sources[0].helm;
        assert_eq!(h.release_name.as_deref(), Some("web"));
        assert_eq!(h.value_files, ["values-prod.yaml"]);
        assert_eq!(
            h.parameters,
            [
                ("image.tag".to_string(), "v2".to_string(), false),
                ("replicas".to_string(), "3".to_string(), true)
            ]
        );
        assert_eq!(
            h.file_parameters,
            [("config".to_string(), "files/c.txt".to_string())]
        );
        assert_eq!(h.namespace.as_deref(), Some("shop"));
    }
}
