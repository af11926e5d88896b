use lanes_model::{Index, Kind, ResIdx};

use crate::rules::argo::rollouts;
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN512",
    name: "rollout-analysis-template-not-found",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a Rollout references an AnalysisTemplate that is not in the repository",
    docs: r#"## What it does
Looks up every `templateName` of a Rollout's background analysis and analysis steps: an
`AnalysisTemplate` in the Rollout's namespace, or with `clusterScope: true` a
`ClusterAnalysisTemplate`. Suggests the closest name on a typo.

## Why is this bad?
The controller cannot start the analysis (`AnalysisTemplate 'x' not found`) and the Rollout
stops progressing; with background analysis it never gets past its first step.

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
              - templateName: sucess-rate
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
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
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  metrics:
    - name: success-rate
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// The template a `templates[]` item names, if it is in the index.
pub(crate) fn resolve_template(
    index: &Index,
    rollout: ResIdx,
    item: lanes_yaml::NodeRef<'_>,
) -> Option<ResIdx> {
    let name = item.get("templateName")?.as_text()?;
    let cluster = item
        .get("clusterScope")
        .and_then(|c| c.as_bool())
        .unwrap_or(false);
    let (kind, ns) = if cluster {
        (Kind::ClusterAnalysisTemplate, "")
    } else {
        (
            Kind::AnalysisTemplate,
            index.resources[rollout].namespace.as_str(),
        )
    };
    index.find_near(kind, ns, name, rollout)
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let ns = index.resources[res].namespace.as_str();
        for a in ro.analyses() {
            for item in a.templates() {
                let Some(node) = item.get("templateName") else {
                    continue;
                };
                let Some(name) = node.as_text() else { continue };
                if resolve_template(index, res, item).is_some() {
                    continue;
                }
                let cluster = item
                    .get("clusterScope")
                    .and_then(|c| c.as_bool())
                    .unwrap_or(false);
                let (kind, what, where_) = if cluster {
                    (
                        Kind::ClusterAnalysisTemplate,
                        "cluster analysis template",
                        String::new(),
                    )
                } else {
                    (
                        Kind::AnalysisTemplate,
                        "analysis template",
                        format!(" in namespace {ns}"),
                    )
                };
                let candidates: Vec<&str> = index
                    .of_kind(kind)
                    .filter(|r| cluster || index.resources[*r].namespace == ns)
                    .map(|r| index.resources[r].name.as_str())
                    .collect();
                let d = cx.report(res, node, format!("{what} '{name}' not found{where_}"));
                d.label("no such template");
                match did_you_mean(name, candidates.iter().copied()) {
                    Some(s) => d.help(format!("did you mean '{s}'?")),
                    None => d.help("add the template to the repository, or fix the name"),
                };
            }
        }
    }
}
