//! Suppression: a post-pass over the findings of a lint run.
//!
//! Two forms, both `CODES reason`, where CODES are rule codes or kebab names separated by commas:
//!
//! * a comment, `# lanes: ignore[LN201,LN305] reason`, at the end of the reported line, or alone
//!   on the line above it (blank and comment lines in between are skipped);
//! * an annotation on a resource, `lanes.dev/ignore: "LN201,LN305 reason"`, for every finding
//!   inside that document.
//!
//! A suppression code that silences nothing is reported as LN901 (including codes of rules that
//! are off in this run, and codes that name no rule); a suppression without a reason is LN902
//! when `require-reason` is on (the default). Input failures (exit code 2) cannot be silenced.

use std::ops::Range;

use lanes_model::views::Meta;
use lanes_model::Index;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::suppression::{suppression_without_reason, unused_suppression};
use crate::RuleMeta;

/// The annotation key that silences rules for one resource.
pub(crate) const ANNOTATION: &str = "lanes.dev/ignore";

/// The comment directive, written after `#`.
pub(crate) const COMMENT_DIRECTIVE: &str = "lanes: ignore[";

#[derive(Debug)]
enum Scope {
    Line(usize),
    Range(Range<usize>),
}

#[derive(Debug)]
struct Suppression {
    file: usize,
    at: Range<usize>,
    scope: Scope,
    /// `(as written, code if known, used)`.
    codes: Vec<(String, Option<&'static str>, bool)>,
    reason: bool,
}

/// Split `LN201,LN305 reason` (annotation form) into codes and whether a reason follows.
fn parse_annotation(value: &str) -> (Vec<String>, bool) {
    let mut codes = Vec::new();
    let mut rest = value.trim();
    loop {
        let end = rest
            .find(|c: char| c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() || !looks_like_code(word) {
            break;
        }
        codes.push(word.to_string());
        rest = rest[end..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    (codes, has_reason(rest))
}

/// Split `lanes: ignore[LN201, LN305] reason` (the text after `#`).
fn parse_comment(comment: &str) -> Option<(Vec<String>, bool)> {
    let c = comment.trim_start();
    let c = c
        .strip_prefix(COMMENT_DIRECTIVE)
        .or_else(|| c.strip_prefix("lanes:ignore["))?;
    let (list, rest) = c.split_once(']')?;
    let codes = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    // A further ` #` starts another comment (`# lanes: ignore[LN201] # expect: ...`).
    let reason = rest.split(" #").next().unwrap_or("");
    Some((codes, has_reason(reason)))
}

fn has_reason(rest: &str) -> bool {
    rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '—' | '–'))
        .chars()
        .any(char::is_alphanumeric)
}

fn looks_like_code(word: &str) -> bool {
    crate::registry::find(word).is_some()
        || (word.len() == 5
            && word.starts_with("LN")
            && word[2..].bytes().all(|b| b.is_ascii_digit()))
}

fn collect(index: &Index) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Files whose text can hold the annotation key: written out, or spelled with escapes in a
    // double-quoted key. Documents of other files are not looked into.
    let mut may_annotate = vec![false; index.files.len()];
    for (fi, file) in index.files.iter().enumerate() {
        let src = &file.source;
        may_annotate[fi] = src.text().contains(ANNOTATION) || src.text().contains('\\');
        if !src.text().contains("ignore[") {
            continue;
        }
        let lines = src.line_count();
        for line in 1..=lines {
            let text = src.line_text(line);
            if !text.contains("ignore[") {
                continue;
            }
            let Some(comment) = src.comment_on_line(line) else {
                continue;
            };
            let Some((codes, reason)) = parse_comment(comment) else {
                continue;
            };
            let range = src.line_range(line);
            let hash = range.end - comment.len() - 1;
            let own_line = text.trim_start().starts_with('#');
            let target = if own_line {
                let mut t = line + 1;
                while t <= lines && {
                    let s = src.line_text(t).trim_start();
                    s.is_empty() || s.starts_with('#')
                } {
                    t += 1;
                }
                t
            } else {
                line
            };
            out.push(Suppression {
                file: fi,
                at: hash..range.end,
                scope: Scope::Line(target),
                codes: codes.into_iter().map(|c| resolve(c)).collect(),
                reason,
            });
        }
    }
    for (res, r) in index.resources.iter().enumerate() {
        if !may_annotate[r.file] {
            continue;
        }
        let root = index.root(res);
        let Some(node) = Meta::of(root).and_then(|m| m.annotation(ANNOTATION)) else {
            continue;
        };
        let value = node.as_text().unwrap_or("");
        let (codes, reason) = parse_annotation(value);
        out.push(Suppression {
            file: r.file,
            at: node.range(),
            scope: Scope::Range(root.range()),
            codes: codes.into_iter().map(|c| resolve(c)).collect(),
            reason,
        });
    }
    out
}

fn resolve(written: String) -> (String, Option<&'static str>, bool) {
    let code = crate::registry::find(&written).map(|r| r.meta.code);
    (written, code, false)
}

/// Remove suppressed findings and add LN901/LN902 findings.
pub(crate) fn apply(index: &Index, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let mut sups = collect(index);
    if sups.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        if d.input_failure {
            return true;
        }
        let Some(fi) = d.file_index else { return true };
        let mut keep = true;
        for s in sups.iter_mut().filter(|s| s.file == fi) {
            let in_scope = match &s.scope {
                Scope::Line(l) => d.start.line == *l,
                Scope::Range(r) => r.contains(&d.range.start),
            };
            if !in_scope {
                continue;
            }
            for c in &mut s.codes {
                if c.1 == Some(d.code) || c.0 == d.code {
                    c.2 = true;
                    keep = false;
                }
            }
        }
        keep
    });
    let unused = config.severity_of(
        unused_suppression::META.code,
        unused_suppression::META.severity,
    );
    let no_reason = config
        .severity_of(
            suppression_without_reason::META.code,
            suppression_without_reason::META.severity,
        )
        .filter(|_| config.require_reason);
    for s in &sups {
        if let Some(sev) = no_reason {
            if !s.reason {
                diagnostics.push(make(
                    index,
                    &suppression_without_reason::META,
                    sev,
                    s,
                    "suppression without a reason".into(),
                    "add why after the codes, e.g. `# lanes: ignore[LN201] migrated next sprint`",
                ));
            }
        }
        let Some(sev) = unused else { continue };
        if s.codes.is_empty() {
            diagnostics.push(make(
                index,
                &unused_suppression::META,
                sev,
                s,
                "suppression names no rule".into(),
                "list rule codes or names, e.g. `ignore[LN201]`",
            ));
        }
        for (written, code, used) in &s.codes {
            if *used {
                continue;
            }
            let message = match code {
                None => format!("unused suppression: `{written}` names no rule"),
                Some(code) if config.severity_of(code, Severity::Error).is_none() => {
                    format!("unused suppression of {code}: the rule is off in this run")
                }
                Some(code) => format!("unused suppression of {code}: nothing to silence here"),
            };
            diagnostics.push(make(
                index,
                &unused_suppression::META,
                sev,
                s,
                message,
                "remove the code from the suppression",
            ));
        }
    }
}

