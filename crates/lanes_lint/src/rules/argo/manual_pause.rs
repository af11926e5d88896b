use crate::rules::argo::{key_of, rollouts};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN516",
    name: "rollout-manual-pause",
    group: "rollouts",
    severity: Severity::Info,
    summary: "a pause step has no duration and waits for a manual promote",
    docs: r#"## What it does
Notes every `pause` step without a `duration` (`pause: {}`): the Rollout stops there until
someone runs `kubectl argo rollouts promote` (or clicks Promote).

## Why is this bad?
It is often intended (a manual gate after the first step), but a forgotten duration leaves a
release half-rolled-out overnight. The finding is informational.

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
        - setWeight: 20
        - pause: {}
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
        - setWeight: 20
        - pause: {duration: 10m}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        for step in ro.steps() {
            let Some(p) = step.get("pause") else { continue };
            let manual =
                p.is_null() || (p.is_map() && p.get("duration").is_none_or(|d| d.is_null()));
            if manual {
                cx.report(
                    res,
                    key_of(p),
                    "pause with no duration waits for a manual promote",
                )
                .label("waits until promoted")
                .help(
                    "add `duration: 10m` to continue on its own, or keep it as a deliberate gate",
                );
            }
        }
    }
}
