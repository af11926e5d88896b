use lanes_model::views_argo::AnalysisTemplate;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN515",
    name: "analysis-interval-required",
    group: "rollouts",
    severity: Severity::Error,
    summary: "a metric measured more than once has no interval",
    docs: r#"## What it does
Reports a metric of an analysis template whose `count` is an integer above 1 and that has no
`interval`.

## Why is this bad?
Without an interval the measurements have no spacing; Argo Rollouts refuses the template
(`interval must be specified when count > 1`) and the analysis fails.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  metrics:
    - name: success-rate
      count: 5
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
      count: 5
      interval: 1m
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
        for m in AnalysisTemplate(index.root(t)).metrics() {
            let Some(count) = m.count() else { continue };
            let Some(n) = count.as_i64() else { continue };
            if n > 1 && m.interval().is_none_or(|i| i.is_null()) {
                let name = m.name().and_then(|n| n.as_text()).unwrap_or("?");
                cx.report(
                    t,
                    count,
                    format!(
                        "interval must be specified when count > 1 (metric '{name}', count {n})"
                    ),
                )
                .label("no interval")
                .help("add `interval: 1m` (the time between measurements)");
            }
        }
    }
}
