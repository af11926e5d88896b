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

/// Render a Helm chart with `helm template RELEASE DIR` (plus `--values` files).
pub fn helm_template(dir: &Path, release: &str, values: &[PathBuf]) -> Result<Rendered, String> {
    if !helm_available() {
        return Err("`helm` is not on PATH; install it to render Helm charts".into());
    }
    let mut cmd = Command::new("helm");
    cmd.arg("template").arg(release).arg(dir);
    for v in values {
        cmd.arg("--values").arg(v);
    }
    let out = cmd.output().map_err(|e| format!("cannot run helm: {e}"))?;
    let command = format!("helm template {release} {}", dir.display());
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
