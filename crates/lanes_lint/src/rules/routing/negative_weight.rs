use crate::rules::routes;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN102",
    name: "negative-weight",
    group: "routing",
    severity: Severity::Error,
    summary: "a route destination has a negative weight",
    docs: r#"## What it does
Reports every route destination whose `weight` is below 0, in HTTP, TCP and TLS routes.

## Why is this bad?
Istio's validation rejects it (`weight -10 < 0`). Argo CD's dry run is client-side, so the
rejection happens during the sync, after other objects of the commit were applied.

## Example
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
spec:
  hosts: [mocka]
  http:
    - route:
        - destination: {host: mocka, subset: v1}
          weight: 110
        - destination: {host: mocka, subset: v2}
          weight: -10
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
spec:
  hosts: [mocka]
  http:
    - route:
        - destination: {host: mocka, subset: v1}
          weight: 100
        - destination: {host: mocka, subset: v2}
          weight: 0
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        for d in route.destinations() {
            let Some(w) = d.weight() else { continue };
            if let Some(v) = w.as_i64() {
                if v < 0 {
                    cx.report(res, w, format!("weight {v} < 0 in {}", route.label()))
                        .label("negative weight")
                        .help("weights must be 0 or more; use 0 to send a destination no traffic");
                }
            }
        }
    }
}
