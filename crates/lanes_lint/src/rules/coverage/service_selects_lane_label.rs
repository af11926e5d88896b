use lanes_model::views::{Service, SwimLane};
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN413",
    name: "service-selects-lane-label",
    group: "coverage",
    severity: Severity::Warning,
    summary: "a lane group's Service selects on a lane label, so it cannot reach other lanes' pods",
    docs: r#"## What it does
Warns when the selector of a Service that belongs to a lane group includes a key used by the
group's lane selectors (for example `version`).

## Why is this bad?
Lanes work by splitting one Service's endpoints into per-lane subsets. A Service that selects
`version: v1` has no v2 endpoints at all, so the v2 lane of that hop has nothing to route to.

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
  selector: {app: mocka, version: v1}
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
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for g in &index.groups {
        let mut keys: Vec<&str> = Vec::new();
        for l in &g.lanes {
            for (k, _) in SwimLane(index.root(*l)).selector() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        for (ns, name) in &g.services {
            for svc in index.find(Kind::Service, ns, name) {
                let Some(sel) = Service(index.root(*svc)).selector_node() else {
                    continue;
                };
                for (k, _) in sel.entries() {
                    let Some(key) = k.scalar_text() else { continue };
                    if keys.contains(&key) {
                        cx.report(*svc, k, format!("Service {ns}/{name} selects on lane label `{key}`, so it cannot reach the other lanes' pods"))
                            .label("lane label in a Service selector")
                            .help(format!("remove `{key}` from the selector; the lanes split the Service's endpoints by it"));
                    }
                }
            }
        }
    }
}
