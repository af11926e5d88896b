//! Reading a tree of YAML files: walk, read each file once, parse in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use lanes_yaml::SourceFile;

use crate::cache::ParseCache;
use crate::files::{is_json, Action, Candidate, Decision};
use crate::index::{Index, InputError};
use lanes_yaml::MAX_FILE_BYTES;

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

/// How [`load_with`] reads: names, confinement, the file filter, the cache.
pub struct LoadOptions<'a> {
    /// Name files relative to this folder when they are under it.
    pub base: Option<&'a Path>,
    /// The repository root: a symbolic link whose target leaves it is not followed. Without
    /// one: the current directory for paths under it, else each named path itself.
    pub root: Option<&'a Path>,
    /// `lanes.toml` `include`/`exclude`, asked for every file found by walking.
    pub keep: &'a (dyn Fn(&Path) -> bool + Sync),
    /// The parse cache (none: parse everything).
    pub cache: Option<&'a ParseCache>,
    /// The user named the paths (a named path that yields nothing to lint is an error).
    pub named: bool,
    /// Display name of standard input (`-`); default `<stdin>`.
    pub stdin_name: Option<&'a str>,
}

impl LoadOptions<'_> {
    /// Defaults: no base, no root, every file kept, no cache, paths not named by the user.
    pub fn new() -> LoadOptions<'static> {
        LoadOptions {
            base: None,
            root: None,
            keep: &|_| true,
            cache: None,
            named: false,
            stdin_name: None,
        }
    }
}

enum Found {
    /// A regular file (or a link to one inside the root).
    File,
    /// Standard input, a FIFO or a process substitution named on the command line.
    Stream,
    /// A link whose target leaves the root.
    Outside(PathBuf),
    /// Not a regular file (device, socket, FIFO found by walking).
    Special,
}

struct FoundFile {
    path: PathBuf,
    /// Index of the named path it came from.
    from: usize,
    explicit: bool,
    how: Found,
}

struct Walked {
    found: Vec<FoundFile>,
    errors: Vec<InputError>,
}

fn no_such(p: &Path, message: &str) -> InputError {
    InputError {
        file: display(p),
        line: 0,
        column: 0,
        message: message.into(),
        code: CODE_UNREADABLE,
    }
}

/// Whether a named path is standard input or a descriptor of this process (`/dev/stdin`,
/// `/dev/fd/N`, `/proc/self/fd/N`: what `<(...)` expands to).
fn is_descriptor(p: &Path) -> bool {
    let s = p.to_string_lossy();
    s == "-" || s == "/dev/stdin" || s.starts_with("/dev/fd/") || s.starts_with("/proc/self/fd/")
}

