//! Reported by the suppression pass (`suppress.rs`); the check itself does nothing.

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN902",
    name: "suppression-without-reason",
    group: "suppression",
    severity: Severity::Warning,
    summary: "a suppression that does not say why",
    docs: r#"## What it does
Reports a `# lanes: ignore[...]` comment or a `lanes.dev/ignore` annotation with no reason after
the codes. The suppression still applies. Turn this off with `require-reason = false` under
`[lint]` in `lanes.toml`.

## Why is this bad?
Without a reason nobody can tell later whether the exception still holds, so suppressions pile
up and outlive the problems they were for.

## Example
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
  annotations:
    lanes.dev/ignore: "LN101"
spec:
  hosts: ["*"]
  http:
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 60
        - destination: {host: mocka.default.svc.cluster.local, subset: v2}
          weight: 50
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
  annotations:
    lanes.dev/ignore: "LN101 relative weights, Istio 1.22 only (PLAT-42)"
spec:
  hosts: ["*"]
  http:
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 60
        - destination: {host: mocka.default.svc.cluster.local, subset: v2}
          weight: 50
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(_cx: &mut Context<'_>) {}
