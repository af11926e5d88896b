use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN520",
    name: "rollout-selector-missing",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a Rollout has no spec.selector and no workloadRef",
    docs: r#"## What it does
Reports a Rollout whose `spec` has neither `selector` nor `workloadRef` (a Rollout that
references a Deployment takes the Deployment's selector). A Rollout with no `spec` at all is
reported by the schema check (LN701).

kubectl argo rollouts lint: `Rollout has missing field '.spec.selector'`.

## Why is this bad?
The controller needs the selector to find the Rollout's pods; it refuses the Rollout.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  template:
    metadata:
      labels: {app: reviews}
```

Use instead:
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  selector:
    matchLabels: {app: reviews}
  template:
    metadata:
      labels: {app: reviews}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let Some(spec) = ro.spec().filter(|s| s.is_map()) else {
            continue;
        };
        if spec.get("selector").is_some_and(|s| !s.is_null()) || ro.workload_ref().is_some() {
            continue;
        }
        let at = spec.key().unwrap_or(spec);
        cx.report(res, at, "Rollout has missing field '.spec.selector'")
            .label("no selector")
            .help("add `selector.matchLabels` matching the pod template's labels");
    }
}
