use crate::rules::argo::{managed_routes, role, Role};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN509",
    name: "rollout-route-missing-destination",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a route a Rollout drives lacks its stable or canary destination",
    docs: r#"## What it does
For every route a Rollout drives, checks that the stable and the canary appear among its
destinations: the `stableService` and `canaryService` hosts (compared by short host, the text
before the first `.`, as the controller does), or with a `destinationRule` the stable and canary
subset names.

kubectl argo rollouts lint: `Stable Service '...' not found in route`; `Canary DestinationRule subset '...' not found in route`.

## Why is this bad?
The controller refuses to touch the route (`Stable Service 'x' not found in route`,
`Canary DestinationRule subset 'x' not found in route`): the rollout stalls at its first step.

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
          weight: 100
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
        - destination: {host: reviews-stable.default.svc.cluster.local}
          weight: 100
        - destination: {host: reviews-canary}
          weight: 0
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for m in managed_routes(index) {
        let dests = m.route.destinations();
        let has = |want: Role| dests.iter().any(|d| role(m.ro, *d) == want);
        let rollout = index.resources[m.rollout].name.clone();
        let mut missing = Vec::new();
        if let Some(dr) = m.ro.destination_rule() {
            for (want, node, what) in [
                (
                    Role::Stable,
                    dr.stable_subset(),
                    "stable DestinationRule subset",
                ),
                (
                    Role::Canary,
                    dr.canary_subset(),
                    "canary DestinationRule subset",
                ),
            ] {
                if let Some(n) = node.and_then(|n| n.as_text()) {
                    if !has(want) {
                        missing.push((format!("{what} '{n}' not found in route"), node));
                    }
                }
            }
        } else {
            for (want, node, what) in [
                (Role::Stable, m.ro.stable_service(), "stable service"),
                (Role::Canary, m.ro.canary_service(), "canary service"),
            ] {
                if let Some(n) = node.and_then(|n| n.as_text()) {
                    if !has(want) {
                        missing.push((format!("{what} '{n}' not found in route"), node));
                    }
                }
            }
        }
        let Some(at) = m.route.route_key() else {
            continue;
        };
        for (msg, node) in missing {
            let rel = node.map(|n| cx.related(m.rollout, n, format!("named by rollout {rollout}")));
            let d = cx.report(
                m.vs,
                at,
                format!("{msg} {} (driven by rollout {rollout})", m.route.label()),
            );
            d.label("destination missing")
                .help("add it as a destination of this route, with weight 0 for the canary");
            if let Some(rel) = rel {
                d.related.push(rel);
            }
        }
    }
}