fn is_fifo(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

/// How a link (or a path through links) is read: inside `root` as a file, else not followed.
fn judge_link(path: &Path, root: &Path) -> Found {
    let Ok(target) = std::fs::canonicalize(path) else {
        // Dangling: reading reports it (LN006).
        return Found::File;
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !target.starts_with(&root) {
        return Found::Outside(target);
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Found::File,
        Ok(_) => Found::Special,
        Err(_) => Found::File,
    }
}

fn walk(paths: &[PathBuf], root: Option<&Path>) -> Walked {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (from, named) in paths.iter().enumerate() {
        if is_descriptor(named) {
            found.push(FoundFile {
                path: named.clone(),
                from,
                explicit: true,
                how: Found::Stream,
            });
            continue;
        }
        let Ok(lmeta) = std::fs::symlink_metadata(named) else {
            errors.push(no_such(named, "no such file or directory"));
            continue;
        };
        let meta = std::fs::metadata(named);
        if meta.as_ref().is_ok_and(|m| !m.is_dir()) || meta.is_err() {
            let parent = named
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let how = match &meta {
                Ok(m) if is_fifo(m) => Found::Stream,
                Ok(m) if !m.is_file() => {
                    errors.push(no_such(
                        named,
                        "not a regular file (a device or socket); lanes reads files, directories and standard input",
                    ));
                    continue;
                }
                _ if lmeta.file_type().is_symlink() || has_link_ancestor(named) => judge_link(
                    named,
                    &root.map_or_else(|| default_root(parent), Path::to_path_buf),
                ),
                _ => Found::File,
            };
            found.push(FoundFile {
                path: named.clone(),
                from,
                explicit: true,
                how,
            });
            continue;
        }
        let dir_root = root.map_or_else(|| default_root(named), Path::to_path_buf);
        let walker = ignore::WalkBuilder::new(named)
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
                    let Some(ft) = e.file_type() else { continue };
                    if ft.is_dir() || !crate::files::is_candidate(e.path()) {
                        continue;
                    }
                    let how = if ft.is_file() {
                        Found::File
                    } else if ft.is_symlink() {
                        judge_link(e.path(), &dir_root)
                    } else {
                        Found::Special
                    };
                    found.push(FoundFile {
                        path: e.into_path(),
                        from,
                        explicit: false,
                        how,
                    });
                }
                Err(err) => errors.push(InputError {
                    file: display(named),
                    line: 0,
                    column: 0,
                    message: err.to_string(),
                    code: CODE_UNREADABLE,
                }),
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    Walked { found, errors }
}

/// Without a repository, links may point anywhere under the current directory when the named
/// path is under it, else anywhere under the named path itself.
fn default_root(named: &Path) -> PathBuf {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    let here = std::fs::canonicalize(named).ok();
    match (cwd, here) {
        (Some(c), Some(h)) if h.starts_with(&c) => c,
        _ => named.to_path_buf(),
    }
}

/// Whether some folder on the way to `p` is a symbolic link.
fn has_link_ancestor(p: &Path) -> bool {
    let mut cur = p.parent();
    while let Some(d) = cur {
        if d.as_os_str().is_empty() {
            break;
        }
        if std::fs::symlink_metadata(d).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
        cur = d.parent();
    }
    false
}

/// Display form of a path: as given, without a leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Read and parse files in parallel and build the index. Files are named as given.
pub fn load(paths: &[PathBuf]) -> Index {
    load_with(paths, &LoadOptions::new())
}

/// Like [`load`], but files are named relative to `base` when they are under it.
pub fn load_under(base: Option<&Path>, paths: &[PathBuf]) -> Index {
    load_under_cached(base, paths, &ParseCache::disabled())
}

/// [`load_under`], decoding files whose text `cache` has seen before instead of parsing them.
pub fn load_under_cached(base: Option<&Path>, paths: &[PathBuf], cache: &ParseCache) -> Index {
    load_with(
        paths,
        &LoadOptions {
            base,
            cache: Some(cache),
            ..LoadOptions::new()
        },
    )
}

/// A file read, or why not (with the finding to report, if any).
type ReadOutcome = Result<Candidate, (Decision, Option<InputError>)>;

/// Walk and read `paths`, decide the linted file set ([`crate::files::classify`]), parse in
/// parallel and build the index.
pub fn load_with(paths: &[PathBuf], opts: &LoadOptions<'_>) -> Index {
    let sel = select(paths, opts);
    let disabled;
    let cache = match opts.cache {
        Some(c) => c,
        None => {
            disabled = ParseCache::disabled();
            &disabled
        }
    };
    let index = parse_set(sel.set, sel.decisions, sel.notes, sel.errors, cache);
    finish(index, paths, &sel.yielded, opts.named)
}

/// The files of `paths` that lanes lints, read but not parsed: the one file-set decision
/// ([`crate::files::classify`]) that [`load_with`] and the scoped loader of the writing
/// commands share.
pub struct Selection {
    /// Files to lint, and the decision on every candidate.
    pub set: crate::files::FileSet,
    /// Decisions on files that were not read (links not followed, special files, unreadable).
    pub decisions: Vec<Decision>,
    /// Findings about files that are not linted (links not followed).
    pub notes: Vec<InputError>,
    /// Input failures (missing paths, unreadable files).
    pub errors: Vec<InputError>,
    /// For each path given, whether it yielded anything.
    yielded: Vec<bool>,
}

impl Selection {
    /// The files to lint as decoded sources; files that are not UTF-8 become input errors.
    pub fn into_sources(self) -> (Vec<SourceFile>, Vec<InputError>) {
        let mut errors = self.errors;
        let mut sources = Vec::with_capacity(self.set.lint.len());
        for (name, bytes) in self.set.lint {
            match decode(name, bytes) {
                Ok(s) => sources.push(s),
                Err(e) => errors.push(e),
            }
        }
        (sources, errors)
    }
}

/// Walk and read `paths` and decide which files are linted (see [`Selection`]).
pub fn select(paths: &[PathBuf], opts: &LoadOptions<'_>) -> Selection {
    let walked = walk(paths, opts.root);
    let mut errors = walked.errors;
    let name_of = |p: &Path| -> String {
        if p == Path::new("-") || p == Path::new("/dev/stdin") {
            return opts.stdin_name.unwrap_or("<stdin>").to_string();
        }
        match opts.base.and_then(|b| p.strip_prefix(b).ok()) {
            Some(rel) => display(rel),
            None => display(p),
        }
    };
    let read: Vec<(usize, ReadOutcome)> = walked
        .found
        .into_par_iter()
        .map(|f| {
            let name = name_of(&f.path);
            let res = match f.how {
                Found::Outside(target) => Err((
                    Decision {
                        name: name.clone(),
                        action: Action::NotFollowed,
                        reason: "symbolic link whose target is outside the repository".into(),
                    },
                    Some(InputError {
                        file: name,
                        line: 0,
                        column: 0,
                        message: format!(
                            "symbolic link points outside the {} ({}); not followed",
                            if opts.root.is_some() {
                                "repository"
                            } else {
                                "linted path"
                            },
                            if target.starts_with("/proc")
                                || target.starts_with("/dev")
                                || target.starts_with("/sys")
                            {
                                "a system file"
                            } else {
                                "another folder"
                            }
                        ),
                        code: crate::files::CODE_SYMLINK_OUTSIDE,
                    }),
                )),
                Found::Special => Err((
                    Decision {
                        name,
                        action: Action::Skip,
                        reason: "not a regular file (device, FIFO or socket found by walking)"
                            .into(),
                    },
                    None,
                )),
                Found::File | Found::Stream => {
                    let bytes = if f.path == Path::new("-") {
                        read_limited(&mut std::io::stdin().lock())
                    } else {
                        read_path(&f.path)
                    };
                    match bytes {
                        Ok(bytes) => Ok(Candidate {
                            name,
                            path: f.path.clone(),
                            explicit: f.explicit,
                            bytes,
                        }),
                        Err(message) => Err((
                            Decision {
                                name: name.clone(),
                                action: Action::Unreadable,
                                reason: message.clone(),
                            },
                            Some(InputError {
                                file: name,
                                line: 0,
                                column: 0,
                                message,
                                code: CODE_UNREADABLE,
                            }),
                        )),
                    }
                }
            };
            (f.from, res)
        })
        .collect();
    let mut cands = Vec::new();
    let mut from = Vec::new();
    let mut decisions = Vec::new();
    let mut notes = Vec::new();
    let mut yielded = vec![false; paths.len()];
    for (i, r) in read {
        match r {
            Ok(c) => {
                cands.push(c);
                from.push(i);
            }
            Err((d, e)) => {
                decisions.push(d);
                match e {
                    Some(e) if e.code == CODE_UNREADABLE => {
                        yielded[i] = true;
                        errors.push(e);
                    }
                    Some(e) => {
                        // A link that is not followed yields nothing to lint.
                        if e.code != crate::files::CODE_SYMLINK_OUTSIDE {
                            yielded[i] = true;
                        }
                        notes.push(e);
                    }
                    None => {}
                }
            }
        }
    }
    let set = crate::files::classify(cands, opts.keep);
    for (d, i) in set.decisions.iter().zip(&from) {
        if d.action == Action::Lint {
            yielded[*i] = true;
        }
    }
    // Chart notes name the Chart.yaml: count them for the path they came from.
    for n in &set.notes {
        if let Some(pos) = set.decisions.iter().position(|d| d.name == n.file) {
            yielded[from[pos]] = true;
        }
    }
    Selection {
        set,
        decisions,
        notes,
        errors,
        yielded,
    }
}

fn finish(mut index: Index, paths: &[PathBuf], yielded: &[bool], named: bool) -> Index {
    if named {
        // JSON files without objects were dropped after parsing: their paths may yield nothing.
        for (i, p) in paths.iter().enumerate() {
            let dropped_all = yielded[i]
                && !is_descriptor(p)
                && !index.files.iter().any(|f| under_name(f.source.name(), p))
                && !index.notes.iter().any(|n| under_name(&n.file, p))
                && !index.input_errors.iter().any(|n| under_name(&n.file, p));
            if !yielded[i] || dropped_all {
                if index
                    .input_errors
                    .iter()
                    .any(|e| Path::new(&e.file) == p.as_path())
                {
                    continue;
                }
                index.input_errors.push(no_such(
                    p,
                    "nothing to lint here: no file holds Kubernetes manifests lanes reads (see `lanes lint --explain-files`)",
                ));
            }
        }
    }
    index
}

fn under_name(name: &str, p: &Path) -> bool {
    let p = display(p);
    p == "." || p == "-" || name == p || name.starts_with(&format!("{}/", p.trim_end_matches('/')))
}

fn parse_set(
    set: crate::files::FileSet,
    mut decisions: Vec<Decision>,
    notes: Vec<InputError>,
    mut errors: Vec<InputError>,
    cache: &ParseCache,
) -> Index {
    let results: Vec<Result<lanes_yaml::ParsedFile, InputError>> = set
        .lint
        .into_par_iter()
        .map(|(name, bytes)| decode(name, bytes).map(|s| cache.parse(s)))
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    let mut dropped = std::collections::HashSet::new();
    for r in results {
        match r {
            Ok(f) if !is_linted(&f) => {
                dropped.insert(f.source.name().to_string());
            }
            Ok(f) => parsed.push(f),
            Err(e) => errors.push(e),
        }
    }
    let mut all = set.decisions;
    for d in &mut all {
        if d.action == Action::Lint && dropped.contains(&d.name) {
            d.action = Action::Skip;
            d.reason = "JSON without Kubernetes objects".into();
        }
    }
    all.append(&mut decisions);
    all.sort();
    let mut index = Index::new(parsed, errors);
    let mut notes = notes;
    notes.extend(set.notes);
    index.notes = notes;
    index.decisions = all;
    index.assign_universes(&|_| None);
    index
}

/// Whether a parsed file stays in the file set: JSON files without Kubernetes objects
/// (package.json, dashboards) are dropped once parsed.
pub fn is_linted(f: &lanes_yaml::ParsedFile) -> bool {
    !is_json(Path::new(f.source.name())) || json_manifest(f)
}

/// A parsed JSON file is linted when it holds a Kubernetes object, or when it looks like it
/// meant to (it names `apiVersion` and `kind`) but does not parse.
fn json_manifest(f: &lanes_yaml::ParsedFile) -> bool {
    if crate::files::holds_objects(f) {
        return true;
    }
    let t = f.source.text();
    f.has_errors() && t.contains("\"apiVersion\"") && t.contains("\"kind\"")
}

/// Read at most [`MAX_FILE_BYTES`] + 1 bytes: a larger file is refused before it is read
/// (size from its metadata), a stream when it passes the limit.
fn read_path(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    let mut size = 0;
    if let Ok(m) = file.metadata() {
        if m.is_file() && m.len() > MAX_FILE_BYTES as u64 {
            return Err(too_large(m.len()));
        }
        if m.is_file() {
            size = m.len() as usize;
        }
    }
    // Sized from the metadata (the limit hides the size from `read_to_end`): one allocation,
    // no spare capacity kept for the life of the run.
    read_limited_sized(&mut &file, size)
}

fn read_limited(r: &mut dyn std::io::Read) -> Result<Vec<u8>, String> {
    read_limited_sized(r, 0)
}

fn read_limited_sized(r: &mut dyn std::io::Read, size: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(size + 1);
    r.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(n: u64) -> String {
    if n > MAX_FILE_BYTES as u64 + 1 {
        format!(
            "file is {n} bytes, larger than the {} MiB limit; not read",
            MAX_FILE_BYTES >> 20
        )
    } else {
        format!(
            "file is larger than the {} MiB limit; not read",
            MAX_FILE_BYTES >> 20
        )
    }
}

/// Parse in-memory files (already read, e.g. from git) in parallel and build the index.
pub fn load_blobs(blobs: Vec<(String, Vec<u8>)>) -> Index {
    load_blobs_cached(blobs, &ParseCache::disabled())
}

/// [`load_blobs`], decoding files whose text `cache` has seen before instead of parsing them.
/// Every blob is a candidate found by walking, judged by its name.
pub fn load_blobs_cached(blobs: Vec<(String, Vec<u8>)>, cache: &ParseCache) -> Index {
    let cands = blobs
        .into_iter()
        .map(|(name, bytes)| Candidate {
            path: PathBuf::from(name.rsplit_once(':').map_or(name.as_str(), |(_, p)| p)),
            name,
            explicit: false,
            bytes,
        })
        .collect();
    load_candidates(cands, &|_| true, cache)
}

/// Decide the file set of already read candidates (git blobs), parse and build the index.
pub fn load_candidates(
    cands: Vec<Candidate>,
    keep: &(dyn Fn(&Path) -> bool + Sync),
    cache: &ParseCache,
) -> Index {
    let set = crate::files::classify(cands, keep);
    parse_set(set, Vec::new(), Vec::new(), Vec::new(), cache)
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
