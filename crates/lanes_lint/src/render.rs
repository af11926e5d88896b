//! Renderers: human (miette), JSON. They return strings; the binary prints.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde::Serialize;

use lanes_model::Index;

use crate::diagnostic::{Diagnostic, Severity};
use crate::Report;

pub use crate::render_ci::{github, gitlab, junit, sarif, sarif_with};

struct Rendered<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<String>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}[{}] {}: {}:{}:{}",
            self.d.severity.as_str(),
            self.d.code,
            self.d.name,
            self.d.file,
            self.d.start.line,
            self.d.start.column
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let r = &self.d.range;
        let mut labels = vec![LabeledSpan::new_with_span(
            Some(self.d.label.clone().unwrap_or_else(|| "here".into())),
            SourceSpan::from(r.start..r.end.max(r.start)),
        )];
        for rel in &self.d.related {
            if rel.file == self.d.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(rel.message.clone()),
                    SourceSpan::from(rel.range.clone()),
                ));
            }
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Render diagnostics as miette reports with source snippets.
pub fn human(report: &Report, index: &Index, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(120);
    let mut out = String::new();
    for d in &report.diagnostics {
        let source = d.file_index.map(|fi| {
            let src = &index.files[fi].source; // named as the finding names it (escaped for terminals)
            NamedSource::new(&d.file, src.text().to_string())
        });
        let r = Rendered { d, source };
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                d.file,
                d.start.line,
                d.start.column,
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
        for rel in d.related.iter().filter(|r| r.file != d.file) {
            out.push_str(&format!(
                "  note: {}:{}:{}: {}\n",
                rel.file, rel.start.line, rel.start.column, rel.message
            ));
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out
}

/// One-line summary: `3 errors, 1 warning in 5 files (12 documents)`.
pub fn summary_line(report: &Report) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {} in {} ({})\n",
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning"),
        plural(report.infos(), "info"),
        plural(report.files, "file"),
        plural(report.documents, "document")
    )
}

/// Render one line per diagnostic: `file:line:col: severity[CODE] message`.
pub fn concise(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            d.file,
            d.start.line,
            d.start.column,
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "<[crate::Related]>::is_empty")]
    related: &'a [crate::Related],
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a crate::Fix>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    documents: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

fn json_diagnostic(d: &Diagnostic) -> JsonDiagnostic<'_> {
    JsonDiagnostic {
        code: d.code,
        name: d.name,
        severity: d.severity,
        message: &d.message,
        file: &d.file,
        line: d.start.line,
        column: d.start.column,
        end_line: d.end.line,
        end_column: d.end.column,
        help: d.help.as_deref(),
        related: &d.related,
        fix: d.fix.as_ref(),
    }
}

/// JSON Lines: one compact JSON object per finding (the objects of [`json`]'s `diagnostics`),
/// nothing for a clean run.
pub fn json_lines(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        if let Ok(line) = serde_json::to_string(&json_diagnostic(d)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Render the report as one JSON object.
pub fn json(report: &Report) -> String {
    let out = JsonReport {
        diagnostics: report.diagnostics.iter().map(json_diagnostic).collect(),
        summary: JsonSummary {
            files: report.files,
            documents: report.documents,
            errors: report.errors(),
            warnings: report.warnings(),
            infos: report.infos(),
        },
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The table printed by `lanes rules`.
pub fn rules_table() -> String {
    let mut out = String::new();
    for r in crate::registry::RULES {
        out.push_str(&format!(
            "{:<6} {:<36} {:<8} {}\n",
            r.meta.code,
            r.meta.name,
            r.meta.severity.as_str(),
            r.meta.summary
        ));
    }
    out
}

/// The Markdown page of one rule, as `lanes explain` prints it and `docs/rules/` stores it.
pub fn explain(meta: &crate::RuleMeta) -> String {
    let fix = match crate::docs::fix_label(meta) {
        "—" => "no",
        label => label,
    };
    format!(
        "# {name} ({code})\n\nGroup: {group} · Default severity: {sev} · Fix: {fix}\n\n{summary}.\n\n{docs}",
        name = meta.name,
        code = meta.code,
        group = meta.group,
        sev = meta.severity.as_str(),
        summary = capitalise(meta.summary),
        docs = meta.docs.trim_start(),
    )
}

/// What `lanes explain IST0101` prints: the lanes rules that cover a peer tool's code, each with
/// the peer check it covers and its summary.
pub fn explain_peer(code: &str, rules: &[&crate::Rule]) -> String {
    let code = code.to_ascii_uppercase();
    let mut s =
        format!("# {code}\n\nCovered by these lanes rules (`lanes explain CODE` for each):\n\n");
    for r in rules {
        let m = r.meta;
        for p in crate::registry::peer_checks(m) {
            if p.code.as_deref() == Some(code.as_str()) {
                s.push_str(&format!(
                    "- {} `{}` ({}): {}. {}: {}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    capitalise(m.summary),
                    p.tool,
                    p.detail
                ));
            }
        }
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
