//! Finding what an op changes: the group's split routes, which lane each destination belongs
//! to, DestinationRule subsets, and the Deployments of a lane.

use std::collections::HashMap;

use lanes_model::views::{
    DestinationRule, RouteDestination, Service, SwimLane, VirtualService, Workload,
};
use lanes_model::{resolve_host, Index, Kind, LaneGroup, ResIdx};
use lanes_yaml::NodeRef;

/// One destination of a split route.
#[derive(Clone, Debug)]
pub(crate) struct Dest<'a> {
    pub node: NodeRef<'a>,
    pub lane: ResIdx,
    pub subset: String,
    pub weight: u32,
    /// `(namespace, name)` of the destination service.
    pub service: (String, String),
}

/// A route whose destinations all belong to the group's lanes, with at least two of them.
#[derive(Clone, Debug)]
pub(crate) struct SplitRoute<'a> {
    pub vs: ResIdx,
    pub file: usize,
    pub name: Option<String>,
    pub pointer: String,
    pub seq: NodeRef<'a>,
    pub dests: Vec<Dest<'a>>,
    pub label: String,
}

impl SplitRoute<'_> {
    pub fn weights(&self) -> Vec<u32> {
        self.dests.iter().map(|d| d.weight).collect()
    }
    pub fn position_of(&self, lane: ResIdx) -> Option<usize> {
        self.dests.iter().position(|d| d.lane == lane)
    }
}

/// DestinationRules by the service they are for.
pub(crate) struct Subsets<'a> {
    by_service: HashMap<(String, String), Vec<ResIdx>>,
    index: &'a Index,
}

impl<'a> Subsets<'a> {
    pub fn new(index: &'a Index, group: &LaneGroup) -> Subsets<'a> {
        let mut by_service: HashMap<(String, String), Vec<ResIdx>> = HashMap::new();
        for dr in index.of_kind(Kind::DestinationRule) {
            let r = &index.resources[dr];
            let Some(host) = DestinationRule(index.root(dr))
                .host()
                .and_then(|h| h.as_text())
            else {
                continue;
            };
            if let Some(h) = resolve_host(host, &r.namespace) {
                let key = (h.namespace, h.name);
                if group.services.contains(&key) {
                    by_service.entry(key).or_default().push(dr);
                }
            }
        }
        Subsets { by_service, index }
    }

    /// Every DestinationRule of the group's services, in index order.
    pub fn rules(&self) -> Vec<ResIdx> {
        let mut v: Vec<ResIdx> = self.by_service.values().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The DestinationRule subset item named `subset` for a service, with its rule.
    pub fn find(&self, service: &(String, String), subset: &str) -> Option<(ResIdx, NodeRef<'a>)> {
        for dr in self.by_service.get(service).into_iter().flatten() {
            for s in DestinationRule(self.index.root(*dr)).subsets() {
                if s.name().and_then(|n| n.as_text()) == Some(subset) {
                    return Some((*dr, s.0));
                }
            }
        }
        None
    }
}

/// The lane a destination belongs to: its subset is the lane's name, or names a
/// DestinationRule subset whose labels the lane's selector matches.
pub(crate) fn lane_of_dest(
    index: &Index,
    group: &LaneGroup,
    subsets: &Subsets<'_>,
    service: &(String, String),
    subset: &str,
) -> Option<ResIdx> {
    if let Some(l) = index.lane_named(group, subset) {
        return Some(l);
    }
    let (_, item) = subsets.find(service, subset)?;
    let labels = lanes_model::views::Subset(item).labels();
    index.lane_selected_by(group, &labels)
}

/// Every route of every VirtualService that splits traffic across the group's lanes.
pub(crate) fn split_routes<'a>(
    index: &'a Index,
    group: &LaneGroup,
    subsets: &Subsets<'_>,
) -> Vec<SplitRoute<'a>> {
    let mut out = Vec::new();
    for vs in index.of_kind(Kind::VirtualService) {
        let r = &index.resources[vs];
        let view = VirtualService(index.root(vs));
        for route in view.routes() {
            let Some(seq) = route.route_node() else {
                continue;
            };
            let mut dests = Vec::new();
            let mut all = true;
            for d in route.destinations() {
                let rd = RouteDestination(d.0);
                let host = rd.host().and_then(|h| h.as_text());
                let subset = rd.subset().and_then(|s| s.as_text());
                let (Some(host), Some(subset)) = (host, subset) else {
                    all = false;
                    break;
                };
                let Some(h) = resolve_host(host, &r.namespace) else {
                    all = false;
                    break;
                };
                let service = (h.namespace, h.name);
                if !group.services.contains(&service) {
                    all = false;
                    break;
                }
                let Some(lane) = lane_of_dest(index, group, subsets, &service, subset) else {
                    all = false;
                    break;
                };
                let Some(weight) = rd.weight_value() else {
                    all = false;
                    break;
                };
                dests.push(Dest {
                    node: d.0,
                    lane,
                    subset: subset.to_string(),
                    weight: weight.clamp(0, 100) as u32,
                    service,
                });
            }
            if !all || dests.len() < 2 {
                continue;
            }
            out.push(SplitRoute {
                vs,
                file: r.file,
                name: route.name().map(str::to_string),
                pointer: route.node.pointer(),
                seq,
                dests,
                label: format!(
                    "VirtualService {}/{} {}",
                    r.namespace,
                    r.name,
                    route.label()
                ),
            });
        }
    }
    out
}

