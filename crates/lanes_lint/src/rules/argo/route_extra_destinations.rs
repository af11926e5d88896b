use crate::rules::argo::{managed_routes, role, Role};
use crate::rules::dest_label;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN517",
    name: "rollout-route-extra-destinations",
    group: "rollouts",
    severity: Severity::Warning,
    summary: "a route a Rollout drives has destinations the controller will delete",
    docs: r#"## What it does
Warns about a destination with a non-zero weight, in a route a Rollout drives, that is neither
the stable nor the canary (nor, with a `destinationRule`, one of its `additionalSubsetNames`).

## Why is this bad?
On every `setWeight` the Rollouts controller rewrites the route to stable plus canary (plus
additional subsets) and silently deletes any other destination: a 60:30:10 lane split becomes
90:10 at the first step, and the third lane's traffic is gone without a word in any log.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      trafficRouting:
        istio:
          virtualService: {name: reviews, routes: [primary]}
          destinationRule:
            name: reviews
            stableSubsetName: v1
            canarySubsetName: v2
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - name: primary
      route:
        - destination: {host: reviews, subset: v1}
          weight: 60
        - destination: {host: reviews, subset: v2}
          weight: 30
        - destination: {host: reviews, subset: v3}
          weight: 10
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
      trafficRouting:
        istio:
          virtualService: {name: reviews, routes: [primary]}
          destinationRule:
            name: reviews
            stableSubsetName: v1
            canarySubsetName: v2
            additionalSubsetNames: [v3]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - name: primary
      route:
        - destination: {host: reviews, subset: v1}
          weight: 60
        - destination: {host: reviews, subset: v2}
          weight: 30
        - destination: {host: reviews, subset: v3}
          weight: 10
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for m in managed_routes(index) {
        let rollout = index.resources[m.rollout].name.clone();
        for d in m.route.destinations() {
            if role(m.ro, d) != Role::Other || d.weight_value().is_none_or(|w| w == 0) {
                continue;
            }
            let Some(node) = d.destination() else {
                continue;
            };
            let what = dest_label(d);
            let help = if m.ro.destination_rule().is_some() {
                format!("list `{what}` in the Rollout's `destinationRule.additionalSubsetNames`, or move it to another route")
            } else {
                "move this destination to a route the Rollout does not drive".to_string()
            };
            cx.report(
                m.vs,
                node,
                format!(
                    "destination {what} in {} is neither stable nor canary of rollout {rollout}: the controller deletes it on its first step",
                    m.route.label()
                ),
            )
            .label("deleted by the Rollouts controller")
            .help(help);
        }
    }
}
