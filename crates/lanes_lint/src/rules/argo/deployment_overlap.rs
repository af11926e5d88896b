use lanes_model::views::{selects, Meta, Workload};
use lanes_model::Kind;

use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN518",
    name: "rollout-deployment-overlap",
    group: "rollouts",
    severity: Severity::Warning,
    summary: "a Rollout and a Deployment select the same pods",
    docs: r#"## What it does
Warns when a Rollout's `selector.matchLabels` selects the pod template of a Deployment in the
same namespace, or the Deployment's selector selects the Rollout's pods. The Deployment a
Rollout's `workloadRef` points at is skipped: sharing its selector is how `workloadRef` works.

## Why is this bad?
Two controllers then count, scale and replace each other's pods, and the stable and canary
Services send traffic to pods of both; the canary share is no longer what the steps say.

## Example
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
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-old
spec:
  selector:
    matchLabels: {app: reviews}
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
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: reviews-old
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-old
spec:
  replicas: 0
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
        let ns = index.resources[res].namespace.as_str();
        let rsel = ro.match_labels();
        let Some(rsel_node) = ro.match_labels_node() else {
            continue;
        };
        if rsel.is_empty() {
            continue;
        }
        let rlabels = ro.template_labels();
        let referenced = ro.workload_ref_deployment();
        // The namespace's workloads, in file order: its Deployments, as `of_kind` lists them.
        for &dep in index.workloads_in(ns) {
            let r = &index.resources[dep];
            if r.kind != Kind::Deployment || Some(r.name.as_str()) == referenced {
                continue;
            }
            let w = Workload(index.root(dep));
            let dsel = w.match_labels();
            let dlabels = w.template_labels();
            let overlap = (!dlabels.is_empty() && selects(&rsel, &dlabels))
                || (!dsel.is_empty() && !rlabels.is_empty() && selects(&dsel, &rlabels));
            if !overlap {
                continue;
            }
            let at = Meta::of(index.root(dep))
                .and_then(|m| m.name())
                .unwrap_or(index.root(dep));
            let rel = cx.related(dep, at, format!("deployment {}", r.name));
            cx.report(
                res,
                crate::rules::argo::key_of(rsel_node),
                format!("rollout {} and deployment {} select the same pods", index.resources[res].name, r.name),
            )
            .label("also selects the deployment's pods")
            .help("give the Rollout's pods a distinguishing label, or migrate with `workloadRef` and scale the Deployment down")
            .related
            .push(rel);
        }
    }
}
