//! Which files lanes lints, and why: the one answer used by every mode (work tree, `--staged`,
//! `--rev`, `--app`, the hook, `diff`).
//!
//! A file is read the way Argo CD would read it:
//! * a folder with `Chart.yaml` is a Helm chart: nothing inside is a manifest (templates are
//!   rendered by Helm); one note per chart says it was not rendered ([`CODE_CHART`]);
//! * a folder with `kustomization.yaml` (`.yml`, `Kustomization`) is a kustomize root: the
//!   kustomization and the patch files it names are not resources;
//! * known non-manifest files (`.github/**`, `.pre-commit-config.yaml`, `skaffold.yaml`,
//!   docker-compose files, `values*.yaml`, OpenAPI documents) are skipped silently;
//! * `*.json` files are linted only when they hold Kubernetes objects (decided after parsing);
//! * `lanes.toml` `include`/`exclude` apply to every file found by walking (files named
//!   explicitly are always considered).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::index::InputError;

/// Code of the note for a Helm chart that was not rendered.
pub const CODE_CHART: &str = "LN008";
/// Code of the note for a symbolic link whose target leaves the repository.
pub const CODE_SYMLINK_OUTSIDE: &str = "LN009";
/// Code of a kustomize or Helm render failure (`--render`).
pub const CODE_RENDER_FAILED: &str = "LN010";

/// Whether a path names a file lanes looks at when walking: `*.yaml`, `*.yml`, `*.json`, and
/// kustomize's extension-less `Kustomization`.
pub fn is_candidate(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml") | Some("json")
    ) || path.file_name().is_some_and(|n| n == "Kustomization")
}

/// Whether a path is a JSON file (linted only when it holds Kubernetes objects).
pub fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

/// What lanes did with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Parsed and linted.
    Lint,
    /// Not linted, on purpose.
    Skip,
    /// A symbolic link that was not followed.
    NotFollowed,
    /// Could not be read.
    Unreadable,
    /// Rendered (kustomize or Helm) and the output linted.
    Rendered,
    /// A source of a render: linted through the rendered output, findings point here.
    Source,
}

impl Action {
    /// Lower-case word for listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Lint => "lint",
            Action::Skip => "skip",
            Action::NotFollowed => "not-followed",
            Action::Unreadable => "unreadable",
            Action::Rendered => "rendered",
            Action::Source => "source",
        }
    }
}

/// One file and what lanes did with it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decision {
    /// Display name.
    pub name: String,
    /// What was done.
    pub action: Action,
    /// Why, in a few words.
    pub reason: String,
}

/// After a render: the decisions of files that were to be linted as written but are not in the
/// linted set (`linted`, the final file names) any more say what happened to them. A file the
/// rendered output came from (`covered` gives the kustomization or chart it was rendered by) is
/// a [`Action::Source`]; any other was left out of the render (a kustomize root's folder holding
/// a file its kustomization does not list), so Argo CD does not apply it.
pub fn mark_rendered(
    decisions: &mut [Decision],
    linted: &BTreeSet<&str>,
    covered: &dyn Fn(&str) -> Option<String>,
) {
    for d in decisions.iter_mut() {
        if d.action != Action::Lint || linted.contains(d.name.as_str()) {
            continue;
        }
        match covered(&d.name) {
            Some(root) => {
                d.action = Action::Source;
                d.reason = format!(
                    "{}, rendered by {root}: linted in the rendered output, findings point here",
                    d.reason
                );
            }
            None => {
                d.action = Action::Skip;
                d.reason = format!(
                    "{}, not in the rendered output of its source (the kustomization does not list it): not applied",
                    d.reason
                );
            }
        }
    }
}

/// A file found by walking (or named), with its bytes.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Display name (as diagnostics name it).
    pub name: String,
    /// Where it is (work-tree path, or the repository path for git sources): folder structure
    /// (charts, kustomize roots) and `include`/`exclude` are judged on it.
    pub path: PathBuf,
    /// Named on the command line (not found by walking): `include`/`exclude` do not apply.
    pub explicit: bool,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The outcome of [`classify`].
