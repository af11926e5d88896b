use crate::{Context, FixAvailability, RuleMeta, Severity};
use lanes_yaml::YamlErrorKind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN001",
    name: "invalid-yaml",
    group: "syntax",
    severity: Severity::Error,
    summary: "the file is not valid YAML",
    docs: r#"## What it does
Reports a YAML syntax error at the position the parser stopped. The broken document is skipped;
the other documents of the file and every other file are still linted.

## Why is this bad?
Argo CD cannot apply a file it cannot parse: the whole sync fails, and every other change in the
same commit waits behind it. lanes exits with code 2 so a hook or CI job stops here.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
spec:
  type ClusterIP
  selector:
    app: mocka
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
spec:
  type: ClusterIP
  selector:
    app: mocka
```
"#,
    fix: FixAvailability::None,
    input: true,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    super::report_yaml_errors(
        cx,
        |k| matches!(k, YamlErrorKind::Syntax),
        "fix the syntax at this position; a missing `:` after a key or a tab in indentation are the usual causes",
    );
}
