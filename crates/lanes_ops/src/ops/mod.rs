//! The writing commands as pure functions over an [`Index`].
//!
//! Each op finds what to change in the index, builds byte-splice edits with
//! [`lanes_yaml::edit`], applies them to the original texts, re-parses the results and checks
//! the intended values, re-lints the whole tree in memory, and returns an [`Outcome`] holding
//! the [`Changeset`]. Nothing is written here.

mod add;
mod find;
pub mod mesh;
mod plain;
mod rollback;
mod target;
mod weights;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use lanes_lint::{Config, Diagnostic, Severity};
use lanes_model::{Index, Kind, LaneGroup};
use lanes_yaml::edit::{self, Edit};
use lanes_yaml::{ParsedFile, SourceFile};

use crate::changeset::{Changeset, FileChange};
use lanes_plan::plan::PlanError;
use lanes_plan::weights::WeightError;

pub use add::{add, AddArgs};
pub use rollback::{rollback, RollbackArgs};
pub use weights::{
    parse_assignment, plan, promote, set, split_weights, PlanArgs, PromoteArgs, SetArgs, SplitArgs,
};

/// Options shared by every writing op.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The repository root (where `.lanes/` lives, and what file names are shown relative to).
    pub root: PathBuf,
    /// The lane group, when the index has more than one.
    pub group: Option<String>,
    /// `--route NAMESPACE/VS[#ROUTE]` (route `name` or index), or a file path: the split to
    /// change when it is not an ASM lane group's.
    pub route: Option<String>,
    /// `--host HOST`: every split route across that host's DestinationRule subsets.
    pub host: Option<String>,
    /// Write even when the result has lint errors that were not there before.
    pub force: bool,
    /// Lint configuration used for the before/after comparison.
    pub config: Config,
}

impl Options {
    /// Options for a repository root.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            ..Options::default()
        }
    }
}

/// The weights of one route before and after an op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteWeights {
    /// File (display name).
    pub file: String,
    /// `VirtualService ns/name http[0]`.
    pub route: String,
    /// Lane of each destination, in route order (after the op).
    pub lanes: Vec<String>,
    /// Weights before (in the same order; a new destination counts as absent).
    pub before: Vec<Option<u32>>,
    /// Weights after.
    pub after: Vec<u32>,
}

/// What an op would do.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The file changes.
    pub changeset: Changeset,
    /// Short human-readable lines describing the change.
    pub summary: Vec<String>,
    /// New weights per route.
    pub weights: Vec<RouteWeights>,
    /// Lint errors the result has that the input did not (only with `force`).
    pub new_errors: Vec<Diagnostic>,
}

/// Why an op refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The request cannot be carried out (unknown lane, wrong arity, ...).
    #[error("{0}")]
    Refused(String),
    /// The result would have lint errors that were not there before.
    #[error("the result would have {} new lint error(s); use --force to write anyway", .errors.len())]
    NewLintErrors {
        /// The new errors, located in the result.
        errors: Vec<Diagnostic>,
        /// The changes that were refused (for display).
        changeset: Box<Changeset>,
    },
    /// An edit could not be made losslessly, or its result did not read back as intended.
    #[error("{0}")]
    Edit(String),
}

/// A lane or version name becomes resource and file names: it must be a DNS-1123 label
/// (lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63
/// characters). Checked before anything else; `--force` never overrides it.
pub(crate) fn check_version_name(name: &str) -> Result<(), OpError> {
    let b = name.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-';
    if ok {
        return Ok(());
    }
    refuse(format!(
        "`{}` is not a valid lane name: it must be a DNS-1123 label (lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters)",
        name.escape_debug()
    ))
}

pub(crate) fn refuse<T>(msg: impl Into<String>) -> Result<T, OpError> {
    Err(OpError::Refused(msg.into()))
}

impl From<edit::EditError> for OpError {
    fn from(e: edit::EditError) -> Self {
        OpError::Edit(e.0)
    }
}

impl From<WeightError> for OpError {
    fn from(e: WeightError) -> Self {
        OpError::Refused(e.to_string())
    }
}

impl From<PlanError> for OpError {
    fn from(e: PlanError) -> Self {
        OpError::Refused(e.to_string())
    }
}

