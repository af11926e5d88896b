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
        let mut parts = Vec::new();
        let mut sum = 0i64;
        let mut all_ints = true;
        for d in &dests {
            match d.weight_value() {
                Some(w) => {
                    sum += w;
                    parts.push(format!("{} {}", dest_label(*d), w));
                }
                None => all_ints = false,
            }
        }
        if !all_ints
            || sum == total
            || sum == 0
            || dests
                .iter()
                .any(|d| d.weight_value().is_some_and(|w| w < 0))
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
                "{} weights sum to {sum}, not {total} ({})",
                route.label(),
                parts.join(", ")
            ),
        )
        .label(format!("weights add up to {sum}"))
        .help(format!(
            "change the weights so they add up to {total}, e.g. with `lanes split` or `lanes set`"
        ));
        // Unsafe fix: scale to the total (largest remainder).
        let weights: Vec<_> = dests.iter().filter_map(|d| d.weight()).collect();
        let src = &index.file_of(res).source;
        if let Ok(fix) = normalise_weights_fix(src, &weights, total, Applicability::Unsafe) {
            if let Some(d) = cx.out.last_mut() {
                d.fix(fix);
            }
        }
    }
}
