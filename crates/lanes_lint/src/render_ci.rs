//! Renderers for CI: GitHub Actions workflow commands, SARIF 2.1.0, GitLab Code Quality and
//! JUnit XML.
//!
//! They take the file names of the report as they are; the binary makes them relative to the
//! repository root first ([`rebase_paths`]; git modes already name files by their repository
//! path), so that annotations land on the right file wherever lanes runs from.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use lanes_model::Index;
use lanes_yaml::NodeRef;
use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::registry::RULES;
use crate::Report;

/// Where lanes lives (SARIF `informationUri`): the workspace's `repository`, the one place
/// the project's URL is written.
pub(crate) const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The key of lanes' fingerprint in SARIF `partialFingerprints`.
pub(crate) const FINGERPRINT_KEY: &str = "lanes/v1";

/// Make every file name of the report (findings and related locations) relative to `root`,
/// `/`-separated. Names are taken relative to `cwd` first; a name outside `root` is kept as it
/// is. For the CI formats, whose consumers resolve paths against the repository root.
pub fn rebase_paths(report: &mut Report, cwd: &Path, root: &Path) {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let rebase = |name: &mut String| {
        let p = Path::new(name.as_str());
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        // Canonicalise the directory only: the file itself may be a link inside the repo.
        let abs = match (abs.parent(), abs.file_name()) {
            (Some(dir), Some(file)) => std::fs::canonicalize(dir)
                .map(|d| d.join(file))
                .unwrap_or(abs.clone()),
            _ => abs,
        };
        if let Ok(rel) = abs.strip_prefix(&root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if !parts.is_empty() {
                *name = parts.join("/");
            }
        }
    };
    for d in &mut report.diagnostics {
        rebase(&mut d.file);
        for r in &mut d.related {
            rebase(&mut r.file);
        }
    }
}

/// The deepest node whose range holds `range`.
fn deepest<'a>(mut cur: NodeRef<'a>, range: &Range<usize>) -> NodeRef<'a> {
    'down: loop {
        let children: Vec<NodeRef<'a>> = match cur.kind() {
            lanes_yaml::NodeKind::Map { .. } => cur.entries().flat_map(|(k, v)| [k, v]).collect(),
            lanes_yaml::NodeKind::Seq { .. } => cur.items().collect(),
            _ => break,
        };
        for c in children {
            let r = c.range();
            if r.start <= range.start && range.end <= r.end && r != cur.range() {
                cur = c;
                continue 'down;
            }
        }
        break;
    }
    cur
}

/// What identifies a finding across edits: the rule, the file, the resource
/// (`Kind namespace/name`, or the document's position when it has none) and the JSON pointer of
/// the node at fault. Not the line, so a fingerprint survives edits above the finding.
pub(crate) fn fingerprint_parts(d: &Diagnostic, index: Option<&Index>) -> [String; 4] {
    let mut resource = String::new();
    let mut pointer = String::new();
    if let (Some(index), Some(fi)) = (index, d.file_index) {
        if let Some(file) = index.files.get(fi) {
            let doc = file.docs.iter().position(|doc| {
                let r = doc.content_range();
                let start = doc.marker.unwrap_or(r.start).min(r.start);
                start <= d.range.start && d.range.start <= r.end
            });
            if let Some(di) = doc {
                resource = index
                    .resources
                    .iter()
                    .find(|r| r.file == fi && r.doc == di)
                    .map(|r| r.display())
                    .unwrap_or_else(|| format!("document {di}"));
                if let Some(root) = file.docs[di].root() {
                    pointer = deepest(root, &d.range).pointer();
                }
            }
        }
    }
    [d.code.to_string(), d.file.clone(), resource, pointer]
}

/// `fingerprint_parts` hashed: 32 hex digits.
pub fn fingerprint(d: &Diagnostic, index: Option<&Index>) -> String {
    let parts = fingerprint_parts(d, index);
    format!(
        "{:032x}",
        xxhash_rust::xxh3::xxh3_128(parts.join("\0").as_bytes())
    )
}

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
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow command's property value: as [`escape_data`], plus `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
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

