//! The fix loop: apply fixes in memory, re-parse, re-lint, until nothing changes.

use std::collections::BTreeMap;
use std::ops::Range;

use lanes_model::Index;
use lanes_yaml::edit::{self, Edit};
use lanes_yaml::SourceFile;

use crate::config::Config;
use crate::diagnostic::Applicability;
use crate::{lint, Report};

/// Passes after which the loop stops even if fixes keep applying.
pub(crate) const MAX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Safe fixes only (`--fix`).
    Safe,
    /// Safe and unsafe fixes (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    fn allows(self, a: Applicability) -> bool {
        a == Applicability::Safe || self == FixMode::Unsafe
    }
}

/// A file whose text changed.
#[derive(Clone, Debug)]
pub struct FixedFile {
    /// Display name (as in the index).
    pub name: String,
    /// Text before.
    pub original: String,
    /// Text after every pass.
    pub text: String,
}

/// A fixed file that would no longer parse; nothing must be written.
#[derive(Clone, Debug)]
pub struct BrokenFix {
    /// Display name.
    pub name: String,
    /// The first parse error of the fixed text.
    pub message: String,
}

/// What [`fix_all`] did.
#[derive(Debug)]
pub struct FixOutcome {
    /// Changed files, in index order.
    pub files: Vec<FixedFile>,
    /// `(code, fixes applied)`, by code.
    pub applied: Vec<(&'static str, usize)>,
    /// Findings left after the last pass (on the fixed texts).
    pub remaining: Report,
    /// The index of the fixed texts (for rendering `remaining`).
    pub index: Index,
    /// Files a fix would have broken. When not empty, `files` holds the texts before the pass
    /// that broke them and callers must write nothing.
    pub broken: Vec<BrokenFix>,
    /// Passes run.
    pub passes: usize,
    /// When some input failed to read or parse (`file:line:col: message` of the first such
    /// finding): no fix was applied, `files` is empty, and callers must write nothing. A fix
    /// computed from an incomplete picture (a lane that dropped out of the index) can be wrong
    /// in another, valid file.
    pub input_failure: Option<String>,
}

/// Apply fixes until nothing changes (at most `MAX_PASSES` passes). Each pass lints, takes the
/// allowed fixes whose edits do not overlap an earlier one in the same file, applies them,
/// re-parses and re-lints. A pass that would make a file fail to parse stops the loop and is
/// reported in [`FixOutcome::broken`].
pub fn fix_all(index: &Index, config: &Config, mode: FixMode) -> FixOutcome {
    fix_all_with(index, config, mode, lint)
}

/// [`fix_all`] with another lint function (tests use one that proposes broken fixes).
pub(crate) fn fix_all_with(
    index: &Index,
    config: &Config,
    mode: FixMode,
    lint: impl Fn(&Index, &Config) -> Report,
) -> FixOutcome {
    let originals: Vec<(String, String)> = index
        .files
        .iter()
        .map(|f| (f.source.name().to_string(), f.source.text().to_string()))
        .collect();
    let mut texts = originals.clone();
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut passes = 0;
    let mut cur = rebuild(&texts, index);
    loop {
        let report = lint(&cur, config);
        if passes == 0 {
            if let Some(d) = report.diagnostics.iter().find(|d| d.input_failure) {
                let why = format!(
                    "{}:{}:{}: {}",
                    d.file, d.start.line, d.start.column, d.message
                );
                let mut out = outcome(
                    originals.clone(),
                    originals,
                    applied,
                    report,
                    cur,
                    broken,
                    0,
                );
                out.input_failure = Some(why);
                return out;
            }
        }
        if passes >= MAX_PASSES || !broken.is_empty() {
            return outcome(originals, texts, applied, report, cur, broken, passes);
        }
        let mut per_file: BTreeMap<usize, Vec<(&'static str, Vec<Edit>)>> = BTreeMap::new();
        for d in &report.diagnostics {
            let (Some(fi), Some(fix)) = (d.file_index, &d.fix) else {
                continue;
            };
            if !mode.allows(fix.applicability) || fix.edits.is_empty() {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| Edit {
                    range: e.range.clone(),
                    text: e.text.clone(),
                })
                .collect();
            per_file.entry(fi).or_default().push((d.code, edits));
        }
        let mut changed = false;
        let mut pass_applied: BTreeMap<&'static str, usize> = BTreeMap::new();
        for (fi, fixes) in per_file {
            let mut taken: Vec<Range<usize>> = Vec::new();
            let mut edits = Vec::new();
            let mut codes = Vec::new();
            for (code, fe) in fixes {
                let clash = fe.iter().enumerate().any(|(i, e)| {
                    taken.iter().any(|t| overlaps(t, &e.range))
                        || fe[..i].iter().any(|o| overlaps(&o.range, &e.range))
                });
                if clash {
                    continue;
                }
                taken.extend(fe.iter().map(|e| e.range.clone()));
                edits.extend(fe);
                codes.push(code);
            }
            let old = &texts[fi].1;
            let Ok(new) = edit::apply(old, &edits) else {
                continue;
            };
            if new == *old {
                continue;
            }
            let before = cur.files[fi].errors.len();
            let parsed = lanes_yaml::parse(SourceFile::new(texts[fi].0.clone(), new.clone()));
            if parsed.errors.len() > before {
                broken.push(BrokenFix {
                    name: texts[fi].0.clone(),
                    message: parsed.errors[0].message.clone(),
                });
                continue;
            }
            texts[fi].1 = new;
            changed = true;
            for c in codes {
                *pass_applied.entry(c).or_default() += 1;
            }
        }
        passes += 1;
        if !broken.is_empty() {
            return outcome(originals, texts, applied, report, cur, broken, passes);
        }
        for (c, n) in pass_applied {
            *applied.entry(c).or_default() += n;
        }
        if !changed {
            return outcome(originals, texts, applied, report, cur, broken, passes);
        }
        cur = rebuild(&texts, index);
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    // Touching ranges count: two insertions at one point, or an insertion at an edge.
    a.start <= b.end && b.start <= a.end
}

fn rebuild(texts: &[(String, String)], index: &Index) -> Index {
    let files = texts
        .iter()
        .map(|(n, t)| lanes_yaml::parse(SourceFile::new(n.clone(), t.clone())))
        .collect();
    let mut rebuilt = Index::new(files, index.input_errors.clone());
    rebuilt.notes = index.notes.clone();
    rebuilt.decisions = index.decisions.clone();
    rebuilt.file_universe = index.file_universe.clone();
    rebuilt.set_file_namespaces(index.file_namespace.clone());
    rebuilt
}

fn outcome(
    originals: Vec<(String, String)>,
    texts: Vec<(String, String)>,
    applied: BTreeMap<&'static str, usize>,
    remaining: Report,
    index: Index,
    broken: Vec<BrokenFix>,
    passes: usize,
) -> FixOutcome {
    let files = originals
        .into_iter()
        .zip(texts)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, original), (_, text))| FixedFile {
            name,
            original,
            text,
        })
        .collect();
    FixOutcome {
        files,
        applied: applied.into_iter().collect(),
        remaining,
        index,
        broken,
        passes,
        input_failure: None,
    }
}

