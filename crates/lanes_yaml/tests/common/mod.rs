//! Shared by the lanes_yaml integration tests: the fixtures and ../shared/corpus as text.

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

/// Every YAML file of the fixtures and of ../shared/corpus that is UTF-8, as (path, text).
pub fn corpus() -> Vec<(String, String)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    yaml_files(&base.join("fixtures"), &mut paths);
    yaml_files(&base.join("../shared/corpus"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}
