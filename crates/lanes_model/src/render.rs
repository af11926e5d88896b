//! `--render`: run the engine Argo CD runs (kustomize, Helm) on a folder and return its
//! output, with the origin of every rendered object so findings can point back at the source.
//!
//! The user's files are never touched: kustomize runs on a temporary kustomization that lists
//! the root and asks for `buildMetadata: [originAnnotations]`.

use std::path::{Path, PathBuf};
use std::process::Command;

use lanes_yaml::NodeRef;

/// The annotation kustomize writes with `buildMetadata: [originAnnotations]`.
pub const ORIGIN_ANNOTATION: &str = "config.kubernetes.io/origin";

/// The output of one render.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// The rendered YAML stream.
    pub text: String,
    /// The command that produced it, for messages (`kubectl kustomize DIR`).
    pub command: String,
    /// Folder origin paths are relative to (the temporary kustomization's folder), canonical.
    pub origin_base: Option<PathBuf>,
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|d| {
            let p = d.join(program);
            p.is_file()
        })
    })
}

/// The kustomize engine: `kustomize build` when `kustomize` is on `PATH`, else `kubectl
/// kustomize` (kubectl ships kustomize v5), else `None`.
pub fn kustomize_engine() -> Option<(&'static str, &'static str)> {
    if on_path("kustomize") {
        Some(("kustomize", "build"))
    } else if on_path("kubectl") {
        Some(("kubectl", "kustomize"))
    } else {
        None
    }
}

/// Whether `helm` is on `PATH`.
pub fn helm_available() -> bool {
    on_path("helm")
}

/// A path from folder `from` to `to` (both absolute): `../` up to the root, then `to`.
fn relative_from(from: &Path, to: &Path) -> PathBuf {
    let mut common = 0;
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    while common < f.len() && common < t.len() && f[common] == t[common] {
        common += 1;
    }
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Render a kustomize root with origin annotations, through a temporary kustomization that
/// lists it (the user's kustomization is not modified).
pub fn kustomize_build(root: &Path) -> Result<Rendered, String> {
    let (program, sub) = kustomize_engine().ok_or_else(|| {
        "neither `kustomize` nor `kubectl` is on PATH; install one to render kustomize roots"
            .to_string()
    })?;
    let root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let tmp = tempfile::tempdir().map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let base = std::fs::canonicalize(tmp.path()).unwrap_or_else(|_| tmp.path().to_path_buf());
    let rel = relative_from(&base, &root);
    let text = format!(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- {}\nbuildMetadata: [originAnnotations]\n",
        rel.display()
    );
    std::fs::write(base.join("kustomization.yaml"), text)
        .map_err(|e| format!("cannot write the temporary kustomization: {e}"))?;
    let out = Command::new(program)
        .arg(sub)
        .arg(&base)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let command = format!("{program} {sub} {}", root.display());
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        // kustomize names the temporary folder: say the user's folder instead.
        let err = err.replace(&base.display().to_string(), &root.display().to_string());
        return Err(format!(
            "`{command}` failed: {}",
            engine_error(&last_line(&err))
        ));
    }
    Ok(Rendered {
        text: String::from_utf8_lossy(&out.stdout).into_owned(),
        command,
        origin_base: Some(base),
    })
}

/// What an Argo CD Application passes to Helm (`spec.source.helm`), as `helm template` flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmOptions {
    /// `releaseName` (default: the chart folder's name).
    pub release_name: Option<String>,
    /// `valueFiles`, relative to the chart folder (as Argo CD resolves them).
    pub value_files: Vec<String>,
    /// `parameters`: `(name, value, forceString)`.
    pub parameters: Vec<(String, String, bool)>,
    /// `fileParameters`: `(name, path)`.
    pub file_parameters: Vec<(String, String)>,
    /// `destination.namespace`.
    pub namespace: Option<String>,
}

/// The arguments of `helm template` for a chart folder: `template RELEASE DIR`, then
/// `--namespace`, every `--values FILE` (relative to the chart folder, in order), `--set` /
/// `--set-string` per parameter and `--set-file` per file parameter, as Argo CD passes them.
pub fn helm_args(dir: &Path, default_release: &str, opts: &HelmOptions) -> Vec<String> {
    let release = opts.release_name.as_deref().unwrap_or(default_release);
    let mut args = vec![
        "template".to_string(),
        release.to_string(),
        dir.display().to_string(),
    ];
    if let Some(ns) = &opts.namespace {
        args.push("--namespace".into());
        args.push(ns.clone());
    }
    for v in &opts.value_files {
        args.push("--values".into());
        args.push(if v.contains("://") || Path::new(v).is_absolute() {
            v.clone()
        } else {
            dir.join(v).display().to_string()
        });
    }
    for (name, value, force) in &opts.parameters {
        args.push(if *force { "--set-string" } else { "--set" }.into());
        args.push(format!("{name}={value}"));
    }
    for (name, path) in &opts.file_parameters {
        args.push("--set-file".into());
        args.push(format!("{name}={}", dir.join(path).display()));
    }
    args
}

