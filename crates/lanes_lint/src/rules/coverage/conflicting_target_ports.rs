use lanes_model::Kind;

use crate::rules::coverage::service_association::{ports_in_front, services_by_namespace};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN423",
    name: "deployment-target-port-protocols-differ",
    group: "coverage",
    severity: Severity::Warning,
    summary: "two Service ports reach one container port of a Deployment with different protocols",
    docs: r#"## What it does
For each Deployment in the mesh (see LN422), finds the Services of its namespace that select
its pods, and reports the Deployment when two Service ports with different `port` numbers send to the same `targetPort`
with different `protocol`s.

istioctl analyze: IST0137 (DeploymentConflictingPorts).

## Why is this bad?
The container port gets one inbound listener: traffic arriving through the other Service port
is handled with the wrong protocol.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: details
spec:
  selector: {matchLabels: {app: details}}
  template:
    metadata:
      labels: {app: details}
---
apiVersion: v1
kind: Service
metadata:
  name: details-tcp
spec:
  selector: {app: details}
  ports: [{port: 9080, targetPort: 9080, name: tcp, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata:
  name: details-udp
spec:
  selector: {app: details}
  ports: [{port: 9090, targetPort: 9080, name: udp, protocol: UDP}]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: details
spec:
  selector: {matchLabels: {app: details}}
  template:
    metadata:
      labels: {app: details}
---
apiVersion: v1
kind: Service
metadata:
  name: details-tcp
spec:
  selector: {app: details}
  ports: [{port: 9080, targetPort: 9080, name: tcp, protocol: TCP}]
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let services = services_by_namespace(index);
    for dep in index.of_kind(Kind::Deployment) {
        let ports = ports_in_front(index, &services, dep);
        let clash = ports.iter().enumerate().find_map(|(i, a)| {
            ports[i + 1..]
                .iter()
                .find(|b| b.1 != a.1 && b.2 == a.2 && b.3 != a.3)
                .map(|b| (a, b))
        });
        let Some((a, b)) = clash else { continue };
        let at = lanes_model::views::Meta::of(index.root(dep))
            .and_then(|m| m.name())
            .unwrap_or(index.root(dep));
        cx.report(
            dep,
            at,
            format!(
                "container port {} is reached as {} through port {} of {} and as {} through port {} of {}",
                a.2,
                a.3,
                a.1,
                index.resources[a.0].display(),
                b.3,
                b.1,
                index.resources[b.0].display()
            ),
        )
        .label("conflicting protocols for one container port")
        .help("use one protocol for the container port in every Service");
    }
}