/// The lane group an op works on.
pub(crate) fn pick_group<'a>(
    index: &'a Index,
    name: Option<&str>,
) -> Result<&'a LaneGroup, OpError> {
    match name {
        Some(n) => index.group(n).ok_or_else(|| {
            let known: Vec<&str> = index.groups.iter().map(|g| g.name.as_str()).collect();
            OpError::Refused(format!("no lane group named {n}{}", hint_list(&known)))
        }),
        None => match index.groups.as_slice() {
            [] => refuse("no ASMSwimLaneGroup found"),
            [g] => Ok(g),
            gs => refuse(format!(
                "there are {} lane groups; pick one with --group ({}{})",
                gs.len(),
                gs.iter()
                    .take(5)
                    .map(|g| g.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if gs.len() > 5 { ", ..." } else { "" }
            )),
        },
    }
}

fn hint_list(known: &[&str]) -> String {
    if known.is_empty() {
        String::new()
    } else {
        let mut k: Vec<&str> = known.iter().take(8).copied().collect();
        if known.len() > 8 {
            k.push("...");
        }
        format!(" (known: {})", k.join(", "))
    }
}

/// The lane resource of a group by name, or a refusal naming the known lanes.
pub(crate) fn lane_of(index: &Index, group: &LaneGroup, name: &str) -> Result<usize, OpError> {
    index.lane_named(group, name).ok_or_else(|| {
        let known: Vec<&str> = group
            .lanes
            .iter()
            .map(|l| index.resources[*l].name.as_str())
            .collect();
        OpError::Refused(format!(
            "unknown lane {name} in group {}{}",
            group.name,
            hint_list(&known)
        ))
    })
}

/// A value that must read back from the result.
#[derive(Clone, Debug)]
pub(crate) enum Check {
    /// A route's destinations must be exactly these (lane subset, weight) pairs.
    Route {
        file: String,
        vs_namespace: String,
        vs_name: String,
        pointer: String,
        expect: Vec<(String, u32)>,
    },
    /// A lane must (or must not) exist in the group.
    Lane {
        group: String,
        lane: String,
        exists: bool,
    },
    /// A Deployment must exist.
    Deployment { namespace: String, name: String },
}

/// Edits collected by an op, per file of the index.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub edits: BTreeMap<usize, Vec<Edit>>,
    pub delete: BTreeSet<usize>,
    /// New YAML files: (path as it will be opened, text).
    pub new_files: Vec<(String, String)>,
    /// Other files to write (the plan): (path, before, after).
    pub other: Vec<(PathBuf, Option<String>, String)>,
    pub checks: Vec<Check>,
    pub summary: Vec<String>,
    pub weights: Vec<RouteWeights>,
}

impl Pending {
    /// Remove these documents (file → document indexes): a file left with no other document
    /// is deleted, else each document is spliced out.
    pub(crate) fn remove_documents(
        &mut self,
        index: &Index,
        root: &Path,
        remove: BTreeMap<usize, BTreeSet<usize>>,
    ) -> Result<(), OpError> {
        for (fi, docs) in remove {
            let f = &index.files[fi];
            let only_these = f
                .docs
                .iter()
                .enumerate()
                .all(|(i, d)| docs.contains(&i) || d.root.is_none());
            if only_these {
                self.delete.insert(fi);
                self.summary
                    .push(format!("delete {}", display_name(root, f.source.name())));
                continue;
            }
            for di in docs {
                self.edit(fi, edit::remove_document(&f.source, &f.docs, di)?);
            }
        }
        Ok(())
    }

    pub(crate) fn edit(&mut self, file: usize, e: Edit) {
        self.edits.entry(file).or_default().push(e);
    }

    pub(crate) fn edits_from(&mut self, file: usize, es: impl IntoIterator<Item = Edit>) {
        for e in es {
            self.edit(file, e);
        }
    }
}

/// Apply edits; overlapping pure deletions are merged first (removing two adjacent documents
/// may produce ranges that share a line break).
pub(crate) fn apply_merged(text: &str, edits: &[Edit]) -> Result<String, OpError> {
    let mut dels: Vec<Range<usize>> = edits
        .iter()
        .filter(|e| e.text.is_empty() && !e.range.is_empty())
        .map(|e| e.range.clone())
        .collect();
    dels.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in dels {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut all: Vec<Edit> = merged
        .into_iter()
        .map(|range| Edit {
            range,
            text: String::new(),
        })
        .collect();
    all.extend(
        edits
            .iter()
            .filter(|e| !e.text.is_empty() || e.range.is_empty())
            .cloned(),
    );
    Ok(edit::apply(text, &all)?)
}

/// `p` made absolute with symlinks resolved, also when it does not exist yet (its deepest
/// existing ancestor is resolved and the rest appended); `..` in the rest is refused.
fn resolved(p: &Path) -> Option<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(p)
    };
    let mut existing = abs.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                if *part == ".." {
                    return None;
                }
                if *part != "." {
                    out.push(part);
                }
            }
            return Some(out);
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}

