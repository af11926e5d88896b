use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN501",
    name: "rollout-set-weight-out-of-range",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a canary step's setWeight is not between 0 and 100",
    docs: r#"## What it does
Reports a `setWeight` step of a Rollout's canary strategy whose value is below 0 or above 100
(Argo Rollouts' `maxTrafficWeight`, which Istio routing cannot change).

kubectl argo rollouts lint: `SetWeight needs to be between 0 and 100`.

## Why is this bad?
The Rollouts controller rejects the whole Rollout (`SetWeight needs to be between 0 and 100`),
so the new version is never rolled out, and Argo CD shows the Application as degraded.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      steps:
        - setWeight: 150
        - pause: {duration: 1m}
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
      steps:
        - setWeight: 50
        - pause: {duration: 1m}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        for step in ro.steps() {
            let Some(w) = step.get("setWeight") else {
                continue;
            };
            let Some(v) = w.as_i64() else { continue };
            if !(0..=100).contains(&v) {
                cx.report(
                    res,
                    w,
                    format!("setWeight needs to be between 0 and 100, got {v}"),
                )
                .label("out of range")
                .help("use a percentage of traffic between 0 and 100");
            }
        }
    }
}
