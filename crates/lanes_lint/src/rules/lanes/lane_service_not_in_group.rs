#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN316",
    name: "lane-service-not-in-group",
    group: "lanes",
    severity: Severity::Error,
    summary: "a lane lists a service that is not a service of its group, or in strict mode leaves one out",
    docs: r#"## What it does
Checks each `ASMSwimLane`'s `spec.services`: every entry must be a service of the lane's group.
In strict mode (the default, `isPermissive` unset or false) a lane that lists services must list
all of the group's services.

## Why is this bad?
Lanes are drawn from the group: a foreign service gets no lane isolation. In strict mode every
lane must hold the whole call chain; a lane that leaves a service out breaks the chain at that
hop.

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
  services:
  - {name: mockz, namespace: default}
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
  services:
  - {name: mocka, namespace: default}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for g in &index.groups {
        for lane in &g.lanes {
            let view = SwimLane(index.root(*lane));
            let Some(list) = view.services_node() else {
                continue;
            };
            let lane_name = &index.resources[*lane].name;
            let listed: Vec<_> = view.services();
            for s in &listed {
                let Some((ns, n)) = s.key() else { continue };
                if !g.services.iter().any(|(gns, gn)| gns == ns && gn == n) {
                    cx.report(*lane, s.0, format!("lane `{lane_name}` lists {ns}/{n}, which is not a service of group `{}`", g.name))
                        .label("not in the group")
                        .help("add the service to the group's `spec.services`, or remove it from the lane");
                }
            }
            if g.permissive {
                continue;
            }
            let keys: Vec<(&str, &str)> = listed.iter().filter_map(|s| s.key()).collect();
            let missing: Vec<String> = g
                .services
                .iter()
                .filter(|(ns, n)| !keys.contains(&(ns.as_str(), n.as_str())))
                .map(|(ns, n)| format!("{ns}/{n}"))
                .collect();
            if !missing.is_empty() {
                let at = list.key().unwrap_or(list);
                cx.report(*lane, at, format!("lane `{lane_name}` of strict group `{}` leaves out {}", g.name, missing.join(", ")))
                    .help("in strict mode every lane holds every service; list them all or omit `services`");
            }
        }
    }
}
