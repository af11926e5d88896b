use crate::rules::argo::{key_of, rollouts};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN506",
    name: "rollout-virtual-service-config",
    group: "rollouts",
    severity: Severity::Error,
    summary: "istio traffic routing sets both or neither of virtualService and virtualServices",
    docs: r#"## What it does
`trafficRouting.istio` must set exactly one of `virtualService` (one VirtualService) and
`virtualServices` (a list).

kubectl argo rollouts lint: `either VirtualService or VirtualServices must be configured`.

## Why is this bad?
The Rollouts controller refuses the Rollout: `either VirtualService or VirtualServices must be
configured`. With both set, it is not clear which one the author meant to drive.

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
          virtualServices:
            - {name: reviews-internal, routes: [primary]}
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
          virtualServices:
            - {name: reviews, routes: [primary]}
            - {name: reviews-internal, routes: [primary]}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let Some(istio) = ro.istio() else { continue };
        match (ro.virtual_service(), ro.virtual_services()) {
            (Some(_), Some(list)) => {
                cx.report(
                    res,
                    key_of(list),
                    "either virtualService or virtualServices must be configured, not both",
                )
                .label("second VirtualService setting")
                .help("move the single `virtualService` into the `virtualServices` list");
            }
            (None, None) => {
                cx.report(
                    res,
                    key_of(istio),
                    "either virtualService or virtualServices must be configured",
                )
                .label("no VirtualService")
                .help("name the VirtualService whose weights this Rollout drives");
            }
            _ => {}
        }
    }
}
