//! Rule metadata and the context a rule runs in.

use lanes_model::{Index, ResIdx};
use lanes_yaml::NodeRef;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Related, Severity};

/// Whether a rule can fix what it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    /// Never.
    None,
    /// For some findings.
    Sometimes,
    /// For every finding.
    Always,
}

/// Everything known about a rule, declared once next to its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code (`LN101`). Codes are grouped by resource family.
    pub code: &'static str,
    /// Kebab-case name; reads correctly after "allow" (`route-weights-not-100`).
    pub name: &'static str,
    /// Family (`routing`, `subsets`, `lanes`, ...).
    pub group: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line for `lanes rules`.
    pub summary: &'static str,
    /// Markdown documentation with the sections `## What it does`, `## Why is this bad?`,
    /// `## Example` (a ```yaml block that fires), `Use instead:` (a ```yaml block that does not).
    pub docs: &'static str,
    /// Fix availability.
    pub fix: FixAvailability,
    /// Findings of this rule mean the input could not be read (exit code 2).
    pub input: bool,
}

/// A registered rule: its metadata and its check.
pub struct Rule {
    /// Metadata.
    pub meta: &'static RuleMeta,
    /// The check.
    pub check: fn(&mut Context<'_>),
}

/// What a rule sees while it runs, and where its findings go.
pub struct Context<'a> {
    /// The cross-file index.
    pub index: &'a Index,
    /// Effective configuration.
    pub config: &'a Config,
    pub(crate) rule: &'static RuleMeta,
    pub(crate) severity: Severity,
    pub(crate) out: Vec<Diagnostic>,
    pub(crate) cache: &'a crate::cache::LintCache<'a>,
}

impl<'a> Context<'a> {
    /// Report a finding at a node of a resource's document.
    pub fn report(
        &mut self,
        res: ResIdx,
        node: NodeRef<'_>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let file = self.index.resources[res].file;
        self.report_in_file(file, node.range(), message)
    }

    /// Report a finding at a byte range of a file.
    pub fn report_in_file(
        &mut self,
        file: usize,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let src = &self.index.files[file].source;
        let start = src.line_col(range.start);
        let end = src.line_col(range.end);
        self.out.push(Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.severity,
            message: message.into(),
            label: None,
            help: None,
            file: src.name().to_string(),
            file_index: Some(file),
            range,
            start,
            end,
            related: Vec::new(),
            fix: None,
            input_failure: self.rule.input,
        });
        self.out.last_mut().expect("just pushed")
    }

    /// A secondary location at a node of a resource.
    pub fn related(&self, res: ResIdx, node: NodeRef<'_>, message: impl Into<String>) -> Related {
        let src = &self.index.file_of(res).source;
        Related {
            file: src.name().to_string(),
            range: node.range(),
            start: src.line_col(node.range().start).into(),
            message: message.into(),
        }
    }

    /// The rule being run.
    pub fn rule(&self) -> &'static RuleMeta {
        self.rule
    }
}

/// Closest candidate within edit distance 2 ("did you mean"), if exactly one is closest.
pub fn did_you_mean<'s>(
    word: &str,
    candidates: impl IntoIterator<Item = &'s str>,
) -> Option<&'s str> {
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for c in candidates {
        let d = edit_distance(word, c);
        if d == 0 || d > 2 {
            continue;
        }
        match best {
            Some((bd, b)) if d == bd && b != c => tie = true,
            Some((bd, _)) if d >= bd => {}
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    if tie {
        None
    } else {
        best.map(|(_, c)| c)
    }
}

/// Levenshtein distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl Context<'_> {
    /// Report a file that could not be read at all (no parsed source).
    pub fn report_unparsed(
        &mut self,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let at = lanes_yaml::LineCol {
            line: line.max(1),
            column: column.max(1),
        };
        self.out.push(Diagnostic {
            code: self.rule.code,
            name: self.rule.name,
            severity: self.severity,
            message: message.into(),
            label: None,
            help: None,
            file: file.to_string(),
            file_index: None,
            range: 0..0,
            start: at,
            end: at,
            related: Vec::new(),
            fix: None,
            input_failure: self.rule.input,
        });
        self.out.last_mut().expect("just pushed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("v3", "v2"), 1);
        assert_eq!(did_you_mean("v3", ["v1", "v2"]), None); // tie
        assert_eq!(did_you_mean("canry", ["canary", "stable"]), Some("canary"));
        assert_eq!(did_you_mean("zzz", ["canary"]), None);
    }
}
