#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN302",
    name: "group-gateway-name-missing",
    group: "lanes",
    severity: Severity::Error,
    summary: "a lane group has no `spec.ingress.gateway.name`",
    docs: r#"## What it does
Checks that an `ASMSwimLaneGroup` names its ingress gateway in `spec.ingress.gateway.name`.

## Why is this bad?
`ingress` and `ingress.gateway` are required: ASM binds the lanes' ingress VirtualService to
that Gateway. Without it, the group is rejected by the ASM controller after the sync.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  ingress:
    gateway: {namespace: istio-system, type: ASM}
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
        let root = index.root(g.res);
        let view = SwimLaneGroup(root);
        if view
            .gateway()
            .and_then(|gw| gw.get("name"))
            .and_then(|n| n.as_text())
            .is_some()
        {
            continue;
        }
        let at = view
            .gateway()
            .or_else(|| view.spec().and_then(|s| s.get("ingress")))
            .or_else(|| view.spec())
            .unwrap_or_else(|| kind_node(root));
        let at = at.key().unwrap_or(at);
        cx.report(
            g.res,
            at,
            format!("lane group `{}` has no `spec.ingress.gateway.name`", g.name),
        )
        .help("name the Istio Gateway the lanes' ingress binds to, e.g. `ingressgateway`");
    }
}
