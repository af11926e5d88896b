use crate::rules::routes;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN105",
    name: "duplicate-route-destination",
    group: "routing",
    severity: Severity::Warning,
    summary: "the same host and subset appear twice in one route",
    docs: r#"## What it does
Warns when two destinations of one route name the same host, subset and port.

## Why is this bad?
The two weights add up for that lane, so the split is not what the table of weights suggests.
It usually comes from copying a destination for a new lane and forgetting to change its subset.

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
          weight: 50
        - destination: {host: mocka, subset: v1}
          weight: 50
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
          weight: 50
        - destination: {host: mocka, subset: v2}
          weight: 50
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// host, subset, port, and the `destination` key node of its first occurrence.
type DestKey<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<i64>,
    lanes_yaml::NodeRef<'a>,
);

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        let dests = route.destinations();
        let mut seen: Vec<DestKey<'_>> = Vec::new();
        for d in dests {
            let key = (
                d.host().and_then(|h| h.as_text()),
                d.subset().and_then(|s| s.as_text()),
                d.port().and_then(|p| p.as_i64()),
            );
            let Some((node, _)) = d.0.entry("destination") else {
                continue;
            };
            if let Some(first) = seen
                .iter()
                .find(|(h, s, p, _)| (*h, *s, *p) == key)
                .map(|e| e.3)
            {
                let what = match key.1 {
                    Some(s) => format!("{}+{}", key.0.unwrap_or("?"), s),
                    None => key.0.unwrap_or("?").to_string(),
                };
                let rel = cx.related(res, first, "first used here");
                cx.report(
                    res,
                    node,
                    format!("destination {what} appears twice in {}", route.label()),
                )
                .label("duplicate destination")
                .help("merge the two destinations, or change the subset of the copied one")
                .related
                .push(rel);
            } else {
                seen.push((key.0, key.1, key.2, node));
            }
        }
    }
}
