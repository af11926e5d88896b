use lanes_model::views_argo::AnalysisTemplate;

use crate::rules::argo::analysis_template_not_found::resolve_template;
use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN513",
    name: "rollout-analysis-arg-missing",
    group: "rollouts",
    severity: Severity::Error,
    summary: "an analysis template arg without a default gets no value from the Rollout",
    docs: r#"## What it does
For every analysis a Rollout runs (background or step), checks that each arg of each referenced
template that has neither `value` nor `valueFrom` is given by the same analysis block's `args`.

## Why is this bad?
The AnalysisRun fails to start (`args.service-name was not resolved`), which counts as a failed
analysis: the Rollout aborts and goes back to stable.

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
        - analysis:
            templates:
              - templateName: success-rate
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  args:
    - name: service-name
  metrics:
    - name: success-rate
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
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
        - analysis:
            templates:
              - templateName: success-rate
            args:
              - name: service-name
                value: reviews-canary.default.svc.cluster.local
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  args:
    - name: service-name
  metrics:
    - name: success-rate
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        for a in ro.analyses() {
            let given = a.arg_names();
            for item in a.templates() {
                let Some(t) = resolve_template(index, res, item) else {
                    continue;
                };
                let Some(node) = item.get("templateName") else {
                    continue;
                };
                let tname = index.resources[t].name.clone();
                for (arg, arg_node) in AnalysisTemplate(index.root(t)).required_args() {
                    if given.contains(&arg) {
                        continue;
                    }
                    let rel = cx.related(t, arg_node, "declared here without a default");
                    cx.report(
                        res,
                        node,
                        format!("args.{arg} was not resolved: template '{tname}' gives it no default and this analysis passes no value"),
                    )
                    .label(format!("missing arg {arg}"))
                    .help(format!("add `- name: {arg}` with a `value` (or `valueFrom`) to this analysis's `args`"))
                    .related
                    .push(rel);
                }
            }
        }
    }
}
