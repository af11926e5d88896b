use lanes_model::views::VirtualService;

use crate::rules::argo::{http_routes, managed_route_names, resolve_vs, rollouts};
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN508",
    name: "rollout-route-not-found",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a route a Rollout names is not an HTTP route of its VirtualService",
    docs: r#"## What it does
Every name in a Rollout's `virtualService.routes` must be the `name` of an HTTP route of that
VirtualService. A Rollout that omits `routes` needs a VirtualService with exactly one HTTP route
(not counting `managedRoutes`).

kubectl argo rollouts lint: `HTTP Route '...' is not found in the defined Virtual Service`.

## Why is this bad?
The controller stops with `HTTP Route 'primry' is not found in the defined Virtual Service.`
and shifts no traffic: the canary never gets any.

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
          virtualService: {name: reviews-vsvc, routes: [primry]}
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
        let managed = managed_route_names(ro);
        for vref in ro.vs_refs() {
            let Some(vs) = resolve_vs(index, res, vref) else {
                continue;
            };
            let vs_name = index.resources[vs].name.clone();
            let routes = http_routes(VirtualService(index.root(vs)), &managed);
            let names: Vec<&str> = routes.iter().filter_map(|r| r.name()).collect();
            let wanted = vref.routes();
            if wanted.is_empty() {
                if vref.has_non_http_routes() || routes.len() == 1 {
                    continue;
                }
                let Some(at) = vref.name() else { continue };
                cx.report(
                    res,
                    at,
                    format!(
                        "spec.http[] should be set in virtual service '{vs_name}' and it must have exactly one route when omitting routes (it has {})",
                        routes.len()
                    ),
                )
                .label("no routes named")
                .help("list the HTTP route(s) this Rollout drives under `routes:`");
                continue;
            }
            for item in wanted {
                let Some(n) = item.as_text() else { continue };
                if names.contains(&n) {
                    continue;
                }
                let d = cx.report(
                    res,
                    item,
                    format!(
                        "http route '{n}' is not found in the defined virtual service '{vs_name}'"
                    ),
                );
                d.label("no HTTP route with this name");
                match did_you_mean(n, names.iter().copied()) {
                    Some(s) => d.help(format!("did you mean '{s}'?")),
                    None if names.is_empty() => {
                        d.help("give the HTTP route a `name:` and list it here")
                    }
                    None => d.help(format!("the named HTTP routes are: {}", names.join(", "))),
                };
            }
        }
    }
}
