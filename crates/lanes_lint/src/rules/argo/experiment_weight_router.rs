use crate::rules::argo::{key_of, rollouts};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN521",
    name: "rollout-experiment-weight-unsupported",
    group: "rollouts",
    severity: Severity::Error,
    summary: "an experiment template sets a weight, but the traffic router cannot split it",
    docs: r#"## What it does
Reports `weight` on a template of an `experiment` step when the canary's `trafficRouting` has
none of `smi`, `alb`, `istio` and `plugins` (for example only `nginx`, or no traffic routing).

kubectl argo rollouts lint: `Experiment template weight is only available for TrafficRouting
with SMI, ALB, Istio and Plugins at this time`.

## Why is this bad?
Only those routers can send a share of traffic to an experiment's pods; the controller refuses
the Rollout otherwise.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  strategy:
    canary:
      trafficRouting:
        nginx: {stableIngress: web}
      steps:
        - experiment:
            templates:
              - {name: exp, specRef: canary, weight: 20}
```

Use instead:
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  strategy:
    canary:
      trafficRouting:
        nginx: {stableIngress: web}
      steps:
        - experiment:
            templates:
              - {name: exp, specRef: canary}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

const SPLITTERS: &[&str] = &["smi", "alb", "istio", "plugins"];

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let routing = ro.canary().and_then(|c| c.get("trafficRouting"));
        if routing.is_some_and(|t| SPLITTERS.iter().any(|k| t.get(k).is_some())) {
            continue;
        }
        let router = routing
            .and_then(|t| t.entries().next())
            .and_then(|(k, _)| k.scalar_text());
        for step in ro.steps() {
            let templates = step
                .get("experiment")
                .and_then(|e| e.get("templates"))
                .map(|t| t.items().collect::<Vec<_>>())
                .unwrap_or_default();
            for t in templates {
                let Some(w) = t.get("weight") else { continue };
                cx.report(
                    res,
                    key_of(w),
                    "experiment template weight is only available for traffic routing with SMI, ALB, Istio and plugins",
                )
                .label(match router {
                    Some(r) => format!("`{r}` cannot split traffic to an experiment"),
                    None => "no traffic routing".to_string(),
                })
                .help("drop the weight, or route with Istio, SMI, ALB or a plugin");
            }
        }
    }
}
