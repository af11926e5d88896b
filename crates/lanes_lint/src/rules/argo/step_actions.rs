use lanes_model::views_argo::STEP_ACTIONS;

use crate::rules::argo::rollouts;
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN502",
    name: "rollout-step-not-one-action",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a canary step has no action or more than one",
    docs: r#"## What it does
Checks that every item of `strategy.canary.steps` holds an action (`setWeight`, `pause`,
`experiment`, `analysis`, `setCanaryScale`, `setHeaderRoute`, `setMirrorRoute` or `plugin`), and
at most one of `setWeight`, `pause`, `experiment` and `analysis`: the four the Rollouts
controller counts (`hasMultipleStepsType`). `setCanaryScale`, `setHeaderRoute`,
`setMirrorRoute` and `plugin` may share a step, as the controller allows.

kubectl argo rollouts lint: `Step must have one of the following set`, `multiple step types`.

## Why is this bad?
The Rollouts controller refuses such a Rollout (`Step must have one of the following set:
experiment, setWeight, setCanaryScale, plugin or pause`). A step holding both `setWeight` and
`pause` usually comes from a missing `-`: the author meant two steps.

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
          pause: {duration: 1m}
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
        - pause: {duration: 1m}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// The step types the controller's `hasMultipleStepsType` counts: at most one per step.
const COUNTED: &[&str] = &["setWeight", "pause", "experiment", "analysis"];

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        for step in ro.steps() {
            if !step.is_map() {
                continue;
            }
            let all = step
                .entries()
                .filter(|(k, _)| k.scalar_text().is_some_and(|k| STEP_ACTIONS.contains(&k)))
                .count();
            let actions: Vec<_> = step
                .entries()
                .filter(|(k, _)| k.scalar_text().is_some_and(|k| COUNTED.contains(&k)))
                .collect();
            match if all == 0 { 0 } else { actions.len().max(1) } {
                0 => {
                    let unknown = step.entries().find_map(|(k, _)| {
                        let t = k.scalar_text()?;
                        did_you_mean(t, STEP_ACTIONS.iter().copied()).map(|s| (k, t, s))
                    });
                    let d = cx.report(
                        res,
                        step,
                        "step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause",
                    );
                    d.label("no action");
                    if let Some((_, t, s)) = unknown {
                        d.help(format!("`{t}` is not an action: did you mean `{s}`?"));
                    }
                }
                1 => {}
                _ => {
                    let names: Vec<&str> = actions
                        .iter()
                        .filter_map(|(k, _)| k.scalar_text())
                        .collect();
                    cx.report(
                        res,
                        actions[1].0,
                        format!(
                            "step must have exactly one action, found {}",
                            names.join(" and ")
                        ),
                    )
                    .label("second action in the same step")
                    .help("split it into one step per action: start a new list item with `- `");
                }
            }
        }
    }
}