/// Refuse to write `path` unless it resolves inside `root` (E3: a lane name or `--dir` that
/// leads outside, a symlinked directory pointing elsewhere). `--force` does not override this.
pub(crate) fn inside_root(root: &Path, path: &Path) -> Result<(), OpError> {
    let root_abs = resolved(if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    });
    let target = resolved(path);
    match (root_abs, target) {
        (Some(r), Some(t)) if t.starts_with(&r) && t != r => Ok(()),
        _ => refuse(format!(
            "{}: outside the repository root {}; nothing was written",
            path.display(),
            root.display()
        )),
    }
}

/// `name` relative to `root`, without a leading `./`.
pub fn display_name(root: &Path, name: &str) -> String {
    let p = Path::new(name);
    let rel = p.strip_prefix(root).unwrap_or(p);
    let s = rel.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// The resource a diagnostic points into (`Kind ns/name`), else its file: findings are counted
/// per (code, resource), so that a cloned document that copies a broken field counts as new even
/// when the message text is the same.
fn resource_of(index: &Index, d: &Diagnostic) -> String {
    let file = d
        .file_index
        .filter(|fi| {
            index
                .files
                .get(*fi)
                .is_some_and(|f| f.source.name() == d.file)
        })
        .or_else(|| index.files.iter().position(|f| f.source.name() == d.file));
    if let Some(fi) = file {
        let doc = index.files[fi]
            .docs
            .iter()
            .position(|doc| doc.content_range().contains(&d.range.start));
        if let Some(r) = index
            .resources
            .iter()
            .find(|r| r.file == fi && Some(r.doc) == doc)
        {
            return r.display();
        }
        if let Some(di) = doc {
            return format!("{}#{di}", d.file);
        }
    }
    d.file.clone()
}

/// Error-level diagnostics, each with its (code, resource) key.
fn error_keys(index: &Index, config: &Config) -> Vec<((String, String), Diagnostic)> {
    error_keys_of(index, lanes_lint::lint(index, config))
}

/// [`error_keys`] of a report already made.
fn error_keys_of(index: &Index, report: lanes_lint::Report) -> Vec<((String, String), Diagnostic)> {
    report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| ((d.code.to_string(), resource_of(index, &d)), d))
        .collect()
}

/// The errors of `after` beyond what `before` had, counted per (code, resource).
fn new_error_list(
    before: Vec<((String, String), Diagnostic)>,
    after: Vec<((String, String), Diagnostic)>,
) -> Vec<Diagnostic> {
    let mut budget: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (k, _) in before {
        *budget.entry(k).or_default() += 1;
    }
    let mut out = Vec::new();
    for (k, d) in after {
        match budget.get_mut(&k) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(d),
        }
    }
    out
}

/// Lint `index`, refusing when some input failed to read or parse: nothing is written from an
/// incomplete picture (the one check every writing op makes).
pub(crate) fn lint_complete(index: &Index, config: &Config) -> Result<lanes_lint::Report, OpError> {
    let report = lanes_lint::lint(index, config);
    if let Some(d) = report.diagnostics.iter().find(|d| d.input_failure) {
        return refuse(format!(
            "{}:{}:{}: {}; an input failed to read or parse, so nothing is written",
            d.file, d.start.line, d.start.column, d.message
        ));
    }
    Ok(report)
}

