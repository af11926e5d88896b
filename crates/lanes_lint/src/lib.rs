//! `lanes_lint`: the rules, their registry, diagnostics and renderers.
//!
//! Every rule lives in its own file under `rules/<family>/`, declares its [`RuleMeta`] (code,
//! kebab name, default severity, docs) next to its check, and is listed once in
//! [`registry::RULES`]. `lanes explain CODE` prints the same docs the generator writes to
//! `docs/rules/`. The library never prints: renderers return strings.
#![warn(missing_docs)]

mod cache;
pub mod config;
pub mod config_file;
mod diagnostic;
pub mod docs;
pub mod fix;
pub mod fixes;
pub mod registry;
pub mod remap;
pub mod render;
pub mod render_ci;
mod rule;
mod rules;
pub mod schema;
pub mod schema_combined;
pub mod stats;
pub mod suppress;
mod yaml_json;

pub use config::{Config, WeightTotal};
pub use diagnostic::{Applicability, Diagnostic, Fix, FixEdit, LineColSer, Related, Severity};
pub use rule::{did_you_mean, edit_distance, Context, FixAvailability, Rule, RuleMeta};

use lanes_model::cache::ParseCache;
use lanes_model::Index;

/// The outcome of a lint run.
#[derive(Debug)]
pub struct Report {
    /// Findings, sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Files read (including unreadable ones).
    pub files: usize,
    /// Documents parsed.
    pub documents: usize,
}

impl Report {
    /// Number of error-level findings.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Number of info findings.
    pub fn infos(&self) -> usize {
        self.count(Severity::Info)
    }

    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// Whether some input could not be read or parsed.
    pub fn has_input_failure(&self) -> bool {
        self.diagnostics.iter().any(|d| d.input_failure)
    }

    /// 0 clean (warnings allowed), 1 error-level findings, 2 unreadable or unparsable input.
    pub fn exit_code(&self) -> i32 {
        if self.has_input_failure() {
            2
        } else if self.errors() > 0 {
            1
        } else {
            0
        }
    }
}

/// Run every enabled rule over the index.
pub fn lint(index: &Index, config: &Config) -> Report {
    lint_cached(index, config, &ParseCache::disabled())
}

/// [`lint`], with the persistent cache of earlier runs: files whose exact text is recorded as
/// passing the JSON Schemas are not validated again (the result is the same), and files that
/// pass are recorded for the next run.
pub fn lint_cached(index: &Index, config: &Config, memo: &ParseCache) -> Report {
    use rayon::prelude::*;
    let cache = cache::LintCache::new(memo);
    // Rules are independent: run them in parallel; the order is fixed by the sort below.
    let mut diagnostics: Vec<Diagnostic> = registry::RULES
        .par_iter()
        .filter_map(|rule| {
            // Input failures always run, with their own severity: they decide exit code 2, so
            // neither `lanes.toml` nor a selection can turn an unreadable file into a clean run.
            let severity = if rule.meta.input {
                rule.meta.severity
            } else {
                config.severity_of(rule.meta.code, rule.meta.severity)?
            };
            let mut cx = Context {
                index,
                config,
                rule: rule.meta,
                severity,
                out: Vec::new(),
                cache: &cache,
            };
            (rule.check)(&mut cx);
            Some(cx.out)
        })
        .flatten()
        .collect();
    suppress::apply(index, config, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (&a.file, a.range.start, a.code, &a.message).cmp(&(
            &b.file,
            b.range.start,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup_by(|a, b| {
        a.file == b.file && a.range == b.range && a.code == b.code && a.message == b.message
    });
    Report {
        diagnostics,
        files: index.files.len() + index.input_errors.len(),
        documents: index.document_count(),
    }
}