#[derive(Debug, Default)]
pub struct FileSet {
    /// Files to parse and lint, as `(name, bytes)`, in the order given.
    pub lint: Vec<(String, Vec<u8>)>,
    /// Every candidate with what was done with it.
    pub decisions: Vec<Decision>,
    /// Findings about files that are not linted (one per Helm chart).
    pub notes: Vec<InputError>,
}

/// A Helm chart or kustomize root found among the candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// The folder (normalised candidate path).
    pub dir: PathBuf,
    /// Display name of the chart's `Chart.yaml` or the kustomization file.
    pub file: String,
}

/// An Argo CD Application's `directory:` options (a plain directory source).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppDirectory {
    /// `directory.recurse`: also apply files in subfolders (Argo CD's default: no).
    pub recurse: bool,
    /// `directory.include`: a glob (`*.yaml`, `{a.yaml,b.yaml}`) of paths under the source path.
    pub include: Option<String>,
    /// `directory.exclude`: a glob of paths under the source path to leave out.
    pub exclude: Option<String>,
}

impl AppDirectory {
    /// Whether Argo CD applies the file at `rel` (relative to the source path). Without
    /// `recurse` only the folder's own files count, except in a kustomize root or Helm chart,
    /// which Argo CD renders whole (`rendered`).
    pub fn keeps(&self, rel: &str, rendered: bool) -> bool {
        if !rendered && !self.recurse && rel.contains('/') {
            return false;
        }
        let glob = |g: &str| {
            globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map(|g| g.compile_matcher())
                .ok()
        };
        let name_or_path = |m: &globset::GlobMatcher| {
            m.is_match(rel) || rel.rsplit('/').next().is_some_and(|n| m.is_match(n))
        };
        if let Some(m) = self
            .include
            .as_deref()
            .filter(|g| !g.is_empty())
            .and_then(glob)
        {
            if !name_or_path(&m) {
                return false;
            }
        }
        if let Some(m) = self
            .exclude
            .as_deref()
            .filter(|g| !g.is_empty())
            .and_then(glob)
        {
            if name_or_path(&m) {
                return false;
            }
        }
        true
    }
}

/// Lexical normalisation: drop `.`, resolve `..` against earlier components.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// Whether the file name is a kustomization.
pub fn is_kustomization(p: &Path) -> bool {
    matches!(
        file_name(p),
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

/// Why a file is a known non-manifest, by its path alone.
fn non_manifest_by_name(p: &Path) -> Option<&'static str> {
    let name = file_name(p);
    if p.components().any(|c| c.as_os_str() == ".github") {
        return Some("GitHub configuration (.github/)");
    }
    if p.components().any(|c| c.as_os_str() == ".gitlab") || name == ".gitlab-ci.yml" {
        return Some("GitLab CI configuration");
    }
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name);
    match stem {
        ".pre-commit-config" | ".pre-commit-hooks" => Some("pre-commit configuration"),
        "skaffold" => Some("skaffold configuration"),
        "compose" | "docker-compose" => Some("docker-compose file"),
        "Chart" => Some("Helm chart metadata"),
        ".golangci" | ".yamllint" | "codecov" | ".codecov" | "mkdocs" | "netlify" => {
            Some("tool configuration")
        }
        _ if stem.starts_with("docker-compose") || stem.starts_with("compose.") => {
            Some("docker-compose file")
        }
        _ if stem.starts_with("skaffold-") || stem.starts_with("skaffold.") => {
            Some("skaffold configuration")
        }
        _ if stem == "values" || stem.starts_with("values-") || stem.starts_with("values.") => {
            Some("Helm values file")
        }
        _ => None,
    }
}

