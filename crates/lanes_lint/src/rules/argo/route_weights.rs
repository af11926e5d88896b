use crate::config::WeightTotal;
use crate::rules::argo::managed_routes;
use crate::rules::dest_label;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN510",
    name: "rollout-route-weights-not-100",
    group: "rollouts",
    severity: Severity::Error,
    summary: "the weights of a route a Rollout drives do not add up to 100",
    docs: r#"## What it does
For every route a Rollout drives, adds up the destinations' weights (the canary, like any
destination, may omit its weight, which counts as 0) and reports a total other than 100.

Argo Rollouts always writes weights that add up to 100, whatever Istio's own rule is, so this
check holds even with `weight-total = "any"`. Where LN101 already reports the route (two or
more integer weights with a non-zero total other than the required one), this rule stays quiet.

## Why is this bad?
The controller computes the stable weight as 100 minus the others: a route starting at another
total jumps on the first step, sending a different share than the previous release did.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      canaryService: reviews-canary
      stableService: reviews-stable
      trafficRouting:
        istio:
          virtualService: {name: reviews-vsvc, routes: [primary]}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: reviews-vsvc
spec:
  hosts: [reviews]
  http:
    - name: primary
      route:
        - destination: {host: reviews-stable}
        - destination: {host: reviews-canary}
```

Use instead:
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      canaryService: reviews-canary
      stableService: reviews-stable
      trafficRouting:
        istio:
          virtualService: {name: reviews-vsvc, routes: [primary]}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: reviews-vsvc
spec:
  hosts: [reviews]
  http:
    - name: primary
      route:
        - destination: {host: reviews-stable}
          weight: 100
        - destination: {host: reviews-canary}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let mut seen = Vec::new();
    for m in managed_routes(index) {
        if seen.contains(&(m.vs, m.route.node.range())) {
            continue;
        }
        seen.push((m.vs, m.route.node.range()));
        let dests = m.route.destinations();
        if dests.is_empty() {
            continue;
        }
        let weights: Option<Vec<i64>> = dests.iter().map(|d| d.weight_value()).collect();
        let Some(weights) = weights else { continue };
        if weights.iter().any(|w| *w < 0) {
            continue;
        }
        let sum: i64 = weights.iter().sum();
        // A lone destination without a weight gets all traffic.
        if sum == 100 || (dests.len() == 1 && dests[0].weight().is_none()) {
            continue;
        }
        let ln101 = matches!(cx.config.weight_total, WeightTotal::Exactly(t) if t != sum)
            && dests.len() >= 2
            && sum != 0;
        if ln101 {
            continue;
        }
        let parts: Vec<String> = dests
            .iter()
            .zip(&weights)
            .map(|(d, w)| format!("{} {w}", dest_label(*d)))
            .collect();
        let rollout = index.resources[m.rollout].name.clone();
        let Some(at) = m.route.route_key() else {
            continue;
        };
        cx.report(
            m.vs,
            at,
            format!(
                "{} weights sum to {sum}, not 100 ({}), driven by rollout {rollout}",
                m.route.label(),
                parts.join(", ")
            ),
        )
        .label(format!("weights add up to {sum}"))
        .help(
            "give the stable destination weight 100 and the canary 0 (or omit the canary's weight)",
        );
    }
}