/// Render a Helm chart with `helm template` ([`helm_args`]).
pub fn helm_template(dir: &Path, release: &str, opts: &HelmOptions) -> Result<Rendered, String> {
    if !helm_available() {
        return Err("`helm` is not on PATH; install it to render Helm charts".into());
    }
    let args = helm_args(dir, release, opts);
    let out = Command::new("helm")
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run helm: {e}"))?;
    let command = format!("helm {}", args.join(" "));
    if !out.status.success() {
        return Err(format!(
            "`{command}` failed: {}",
            last_line(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    Ok(Rendered {
        text: String::from_utf8_lossy(&out.stdout).into_owned(),
        command,
        origin_base: None,
    })
}

/// kubectl's log prefix (`E1202 16:27:51 run.go:72] "command failed" err="…"`) removed.
fn engine_error(line: &str) -> String {
    match line.split_once(" err=\"") {
        Some((_, rest)) => rest.strip_suffix('"').unwrap_or(rest).replace("\\\"", "\""),
        None => line.strip_prefix("Error: ").unwrap_or(line).to_string(),
    }
}

fn last_line(s: &str) -> String {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The source file of a rendered object: its origin annotation's `path`, resolved against
/// `base` (absolute, normalised).
pub fn origin_of(object: NodeRef<'_>, base: &Path) -> Option<PathBuf> {
    let text = object
        .get("metadata")?
        .get("annotations")?
        .get(ORIGIN_ANNOTATION)?
        .as_text()?;
    let path = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("path:"))?
        .trim()
        .trim_matches(['"', '\'']);
    if text.lines().any(|l| l.trim_start().starts_with("repo:")) {
        return None; // a remote resource: no local file
    }
    Some(crate::files::normalize(&base.join(path)))
}

/// The kustomize roots among `kustomizations` (`(folder, text)`) that no other kustomization
/// lists under `resources`, `bases` or `components`, and that are not Components: the ones
/// Argo CD would build.
pub fn top_roots(kustomizations: &[(PathBuf, String)]) -> Vec<PathBuf> {
    let mut included = std::collections::BTreeSet::new();
    for (dir, text) in kustomizations {
        for r in crate::files::kustomization_resources(text) {
            included.insert(crate::files::normalize(&dir.join(r)));
        }
    }
    kustomizations
        .iter()
        .filter(|(dir, text)| {
            !included.contains(&crate::files::normalize(dir))
                && !text.lines().any(|l| l.trim() == "kind: Component")
        })
        .map(|(d, _)| d.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        assert_eq!(
            relative_from(Path::new("/tmp/x1"), Path::new("/work/a/b")),
            PathBuf::from("../../work/a/b")
        );
        assert_eq!(
            relative_from(Path::new("/work/t"), Path::new("/work/a")),
            PathBuf::from("../a")
        );
    }

    #[test]
    fn helm_arguments_carry_the_applications_values_and_parameters() {
        let opts = HelmOptions {
            release_name: Some("shop".into()),
            value_files: vec!["values-prod.yaml".into(), "/abs/extra.yaml".into()],
            parameters: vec![
                ("image.tag".into(), "v2".into(), false),
                ("replicas".into(), "3".into(), true),
            ],
            file_parameters: vec![("config".into(), "files/c.txt".into())],
            namespace: Some("prod".into()),
        };
        assert_eq!(
            helm_args(Path::new("/co/charts/shop"), "ignored", &opts),
            [
                "template",
                "shop",
                "/co/charts/shop",
                "--namespace",
                "prod",
                "--values",
                "/co/charts/shop/values-prod.yaml",
                "--values",
                "/abs/extra.yaml",
                "--set",
                "image.tag=v2",
                "--set-string",
                "replicas=3",
                "--set-file",
                "config=/co/charts/shop/files/c.txt",
            ]
        );
        assert_eq!(
            helm_args(Path::new("c"), "c", &HelmOptions::default()),
            ["template", "c", "c"]
        );
    }

    #[test]
    fn top_roots_leave_out_included_folders_and_components() {
        let ks = vec![
            (PathBuf::from("k/base"), "resources: [d.yaml]\n".to_string()),
            (
                PathBuf::from("k/overlay"),
                "resources: [../base]\ncomponents: [../comp]\n".to_string(),
            ),
            (
                PathBuf::from("k/comp"),
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n".to_string(),
            ),
            (PathBuf::from("k/lone"), "kind: Component\n".to_string()),
        ];
        assert_eq!(top_roots(&ks), vec![PathBuf::from("k/overlay")]);
    }
}
