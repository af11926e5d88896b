use lanes_model::views::{Route, RouteProtocol, VirtualService};
use lanes_model::Kind;
use lanes_yaml::NodeRef;
use serde_json::Value;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN110",
    name: "unreachable-route-rule",
    group: "routing",
    severity: Severity::Warning,
    summary: "a VirtualService route rule that earlier rules leave no traffic for",
    docs: r#"## What it does
Walks each protocol block of a VirtualService (`http`, `tcp`, `tls`) in order, the way Envoy
matches requests, and reports a rule that can never be chosen: a rule without `match` after an
earlier rule without `match` (only the last rule may catch everything), or a rule all of whose
matches repeat matches of earlier rules (compared without their `name`).

istioctl analyze: IST0130 (VirtualServiceUnreachableRule).

## Why is this bad?
The first matching rule wins, so the unreachable rule's routing, mirroring or fault injection
never happens. This is often a missing `match` or a rule split by a stray `-`.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - fault:
      delay: {fixedDelay: 5s, percentage: {value: 100}}
    route:
    - destination: {host: reviews}
  - mirror: {host: reviews-shadow}
    route:
    - destination: {host: reviews}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - fault:
      delay: {fixedDelay: 5s, percentage: {value: 100}}
    mirror: {host: reviews-shadow}
    route:
    - destination: {host: reviews}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// A match compared as Istio compares them: as JSON, without its `name`.
pub(crate) fn match_key(m: NodeRef<'_>) -> Option<Value> {
    let mut v = lanes_yaml::to_json(m).ok()?;
    if let Value::Object(o) = &mut v {
        o.shift_remove("name");
    }
    Some(v)
}

/// The `match` items of a route (empty when it has none).
pub(crate) fn matches(route: Route<'_>) -> Vec<NodeRef<'_>> {
    route
        .node
        .get("match")
        .map(|m| m.items().collect())
        .unwrap_or_default()
}

/// Routes of a VirtualService grouped by protocol block, in order.
pub(crate) fn blocks(vs: VirtualService<'_>) -> Vec<Vec<Route<'_>>> {
    let routes = vs.routes();
    [RouteProtocol::Http, RouteProtocol::Tcp, RouteProtocol::Tls]
        .into_iter()
        .map(|p| routes.iter().copied().filter(|r| r.protocol == p).collect())
        .collect()
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::VirtualService) {
        for block in blocks(VirtualService(index.root(res))) {
            let mut seen: Vec<Value> = Vec::new();
            let mut catch_all: Option<Route<'_>> = None;
            for route in block {
                let ms = matches(route);
                let at = route
                    .node
                    .get("match")
                    .and_then(|m| m.key())
                    .unwrap_or(route.node);
                if ms.is_empty() {
                    if let Some(prev) = catch_all {
                        let rel =
                            cx.related(res, prev.node, "this earlier rule has no match either");
                        cx.report(
                            res,
                            route.node,
                            format!(
                                "VirtualService rule {} not used (only the last rule can have no matches)",
                                route.label()
                            ),
                        )
                        .label("never chosen")
                        .help("merge it into the earlier rule, or give the earlier rule a `match`")
                        .related
                        .push(rel);
                    }
                    catch_all = Some(route);
                    continue;
                }
                let keys: Vec<Option<Value>> = ms.iter().map(|m| match_key(*m)).collect();
                let dups = keys
                    .iter()
                    .filter(|k| k.as_ref().is_some_and(|k| seen.contains(k)))
                    .count();
                if dups == ms.len() {
                    cx.report(
                        res,
                        at,
                        format!(
                            "VirtualService rule {} not used (all matches used by prior rules)",
                            route.label()
                        ),
                    )
                    .label("every match repeats an earlier one")
                    .help("remove the rule, or change its matches");
                }
                seen.extend(keys.into_iter().flatten());
            }
        }
    }
}
