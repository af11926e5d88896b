#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN315",
    name: "overlapping-lane-selectors",
    group: "lanes",
    severity: Severity::Error,
    summary: "two lanes of one group have equal selectors, or one selector contains the other",
    docs: r#"## What it does
Compares the `labelSelector`s of the lanes of each group pairwise and reports a lane whose
selector equals another lane's or is a subset of it.

## Why is this bad?
A pod that matches both selectors belongs to two lanes: requests for one lane land on the other
lane's version, which defeats the isolation the lanes exist for.

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
  name: v2
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
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
    for g in &index.groups {
        let sels: Vec<_> = g
            .lanes
            .iter()
            .map(|l| (*l, SwimLane(index.root(*l)).selector()))
            .collect();
        for (i, (a, sa)) in sels.iter().enumerate() {
            if sa.is_empty() {
                continue;
            }
            for (b, sb) in &sels[..i] {
                if sb.is_empty() {
                    continue;
                }
                let a_in_b = lanes_model::views::selects(sa, sb);
                let b_in_a = lanes_model::views::selects(sb, sa);
                if !(a_in_b || b_in_a) {
                    continue;
                }
                let how = if a_in_b && b_in_a {
                    "equals"
                } else {
                    "overlaps"
                };
                let at = SwimLane(index.root(*a))
                    .selector_node()
                    .unwrap_or_else(|| name_node(index.root(*a)));
                let rel_at = SwimLane(index.root(*b))
                    .selector_node()
                    .unwrap_or_else(|| name_node(index.root(*b)));
                let rel = cx.related(*b, rel_at, "the other lane's selector");
                cx.report(
                    *a,
                    at,
                    format!(
                        "selector of lane `{}` {how} the selector of lane `{}` in group `{}`",
                        index.resources[*a].name, index.resources[*b].name, g.name
                    ),
                )
                .label("pods would belong to two lanes")
                .help("give each lane a distinct value, e.g. `version: v1` and `version: v2`")
                .related
                .push(rel);
            }
        }
    }
}
