//! LN5xx: Argo Rollouts (Rollout, AnalysisTemplate) and their Istio references.

pub(crate) mod analysis_arg_missing;
pub(crate) mod analysis_duplicate_metric;
pub(crate) mod analysis_interval_required;
pub(crate) mod analysis_template_not_found;
pub(crate) mod deployment_overlap;
pub(crate) mod experiment_weight_router;
pub(crate) mod manual_pause;
pub(crate) mod negative_pause;
pub(crate) mod route_extra_destinations;
pub(crate) mod route_missing_service;
pub(crate) mod route_not_found;
pub(crate) mod route_weights;
pub(crate) mod same_service;
pub(crate) mod selector_missing;
pub(crate) mod service_selector_mismatch;
pub(crate) mod services_required;
pub(crate) mod set_weight_range;
pub(crate) mod step_actions;
pub(crate) mod surge_unavailable_zero;
pub(crate) mod virtual_service_config;
pub(crate) mod virtual_service_not_found;

use lanes_model::views::{Route, RouteDestination, RouteProtocol, VirtualService};
use lanes_model::views_argo::{Rollout, VsRef};
use lanes_model::{Index, Kind, ResIdx};
use lanes_yaml::NodeRef;

/// Every Rollout with its view.
pub(crate) fn rollouts(index: &Index) -> Vec<(ResIdx, Rollout<'_>)> {
    index
        .of_kind(Kind::Rollout)
        .map(|r| (r, Rollout(index.root(r))))
        .collect()
}

/// The text before the first `.`: the Rollouts controller compares hosts this way.
pub(crate) fn short_host(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}

/// The VirtualService a reference names, if it is in the index.
pub(crate) fn resolve_vs(index: &Index, rollout: ResIdx, vs: VsRef<'_>) -> Option<ResIdx> {
    let ns = index.resources[rollout].namespace.as_str();
    let (name, ns) = vs.target(ns)?;
    // The same name may be defined in several folders: the one nearest to the Rollout.
    index.find_near(Kind::VirtualService, ns, name, rollout)
}

/// Names of `trafficRouting.managedRoutes[]`.
pub(crate) fn managed_route_names<'a>(ro: Rollout<'a>) -> Vec<&'a str> {
    ro.canary()
        .and_then(|c| c.get("trafficRouting"))
        .and_then(|t| t.get("managedRoutes"))
        .map(|m| m.items().filter_map(|i| i.get("name")?.as_text()).collect())
        .unwrap_or_default()
}

/// HTTP routes of a VirtualService that the Rollouts controller counts (not managedRoutes).
pub(crate) fn http_routes<'a>(vs: VirtualService<'a>, managed: &[&str]) -> Vec<Route<'a>> {
    vs.routes()
        .into_iter()
        .filter(|r| r.protocol == RouteProtocol::Http)
        .filter(|r| r.name().is_none_or(|n| !managed.contains(&n)))
        .collect()
}

/// A VirtualService route whose weights a Rollout drives.
pub(crate) struct Managed<'a> {
    pub rollout: ResIdx,
    pub ro: Rollout<'a>,
    pub vs: ResIdx,
    pub route: Route<'a>,
}

/// Every route driven by a Rollout: each named route that exists, or the one implicit HTTP route
/// (the one answer, [`lanes_model::traffic::rollout_routes`]).
pub(crate) fn managed_routes(index: &Index) -> Vec<Managed<'_>> {
    lanes_model::traffic::rollout_routes(index)
        .into_iter()
        .map(|(vs, route, rollout)| Managed {
            rollout,
            ro: Rollout(index.root(rollout)),
            vs,
            route,
        })
        .collect()
}

/// What a destination of a managed route is to its Rollout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Stable,
    Canary,
    Additional,
    Other,
}

/// Classify a destination: by subset with a destinationRule, else by short host.
pub(crate) fn role(ro: Rollout<'_>, d: RouteDestination<'_>) -> Role {
    let text = |n: Option<NodeRef<'_>>| n.and_then(|n| n.as_text()).map(str::to_string);
    if let Some(dr) = ro.destination_rule() {
        let subset = text(d.subset());
        if subset.is_some() && subset == text(dr.stable_subset()) {
            return Role::Stable;
        }
        if subset.is_some() && subset == text(dr.canary_subset()) {
            return Role::Canary;
        }
        if let Some(s) = &subset {
            if dr.additional_subsets().contains(&s.as_str()) {
                return Role::Additional;
            }
        }
        return Role::Other;
    }
    let host = d.host().and_then(|h| h.as_text()).map(short_host);
    if host.is_some() && host == ro.stable_service().and_then(|s| s.as_text()) {
        return Role::Stable;
    }
    if host.is_some() && host == ro.canary_service().and_then(|s| s.as_text()) {
        return Role::Canary;
    }
    Role::Other
}

/// The key node of a mapping entry's value (for pointing at `pause:` rather than `{}`).
pub(crate) fn key_of(node: NodeRef<'_>) -> NodeRef<'_> {
    node.key().unwrap_or(node)
}
