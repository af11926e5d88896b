use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN503",
    name: "rollout-negative-pause",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a pause step has a negative duration",
    docs: r#"## What it does
Reports a `pause.duration` that is negative: an integer below 0 (seconds) or a string starting
with `-` (`-30s`).

kubectl argo rollouts lint: `Duration needs to be greater than 0`.

## Why is this bad?
The Rollouts controller refuses the Rollout (`Duration needs to be greater than 0`).

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
        - pause: {duration: -30s}
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
        - pause: {duration: 30s}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        for step in ro.steps() {
            let Some(d) = step.get("pause").and_then(|p| p.get("duration")) else {
                continue;
            };
            let negative = match d.as_i64() {
                Some(i) => i < 0,
                None => d.as_text().is_some_and(|t| t.trim_start().starts_with('-')),
            };
            if negative {
                let text = d.as_text().unwrap_or("?");
                cx.report(res, d, format!("pause duration needs to be 0 or greater, got {text}"))
                    .label("negative duration")
                    .help("use a positive duration such as `30s`, or `pause: {}` to wait for a manual promote");
            }
        }
    }
}