/// Whether the text is an OpenAPI / Swagger document (a top-level `openapi:` or `swagger:`
/// key, JSON or YAML).
fn is_openapi(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let mut openapi = false;
    for l in text.lines() {
        if l.starts_with("apiVersion:") || l.trim_start().starts_with("\"apiVersion\"") {
            return false;
        }
        let t = l.trim_start().trim_start_matches('{').trim_start();
        openapi |= l.starts_with("openapi:")
            || l.starts_with("swagger:")
            || t.starts_with("\"openapi\"")
            || t.starts_with("\"swagger\"");
    }
    openapi
}

/// The files a kustomization names that are not resources: its patches (`patches[].path`,
/// `patchesStrategicMerge[]`, `patchesJson6902[].path`) and replacement sources
/// (`replacements[].path`), with the field that names them. Paths are relative to the
/// kustomization's folder. Unparsable kustomizations name nothing.
pub fn kustomization_patches(text: &str) -> Vec<(String, &'static str)> {
    let parsed = lanes_yaml::parse(lanes_yaml::SourceFile::new("kustomization", text));
    let mut out = Vec::new();
    for doc in &parsed.docs {
        let Some(root) = doc.root() else { continue };
        if !root.is_map() {
            continue;
        }
        for (field, keyed) in [
            ("patches", true),
            ("patchesJson6902", true),
            ("replacements", true),
            ("patchesStrategicMerge", false),
        ] {
            let Some(list) = root.get(field) else {
                continue;
            };
            for item in list.items() {
                let path = if keyed {
                    item.get("path").and_then(|p| p.as_text())
                } else {
                    item.as_text()
                };
                // An inline patch (a YAML string with newlines) names no file.
                if let Some(p) = path.filter(|p| !p.contains('\n')) {
                    out.push((p.trim().to_string(), field));
                }
            }
        }
    }
    out
}

/// The files a kustomization lists under `resources` (and the legacy `bases`) and
/// `components`, relative to its folder.
pub fn kustomization_resources(text: &str) -> Vec<String> {
    let parsed = lanes_yaml::parse(lanes_yaml::SourceFile::new("kustomization", text));
    let mut out = Vec::new();
    for doc in &parsed.docs {
        let Some(root) = doc.root() else { continue };
        for field in ["resources", "bases", "components"] {
            if let Some(list) = root.get(field) {
                out.extend(list.items().filter_map(|i| i.as_text().map(str::to_string)));
            }
        }
    }
    out
}