/// Keep the routes selected by `--route NAME` (route name, or VirtualService name).
pub(crate) fn select_routes<'a>(
    index: &Index,
    routes: Vec<SplitRoute<'a>>,
    name: Option<&str>,
) -> Vec<SplitRoute<'a>> {
    match name {
        None => routes,
        Some(n) => routes
            .into_iter()
            .filter(|r| r.name.as_deref() == Some(n) || index.resources[r.vs].name == n)
            .collect(),
    }
}

/// The labels a service's pods carry regardless of lane: its Service selector, or `app: name`.
fn service_selector(index: &Index, service: &(String, String)) -> Vec<(String, String)> {
    for s in index.find(Kind::Service, &service.0, &service.1) {
        let sel = Service(index.root(*s)).selector();
        if !sel.is_empty() {
            return sel
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        }
    }
    vec![("app".to_string(), service.1.clone())]
}

/// The Deployment of `service` in `lane`: in the service's namespace, with pod-template labels
/// matching both the service's selector and the lane's selector.
pub(crate) fn lane_deployment(
    index: &Index,
    lane: ResIdx,
    service: &(String, String),
) -> Option<ResIdx> {
    let lane_sel = SwimLane(index.root(lane)).selector();
    if lane_sel.is_empty() {
        return None;
    }
    let svc_sel = service_selector(index, service);
    index.of_kind(Kind::Deployment).find(|d| {
        if index.resources[*d].namespace != service.0 {
            return false;
        }
        let labels = Workload(index.root(*d)).template_labels();
        lanes_model::views::selects(&lane_sel, &labels)
            && svc_sel
                .iter()
                .all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == v))
    })
}

/// The services that have a version in `lane`: its `spec.services`, or all of the group's.
pub(crate) fn lane_services(
    index: &Index,
    group: &LaneGroup,
    lane: ResIdx,
) -> Vec<(String, String)> {
    let listed: Vec<(String, String)> = SwimLane(index.root(lane))
        .services()
        .into_iter()
        .filter_map(|s| s.key())
        .map(|(ns, n)| (ns.to_string(), n.to_string()))
        .collect();
    if listed.is_empty() {
        group.services.clone()
    } else {
        listed
    }
}

/// The lane's "tag": the value of its `ASM_TRAFFIC_TAG` or `version` selector key, or its first
/// selector value.
pub(crate) fn lane_tag(index: &Index, lane: ResIdx) -> Option<String> {
    let sel = SwimLane(index.root(lane)).selector();
    sel.iter()
        .find(|(k, _)| *k == "ASM_TRAFFIC_TAG")
        .or_else(|| sel.iter().find(|(k, _)| *k == "version"))
        .or_else(|| sel.first())
        .map(|(_, v)| v.to_string())
}
