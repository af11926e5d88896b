//! Gateway workloads: the pods (Pods, Deployments, Rollouts) a Gateway's selector picks, and
//! the Service ports in front of them.

use lanes_model::views::{selects, Gateway, Labels, Meta, Service, Workload};
use lanes_model::{Index, Kind, ResIdx};

use crate::rules::references::hosts::service_ports;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN218",
    name: "gateway-selects-no-workload",
    group: "references",
    severity: Severity::Info,
    summary: "a Gateway's selector matches no gateway workload in the repository",
    docs: r#"## What it does
Reports an Istio Gateway whose `spec.selector` matches the labels of no Pod, Deployment or
Rollout pod template in the repository. The gateways an Istio installation provides
(`istio: ingressgateway`, `istio: egressgateway`, `istio: eastwestgateway`) are not reported. It is information only: the gateway workload is often installed from outside the
repository.

istioctl analyze: IST0101 (`gateway.IngressGatewayPortAnalyzer`, selector matches no workload).

## Why is this bad?
A Gateway that selects no proxy configures nothing: the hosts it declares are unreachable.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin
spec:
  selector: {istio: ingresstypo}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// Selectors of the gateways an Istio installation provides.
pub(crate) const DEFAULT_GATEWAYS: &[(&str, &str)] = &[
    ("istio", "ingressgateway"),
    ("istio", "egressgateway"),
    ("istio", "eastwestgateway"),
];

/// Ports the default `istio-ingressgateway` Service exposes (`port` and `targetPort`; 31400 in
/// the demo profile).
pub(crate) const DEFAULT_INGRESS_PORTS: &[i64] = &[80, 443, 8080, 8443, 15021, 15443, 31400];

/// Whether a selector is exactly one of the default gateways'.
pub(crate) fn is_default_gateway(sel: &[(&str, &str)]) -> bool {
    sel.len() == 1 && DEFAULT_GATEWAYS.contains(&sel[0])
}

/// A pod of the repository: `(resource, namespace, labels)`.
pub(crate) type Pod<'a> = (ResIdx, &'a str, Labels<'a>);

/// Pods of the repository: each Pod, and each Deployment's and Rollout's pod template.
pub(crate) fn pods(index: &Index) -> Vec<Pod<'_>> {
    let mut out = Vec::new();
    for (i, r) in index.resources.iter().enumerate() {
        let labels = match r.kind {
            Kind::Deployment | Kind::Rollout => Workload(index.root(i)).template_labels(),
            Kind::Other if r.kind_str == "Pod" && r.api_version == "v1" => Meta::of(index.root(i))
                .map(|m| m.labels())
                .unwrap_or_default(),
            _ => continue,
        };
        out.push((i, r.namespace.as_str(), labels));
    }
    out
}

/// The repository's [`pods`] and, for each `(label, value)`, the positions of the pods that
/// carry it: built once per rule run (listing every pod per Gateway made the rules quadratic).
pub(crate) struct PodTable<'a> {
    all: Vec<Pod<'a>>,
    by_label: std::collections::HashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'a> PodTable<'a> {
    pub(crate) fn new(index: &'a Index) -> Self {
        let all = pods(index);
        let mut by_label: std::collections::HashMap<(&str, &str), Vec<usize>> =
            std::collections::HashMap::new();
        for (i, (_, _, labels)) in all.iter().enumerate() {
            for l in labels {
                let v = by_label.entry(*l).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        PodTable { all, by_label }
    }

    /// The pods a non-empty selector picks (any namespace), in [`pods`] order.
    pub(crate) fn selected_by<'s>(
        &'s self,
        sel: &'s [(&str, &str)],
    ) -> impl Iterator<Item = &'s Pod<'a>> + 's {
        // Every selected pod carries the selector's first label.
        sel.first()
            .and_then(|first| self.by_label.get(first))
            .map_or(&[][..], |v| &v[..])
            .iter()
            .map(|i| &self.all[*i])
            .filter(move |(_, _, labels)| selects(sel, labels))
    }
}

/// Pods a Gateway's selector picks (any namespace), in [`pods`] order.
pub(crate) fn selected_pods<'a>(index: &'a Index, pods: &PodTable<'a>, gw: ResIdx) -> Vec<Pod<'a>> {
    let sel = Gateway(index.root(gw)).selector();
    let Some(first) = sel.first() else {
        return Vec::new();
    };
    // Every selected pod carries the selector's first label.
    pods.by_label
        .get(first)
        .map_or(&[][..], |v| &v[..])
        .iter()
        .map(|i| &pods.all[*i])
        .filter(|(_, _, labels)| selects(&sel, labels))
        .cloned()
        .collect()
}

/// Services in front of some pods: same namespace, non-empty selector that picks a pod.
pub(crate) fn services_of(index: &Index, pods: &[Pod<'_>]) -> Vec<ResIdx> {
    index
        .of_kind(Kind::Service)
        .filter(|s| {
            let sel = Service(index.root(*s)).selector();
            let ns = index.resources[*s].namespace.as_str();
            !sel.is_empty()
                && pods
                    .iter()
                    .any(|(_, pns, l)| *pns == ns && selects(&sel, l))
        })
        .collect()
}

/// All the ports (`port` and numeric `targetPort`) of some Services.
pub(crate) fn ports_of(index: &Index, svcs: &[ResIdx]) -> Vec<i64> {
    svcs.iter()
        .flat_map(|s| service_ports(index, *s))
        .flat_map(|(p, t, _)| [Some(p), t])
        .flatten()
        .collect()
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let mut all = None;
    for gw in index.of_kind(Kind::Gateway) {
        let sel = Gateway(index.root(gw)).selector();
        if sel.is_empty() || is_default_gateway(&sel) {
            continue;
        }
        let all = all.get_or_insert_with(|| PodTable::new(index));
        if !selected_pods(index, all, gw).is_empty() {
            continue;
        }
        let Some(node) = index.root(gw).get("spec").and_then(|s| s.get("selector")) else {
            continue;
        };
        let text: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
        cx.report(
            gw,
            node,
            format!("no workload in the repository matches the selector {}", text.join(",")),
        )
        .label("selects no gateway pods here")
        .help("check the labels of the gateway Deployment, or ignore this if it is installed elsewhere");
    }
}