/// Decide the linted file set. `keep` is the `lanes.toml` `include`/`exclude` filter, asked
/// for every file found by walking (with its [`Candidate::path`]).
pub fn classify(cands: Vec<Candidate>, keep: &dyn Fn(&Path) -> bool) -> FileSet {
    let norm: Vec<PathBuf> = cands.iter().map(|c| normalize(&c.path)).collect();
    // Helm charts: folders holding a `Chart.yaml` candidate.
    let mut charts: BTreeMap<PathBuf, usize> = BTreeMap::new();
    // kustomize roots, and the patch files they name (path -> (kustomization, field)).
    let mut patches: BTreeMap<PathBuf, (String, &'static str)> = BTreeMap::new();
    for (i, c) in cands.iter().enumerate() {
        let dir = norm[i].parent().map(Path::to_path_buf).unwrap_or_default();
        if file_name(&norm[i]) == "Chart.yaml" {
            charts.insert(dir, i);
        } else if is_kustomization(&norm[i]) {
            let text = String::from_utf8_lossy(&c.bytes);
            for (p, field) in kustomization_patches(&text) {
                patches
                    .entry(normalize(&dir.join(&p)))
                    .or_insert_with(|| (c.name.clone(), field));
            }
        }
    }
    // A file a kustomization names that is not there: `kustomize build` (and Argo CD) fail.
    let present: BTreeSet<&PathBuf> = norm.iter().collect();
    let mut missing = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        // Only a kustomization found by walking: its folder was walked whole, so a file under
        // it that is not a candidate is not there.
        if !is_kustomization(&norm[i]) || c.explicit || !keep(&c.path) {
            continue;
        }
        let dir = norm[i].parent().map(Path::to_path_buf).unwrap_or_default();
        let text = String::from_utf8_lossy(&c.bytes);
        let named = kustomization_resources(&text)
            .into_iter()
            .chain(kustomization_patches(&text).into_iter().map(|(p, _)| p));
        for entry in named {
            let inside = !Path::new(&entry)
                .components()
                .any(|c| matches!(c, Component::ParentDir | Component::RootDir));
            let file_like = inside && is_candidate(Path::new(&entry)) && !entry.contains("://");
            if file_like && !present.contains(&normalize(&dir.join(&entry))) {
                let line = text
                    .lines()
                    .position(|l| l.contains(entry.as_str()))
                    .map_or(1, |n| n + 1);
                let column = text
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.find(entry.as_str()))
                    .map_or(1, |c| c + 1);
                missing.push(InputError {
                    file: c.name.clone(),
                    line,
                    column,
                    message: format!(
                        "`{entry}` is named by this kustomization but does not exist: `kustomize build` fails"
                    ),
                    code: CODE_RENDER_FAILED,
                });
            }
        }
    }
    let chart_of = |p: &Path| -> Option<usize> {
        let mut best = None;
        let mut cur = p.parent();
        while let Some(d) = cur {
            if let Some(i) = charts.get(d) {
                best = Some(*i); // keep going: the outermost chart owns its subcharts
            }
            cur = d.parent();
        }
        best
    };
    let mut out = FileSet {
        notes: missing,
        ..FileSet::default()
    };
    let mut noted: BTreeSet<usize> = BTreeSet::new();
    for (i, c) in cands.into_iter().enumerate() {
        let p = &norm[i];
        let skip = |reason: String| Decision {
            name: c.name.clone(),
            action: Action::Skip,
            reason,
        };
        if !c.explicit && !keep(&c.path) {
            out.decisions
                .push(skip("not selected by lanes.toml include/exclude".into()));
            continue;
        }
        if let Some(ci) = chart_of(p) {
            if ci == i {
                if noted.insert(i) {
                    out.notes.push(chart_note(&c.name));
                }
                out.decisions.push(skip(
                    "Helm chart metadata; the chart is not rendered (LN008)".into(),
                ));
            } else {
                let chart_dir = norm[ci].parent().unwrap_or(Path::new(""));
                let rel = p.strip_prefix(chart_dir).unwrap_or(p);
                let part = rel
                    .components()
                    .next()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .unwrap_or_default();
                let what = match part.as_str() {
                    "templates" => "a template",
                    "charts" => "a subchart file",
                    _ if non_manifest_by_name(rel).is_some() => "a values file",
                    _ => "a file",
                };
                out.decisions.push(skip(format!(
                    "{what} of the Helm chart in {}; charts are linted only when rendered",
                    display_dir(chart_dir)
                )));
            }
            continue;
        }
        if is_kustomization(p) {
            out.decisions.push(skip(
                "kustomization (rendered by kustomize, not applied as written)".into(),
            ));
            continue;
        }
        if let Some((k, field)) = patches.get(p) {
            out.decisions
                .push(skip(format!("kustomize patch named by {k} ({field})")));
            continue;
        }
        if let Some(why) = non_manifest_by_name(p) {
            out.decisions.push(skip(format!("not a manifest: {why}")));
            continue;
        }
        if is_openapi(&c.bytes) {
            out.decisions
                .push(skip("not a manifest: OpenAPI document".into()));
            continue;
        }
        out.decisions.push(Decision {
            name: c.name.clone(),
            action: Action::Lint,
            reason: if is_json(p) {
                "JSON holding Kubernetes objects".into()
            } else {
                "manifest".into()
            },
        });
        out.lint.push((c.name, c.bytes));
    }
    out
}

fn display_dir(d: &Path) -> String {
    let s = d.to_string_lossy();
    if s.is_empty() {
        ".".into()
    } else {
        s.into_owned()
    }
}

