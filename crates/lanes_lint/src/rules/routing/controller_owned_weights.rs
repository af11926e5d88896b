use lanes_model::traffic::{self, Owner};
use lanes_model::views::{RouteDestination, Weight};
use lanes_model::views_argo::Rollout;

use crate::rules::argo::{role, Role};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN107",
    name: "controller-owned-weights",
    group: "routing",
    severity: Severity::Warning,
    summary: "git holds weights for a route that a Flagger Canary or an Argo Rollout sets",
    docs: r#"## What it does
Reports hand-set weights on a route that a progressive-delivery controller (Argo Rollouts,
Flagger) owns and will overwrite.

It flags:

- on a route an Argo Rollouts `Rollout` drives (`trafficRouting.istio.virtualService(s)`), any
  weight other than the idle state (stable 100, every other destination 0);
- on a VirtualService that a Flagger `Canary` (`flagger.app`) generates (named after the Canary's
  `spec.service.name`, else its `targetRef`), every explicit weight of a route with two or more
  destinations.

`lanes split`, `set`, `promote` and the other writing commands refuse such routes; change the
Rollout's steps (`lanes rollout steps`) or the Canary's analysis instead.

## Why is this bad?
The controller owns these weights. A weight set by hand in git is overwritten at the next
reconcile, or fights the controller through Argo CD's self-heal, so the traffic a reviewer
approved is not the traffic that runs.

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
          virtualService: {name: reviews, routes: [primary]}
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
        - destination: {host: reviews-stable}
          weight: 70
        - destination: {host: reviews-canary}
          weight: 30
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
          virtualService: {name: reviews, routes: [primary]}
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
        - destination: {host: reviews-stable}
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
    for s in traffic::splits(index) {
        let Some(owner) = s.owner else { continue };
        let owner_res = &index.resources[owner.res()];
        match owner {
            Owner::Rollout(r) => {
                let ro = Rollout(index.root(r));
                for d in &s.dests {
                    let Some(node) = RouteDestination(d.node).weight() else {
                        continue;
                    };
                    let stable = role(ro, RouteDestination(d.node)) == Role::Stable;
                    let idle = match d.weight {
                        Weight::Int(w) => (stable && w == 100) || (!stable && w == 0),
                        Weight::Absent => !stable,
                        Weight::Invalid { .. } => true, // LN106's
                    };
                    if idle {
                        continue;
                    }
                    cx.report(
                        s.vs,
                        node,
                        format!(
                            "{} sets weight {} on {}, but Rollout {}/{} drives this route and will overwrite it",
                            s.route.label(),
                            node.scalar_text().unwrap_or("?"),
                            d.version(index),
                            owner_res.namespace,
                            owner_res.name
                        ),
                    )
                    .label("overwritten by the Rollout")
                    .help(format!(
                        "keep the idle weights in git (stable 100, canary 0) and change the Rollout's steps (`lanes rollout steps {}`)",
                        owner_res.name
                    ));
                }
            }
            Owner::Flagger(_) => {
                if s.dests.len() < 2 {
                    continue;
                }
                for d in &s.dests {
                    let Some(node) = RouteDestination(d.node).weight() else {
                        continue;
                    };
                    cx.report(
                        s.vs,
                        node,
                        format!(
                            "{} sets weight {} on {}, but Flagger Canary {}/{} generates this VirtualService and will overwrite it",
                            s.route.label(),
                            node.scalar_text().unwrap_or("?"),
                            d.version(index),
                            owner_res.namespace,
                            owner_res.name
                        ),
                    )
                    .label("overwritten by Flagger")
                    .help("remove the VirtualService from git, or the Canary; Flagger sets the weights from the Canary's analysis");
                }
            }
        }
    }
}
