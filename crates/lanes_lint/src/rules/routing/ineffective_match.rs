use lanes_model::views::VirtualService;
use lanes_model::Kind;
use serde_json::Value;

use crate::rules::routing::unreachable_rule::{blocks, match_key, matches};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN111",
    name: "ineffective-route-match",
    group: "routing",
    severity: Severity::Warning,
    summary: "a VirtualService match that an earlier match already takes all traffic from",
    docs: r#"## What it does
Reports a `match` item of a VirtualService route that an earlier match (of an earlier rule, or
earlier in the same rule) already covers: the same match (compared without its `name`), or,
for HTTP, a `uri.prefix` that extends an earlier `uri.prefix` whose other conditions the later
match also has.

istioctl analyze: IST0131 (VirtualServiceIneffectiveMatch).

## Why is this bad?
Requests go to the first rule that matches, so the later match never decides anything: traffic
the author meant to send elsewhere follows the earlier rule.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: products
spec:
  hosts: [products]
  http:
  - match:
    - uri: {prefix: /api/v1/product}
    route:
    - destination: {host: products-v1}
  - match:
    - uri: {prefix: /api/v1/products}
    route:
    - destination: {host: products-v2}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: products
spec:
  hosts: [products]
  http:
  - match:
    - uri: {prefix: /api/v1/products}
    route:
    - destination: {host: products-v2}
  - match:
    - uri: {prefix: /api/v1/product}
    route:
    - destination: {host: products-v1}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// Whether the earlier match `a` takes every request the later match `b` would: `b`'s
/// `uri.prefix` extends `a`'s, and every other condition of `a` is also in `b`.
fn prefix_covers(a: &Value, b: &Value) -> bool {
    let prefix = |v: &Value| v.get("uri")?.get("prefix")?.as_str().map(str::to_string);
    let (Some(pa), Some(pb), Some(oa)) = (prefix(a), prefix(b), a.as_object()) else {
        return false;
    };
    if a.get("uri")
        .and_then(|u| u.as_object())
        .is_some_and(|u| u.len() != 1)
    {
        return false;
    }
    pb.starts_with(&pa)
        && oa
            .iter()
            .filter(|(k, _)| k.as_str() != "uri")
            .all(|(k, v)| b.get(k) == Some(v))
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::VirtualService) {
        for block in blocks(VirtualService(index.root(res))) {
            let mut seen: Vec<(Value, String)> = Vec::new();
            for route in block {
                for m in matches(route) {
                    let Some(key) = match_key(m) else { continue };
                    let earlier = seen.iter().find(|(k, _)| *k == key).map(|(_, l)| (l, true));
                    let earlier = earlier.or_else(|| {
                        seen.iter()
                            .find(|(k, _)| prefix_covers(k, &key))
                            .map(|(_, l)| (l, false))
                    });
                    if let Some((label, same)) = earlier {
                        cx.report(
                            res,
                            m,
                            format!(
                                "VirtualService rule {} match has no effect: {} of rule {label} takes its traffic",
                                route.label(),
                                if same { "the same match" } else { "a shorter prefix" },
                            ),
                        )
                        .label("never decides")
                        .help("remove the match, or move the more specific match first");
                    }
                    seen.push((key, route.label()));
                }
            }
        }
    }
}
