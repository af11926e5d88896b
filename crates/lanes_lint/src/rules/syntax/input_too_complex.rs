use crate::{Context, FixAvailability, RuleMeta, Severity};
use lanes_yaml::YamlErrorKind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN005",
    name: "input-too-complex",
    group: "syntax",
    severity: Severity::Error,
    summary: "a file is too large, too deeply nested, or expands through aliases beyond the limits",
    docs: r#"## What it does
Refuses, with a located error, a file larger than 32 MiB, nesting deeper than 100 levels, an
alias that refers to a node containing itself, or aliases that would expand a document to more
than a million nodes (a "billion laughs" alias bomb).

## Why is this bad?
No real manifest comes near these limits, and reading such input without limits could hang the
pre-commit hook or exhaust memory. The limits keep lanes' time and memory bounded on any input.

## Example
```yaml
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
```

Use instead:
```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data:
  a: x
```
"#,
    fix: FixAvailability::None,
    input: true,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    super::report_yaml_errors(
        cx,
        |k| {
            matches!(
                k,
                YamlErrorKind::TooDeep | YamlErrorKind::TooLarge | YamlErrorKind::AliasBomb
            )
        },
        "split the file or remove the aliases; lanes refuses input beyond its safety limits",
    );
}
