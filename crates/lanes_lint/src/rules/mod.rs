//! Rules, one per file, grouped by resource family.
//!
//! | range | family |
//! |---|---|
//! | LN0xx | syntax and input |
//! | LN1xx | routing: VirtualService weights and destinations |
//! | LN2xx | references: subsets, hosts, gateways |
//! | LN3xx | lane groups and lanes |
//! | LN4xx | lane coverage and workloads |
//! | LN5xx | Argo Rollouts |
//! | LN6xx | mesh: namespaces, revisions, ASM gateways |
//! | LN7xx | schema: types, unknown fields, committed status |
//! | LN9xx | suppression |

pub(crate) mod argo;
pub(crate) mod coverage;
pub(crate) mod lanes;
pub(crate) mod mesh;
pub(crate) mod references;
pub(crate) mod routing;
pub(crate) mod schema;
pub(crate) mod suppression;
pub(crate) mod syntax;

use lanes_model::views::{Route, VirtualService};
use lanes_model::{Index, Kind, ResIdx};

/// Every route of every VirtualService.
pub(crate) fn routes(index: &Index) -> Vec<(ResIdx, Route<'_>)> {
    let mut out = Vec::new();
    for res in index.of_kind(Kind::VirtualService) {
        for r in VirtualService(index.root(res)).routes() {
            out.push((res, r));
        }
    }
    out
}

/// A short label for a destination: its subset, else its host.
pub(crate) fn dest_label(d: lanes_model::views::RouteDestination<'_>) -> String {
    match (
        d.subset().and_then(|s| s.as_text()),
        d.host().and_then(|h| h.as_text()),
    ) {
        (Some(s), _) => s.to_string(),
        (None, Some(h)) => h.to_string(),
        _ => "?".into(),
    }
}

/// Where a destination sits in a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DestRole {
    /// `route[].destination`.
    Route,
    /// `mirror` or `mirrors[].destination`.
    Mirror,
}

/// Every destination mapping (`{host, subset, port}`) of a route: `route[].destination`, then
/// `mirror` and `mirrors[].destination` (HTTP only).
pub(crate) fn destinations_of(route: Route<'_>) -> Vec<(lanes_yaml::NodeRef<'_>, DestRole)> {
    let mut out: Vec<_> = route
        .destinations()
        .into_iter()
        .filter_map(|d| d.destination())
        .map(|d| (d, DestRole::Route))
        .collect();
    if let Some(m) = route.node.get("mirror").filter(|m| m.is_map()) {
        out.push((m, DestRole::Mirror));
    }
    if let Some(ms) = route.node.get("mirrors") {
        for m in ms.items() {
            if let Some(d) = m.get("destination").filter(|d| d.is_map()) {
                out.push((d, DestRole::Mirror));
            }
        }
    }
    out
}
