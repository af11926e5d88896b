use lanes_model::views::TRAFFIC_TAG;

use crate::fixes::add_label_fix;
use crate::{Applicability, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN412",
    name: "traffic-tag-mismatch",
    group: "coverage",
    severity: Severity::Warning,
    summary: "a lane's pods lack `ASM_TRAFFIC_TAG`, or carry a value other than the lane's",
    docs: r#"## What it does
For every workload that belongs to a lane (its pod template matches a group service's selector
and the lane's `labelSelector`), checks that the pod template carries the label
`ASM_TRAFFIC_TAG` with the lane's value (the value of the lane selector's `ASM_TRAFFIC_TAG` or
`version` key). A safe fix adds the missing label.

## Why is this bad?
ASM's console and OpenAPI key lanes on `ASM_TRAFFIC_TAG`, and the TrafficLabel mechanism uses
it as the pod's own tag when a request carries none. A pod without it, or with another lane's
value, has requests tagged for the wrong lane.

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
      labels:
        app: mocka
        version: v1
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
      labels:
        app: mocka
        version: v1
        ASM_TRAFFIC_TAG: v1
```

## Fix safety
Adding the missing label is safe: the label is not part of the Deployment's immutable selector
and only makes the pod's lane explicit. A label with a wrong value is not fixed automatically.
"#,
    fix: FixAvailability::Sometimes,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let cov = cx.cache.coverage(index);
    let mut seen = std::collections::HashSet::new();
    for (gi, g) in index.groups.iter().enumerate() {
        let tags: Vec<Option<&str>> = g.lanes.iter().map(|l| index.lane_tag(*l)).collect();
        for si in 0..g.services.len() {
            for (pos, lane) in cov.lanes_holding(index, gi, si) {
                let Some(tag) = tags[pos] else {
                    continue;
                };
                let Some(ws) = cov.lane_workloads(gi, si, pos) else {
                    continue;
                };
                for &w in ws {
                    if !seen.insert(w) {
                        continue;
                    }
                    let Some(labels) = cov.template_labels_node(w) else {
                        continue;
                    };
                    let wname = &index.resources[w].name;
                    let lane_name = &index.resources[lane].name;
                    let src = &index.file_of(w).source;
                    match labels.get(TRAFFIC_TAG) {
                        None => {
                            let fix =
                                add_label_fix(src, labels, TRAFFIC_TAG, tag, Applicability::Safe)
                                    .ok();
                            let at = labels.key().unwrap_or(labels);
                            let d = cx.report(w, at, format!("pods of `{wname}` (lane `{lane_name}`) lack label `{TRAFFIC_TAG}: {tag}`"));
                            d.label("no ASM_TRAFFIC_TAG here").help(format!(
                                "add `{TRAFFIC_TAG}: {tag}` to the pod template labels"
                            ));
                            if let Some(f) = fix {
                                d.fix(f);
                            }
                        }
                        Some(v) if v.as_text() != Some(tag) => {
                            let got = v.as_text().unwrap_or("");
                            cx.report(w, v, format!("pods of `{wname}` (lane `{lane_name}`) carry `{TRAFFIC_TAG}: {got}`, not `{tag}`"))
                                .label("another lane's tag")
                                .help(format!("set `{TRAFFIC_TAG}: {tag}` (and in `matchLabels` if it is there: the selector is immutable, so Argo CD must replace the Deployment)"));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
    }
}
