//! Renderers for CI: GitHub Actions workflow commands and SARIF 2.1.0.
//!
//! Both take the file names of the report as they are; the binary passes plain repository
//! paths (no `REV:` prefix) in these formats so that annotations land on the right file.

use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::RULES;
use crate::Report;

/// Where lanes' rule documentation lives (SARIF `informationUri`).
pub const INFORMATION_URI: &str = "https://example.invalid/lanes";

/// GitHub Actions workflow commands, one per finding:
/// `::error file=a.yaml,line=3,col=11,endLine=3,endColumn=13,title=LN101 route-weights-not-100::message`.
/// Errors are `::error`, warnings `::warning`, infos `::notice`. Findings without a position
/// (unreadable files) carry only `file=`.
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = vec![format!("file={}", escape_property(&d.file))];
        if d.start.line > 0 {
            props.push(format!("line={}", d.start.line));
            props.push(format!("col={}", d.start.column));
            let end_line = d.end.line.max(d.start.line);
            // GitHub's endColumn is inclusive; ours is the column after the span.
            let end_col = if end_line == d.start.line {
                d.end.column.saturating_sub(1).max(d.start.column)
            } else {
                d.end.column.max(1)
            };
            props.push(format!("endLine={end_line}"));
            props.push(format!("endColumn={end_col}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", d.code, d.name))
        ));
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{cmd} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

/// Escape a workflow command's message: `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value: as [`escape_data`], plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encode what may not appear in a relative URI reference (keeps `/`).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn first_paragraph(docs: &str) -> String {
    docs.trim()
        .split("\n\n")
        .find(|p| !p.trim_start().starts_with('#'))
        .unwrap_or("")
        .trim()
        .to_string()
}

fn result(d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!(" (help: {h})"));
    }
    let mut physical = json!({
        "artifactLocation": { "uri": uri(&d.file), "uriBaseId": "%SRCROOT%" },
    });
    if d.start.line > 0 {
        let end_line = d.end.line.max(d.start.line);
        let mut end_col = d.end.column.max(1);
        if end_line == d.start.line && end_col <= d.start.column {
            end_col = d.start.column + 1;
        }
        physical["region"] = json!({
            "startLine": d.start.line,
            "startColumn": d.start.column.max(1),
            "endLine": end_line,
            "endColumn": end_col,
        });
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [ { "physicalLocation": physical } ],
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    if !d.related.is_empty() {
        r["relatedLocations"] = Value::Array(
            d.related
                .iter()
                .enumerate()
                .map(|(i, rel)| {
                    let mut pl = json!({ "artifactLocation": { "uri": uri(&rel.file), "uriBaseId": "%SRCROOT%" } });
                    if rel.start.line > 0 {
                        pl["region"] = json!({ "startLine": rel.start.line, "startColumn": rel.start.column.max(1) });
                    }
                    json!({ "id": i, "physicalLocation": pl, "message": { "text": rel.message } })
                })
                .collect(),
        );
    }
    r
}

/// SARIF 2.1.0: one run, the full rule catalogue (id, name, descriptions, help from
/// `lanes explain`, default level) and one result per finding with its region. Columns count
/// Unicode code points; end columns are exclusive, as SARIF defines them.
pub fn sarif(report: &Report) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            let help = crate::render::explain(m);
            let full = first_paragraph(m.docs);
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": if full.is_empty() { m.summary.to_string() } else { full } },
                "help": { "text": help, "markdown": help },
                "helpUri": format!("{INFORMATION_URI}/docs/rules/{}.md", m.code),
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": { "tags": [m.group] },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, RULES.iter().position(|r| r.meta.code == d.code)))
        .collect();
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "lanes",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(files: &[(&str, &str)]) -> Report {
        let idx = lanes_model::Index::from_texts(files.iter().copied());
        crate::lint(&idx, &crate::Config::default())
    }

    const BAD: &str = "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: mock\n  namespace: istio-system\nspec:\n  hosts: ['*']\n  http:\n    - route:\n        - destination:\n            host: a\n            subset: v1\n          weight: 60\n        - destination:\n            host: a\n            subset: v2\n          weight: 50\n";

    #[test]
    fn github_commands_escape_properties_and_data() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("50%: a,b\r\n"), "50%25: a,b%0D%0A");
        let r = report(&[("main:dir,x/vs.yaml", BAD)]);
        let out = github(&r);
        let line = out.lines().find(|l| l.starts_with("::error ")).expect(&out);
        assert!(
            line.starts_with("::error file=main%3Adir%2Cx/vs.yaml,line="),
            "{line}"
        );
        assert!(line.contains(",title=LN"), "{line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn sarif_validates_against_the_vendored_schema() {
        let mut schema: Value =
            serde_json::from_str(include_str!("../../../schemas/sarif-2.1.0.json")).unwrap();
        // The vendored file is byte-identical to its source, which carries the 2.1.0 schema's
        // known broken `language` pattern (in `run` and `toolComponent`) (an unbalanced `]`); the meta-schema check of
        // jsonschema rejects it, so fix it in memory (see schemas/SARIF-SOURCE.md).
        for def in ["run", "toolComponent"] {
            let pattern = schema
                .pointer_mut(&format!("/definitions/{def}/properties/language/pattern"))
                .expect("language pattern");
            assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
            *pattern = json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
        }
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let r = report(&[("dir with space/vs.yaml", BAD), ("broken.yaml", "a: [\n")]);
        assert!(r.diagnostics.len() >= 2);
        let text = sarif(&r);
        let log: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let run = &log["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            RULES.len()
        );
        let res = &run["results"][0];
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], res["ruleId"]);
        assert!(
            res["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        assert!(text.contains("dir%20with%20space/vs.yaml"));
        // An empty report is valid too.
        let empty: Value = serde_json::from_str(&sarif(&report(&[]))).unwrap();
        assert!(validator.is_valid(&empty));
    }
}
