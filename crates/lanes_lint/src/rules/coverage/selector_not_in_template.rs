use lanes_model::views::Workload;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN411",
    name: "selector-not-in-template",
    group: "coverage",
    severity: Severity::Error,
    summary: "a Deployment's `selector.matchLabels` is not a subset of its pod-template labels",
    docs: r#"## What it does
Checks that every `spec.selector.matchLabels` pair of a Deployment also appears, with the same
value, in `spec.template.metadata.labels`.

## Why is this bad?
The API server rejects such a Deployment (`selector does not match template labels`), so the
Argo CD sync fails. It typically happens when a new lane's Deployment is copied by hand and the
lane label is changed in one place but not the other.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: mocka-v3, namespace: default}
spec:
  selector:
    matchLabels: {app: mocka, version: v3}
  template:
    metadata:
      labels: {app: mocka, version: v2}
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: mocka-v3, namespace: default}
spec:
  selector:
    matchLabels: {app: mocka, version: v3}
  template:
    metadata:
      labels: {app: mocka, version: v3}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::Deployment) {
        let w = Workload(index.root(res));
        let Some(ml) = w.match_labels_node() else {
            continue;
        };
        let tl = w.template_labels();
        let missing: Vec<String> = ml
            .string_map()
            .iter()
            .filter(|(k, v)| !tl.iter().any(|(tk, tv)| tk == k && tv == v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let at = ml.key().unwrap_or(ml);
        cx.report(
            res,
            at,
            format!(
                "Deployment `{}` selects {} but its pod template does not carry {}",
                index.resources[res].name,
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            ),
        )
        .label("selector does not match template labels")
        .help("make `spec.template.metadata.labels` contain every `matchLabels` pair");
    }
}
