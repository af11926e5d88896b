//! Deployments behind several Services: LN422 (one port, several protocols) and LN423 (one
//! container port reached through several protocols).

use lanes_model::views::{selects, Service, Workload};
use lanes_model::{Index, Kind, ResIdx};

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN422",
    name: "deployment-port-protocols-differ",
    group: "coverage",
    severity: Severity::Warning,
    summary: "the Services in front of one Deployment give the same port different protocols",
    docs: r#"## What it does
For each Deployment in the mesh (its pod template does not set `sidecar.istio.io/inject:
"false"`), finds the Services of its namespace that select its pods, and reports the
Deployment when two of them expose the same port `number` with different `protocol`s.

istioctl analyze: IST0116 (DeploymentAssociatedToMultipleServices).

## Why is this bad?
The sidecar has one listener per port: with two protocols on one port, one Service's traffic is
handled with the other's protocol.

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
  ports: [{port: 9080, name: tcp, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata:
  name: details-udp
spec:
  selector: {app: details}
  ports: [{port: 9080, name: udp, protocol: UDP}]
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
  name: details
spec:
  selector: {app: details}
  ports: [{port: 9080, name: tcp, protocol: TCP}]
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// `(service, port, targetPort, protocol)` of every port of the Services in front of a
/// Deployment (same namespace, non-empty selector picking its pod template).
/// Services by namespace, in index order: built once per rule run, so that each Deployment
/// looks only at its own namespace's Services (all of them per Deployment was quadratic).
pub(crate) fn services_by_namespace(index: &Index) -> std::collections::HashMap<&str, Vec<ResIdx>> {
    let mut out: std::collections::HashMap<&str, Vec<ResIdx>> = std::collections::HashMap::new();
    for svc in index.of_kind(Kind::Service) {
        out.entry(index.resources[svc].namespace.as_str())
            .or_default()
            .push(svc);
    }
    out
}

pub(crate) fn ports_in_front(
    index: &Index,
    services: &std::collections::HashMap<&str, Vec<ResIdx>>,
    dep: ResIdx,
) -> Vec<(ResIdx, i64, i64, String)> {
    // Pods that opt out of the sidecar are not in the mesh.
    let template = lanes_model::views::path(index.root(dep), "spec/template");
    let inject = template.and_then(|t| {
        let meta = lanes_model::views::Meta::of(t)?;
        meta.annotation("sidecar.istio.io/inject")
            .or_else(|| meta.label("sidecar.istio.io/inject"))?
            .as_text()
    });
    if inject == Some("false") {
        return Vec::new();
    }
    let labels = Workload(index.root(dep)).template_labels();
    let ns = &index.resources[dep].namespace;
    let mut out = Vec::new();
    for &svc in services.get(ns.as_str()).map_or(&[][..], |v| &v[..]) {
        let view = Service(index.root(svc));
        let sel = view.selector();
        if sel.is_empty() || !selects(&sel, &labels) {
            continue;
        }
        for p in view.ports() {
            let Some(port) = p.get("port").and_then(|n| n.as_i64()) else {
                continue;
            };
            let target = p.get("targetPort").and_then(|n| n.as_i64()).unwrap_or(port);
            let proto = p
                .get("protocol")
                .and_then(|n| n.as_text())
                .unwrap_or("TCP")
                .to_ascii_uppercase();
            out.push((svc, port, target, proto));
        }
    }
    out
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let services = services_by_namespace(index);
    for dep in index.of_kind(Kind::Deployment) {
        let ports = ports_in_front(index, &services, dep);
        let clash = ports.iter().enumerate().find_map(|(i, a)| {
            ports[i + 1..]
                .iter()
                .find(|b| b.0 != a.0 && b.1 == a.1 && b.3 != a.3)
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
                "port {} is {} in {} and {} in {}",
                a.1,
                a.3,
                index.resources[a.0].display(),
                b.3,
                index.resources[b.0].display()
            ),
        )
        .label("Services disagree on the protocol")
        .help("give the port one protocol in every Service that selects these pods");
    }
}
