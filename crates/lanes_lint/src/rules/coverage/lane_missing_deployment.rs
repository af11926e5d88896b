use lanes_model::views::SwimLane;

use super::Coverage;
use crate::rules::lanes::name_node;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN401",
    name: "lane-missing-deployment",
    group: "coverage",
    severity: Severity::Error,
    summary: "a lane has no Deployment for one of the services it must hold",
    docs: r#"## What it does
The check no other tool makes. For every lane group, every lane and every service the lane must
hold, looks for a Deployment (or Rollout) in the service's namespace whose pod-template labels
match both the Service's selector and the lane's `labelSelector`. Each missing
(service, lane) pair is reported once, at the lane (at the lane's entry for that service when
it lists its services), naming the Deployment that is missing.

In strict mode every lane must hold every service of the group. In permissive mode a lane that
leaves a service out is fine: the fallback lane serves it (LN306 checks the fallback lane).
Services whose Service object is not in the repository are skipped (LN402 warns about them).

## Why is this bad?
In strict mode a request stays in its lane for the whole call chain. If the lane has no pods
for one hop, every request of that lane fails at that hop with 503 (no healthy upstream), after
Argo CD has synced the commit.

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
  name: v2
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v2}
---
apiVersion: v1
kind: Service
metadata: {name: mocka, namespace: default}
spec:
  selector: {app: mocka}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: mocka-v1, namespace: default}
spec:
  selector:
    matchLabels: {app: mocka, version: v1}
  template:
    metadata:
      labels: {app: mocka, version: v1, ASM_TRAFFIC_TAG: v1}
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
  name: v2
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v2}
---
apiVersion: v1
kind: Service
metadata: {name: mocka, namespace: default}
spec:
  selector: {app: mocka}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: mocka-v2, namespace: default}
spec:
  selector:
    matchLabels: {app: mocka, version: v2}
  template:
    metadata:
      labels: {app: mocka, version: v2, ASM_TRAFFIC_TAG: v2}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let cov = cx.cache.coverage(index);
    for (gi, g) in index.groups.iter().enumerate() {
        for (si, (ns, name)) in g.services.iter().enumerate() {
            for (pos, lane) in cov.lanes_holding(index, gi, si) {
                let Some(found) = cov.lane_workloads(gi, si, pos) else {
                    continue;
                };
                if !found.is_empty() {
                    continue;
                }
                let lane_name = &index.resources[lane].name;
                let view = SwimLane(index.root(lane));
                let at = view
                    .services()
                    .into_iter()
                    .find(|s| s.key() == Some((ns.as_str(), name.as_str())))
                    .map(|s| s.0)
                    .unwrap_or_else(|| name_node(index.root(lane)));
                let sel: Vec<String> = view
                    .selector()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                let expected = expected_name(index, cov, (gi, si), lane);
                cx.report(
                    lane,
                    at,
                    format!(
                        "lane `{lane_name}` has no Deployment for service {ns}/{name}: expected {expected} with pods labelled {}",
                        sel.join(", ")
                    ),
                )
                .label("no workload for this service in this lane")
                .help(format!(
                    "add {expected}, copied from the service's Deployment in another lane with the lane labels changed; or remove the lane"
                ));
            }
        }
    }
}

/// Guess the missing Deployment's name from the same service's Deployment in another lane.
fn expected_name(
    index: &lanes_model::Index,
    cov: &Coverage,
    (gi, si): (usize, usize),
    lane: usize,
) -> String {
    let g = &index.groups[gi];
    let (ns, name) = &g.services[si];
    let target = index
        .lane_tag(lane)
        .unwrap_or(&index.resources[lane].name)
        .to_string();
    for (pos, other) in g.lanes.iter().enumerate() {
        if *other == lane {
            continue;
        }
        let Some(tag) = index.lane_tag(*other) else {
            continue;
        };
        if let Some(ws) = cov.lane_workloads(gi, si, pos) {
            for &w in ws {
                let wname = &index.resources[w].name;
                if let Some(stem) = wname.strip_suffix(tag) {
                    return format!("Deployment `{ns}/{stem}{target}`");
                }
            }
        }
    }
    format!("a Deployment of `{name}`")
}