/// A unified diff of one file (`--fix --dry-run`).
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Fix, FixEdit};
    use crate::Severity;

    fn fake(edit_text: &'static str) -> impl Fn(&Index, &Config) -> Report {
        move |index: &Index, config: &Config| {
            let mut report = lint(index, config);
            let src = &index.files[0].source;
            if src.text().starts_with("a: 1") {
                report.diagnostics.push(Diagnostic {
                    code: "LN999",
                    name: "fake",
                    severity: Severity::Error,
                    message: "fake".into(),
                    label: None,
                    help: None,
                    file: src.name().into(),
                    file_index: Some(0),
                    range: 0..4,
                    start: src.line_col(0),
                    end: src.line_col(4),
                    related: Vec::new(),
                    fix: Some(Fix {
                        title: "fake".into(),
                        applicability: Applicability::Safe,
                        edits: vec![FixEdit {
                            range: 0..4,
                            text: edit_text.into(),
                        }],
                    }),
                    input_failure: false,
                });
            }
            report
        }
    }

    #[test]
    fn a_fix_that_breaks_parsing_is_refused() {
        let index = Index::from_texts([("a.yaml", "a: 1\nb: 2\n")]);
        let out = fix_all_with(&index, &Config::default(), FixMode::Safe, fake("a: [1"));
        assert_eq!(out.broken.len(), 1);
        assert_eq!(out.broken[0].name, "a.yaml");
        assert!(out.files.is_empty(), "no text may change");
    }

    #[test]
    fn no_fix_is_applied_when_an_input_failed_to_parse() {
        let vs = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a, subset: v1}\n      weight: 60\n    - destination: {host: a, subset: v2}\n      weight: 50\n";
        let index = Index::from_texts([("vs.yaml", vs), ("bad.yaml", "a: b: c\n")]);
        let out = fix_all(&index, &Config::default(), FixMode::Unsafe);
        assert!(out.files.is_empty(), "nothing may change");
        assert!(out.applied.is_empty());
        let why = out.input_failure.expect("the parse failure is reported");
        assert!(why.starts_with("bad.yaml:1:"), "{why}");
    }

    #[test]
    fn fixes_converge_within_the_pass_limit() {
        let index = Index::from_texts([("a.yaml", "a: 1\nb: 2\n")]);
        let out = fix_all_with(&index, &Config::default(), FixMode::Safe, fake("a: 2"));
        assert!(out.broken.is_empty());
        assert_eq!(out.files.len(), 1);
        assert_eq!(out.files[0].text, "a: 2\nb: 2\n");
        assert_eq!(out.applied, vec![("LN999", 1)]);
        assert_eq!(out.passes, 2);
    }

    #[test]
    fn unsafe_fixes_need_unsafe_mode() {
        let text = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a, subset: v1}\n      weight: 60\n    - destination: {host: a, subset: v2}\n      weight: 50\n";
        let index = Index::from_texts([("vs.yaml", text)]);
        let out = fix_all(&index, &Config::default(), FixMode::Safe);
        assert!(out.files.is_empty());
        let out = fix_all(&index, &Config::default(), FixMode::Unsafe);
        assert_eq!(out.applied, vec![("LN101", 1)]);
        assert!(
            out.files[0].text.contains("weight: 55\n")
                && out.files[0].text.contains("weight: 45\n")
        );
        assert!(out.remaining.diagnostics.iter().all(|d| d.code != "LN101"));
        let diff = unified_diff("vs.yaml", &out.files[0].original, &out.files[0].text);
        assert!(
            diff.contains("-      weight: 60\n+      weight: 55\n"),
            "{diff}"
        );
    }
}
