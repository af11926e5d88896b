pub(crate) mod duplicate_object;
pub(crate) mod group_gateway_not_found;
pub(crate) mod host_in_other_namespace;
pub(crate) mod unknown_gateway;
pub(crate) mod unknown_subset;

use lanes_model::{Index, Kind, ResIdx};

/// The Kubernetes Gateway API `Gateway` (`gateway.networking.k8s.io`) `namespace/name`, if the
/// repository has it. Istio lets a VirtualService bind to one as to its own Gateways.
pub(crate) fn gateway_api_gateway(index: &Index, ns: &str, name: &str) -> Option<ResIdx> {
    index.find(Kind::Other, ns, name).iter().copied().find(|r| {
        let r = &index.resources[*r];
        r.kind_str == "Gateway" && r.api_version.starts_with("gateway.networking.k8s.io/")
    })
}