/// Turn pending edits into an outcome: apply, re-parse, verify, re-lint, build the changeset.
pub(crate) fn finish(index: &Index, opts: &Options, p: Pending) -> Result<Outcome, OpError> {
    // Nothing is written from an incomplete picture: a document that failed to parse drops out
    // of the index, and an edit planned without it can be wrong in another, valid file.
    let before_report = lint_complete(index, &opts.config)?;
    // Refuse to edit files that did not parse cleanly.
    for fi in p.edits.keys().chain(p.delete.iter()) {
        let f = &index.files[*fi];
        if let Some(e) = f.errors.first() {
            return refuse(format!(
                "{}: the file has YAML errors ({}); fix them before rewriting it",
                f.source.name(),
                e.message
            ));
        }
    }
    let mut after: BTreeMap<usize, String> = BTreeMap::new();
    for (fi, edits) in &p.edits {
        if p.delete.contains(fi) {
            continue;
        }
        after.insert(*fi, apply_merged(index.files[*fi].source.text(), edits)?);
    }
    for (path, _) in &p.new_files {
        if Path::new(path).exists() || index.files.iter().any(|f| f.source.name() == path) {
            return refuse(format!(
                "{}: target file already exists",
                display_name(&opts.root, path)
            ));
        }
    }
    // The tree after the change, in memory: unchanged files are reused as parsed.
    let mut files: Vec<ParsedFile> = Vec::with_capacity(index.files.len() + p.new_files.len());
    for (fi, f) in index.files.iter().enumerate() {
        if p.delete.contains(&fi) {
            continue;
        }
        match after.get(&fi) {
            Some(text) => files.push(lanes_yaml::parse(SourceFile::new(
                f.source.name(),
                text.as_str(),
            ))),
            None => files.push(f.clone()),
        }
    }
    for (path, text) in &p.new_files {
        files.push(lanes_yaml::parse(SourceFile::new(
            path.as_str(),
            text.as_str(),
        )));
    }
    let after_index = Index::new(files, index.input_errors.clone());
    // Changed and new files must parse cleanly.
    for f in &after_index.files {
        let changed = after
            .keys()
            .any(|fi| index.files[*fi].source.name() == f.source.name())
            || p.new_files.iter().any(|(n, _)| n == f.source.name());
        if changed {
            if let Some(e) = f.errors.first() {
                return Err(OpError::Edit(format!(
                    "{}: the edited text does not parse ({}); nothing was written",
                    f.source.name(),
                    e.message
                )));
            }
        }
    }
    verify(&after_index, &p.checks)?;

    // Changeset.
    let mut changes = Vec::new();
    for (fi, text) in &after {
        let name = index.files[*fi].source.name();
        changes.push(FileChange {
            path: PathBuf::from(name),
            display: display_name(&opts.root, name),
            before: Some(index.files[*fi].source.text().to_string()),
            after: Some(text.clone()),
        });
    }
    for fi in &p.delete {
        let name = index.files[*fi].source.name();
        changes.push(FileChange {
            path: PathBuf::from(name),
            display: display_name(&opts.root, name),
            before: Some(index.files[*fi].source.text().to_string()),
            after: None,
        });
    }
    for (path, text) in &p.new_files {
        changes.push(FileChange {
            path: PathBuf::from(path),
            display: display_name(&opts.root, path),
            before: None,
            after: Some(text.clone()),
        });
    }
    for (path, before, text) in &p.other {
        changes.push(FileChange {
            path: path.clone(),
            display: display_name(&opts.root, &path.to_string_lossy()),
            before: before.clone(),
            after: Some(text.clone()),
        });
    }
    changes.sort_by(|a, b| a.display.cmp(&b.display));
    for c in &changes {
        inside_root(&opts.root, &c.path)?;
    }
    let changeset = Changeset { changes };

    // Re-lint in memory.
    let mut new_errors = Vec::new();
    if !p.edits.is_empty() || !p.delete.is_empty() || !p.new_files.is_empty() {
        new_errors = new_error_list(
            error_keys_of(index, before_report),
            error_keys(&after_index, &opts.config),
        );
        if !new_errors.is_empty() && !opts.force {
            return Err(OpError::NewLintErrors {
                errors: new_errors,
                changeset: Box::new(changeset),
            });
        }
    }
    Ok(Outcome {
        changeset,
        summary: p.summary,
        weights: p.weights,
        new_errors,
    })
}

