use lanes_model::views_argo::AnalysisTemplate;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN514",
    name: "analysis-duplicate-metric",
    group: "rollouts",
    severity: Severity::Error,
    summary: "two metrics of an analysis template have the same name",
    docs: r#"## What it does
Reports a metric of an `AnalysisTemplate` or `ClusterAnalysisTemplate` whose `name` an earlier
metric already uses.

## Why is this bad?
Results are recorded by metric name; Argo Rollouts refuses the template
(`metrics[1]: duplicate name 'success-rate'`) and the analysis fails.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  metrics:
    - name: success-rate
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
    - name: success-rate
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
```

Use instead:
```yaml
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  metrics:
    - name: success-rate
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
    - name: latency
      provider: {prometheus: {address: "http://prometheus:9090", query: up}}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let templates: Vec<_> = index
        .of_kind(Kind::AnalysisTemplate)
        .chain(index.of_kind(Kind::ClusterAnalysisTemplate))
        .collect();
    for t in templates {
        let mut seen: Vec<(&str, lanes_yaml::NodeRef<'_>)> = Vec::new();
        for (i, m) in AnalysisTemplate(index.root(t))
            .metrics()
            .into_iter()
            .enumerate()
        {
            let Some(node) = m.name() else { continue };
            let Some(name) = node.as_text() else { continue };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                let rel = cx.related(t, *first, "first used here");
                cx.report(t, node, format!("metrics[{i}]: duplicate name '{name}'"))
                    .label("duplicate metric name")
                    .help("give every metric its own name")
                    .related
                    .push(rel);
            } else {
                seen.push((name, node));
            }
        }
    }
}
