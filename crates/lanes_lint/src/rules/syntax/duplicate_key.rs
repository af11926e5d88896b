use crate::{Context, FixAvailability, RuleMeta, Severity};
use lanes_yaml::YamlErrorKind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN002",
    name: "duplicate-key",
    group: "syntax",
    severity: Severity::Error,
    summary: "a mapping defines the same key twice",
    docs: r#"## What it does
Reports a key that appears twice in one mapping, pointing at the second occurrence and noting
the first.

## Why is this bad?
YAML forbids duplicate keys, but Kubernetes' decoder silently keeps the last one, and editors
often change the first. A duplicated `weight:` or `selector:` means the value you read is not the
value the cluster gets. lanes treats the file as unreadable (exit code 2) and refuses to edit it.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
spec:
  selector:
    app: mocka
  selector:
    app: mockb
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
spec:
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
        |k| matches!(k, YamlErrorKind::DuplicateKey { .. }),
        "remove one of the two keys; Kubernetes would silently keep the last one",
    );
}
