use crate::rules::argo::{key_of, rollouts};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN505",
    name: "rollout-routing-needs-services",
    group: "rollouts",
    severity: Severity::Error,
    summary: "istio host-level traffic routing without both canaryService and stableService",
    docs: r#"## What it does
When a canary strategy routes traffic with Istio and has no `destinationRule` (host-level
routing), both `canaryService` and `stableService` must be set. Reports the `istio` key
otherwise. A `pingPong` strategy names its two Services there instead (`pingService`,
`pongService`) and is not reported, as the controller accepts it.

kubectl argo rollouts lint: `Canary service and Stable service must to be set to use Traffic Routing`.

## Why is this bad?
Host-level routing shifts weight between the two Services' hosts; without them the controller
has nothing to route to and refuses the Rollout (`Canary service and Stable service must to be
set to use Traffic Routing`).

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      stableService: reviews-stable
      trafficRouting:
        istio:
          virtualService: {name: reviews, routes: [primary]}
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
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let Some(istio) = ro.istio() else { continue };
        // Subset-level routing, and ping-pong Services (they replace canary/stable), are fine.
        if ro.destination_rule().is_some() || ro.canary().and_then(|c| c.get("pingPong")).is_some()
        {
            continue;
        }
        let set = |n: Option<lanes_yaml::NodeRef<'_>>| {
            n.and_then(|n| n.as_text()).is_some_and(|t| !t.is_empty())
        };
        let missing: Vec<&str> = [
            ("canaryService", set(ro.canary_service())),
            ("stableService", set(ro.stable_service())),
        ]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| n)
        .collect();
        if missing.is_empty() {
            continue;
        }
        cx.report(res, key_of(istio), "canary service and stable service must be set to use traffic routing")
            .label(format!("missing {}", missing.join(" and ")))
            .help("set both `canaryService` and `stableService`, or route by subsets with `destinationRule`");
    }
}
