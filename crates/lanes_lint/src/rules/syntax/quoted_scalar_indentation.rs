use lanes_yaml::YamlNoteKind;

use crate::{Applicability, Context, Fix, FixAvailability, FixEdit, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN007",
    name: "quoted-scalar-indentation",
    group: "syntax",
    severity: Severity::Info,
    summary: "a multi-line quoted scalar continues at its key's indentation (go-yaml reads it, YAML 1.2 does not)",
    docs: r#"## What it does
Reports a single- or double-quoted scalar that spans several lines when a continuation line is
not indented past the mapping or sequence that holds the scalar. lanes reads the file the way
kubectl, kustomize and Argo CD do (go-yaml, like libyaml, ignores the indentation of quoted
continuation lines), so the value is the one the cluster gets, and says so at info level.

## Why is this bad?
YAML 1.2 requires continuation lines of a quoted scalar to be indented more than the block
around it. Strict parsers (yq's and many editors' YAML 1.2 libraries, Rust and JavaScript
tools) reject the file, so a schema check, a formatter or a language server may fail on a
manifest that Argo CD syncs without complaint. Generated CRDs often contain such descriptions.

The safe fix re-indents the continuation lines two columns past their key. The value does not
change: leading white space of a quoted continuation line is folded away.

## Example
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: schema-notes
data:
  description: 'APIVersion defines the versioned schema
  of this representation'
```

Use instead:
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: schema-notes
data:
  description: 'APIVersion defines the versioned schema
    of this representation'
```
"#,
    fix: FixAvailability::Always,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (fi, file) in index.files.iter().enumerate() {
        for note in &file.notes {
            let YamlNoteKind::QuotedScalarIndent { lines, indent } = &note.kind else {
                continue;
            };
            let src = &file.source;
            let text = src.text();
            let numbers: Vec<String> = lines
                .iter()
                .map(|l| src.line_col(l.start).line.to_string())
                .collect();
            let quoted = if text[note.range.clone()].starts_with('"') {
                "double-quoted"
            } else {
                "single-quoted"
            };
            let which = match numbers.as_slice() {
                [one] => format!("line {one}"),
                [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
                [] => continue,
            };
            let edits = lines
                .iter()
                .map(|l| {
                    // A line of white space only becomes empty; others start at `indent`.
                    let blank = text[l.end..]
                        .chars()
                        .next()
                        .is_none_or(|c| c == '\n' || c == '\r');
                    FixEdit {
                        range: l.clone(),
                        text: if blank {
                            String::new()
                        } else {
                            " ".repeat(*indent)
                        },
                    }
                })
                .collect();
            cx.report_in_file(
                fi,
                note.range.clone(),
                format!(
                    "this {quoted} scalar continues on {which} without indenting past column {}; \
                     go-yaml (kubectl, kustomize, Argo CD) reads it, strict YAML 1.2 parsers reject it",
                    indent - 1
                ),
            )
            .help(format!(
                "indent the continuation lines to column {} (the value stays the same)",
                indent + 1
            ))
            .fix(Fix {
                title: format!("indent {which} to column {}", indent + 1),
                applicability: Applicability::Safe,
                edits,
            });
        }
    }
}