fn chart_note(chart_yaml: &str) -> InputError {
    let dir = chart_yaml
        .rsplit_once('/')
        .map_or(".", |(d, _)| if d.is_empty() { "." } else { d });
    let dir = dir.rsplit_once(':').map_or(dir, |(_, d)| d);
    InputError {
        file: chart_yaml.to_string(),
        line: 1,
        column: 1,
        message: format!(
            "Helm chart `{dir}` was not rendered: its templates, values and subcharts are not linted"
        ),
        code: CODE_CHART,
    }
}

/// Whether any document of a parsed JSON file is a Kubernetes object (a mapping with
/// `apiVersion` and `kind`).
pub fn holds_objects(file: &lanes_yaml::ParsedFile) -> bool {
    file.docs.iter().any(|d| {
        d.root().is_some_and(|r| {
            r.get("apiVersion").and_then(|n| n.as_text()).is_some()
                && r.get("kind").and_then(|n| n.as_text()).is_some()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(path: &str, text: &str) -> Candidate {
        Candidate {
            name: path.into(),
            path: path.into(),
            explicit: false,
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn decided(set: &FileSet) -> Vec<(String, Action)> {
        set.decisions
            .iter()
            .map(|d| (d.name.clone(), d.action))
            .collect()
    }

    #[test]
    fn charts_kustomize_and_known_files() {
        let set = classify(
            vec![
                cand("c/Chart.yaml", "name: c\n"),
                cand("c/values.yaml", "a: 1\n"),
                cand("c/templates/d.yaml", "kind: {{ .Values.kind }}\n"),
                cand("c/charts/sub/Chart.yaml", "name: sub\n"),
                cand("k/kustomization.yaml", "resources: [d.yaml]\npatchesStrategicMerge: [p.yaml]\npatches:\n- path: ../j.yaml\n"),
                cand("k/d.yaml", "kind: Service\n"),
                cand("k/p.yaml", "kind: Service\n"),
                cand("j.yaml", "- op: add\n"),
                cand(".github/workflows/ci.yaml", "on: push\n"),
                cand("api/swagger.yaml", "swagger: '2.0'\n"),
                cand("x.json", "{}"),
            ],
            &|_| true,
        );
        use Action::*;
        assert_eq!(
            decided(&set),
            vec![
                ("c/Chart.yaml".into(), Skip),
                ("c/values.yaml".into(), Skip),
                ("c/templates/d.yaml".into(), Skip),
                ("c/charts/sub/Chart.yaml".into(), Skip),
                ("k/kustomization.yaml".into(), Skip),
                ("k/d.yaml".into(), Lint),
                ("k/p.yaml".into(), Skip),
                ("j.yaml".into(), Skip),
                (".github/workflows/ci.yaml".into(), Skip),
                ("api/swagger.yaml".into(), Skip),
                ("x.json".into(), Lint),
            ]
        );
        assert_eq!(set.notes.len(), 1, "one note for the outer chart");
        assert_eq!(set.notes[0].file, "c/Chart.yaml");
        assert_eq!(set.lint.len(), 2);
    }

    #[test]
    fn include_exclude_apply_to_walked_files_only() {
        let mut named = cand("gen/b.yaml", "kind: A\n");
        named.explicit = true;
        let set = classify(vec![cand("gen/a.yaml", "kind: A\n"), named], &|p| {
            !p.starts_with("gen")
        });
        assert_eq!(set.lint.len(), 1);
        assert_eq!(set.lint[0].0, "gen/b.yaml");
    }

    #[test]
    fn app_directory_options_follow_argo_cd() {
        let d = AppDirectory::default();
        assert!(d.keeps("a.yaml", false));
        assert!(!d.keeps("sub/a.yaml", false));
        assert!(d.keeps("sub/a.yaml", true));
        let d = AppDirectory {
            recurse: true,
            include: Some("*.yaml".into()),
            exclude: Some("{skip.yaml,gen/*}".into()),
        };
        assert!(d.keeps("sub/a.yaml", false));
        assert!(!d.keeps("a.json", false));
        assert!(!d.keeps("skip.yaml", false));
        assert!(!d.keeps("gen/x.yaml", false));
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("./a/b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
    }
}
