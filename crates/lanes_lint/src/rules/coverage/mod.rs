pub(crate) mod group_service_not_found;
pub(crate) mod lane_missing_deployment;
pub(crate) mod selector_not_in_template;
pub(crate) mod service_selects_lane_label;
pub(crate) mod traffic_tag_mismatch;

use lanes_model::views::{selects, Service, SwimLane, Workload};
use lanes_model::{Index, Kind, LaneGroup, ResIdx};

/// The lanes of a group that must hold service `(ns, name)`: every lane in strict mode; in
/// permissive mode the lanes that list it (or list nothing).
pub(crate) fn lanes_holding<'i>(
    index: &'i Index,
    g: &'i LaneGroup,
    ns: &str,
    name: &str,
) -> Vec<ResIdx> {
    g.lanes
        .iter()
        .copied()
        .filter(|l| {
            let view = SwimLane(index.root(*l));
            if view.services_node().is_none() {
                return true;
            }
            if !g.permissive {
                return true;
            }
            view.services().iter().any(|s| s.key() == Some((ns, name)))
        })
        .collect()
}

/// Workloads of a Service `(ns, name)` in the repository whose pod template the lane selects.
pub(crate) fn lane_workloads(
    index: &Index,
    ns: &str,
    name: &str,
    lane: ResIdx,
) -> Option<Vec<ResIdx>> {
    let svc = *index.find(Kind::Service, ns, name).first()?;
    let svc_sel = Service(index.root(svc)).selector();
    if svc_sel.is_empty() {
        return None;
    }
    let lane_sel = SwimLane(index.root(lane)).selector();
    if lane_sel.is_empty() {
        return None;
    }
    Some(
        index
            .workloads_in(ns)
            .iter()
            .copied()
            .filter(|w| {
                let labels = Workload(index.root(*w)).template_labels();
                !labels.is_empty() && selects(&svc_sel, &labels) && selects(&lane_sel, &labels)
            })
            .collect(),
    )
}
