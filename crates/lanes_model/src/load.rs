//! Reading a tree of YAML files: walk, read each file once, parse in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use lanes_yaml::SourceFile;

use crate::cache::ParseCache;
use crate::index::{Index, InputError};

/// Code reported for a file that cannot be read.
pub const CODE_UNREADABLE: &str = "LN006";
/// Code reported for a file that is not UTF-8.
pub const CODE_NOT_UTF8: &str = "LN003";

/// Whether a path names a YAML file lanes reads.
pub fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

/// Collect the YAML files under `paths` (files are taken as given; directories are walked
/// recursively, skipping `.git` and anything ignored by `.gitignore`), sorted and deduplicated.
/// A path that does not exist is an [`InputError`].
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        if !root.exists() {
            errors.push(InputError {
                file: display(root),
                line: 0,
                column: 0,
                message: "no such file or directory".into(),
                code: CODE_UNREADABLE,
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .parents(true)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    let ft = e.file_type();
                    let candidate = ft.is_some_and(|t| t.is_file() || t.is_symlink());
                    if candidate && is_yaml(e.path()) {
                        files.push(e.into_path());
                    }
                }
                Err(err) => errors.push(InputError {
                    file: display(root),
                    line: 0,
                    column: 0,
                    message: err.to_string(),
                    code: CODE_UNREADABLE,
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Display form of a path: as given, without a leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Read and parse files in parallel and build the index. Files are named as given.
pub fn load(paths: &[PathBuf]) -> Index {
    load_under(None, paths)
}

/// Like [`load`], but files are named relative to `base` when they are under it.
pub fn load_under(base: Option<&Path>, paths: &[PathBuf]) -> Index {
    load_under_cached(base, paths, &ParseCache::disabled())
}

/// [`load_under`], decoding files whose text `cache` has seen before instead of parsing them.
pub fn load_under_cached(base: Option<&Path>, paths: &[PathBuf], cache: &ParseCache) -> Index {
    let (files, mut errors) = collect(paths);
    let results: Vec<Result<lanes_yaml::ParsedFile, InputError>> = files
        .par_iter()
        .map(|p| {
            let name = match base.and_then(|b| p.strip_prefix(b).ok()) {
                Some(rel) => display(rel),
                None => display(p),
            };
            read_named(p, name).map(|s| cache.parse(s))
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => parsed.push(f),
            Err(e) => errors.push(e),
        }
    }
    Index::new(parsed, errors)
}

/// Parse in-memory files (already read, e.g. from git) in parallel and build the index.
pub fn load_blobs(blobs: Vec<(String, Vec<u8>)>) -> Index {
    load_blobs_cached(blobs, &ParseCache::disabled())
}

/// [`load_blobs`], decoding files whose text `cache` has seen before instead of parsing them.
pub fn load_blobs_cached(blobs: Vec<(String, Vec<u8>)>, cache: &ParseCache) -> Index {
    let results: Vec<Result<lanes_yaml::ParsedFile, InputError>> = blobs
        .into_par_iter()
        .map(|(name, bytes)| decode(name, bytes).map(|s| cache.parse(s)))
        .collect();
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => parsed.push(f),
            Err(e) => errors.push(e),
        }
    }
    Index::new(parsed, errors)
}

/// Read one file as UTF-8 text.
pub fn read_one(path: &Path) -> Result<SourceFile, InputError> {
    read_named(path, display(path))
}

fn read_named(path: &Path, name: String) -> Result<SourceFile, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError {
        file: name.clone(),
        line: 0,
        column: 0,
        message: format!("cannot read file: {e}"),
        code: CODE_UNREADABLE,
    })?;
    decode(name, bytes)
}

fn decode(name: String, bytes: Vec<u8>) -> Result<SourceFile, InputError> {
    SourceFile::from_bytes(name, bytes).map_err(|e| InputError {
        file: e.name.clone(),
        line: e.at.line,
        column: e.at.column,
        message: e.reason(),
        code: CODE_NOT_UTF8,
    })
}
