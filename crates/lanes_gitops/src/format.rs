//! Reports as text: for people, for terminals, and in the formats CI systems read.

use std::path::PathBuf;

use lanes_lint::Report;
use lanes_model::terminal::terminal_safe;
use lanes_model::Index;

/// An output format of a lint report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Reports with source snippets, for people.
    #[default]
    Human,
    /// One line per finding: `file:line:col: severity[CODE] message`.
    Concise,
    /// One JSON object with `diagnostics` and `summary`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=CODE name::message`).
    Github,
    /// SARIF 2.1.0 for GitHub code scanning (rules metadata, regions, stable fingerprints, the
    /// exit code).
    Sarif,
    /// JUnit XML: a test suite per file, a failing test case per error.
    Junit,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// One JSON object per finding, one per line.
    JsonLines,
}

impl Format {
    /// Every format, in the order above.
    pub const ALL: [Format; 8] = [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Github,
        Format::Sarif,
        Format::Junit,
        Format::Gitlab,
        Format::JsonLines,
    ];

    /// The format's name on the command line (`json-lines`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
            Format::JsonLines => "json-lines",
        }
    }

    /// Formats read by CI systems, which resolve file names against the repository root (see
    /// [`crate::Lint::report_base`]).
    pub fn is_ci(self) -> bool {
        matches!(
            self,
            Format::Github | Format::Sarif | Format::Junit | Format::Gitlab
        )
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| format!("unknown format `{s}`"))
    }
}

/// How to render a report.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Colour (human format).
    pub color: bool,
    /// No summary line.
    pub quiet: bool,
    /// The number of findings per rule instead of the findings (human, concise and JSON
    /// formats; JSON Lines gives the JSON counts too).
    pub statistics: bool,
    /// The exit code the run ends with (SARIF records it); usually [`Report::exit_code`].
    pub exit_code: i32,
    /// Name files relative to this directory instead of the current one (CI formats: see
    /// [`crate::Lint::report_base`]).
    pub base: Option<PathBuf>,
}

/// Render a report. `index` is the one the report was made from (snippets, rule metadata,
/// resource names).
pub fn render(report: &Report, index: &Index, format: Format, opts: &RenderOptions) -> String {
    let rebased;
    let report = match &opts.base {
        Some(root) => {
            let mut r = Report {
                diagnostics: report.diagnostics.clone(),
                files: report.files,
                documents: report.documents,
            };
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            lanes_lint::render_ci::rebase_paths(&mut r, &cwd, root);
            rebased = r;
            &rebased
        }
        None => report,
    };
    let summary = |s: &mut String| {
        if !opts.quiet {
            s.push_str(&lanes_lint::render::summary_line(report));
        }
    };
    match (format, opts.statistics) {
        (Format::Json, true) | (Format::JsonLines, true) => lanes_lint::stats::json(report),
        (Format::Json, false) => lanes_lint::render::json(report),
        (Format::JsonLines, false) => lanes_lint::render::json_lines(report),
        (_, true) => {
            let mut s = lanes_lint::stats::human(report);
            summary(&mut s);
            terminal_safe(&s).into_owned()
        }
        (Format::Human, false) => {
            let mut s = lanes_lint::render::human(&terminal_safe_report(report), index, opts.color);
            if opts.quiet {
                // The renderer ends with the summary line.
                let summary = lanes_lint::render::summary_line(report);
                if s.ends_with(&summary) {
                    s.truncate(s.len() - summary.len());
                }
            }
            s
        }
        (Format::Concise, false) => {
            let mut s = lanes_lint::render::concise(&terminal_safe_report(report));
            summary(&mut s);
            s
        }
        (Format::Github, false) => lanes_lint::render::github(report),
        (Format::Sarif, false) => {
            lanes_lint::render::sarif_with(report, Some(index), opts.exit_code)
        }
        (Format::Junit, false) => lanes_lint::render::junit(report),
        (Format::Gitlab, false) => lanes_lint::render::gitlab(report, Some(index)),
    }
}

/// The report with control characters in file names and messages escaped, for the formats
/// people read in a terminal.
fn terminal_safe_report(report: &Report) -> Report {
    let safe = |s: &str| terminal_safe(s).into_owned();
    Report {
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.file = safe(&d.file);
                d.message = safe(&d.message);
                d.help = d.help.as_deref().map(safe);
                d.label = d.label.as_deref().map(safe);
                for r in &mut d.related {
                    r.file = safe(&r.file);
                    r.message = safe(&r.message);
                }
                d
            })
            .collect(),
        files: report.files,
        documents: report.documents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().is_err());
    }
}
