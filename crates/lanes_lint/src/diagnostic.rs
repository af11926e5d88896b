//! Diagnostics: a rule code, a severity, a message and the exact span of the node at fault.

use std::ops::Range;

use serde::Serialize;

use lanes_yaml::LineCol;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational; never fails a run.
    Info,
    /// Probably wrong; does not fail a run.
    Warning,
    /// Will break traffic or be rejected; fails a run (exit 1).
    Error,
}

impl Severity {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parse `error` / `warning` / `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// A secondary location (for example the DestinationRule that lacks a subset).
#[derive(Clone, Debug, Serialize)]
pub struct Related {
    /// Display name of the file.
    pub file: String,
    /// Byte range.
    #[serde(skip)]
    pub range: Range<usize>,
    /// Start of the range.
    pub start: LineColSer,
    /// What is there.
    pub message: String,
}

/// Serializable line/column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineColSer {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl From<LineCol> for LineColSer {
    fn from(l: LineCol) -> Self {
        LineColSer {
            line: l.line,
            column: l.column,
        }
    }
}

/// Whether a fix may be applied automatically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning; applied by `--fix`.
    Safe,
    /// May change behaviour (traffic); applied only with `--unsafe-fixes`.
    Unsafe,
}

/// A byte-range replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixEdit {
    /// Byte range in the file of the diagnostic.
    pub range: Range<usize>,
    /// Replacement text.
    pub text: String,
}

/// A mechanical fix for a finding.
#[derive(Clone, Debug, Serialize)]
pub struct Fix {
    /// What the fix does.
    pub title: String,
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// Edits, all in the diagnostic's file.
    pub edits: Vec<FixEdit>,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Stable code, `LN101`.
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// Effective severity.
    pub severity: Severity,
    /// Message (lowercase start, no trailing period).
    pub message: String,
    /// Label under the span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Display name of the file.
    pub file: String,
    /// Index of the file in the lint index, when the file was parsed.
    pub file_index: Option<usize>,
    /// Byte range of the node at fault.
    pub range: Range<usize>,
    /// Start of the range.
    pub start: LineCol,
    /// End of the range.
    pub end: LineCol,
    /// Secondary locations.
    pub related: Vec<Related>,
    /// A fix, if the rule has one for this finding.
    pub fix: Option<Fix>,
    /// Whether this finding means the input could not be read (exit code 2).
    pub input_failure: bool,
}

impl Diagnostic {
    /// Set the help line.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Set the label under the span.
    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = Some(label.into());
        self
    }

    /// Attach a fix.
    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}
