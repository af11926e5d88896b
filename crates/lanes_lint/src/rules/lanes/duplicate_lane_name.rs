#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN314",
    name: "duplicate-lane-name",
    group: "lanes",
    severity: Severity::Error,
    summary: "two lanes share a name",
    docs: r#"## What it does
Reports an `ASMSwimLane` whose name is already used by another lane in the repository.

## Why is this bad?
Lanes are cluster-scoped objects: two documents with the same name are the same object, and the
last one applied wins. Within a group the lane name is also the subset name, so the two lanes
could not be told apart.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
  services:
  - {name: mocka, namespace: default}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v2}
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
  services:
  - {name: mocka, namespace: default}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v2
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v2}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for lane in index.of_kind(Kind::SwimLane) {
        let name = index.resources[lane].name.as_str();
        if let Some(first) = seen.get(name).copied() {
            let rel = cx.related(first, name_node(index.root(first)), "first defined here");
            cx.report(
                lane,
                name_node(index.root(lane)),
                format!("lane name `{name}` is used twice"),
            )
            .label("duplicate lane")
            .help("lanes are cluster-scoped; give each lane a unique name")
            .related
            .push(rel);
        } else {
            seen.insert(name, lane);
        }
    }
}
