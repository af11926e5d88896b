use crate::rules::routes;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN104",
    name: "single-destination-weight",
    group: "routing",
    severity: Severity::Warning,
    summary: "a route with one destination sets a weight below 100, which has no effect",
    docs: r#"## What it does
Warns about a route that has exactly one destination and gives it a weight below 100.

## Why is this bad?
With one destination Istio sends it all the traffic whatever its weight. A `weight: 10` there
usually means a second destination was deleted or never added, and the author believes only 10%
of the traffic goes to this version.

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
        - destination: {host: mocka, subset: v2}
          weight: 10
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
          weight: 90
        - destination: {host: mocka, subset: v2}
          weight: 10
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        let dests = route.destinations();
        if dests.len() != 1 {
            continue;
        }
        let Some(w) = dests[0].weight() else { continue };
        let Some(v) = w.as_i64() else { continue };
        if (0..100).contains(&v) {
            cx.report(
                res,
                w,
                format!(
                    "weight {v} on the only destination of {} has no effect: it receives all traffic",
                    route.label()
                ),
            )
            .label("ignored weight")
            .help("remove the weight, or add the destinations that should share the traffic");
        }
    }
}
