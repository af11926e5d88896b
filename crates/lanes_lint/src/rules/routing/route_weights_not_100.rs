use lanes_model::views::{weight_total, Weight};

use crate::config::WeightTotal;
use crate::fixes::normalise_weights_fix;
use crate::rules::{dest_label, routes};
use crate::{Applicability, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN101",
    name: "route-weights-not-100",
    group: "routing",
    severity: Severity::Error,
    summary: "the weights of a route with two or more destinations do not add up to 100",
    docs: r#"## What it does
For every HTTP, TCP and TLS route of a VirtualService with two or more destinations, adds up the
destinations' weights (an omitted weight counts as 0) and reports the route when the total is not
100. The message lists each destination's weight and the total.

The required total is lanes' policy, configurable in `lanes.toml` (`weight-total = 100` or
`"any"`). Since Istio 1.15 weights are relative, so 60:30:11 is accepted and quietly becomes
59.4:29.7:10.9; Istio 1.14 and the ASM releases built on it reject any other total. With
`weight-total = "any"` this rule is silent and only LN102/LN103 (Istio's own rules) apply.

## Why is this bad?
A split edited by hand to 60:30:20 sends a different share than anyone intended, or is rejected
by an older control plane at sync time, after Argo CD has already applied the rest of the commit.

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
spec:
  hosts: ["*"]
  http:
    - route:
        - destination: {host: mocka.default.svc.cluster.local, subset: v1}
          weight: 60
        - destination: {host: mocka.default.svc.cluster.local, subset: v2}
          weight: 40
```

## Fix safety
The fix scales the weights proportionally to the required total, with largest-remainder
rounding (60:50 becomes 55:45). It is unsafe: it changes how traffic is split, and the intended
split may have been another one (60:40).
"#,
    fix: FixAvailability::Sometimes,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let WeightTotal::Exactly(total) = cx.config.weight_total else {
        return;
    };
    let index = cx.index;
    for (res, route) in routes(index) {
        let dests = route.destinations();
        if dests.len() < 2 {
            continue;
        }
        // Every weight counts, also the ones LN106 reports (a float or an overlong integer with
        // its value): the sum is saturating, never wrapping.
        let reads: Vec<_> = dests.iter().map(|d| d.weight_read()).collect();
        let sum = weight_total(reads.iter().copied());
        let parts: Vec<String> = dests
            .iter()
            .zip(&reads)
            .map(|(d, w)| {
                let shown = match w {
                    Weight::Absent => "0".to_string(),
                    Weight::Int(i) => i.to_string(),
                    Weight::Invalid { node, .. } => {
                        let t = node.scalar_text().unwrap_or("?");
                        let short: String = t.chars().take(40).collect();
                        if short.len() < t.len() {
                            format!("{short}…")
                        } else {
                            short
                        }
                    }
                };
                format!("{} {shown}", dest_label(*d))
            })
            .collect();
        let all_ints = reads.iter().all(|w| !matches!(w, Weight::Invalid { .. }));
        let sum_shown = if sum == u128::MAX {
            format!("more than {}", u128::MAX)
        } else {
            sum.to_string()
        };
        if u128::try_from(total).is_ok_and(|t| t == sum)
            || sum == 0
            || reads.iter().any(|w| matches!(w, Weight::Int(i) if *i < 0))
        {
            continue;
        }
        let Some(at) = route.route_key() else {
            continue;
        };
        cx.report(
            res,
            at,
            format!(
                "{} weights sum to {sum_shown}, not {total} ({})",
                route.label(),
                parts.join(", ")
            ),
        )
        .label(format!("weights add up to {sum_shown}"))
        .help(format!(
            "change the weights so they add up to {total}, e.g. with `lanes split` or `lanes set`"
        ));
        if !all_ints {
            continue;
        }
        // Unsafe fix: scale to the total (largest remainder).
        let nodes: Vec<_> = dests.iter().map(|d| d.0).collect();
        let src = &index.file_of(res).source;
        if let Ok(fix) = normalise_weights_fix(src, &nodes, total, Applicability::Unsafe) {
            if let Some(d) = cx.out.last_mut() {
                d.fix(fix);
            }
        }
    }
}
