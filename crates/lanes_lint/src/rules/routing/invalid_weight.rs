use lanes_model::views::{InvalidWeight, Weight};

use crate::config::WeightTotal;
use crate::rules::routes;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN106",
    name: "invalid-weight",
    group: "routing",
    severity: Severity::Error,
    summary: "a route destination's weight is not an integer in range",
    docs: r#"## What it does
Reports a destination `weight` that is not an integer from 0 to 100 (with `weight-total =
"any"`, 0 to 4294967295, Istio's `uint32`): a float (`1e1`, `10.0`), an integer too large for any
weight (`99999999999999999999`), a string (`"60"`, `!!str 60`) or a boolean. Negative integers
are LN102's. The message quotes the value as written. The route is still checked for its total
(LN101): a float or overlong integer counts with its value, a string as 0.

A `weight` that a `<<` merge key supplies is read like any other (go-yaml applies merge keys).

## Why is this bad?
Istio's `weight` is an integer. The API server rejects `1e1` or `"60"` at sync time, after Argo
CD has applied the rest of the commit; a YAML library that reads `1e1` as 10 hides the mistake
from review.

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
          weight: 9e1
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

/// At most this many characters of a scalar are quoted in a message.
const QUOTE: usize = 40;

fn quoted(s: &str) -> String {
    let mut out: String = s.chars().take(QUOTE).collect();
    if s.chars().count() > QUOTE {
        out.push('…');
    }
    format!("`{}`", out.escape_debug())
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let max: u64 = match cx.config.weight_total {
        WeightTotal::Exactly(t) => u64::try_from(t).unwrap_or(100).max(100),
        WeightTotal::Any => u64::from(u32::MAX),
    };
    let index = cx.index;
    for (res, route) in routes(index) {
        for d in route.destinations() {
            let w = d.weight_read();
            let (node, msg) = match w {
                Weight::Absent => continue,
                Weight::Int(i) if i < 0 => continue, // LN102
                Weight::Int(i) => {
                    if u64::try_from(i).is_ok_and(|v| v <= max) {
                        continue;
                    }
                    let Some(n) = d.weight() else { continue };
                    (n, format!("weight {i} is above {max} in {}", route.label()))
                }
                Weight::Invalid { node, why } => {
                    let text = node
                        .scalar_text()
                        .map(quoted)
                        .unwrap_or_else(|| "a collection".to_string());
                    let what = match why {
                        InvalidWeight::Float(_) => "is a float, not an integer".to_string(),
                        InvalidWeight::TooLarge => format!("is above {max}"),
                        InvalidWeight::NotANumber => {
                            if node.node().tagged() {
                                "is explicitly tagged (a `!!str` is not a weight)".to_string()
                            } else {
                                "is not an integer".to_string()
                            }
                        }
                    };
                    (node, format!("weight {text} {what} in {}", route.label()))
                }
            };
            cx.report(res, node, msg)
                .label("not an integer weight in range")
                .help(format!(
                    "write the weight as a plain integer from 0 to {max}"
                ));
        }
    }
}