fn make(
    index: &Index,
    meta: &'static RuleMeta,
    severity: Severity,
    s: &Suppression,
    message: String,
    help: &str,
) -> Diagnostic {
    let src = &index.files[s.file].source;
    Diagnostic {
        code: meta.code,
        name: meta.name,
        severity,
        message,
        label: None,
        help: Some(help.to_string()),
        file: src.name().to_string(),
        file_index: Some(s.file),
        range: s.at.clone(),
        start: src.line_col(s.at.start),
        end: src.line_col(s.at.end),
        related: Vec::new(),
        fix: None,
        input_failure: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            parse_annotation("LN101,route-weights-not-100 migrating"),
            (vec!["LN101".into(), "route-weights-not-100".into()], true)
        );
        assert_eq!(
            parse_annotation("LN101, LN102"),
            (vec!["LN101".into(), "LN102".into()], false)
        );
        assert_eq!(parse_annotation("LN999 - x"), (vec!["LN999".into()], true));
        assert_eq!(
            parse_comment(" lanes: ignore[LN101, LN102] being fixed").unwrap(),
            (vec!["LN101".into(), "LN102".into()], true)
        );
        assert!(!parse_comment(" lanes: ignore[LN101]").unwrap().1);
        assert!(parse_comment(" expect: LN101").is_none());
    }

    #[test]
    fn annotation_key_spelled_with_escapes_is_found() {
        let plain = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    lanes.dev/ignore: \"LN999 why\"\n";
        let escaped = plain.replace("lanes.dev/ignore", "\"lanes.dev\\x2fignore\"");
        for text in [plain.to_string(), escaped] {
            let index = Index::from_texts([("a.yaml", text)]);
            let sups = collect(&index);
            assert_eq!(sups.len(), 1, "{sups:?}");
        }
        let none = Index::from_texts([(
            "a.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n",
        )]);
        assert!(collect(&none).is_empty());
    }
}
