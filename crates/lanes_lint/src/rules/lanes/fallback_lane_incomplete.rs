#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN306",
    name: "fallback-lane-incomplete",
    group: "lanes",
    severity: Severity::Error,
    summary: "the fallback lane of a permissive group does not contain every service of the group",
    docs: r#"## What it does
In a permissive `ASMSwimLaneGroup`, checks that the lane named by `fallbackTarget` contains every
service of the group: it either omits `spec.services` or lists all of them.

## Why is this bad?
The fallback lane is the baseline that catches every request whose own lane lacks a service. If
the baseline lacks a service too, those requests have nowhere to go.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  isPermissive: true
  permissiveModeConfiguration: {traceHeader: my-trace-id, routeHeader: x-asm-prefer-tag, fallbackTarget: v1}
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
  services:
  - {name: mocka, namespace: default}
  - {name: mockb, namespace: default}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
  services:
  - {name: mocka, namespace: default}
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  isPermissive: true
  permissiveModeConfiguration: {traceHeader: my-trace-id, routeHeader: x-asm-prefer-tag, fallbackTarget: v1}
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
  services:
  - {name: mocka, namespace: default}
  - {name: mockb, namespace: default}
---
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
    for g in &index.groups {
        if !g.permissive {
            continue;
        }
        let Some(fallback) = SwimLaneGroup(index.root(g.res))
            .fallback_target()
            .and_then(|f| f.as_text())
        else {
            continue;
        };
        let Some(lane) = index.lane_named(g, fallback) else {
            continue;
        };
        let view = SwimLane(index.root(lane));
        let Some(list) = view.services_node() else {
            continue;
        };
        let listed: Vec<(&str, &str)> = view.services().iter().filter_map(|s| s.key()).collect();
        let missing: Vec<String> = g
            .services
            .iter()
            .filter(|(ns, n)| !listed.contains(&(ns.as_str(), n.as_str())))
            .map(|(ns, n)| format!("{ns}/{n}"))
            .collect();
        if !missing.is_empty() {
            let at = list.key().unwrap_or(list);
            cx.report(lane, at, format!("fallback lane `{fallback}` of group `{}` lacks {}", g.name, missing.join(", ")))
                .label("incomplete baseline lane")
                .help("the baseline lane must contain every service of the group; list them all or omit `services`");
        }
    }
}
