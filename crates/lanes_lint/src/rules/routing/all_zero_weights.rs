use crate::rules::routes;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN103",
    name: "all-zero-weights",
    group: "routing",
    severity: Severity::Error,
    summary: "every destination of a multi-destination route has weight 0",
    docs: r#"## What it does
Reports a route with two or more destinations whose weights are all 0 (omitted weights count as
0).

## Why is this bad?
Istio rejects it (`total destination weight = 0`): such a route would send traffic nowhere. It
typically happens when a rollback zeroes the last remaining lane by mistake.

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
          weight: 0
        - destination: {host: mocka, subset: v2}
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
        let dests = route.destinations();
        if dests.len() < 2 {
            continue;
        }
        if dests.iter().all(|d| d.weight_value() == Some(0)) {
            let Some(at) = route.route_key() else {
                continue;
            };
            cx.report(
                res,
                at,
                format!("total destination weight = 0 in {}", route.label()),
            )
            .label("no destination receives traffic")
            .help("give at least one destination a positive weight");
        }
    }
}
