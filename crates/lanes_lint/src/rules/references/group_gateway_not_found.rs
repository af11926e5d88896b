use lanes_model::views::SwimLaneGroup;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN204",
    name: "group-gateway-not-found",
    group: "references",
    severity: Severity::Warning,
    summary: "a lane group's ingress gateway names no Gateway in the repository",
    docs: r#"## What it does
Resolves an `ASMSwimLaneGroup`'s `spec.ingress.gateway` (`name`, and `namespace`, which
defaults to `istio-system`) to an Istio `Gateway` in the repository and warns when there is none.

## Why is this bad?
ASM binds the ingress VirtualService it generates for the lanes to that Gateway. Every ASM lane
guide lists the Gateway as a prerequisite; without it the lanes receive no ingress traffic. The
Gateway may live in another repository, so this is a warning.

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
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: ingressgateway
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
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
        let Some(gw) = SwimLaneGroup(index.root(g.res)).gateway() else {
            continue;
        };
        let Some(name_node) = gw.get("name") else {
            continue;
        };
        let Some(name) = name_node.as_text() else {
            continue;
        };
        let ns = gw
            .get("namespace")
            .and_then(|n| n.as_text())
            .unwrap_or("istio-system");
        if index.find(Kind::Gateway, ns, name).is_empty() {
            cx.report(
                g.res,
                name_node,
                format!("lane group `{}` uses Gateway `{ns}/{name}`, which is not in the repository", g.name),
            )
            .label("no such Gateway here")
            .help("add the Gateway (ASM binds the lanes' ingress VirtualService to it), or fix its name and namespace");
        }
    }
}
