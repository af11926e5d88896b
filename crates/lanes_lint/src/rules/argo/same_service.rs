use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN504",
    name: "rollout-same-stable-canary-service",
    group: "rollouts",
    severity: Severity::Error,
    summary: "canaryService and stableService name the same Service",
    docs: r#"## What it does
Reports a canary strategy whose `canaryService` equals its `stableService`.

kubectl argo rollouts lint: `This rollout uses the same service for the stable and canary services`.

## Why is this bad?
The controller points each Service's selector at one ReplicaSet, so one Service cannot be both.
Argo Rollouts refuses the Rollout: `This rollout uses the same service for the stable and canary
services, but two different services are required.`

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  strategy:
    canary:
      canaryService: reviews
      stableService: reviews
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
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let (Some(c), Some(s)) = (ro.canary_service(), ro.stable_service()) else {
            continue;
        };
        let (Some(ct), Some(st)) = (c.as_text(), s.as_text()) else {
            continue;
        };
        if !ct.is_empty() && ct == st {
            let rel = cx.related(res, s, "also the stable service");
            cx.report(
                res,
                c,
                "this rollout uses the same service for the stable and canary services, but two different services are required",
            )
            .label("same as stableService")
            .help(format!("create a second Service (e.g. `{ct}-canary`) with the same selector and name it here"))
            .related
            .push(rel);
        }
    }
}
