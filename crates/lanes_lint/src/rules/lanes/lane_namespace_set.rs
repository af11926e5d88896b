#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN304",
    name: "lane-namespace-set",
    group: "lanes",
    severity: Severity::Warning,
    summary: "a cluster-scoped lane or lane group sets `metadata.namespace`",
    docs: r#"## What it does
Warns when an `ASMSwimLaneGroup` or `ASMSwimLane` sets `metadata.namespace`.

## Why is this bad?
Both kinds are cluster-scoped. The namespace is ignored by the API server, but Argo CD compares
it on every sync, so the application can show a permanent diff; and it misleads readers into
thinking lanes are per namespace.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  namespace: default
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (i, r) in index.resources.iter().enumerate() {
        if !matches!(r.kind, Kind::SwimLane | Kind::SwimLaneGroup) {
            continue;
        }
        let Some(ns) = Meta::of(index.root(i)).and_then(|m| m.namespace()) else {
            continue;
        };
        cx.report(
            i,
            ns,
            format!(
                "{} `{}` is cluster-scoped; `metadata.namespace` has no effect",
                r.kind_str, r.name
            ),
        )
        .label("ignored namespace")
        .help("remove `metadata.namespace`");
    }
}
