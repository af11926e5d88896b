#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN301",
    name: "group-services-invalid",
    group: "lanes",
    severity: Severity::Error,
    summary: "a lane group lists no services, or a service entry lacks `name` or `namespace`",
    docs: r#"## What it does
Checks that an `ASMSwimLaneGroup`'s `spec.services` is a non-empty list and that every entry
has both `name` and `namespace`.

## Why is this bad?
The services are what ASM isolates per lane. A group without services does nothing, and an
entry without a namespace cannot be resolved: ASM reports the error only in the group's
`status`, which Argo CD shows as healthy.

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
  - name: mocka
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
        match view.services_node() {
            Some(s) if s.is_seq() && !s.is_empty() => {
                for entry in s.items() {
                    let missing: Vec<&str> = ["name", "namespace"]
                        .into_iter()
                        .filter(|k| entry.get(k).and_then(|v| v.as_text()).is_none())
                        .collect();
                    if !missing.is_empty() {
                        cx.report(
                            g.res,
                            entry,
                            format!(
                                "service entry of lane group `{}` lacks {}",
                                g.name,
                                missing.join(" and ")
                            ),
                        )
                        .label("incomplete service reference")
                        .help("give every service both `name` and `namespace`");
                    }
                }
            }
            Some(s) => {
                cx.report(
                    g.res,
                    s,
                    format!("lane group `{}` lists no services", g.name),
                )
                .help("list the Services of the call chain under `spec.services`");
            }
            None => {
                let at = view
                    .spec()
                    .and_then(|s| s.key())
                    .unwrap_or_else(|| kind_node(root));
                cx.report(
                    g.res,
                    at,
                    format!("lane group `{}` has no `spec.services`", g.name),
                )
                .help("list the Services of the call chain under `spec.services`");
            }
        }
    }
}
