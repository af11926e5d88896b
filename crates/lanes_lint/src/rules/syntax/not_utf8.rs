use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN003",
    name: "not-utf8",
    group: "syntax",
    severity: Severity::Error,
    summary: "a file is not valid UTF-8",
    docs: r#"## What it does
Reports a `.yaml`/`.yml` file whose bytes are not valid UTF-8, at the line and column of the
first invalid byte.

## Why is this bad?
Kubernetes manifests must be UTF-8. A file saved in Latin-1 or UTF-16 is rejected by Argo CD at
sync time, after the commit is already on the branch.

## Example
A file containing the byte `0xFF`:
```text
metadata:
  name: caf\xff
```

Use instead: save the file as UTF-8.
```yaml
metadata:
  name: cafe
```
"#,
    fix: FixAvailability::None,
    input: true,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for e in index
        .input_errors
        .iter()
        .filter(|e| e.code == lanes_model::load::CODE_NOT_UTF8)
    {
        cx.report_unparsed(&e.file, e.line, e.column, e.message.clone())
            .help("re-save the file as UTF-8");
    }
}
