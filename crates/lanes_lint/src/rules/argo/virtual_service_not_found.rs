use lanes_model::Kind;

use crate::rules::argo::{resolve_vs, rollouts};
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN507",
    name: "rollout-virtual-service-not-found",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a Rollout names a VirtualService that is not in the repository",
    docs: r#"## What it does
Looks up every VirtualService a Rollout's `trafficRouting.istio` names, by namespace and name
(`name.namespace` names one in another namespace), among the files linted.

## Why is this bad?
The controller cannot find the VirtualService, marks the Rollout degraded and shifts no traffic.

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
          weight: 0
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let own_ns = index.resources[res].namespace.as_str();
        for vref in ro.vs_refs() {
            let (Some(node), Some((name, ns))) = (vref.name(), vref.target(own_ns)) else {
                continue;
            };
            if resolve_vs(index, res, vref).is_some() {
                continue;
            }
            let candidates: Vec<&str> = index
                .of_kind(Kind::VirtualService)
                .filter(|r| index.resources[*r].namespace == ns)
                .map(|r| index.resources[r].name.as_str())
                .collect();
            let d = cx.report(
                res,
                node,
                format!("virtual service '{name}' not found in namespace {ns}"),
            );
            d.label("no such VirtualService");
            match did_you_mean(name, candidates.iter().copied()) {
                Some(s) => d.help(format!("did you mean '{s}'?")),
                None => d.help("add the VirtualService to the repository, or fix the name"),
            };
        }
    }
}
