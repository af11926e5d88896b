pub(crate) mod conflicting_gateways;
pub(crate) mod conflicting_mesh_hosts;
pub(crate) mod destination_port_required;
pub(crate) mod dr_unknown_host;
pub(crate) mod duplicate_object;
pub(crate) mod gateway_port_not_on_service;
pub(crate) mod gateway_workload;
pub(crate) mod group_gateway_not_found;
pub(crate) mod host_in_other_namespace;
pub(crate) mod host_not_in_gateway;
pub(crate) mod hosts;
pub(crate) mod ingress_subset_no_effect;
pub(crate) mod internal_gateway;
pub(crate) mod subset_selects_no_pods;
pub(crate) mod unknown_destination_host;
pub(crate) mod unknown_destination_port;
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
