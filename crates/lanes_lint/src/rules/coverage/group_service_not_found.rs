use lanes_model::views::SwimLaneGroup;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN402",
    name: "group-service-not-found",
    group: "coverage",
    severity: Severity::Warning,
    summary: "a service of a lane group has no Service object in the repository",
    docs: r#"## What it does
Warns when a service listed in an `ASMSwimLaneGroup`'s `spec.services` has no `Service` of that
name and namespace in the repository.

## Why is this bad?
Lane coverage (LN401) can only be checked for services whose selector lanes knows. A typo in
the group's service list also makes ASM isolate a service that does not exist while the real
one gets no lanes. The Service may live in another repository, hence a warning.

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
        for s in SwimLaneGroup(index.root(g.res)).services() {
            let Some((ns, name)) = s.key() else { continue };
            if index.find(Kind::Service, ns, name).is_empty() {
                let elsewhere: Vec<&str> = index
                    .services_named(name)
                    .iter()
                    .map(|r| index.resources[*r].namespace.as_str())
                    .collect();
                let help = if elsewhere.is_empty() {
                    "add the Service to the repository, or fix the name".to_string()
                } else {
                    format!(
                        "a Service `{name}` exists in namespace {}; fix the namespace?",
                        elsewhere.join(", ")
                    )
                };
                cx.report(g.res, s.0, format!("lane group `{}` lists {ns}/{name}, but no such Service is in the repository", g.name))
                    .label("unknown Service")
                    .help(help);
            }
        }
    }
}
