#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lanes_model::Index;
use lanes_ops::Options;

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copy a directory tree into a fresh tempdir.
pub(crate) fn copy_tree(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_into(from, dir.path());
    dir
}

pub(crate) fn copy_into(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_into(&e.path(), &dst);
        } else {
            fs::copy(e.path(), dst).unwrap();
        }
    }
}

pub(crate) fn load(root: &Path) -> Index {
    lanes_model::load::load(&[root.to_path_buf()])
}

pub(crate) fn opts(root: &Path) -> Options {
    Options::new(root)
}

/// Every file under `root` (relative path → bytes).
pub(crate) fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            walk(root, &e.path(), out);
        } else {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
}

pub(crate) fn lint_errors(root: &Path) -> Vec<String> {
    let idx = load(root);
    let report = lanes_lint::lint(&idx, &lanes_lint::Config::default());
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == lanes_lint::Severity::Error)
        .map(|d| format!("{}: {} {}", d.file, d.code, d.message))
        .collect()
}

/// Weights of every destination of the first http route of a VirtualService file.
pub(crate) fn route_weights(text: &str, doc: usize) -> Vec<(String, i64)> {
    let f = lanes_yaml::parse_str("x", text);
    let route = f.docs[doc]
        .pointer("/spec/http/0/route")
        .unwrap_or_else(|| {
            panic!("no route in {text}");
        });
    route
        .items()
        .map(|d| {
            let d = lanes_model::views::RouteDestination(d);
            (
                d.subset()
                    .and_then(|s| s.as_text())
                    .unwrap_or("")
                    .to_string(),
                d.weight_value().unwrap(),
            )
        })
        .collect()
}

pub(crate) fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}