/// The first sentence of the rule's `## What it does` section (SARIF `fullDescription`), or
/// its summary.
pub(crate) fn what_it_does(meta: &crate::RuleMeta) -> String {
    let docs = meta.docs;
    let section = docs
        .split("## ")
        .find_map(|s| s.strip_prefix("What it does"))
        .unwrap_or("");
    let para = section
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let bytes = para.as_bytes();
    let mut end = para.len();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.'
            && (i + 1 == bytes.len()
                || (bytes[i + 1] == b' '
                    && bytes.get(i + 2).is_some_and(|c| c.is_ascii_uppercase())))
        {
            end = i + 1;
            break;
        }
    }
    let sentence = para[..end].trim();
    if sentence.is_empty() {
        let mut s = meta.summary.to_string();
        s.push('.');
        capitalise(&s)
    } else {
        sentence.to_string()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn result(d: &Diagnostic, rule_index: Option<usize>, index: Option<&Index>) -> Value {
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
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(d, index) },
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

/// SARIF 2.1.0 without an index (fingerprints then carry only the rule and the file) and with
/// the report's own exit code.
pub fn sarif(report: &Report) -> String {
    sarif_with(report, None, report.exit_code())
}

/// SARIF 2.1.0: one run, the full rule catalogue (id, name, the "What it does" sentence,
/// help from `lanes explain` as Markdown, default level), one result per finding with its
/// region and a stable `partialFingerprints` entry (see `fingerprint_parts`), the invocation
/// with the exit code lanes returns, and `automationDetails`. Columns count Unicode code points;
/// end columns are exclusive, as SARIF defines them. Paths are as in the report (see
/// [`rebase_paths`]).
pub fn sarif_with(report: &Report, index: Option<&Index>, exit_code: i32) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            let help = crate::render::explain(m);
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": what_it_does(m) },
                "help": { "text": help, "markdown": help },
                "helpUri": format!("{INFORMATION_URI}/blob/main/docs/rules/{}.md", m.code),
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": { "tags": [m.group] },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, RULES.iter().position(|r| r.meta.code == d.code), index))
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
            "automationDetails": { "id": "lanes/lint/" },
            "invocations": [{
                "executionSuccessful": exit_code != 2,
                "exitCode": exit_code,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// GitLab Code Quality report (a JSON array; GitLab's documented fields): `description`,
/// `check_name`, `fingerprint` (unique within the report: the stable [`fingerprint`], with a
/// counter when two findings share it), `severity` (`major` for errors, `minor` for warnings,
/// `info`), `location.path` and `location.lines.begin`/`end`.
pub fn gitlab(report: &Report, index: Option<&Index>) -> String {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let issues: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let base = fingerprint(d, index);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fp = if *n == 1 { base } else { format!("{base}-{n}") };
            let severity = match d.severity {
                Severity::Error if d.input_failure => "blocker",
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            let mut description = format!("{} {}: {}", d.code, d.name, d.message);
            if let Some(h) = &d.help {
                description.push_str(&format!(" (help: {h})"));
            }
            let begin = d.start.line.max(1);
            json!({
                "type": "issue",
                "description": description,
                "check_name": d.code,
                "categories": ["Bug Risk"],
                "fingerprint": fp,
                "severity": severity,
                "location": {
                    "path": d.file,
                    "lines": { "begin": begin, "end": d.end.line.max(begin) },
                },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// Replace what XML 1.0 cannot carry (most control characters), even escaped, with U+FFFD.
fn xml_text(s: &str) -> Cow<'_, str> {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if s.chars().any(bad) {
        Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// JUnit XML in the common format (`testsuites` > `testsuite` per file > `testcase` per
/// finding): an error-level finding is a `failure`, unreadable input an `error`; warnings and
/// infos are passing test cases whose `system-out` says what was found. A clean run is one
/// passing test case, so that CI shows that lanes ran.
pub fn junit(report: &Report) -> String {
    use quick_xml::events::{BytesDecl, BytesText, Event};
    use quick_xml::Writer;

    let mut files: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        match files.last_mut() {
            Some((f, list)) if *f == d.file => list.push(d),
            _ => files.push((&d.file, vec![d])),
        }
    }
    let failures = |ds: &[&Diagnostic]| {
        ds.iter()
            .filter(|d| d.severity == Severity::Error && !d.input_failure)
            .count()
    };
    let errors = |ds: &[&Diagnostic]| ds.iter().filter(|d| d.input_failure).count();
    let all: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    let tests = all.len().max(1);

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let write = |w: &mut Writer<Vec<u8>>| -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("testsuites")
            .with_attribute(("name", "lanes"))
            .with_attribute(("tests", tests.to_string().as_str()))
            .with_attribute(("failures", failures(&all).to_string().as_str()))
            .with_attribute(("errors", errors(&all).to_string().as_str()))
            .with_attribute(("time", "0"))
            .write_inner_content(|w| {
                if files.is_empty() {
                    w.create_element("testsuite")
                        .with_attribute(("name", "lanes"))
                        .with_attribute(("tests", "1"))
                        .with_attribute(("failures", "0"))
                        .with_attribute(("errors", "0"))
                        .with_attribute(("time", "0"))
                        .write_inner_content(|w| {
                            w.create_element("testcase")
                                .with_attribute(("name", "lanes lint"))
                                .with_attribute(("classname", "lanes"))
                                .with_attribute(("time", "0"))
                                .write_empty()?;
                            Ok(())
                        })?;
                }
                for (file, ds) in &files {
                    let file = xml_text(file);
                    w.create_element("testsuite")
                        .with_attribute(("name", file.as_ref()))
                        .with_attribute(("tests", ds.len().to_string().as_str()))
                        .with_attribute(("failures", failures(ds).to_string().as_str()))
                        .with_attribute(("errors", errors(ds).to_string().as_str()))
                        .with_attribute(("time", "0"))
                        .with_attribute(("file", file.as_ref()))
                        .write_inner_content(|w| {
                            for d in ds {
                                let name = format!(
                                    "{} {} at {}:{}",
                                    d.code, d.name, d.start.line, d.start.column
                                );
                                let mut body = format!(
                                    "{}:{}:{}: {}[{}] {}",
                                    d.file,
                                    d.start.line,
                                    d.start.column,
                                    d.severity.as_str(),
                                    d.code,
                                    d.message
                                );
                                if let Some(h) = &d.help {
                                    body.push_str("\nhelp: ");
                                    body.push_str(h);
                                }
                                let line = d.start.line.to_string();
                                let case = w
                                    .create_element("testcase")
                                    .with_attribute(("name", xml_text(&name).as_ref()))
                                    .with_attribute(("classname", file.as_ref()))
                                    .with_attribute(("file", file.as_ref()))
                                    .with_attribute(("line", line.as_str()))
                                    .with_attribute(("time", "0"));
                                let message = xml_text(&d.message);
                                let body = xml_text(&body);
                                let tag = if d.input_failure {
                                    Some("error")
                                } else if d.severity == Severity::Error {
                                    Some("failure")
                                } else {
                                    None
                                };
                                case.write_inner_content(|w| {
                                    match tag {
                                        Some(tag) => {
                                            w.create_element(tag)
                                                .with_attribute(("message", message.as_ref()))
                                                .with_attribute(("type", d.code))
                                                .write_text_content(BytesText::new(&body))?;
                                        }
                                        None => {
                                            w.create_element("system-out")
                                                .write_text_content(BytesText::new(&body))?;
                                        }
                                    }
                                    Ok(())
                                })?;
                            }
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        Ok(())
    };
    // Writing to a Vec cannot fail.
    let _ = write(&mut w);
    let mut s = String::from_utf8(w.into_inner()).unwrap_or_default();
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
            serde_json::from_str(include_str!("../schemas/sarif-2.1.0.json")).unwrap();
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
