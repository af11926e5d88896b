use crate::rules::mesh::upgrade_common::{revision_labels, what};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN608",
    name: "revision-unpublished",
    group: "mesh",
    severity: Severity::Error,
    summary: "an istio.io/rev label names a revision that lanes.toml records as unpublished",
    docs: r#"## What it does
Reports every `istio.io/rev` label, on a Namespace or a pod template, whose value is listed in
`[mesh] unpublished` in `lanes.toml`.

## Why is this bad?
An unpublished revision has no injector webhook any more: new pods of the namespace (or of
the workload) start without a sidecar and silently leave the mesh.

## Example
```toml
[mesh]
revisions = ["1-22-6", "1-23-6"]
unpublished = ["1-22-6"]
```

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: 1-22-6
```

Use instead:
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: 1-23-6
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    if cx.config.mesh.unpublished.is_empty() {
        return;
    }
    let index = cx.index;
    for (res, v, on) in revision_labels(index) {
        let Some(t) = v.as_text() else { continue };
        if !cx.config.mesh.unpublished.iter().any(|u| u == t) {
            continue;
        }
        let who = what(index, res, on);
        cx.report(
            res,
            v,
            format!("{who} selects revision {t}, which lanes.toml records as unpublished: it injects nothing"),
        )
        .label("unpublished revision")
        .help("switch to a live revision or tag: `lanes mesh switch NAMESPACE --to stable`");
    }
}
