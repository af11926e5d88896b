use crate::rules::argo::{key_of, rollouts};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN519",
    name: "rollout-surge-and-unavailable-zero",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a canary or blue-green strategy sets both maxSurge and maxUnavailable to 0",
    docs: r#"## What it does
Reports a Rollout strategy (`canary`, or `blueGreen`'s `maxUnavailable` with the canary's
`maxSurge`) where `maxSurge` and `maxUnavailable` are both zero (`0` or `"0%"`). An unset value
takes the controller's default (25%), so only two explicit zeros are reported.

kubectl argo rollouts lint: `MaxSurge and MaxUnavailable both can not be zero`.

## Why is this bad?
With no surge and no unavailability allowed, the controller can neither add a new pod nor take
an old one down: the rollout cannot make progress, and the controller refuses the Rollout.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      maxSurge: 0
      maxUnavailable: 0
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
      maxSurge: 1
      maxUnavailable: 0
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// Whether an int-or-percent value is zero.
fn is_zero(n: lanes_yaml::NodeRef<'_>) -> bool {
    n.as_i64() == Some(0)
        || n.as_text()
            .is_some_and(|t| t.trim() == "0%" || t.trim() == "0")
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let Some(canary) = ro.canary() else { continue };
        let (Some(surge), Some(unavail)) = (canary.get("maxSurge"), canary.get("maxUnavailable"))
        else {
            continue;
        };
        if !(is_zero(surge) && is_zero(unavail)) {
            continue;
        }
        let rel = cx.related(res, key_of(unavail), "maxUnavailable is 0 too");
        cx.report(
            res,
            key_of(surge),
            "maxSurge and maxUnavailable both can not be zero",
        )
        .label("no pod may be added")
        .help("allow a surge (`maxSurge: 1` or `25%`) or some unavailability")
        .related
        .push(rel);
    }
}
