//! Reported by the suppression pass (`suppress.rs`); the check itself does nothing.

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN901",
    name: "unused-suppression",
    group: "suppression",
    severity: Severity::Warning,
    summary: "a suppression comment or annotation that silences nothing",
    docs: r#"## What it does
Reports each code of a `# lanes: ignore[...]` comment or a `lanes.dev/ignore` annotation that
silenced no finding in this run: the problem was fixed, the comment is on the wrong line, the
rule is off, or the code names no rule.

A comment applies to findings that start on its own line (at the end of the line) or on the next
line that is not blank or a comment (alone on its line). The annotation applies to every finding
inside its document.

## Why is this bad?
A stale suppression silently hides the next real problem at that place, and readers take it for
a known exception that no longer exists.

## Example
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ["*"]
  http:
    # lanes: ignore[LN101] split being rebalanced in PLAT-42
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 60
        - destination: {host: mocka.default.svc.cluster.local, subset: v2}
          weight: 40
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ["*"]
  http:
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 60
        - destination: {host: mocka.default.svc.cluster.local, subset: v2}
          weight: 40
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(_cx: &mut Context<'_>) {}