fn verify(index: &Index, checks: &[Check]) -> Result<(), OpError> {
    for c in checks {
        match c {
            Check::Route {
                file,
                vs_namespace,
                vs_name,
                pointer,
                expect,
            } => {
                let res = index
                    .find(Kind::VirtualService, vs_namespace, vs_name)
                    .iter()
                    .copied()
                    .find(|r| index.files[index.resources[*r].file].source.name() == file);
                let Some(res) = res else {
                    return Err(OpError::Edit(format!(
                        "{file}: VirtualService {vs_namespace}/{vs_name} is missing after the edit"
                    )));
                };
                let r = &index.resources[res];
                let doc = &index.files[r.file].docs[r.doc];
                let got: Vec<(String, u32)> = doc
                    .pointer(pointer)
                    .and_then(|n| n.get("route"))
                    .map(|route| {
                        route
                            .items()
                            .map(|d| {
                                let d = lanes_model::views::RouteDestination(d);
                                (
                                    d.subset()
                                        .or_else(|| d.host())
                                        .and_then(|s| s.as_text())
                                        .unwrap_or("")
                                        .to_string(),
                                    d.weight_value().unwrap_or(-1).clamp(-1, 1000) as u32,
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if &got != expect {
                    return Err(OpError::Edit(format!(
                        "{file}: {vs_namespace}/{vs_name}{pointer} reads back as {got:?}, not {expect:?}; nothing was written"
                    )));
                }
            }
            Check::Lane {
                group,
                lane,
                exists,
            } => {
                let found = index
                    .group(group)
                    .and_then(|g| index.lane_named(g, lane))
                    .is_some();
                if found != *exists {
                    return Err(OpError::Edit(format!(
                        "lane {lane} {} after the edit; nothing was written",
                        if *exists {
                            "is missing"
                        } else {
                            "is still there"
                        }
                    )));
                }
            }
            Check::Deployment { namespace, name } => {
                if index.find(Kind::Deployment, namespace, name).is_empty() {
                    return Err(OpError::Edit(format!(
                        "Deployment {namespace}/{name} is missing after the edit; nothing was written"
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: &str = "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a, subset: v1}\n      weight: 50\n    - destination: {host: a, subset: v2}\n      weight: 50\n";

    fn breaking_edit(index: &Index) -> Pending {
        let at = ROUTE.find("50").unwrap();
        let mut p = Pending::default();
        p.edit(
            0,
            Edit {
                range: at..at + 2,
                text: "70".into(),
            },
        );
        let _ = index;
        p
    }

    #[test]
    fn new_lint_errors_refuse_unless_forced() {
        let index = Index::from_texts([("r.yaml", ROUTE)]);
        let opts = Options::new("");
        match finish(&index, &opts, breaking_edit(&index)) {
            Err(OpError::NewLintErrors { errors, changeset }) => {
                assert_eq!(errors[0].code, "LN101");
                assert!(changeset.diff().contains("+      weight: 70"));
            }
            other => panic!("expected a lint refusal, got {other:?}"),
        }
        let forced = Options {
            force: true,
            ..Options::new("")
        };
        let out = finish(&index, &forced, breaking_edit(&index)).unwrap();
        assert_eq!(out.new_errors.len(), 1);
    }

    #[test]
    fn existing_errors_do_not_block() {
        // r.yaml is already broken (120); the edit touches only s.yaml.
        let broken = ROUTE.replacen("50", "70", 1);
        let other = ROUTE.replace("name: r", "name: s");
        let index = Index::from_texts([("r.yaml", broken.as_str()), ("s.yaml", other.as_str())]);
        let at = other.find("a]").unwrap();
        let mut p = Pending::default();
        p.edit(
            1,
            Edit {
                range: at..at + 1,
                text: "b".into(),
            },
        );
        let out = finish(&index, &Options::new(""), p).unwrap();
        assert!(out.new_errors.is_empty());
    }

    #[test]
    fn version_names_are_dns_labels() {
        for ok in ["v3", "canary-2", "a", &"x".repeat(63)] {
            assert!(check_version_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "V3",
            "v3-",
            "-v3",
            "../../x/ESC",
            "v3/x",
            "v 3",
            "v3.1",
            &"x".repeat(64),
        ] {
            assert!(check_version_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_stay_inside_the_root() {
        let root = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("apps")).unwrap();
        assert!(inside_root(root.path(), &root.path().join("apps/new.yaml")).is_ok());
        assert!(inside_root(root.path(), &root.path().join("new/dir/x.yaml")).is_ok());
        assert!(inside_root(root.path(), &root.path().join("../x.yaml")).is_err());
        assert!(inside_root(root.path(), &root.path().join("apps/../../x.yaml")).is_err());
        assert!(inside_root(root.path(), &other.path().join("x.yaml")).is_err());
        assert!(inside_root(root.path(), root.path()).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(other.path(), root.path().join("out")).unwrap();
            assert!(inside_root(root.path(), &root.path().join("out/x.yaml")).is_err());
        }
    }

    #[test]
    fn verify_catches_a_wrong_read_back() {
        let index = Index::from_texts([("r.yaml", ROUTE)]);
        let mut p = Pending::default();
        p.checks.push(Check::Route {
            file: "r.yaml".into(),
            vs_namespace: "default".into(),
            vs_name: "r".into(),
            pointer: "/spec/http/0".into(),
            expect: vec![("v1".into(), 60), ("v2".into(), 40)],
        });
        let at = ROUTE.find("50").unwrap();
        p.edit(
            0,
            Edit {
                range: at..at + 2,
                text: "50".into(),
            },
        );
        assert!(matches!(
            finish(&index, &Options::new(""), p),
            Err(OpError::Edit(_))
        ));
    }
}
