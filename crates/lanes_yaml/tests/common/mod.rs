//! Shared by the lanes_yaml integration tests and by lanes_conformance (which includes this
//! module by path to run the same laws over ../shared/corpus): YAML files as text, and the
//! laws every parse must keep.
#![allow(dead_code)]

pub(crate) mod laws;

use std::path::{Path, PathBuf};

fn yaml_files(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

/// Every YAML file under `roots` that is UTF-8, as (path, text), sorted by path.
pub(crate) fn read_yaml_texts(roots: &[PathBuf]) -> Vec<(String, String)> {
    let mut paths = Vec::new();
    for r in roots {
        yaml_files(r, &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

/// The project's own fixtures (`fixtures/` at the workspace root).
pub(crate) fn fixtures() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    read_yaml_texts(&[root])
}
