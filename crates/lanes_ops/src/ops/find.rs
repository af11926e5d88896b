//! Finding what an op changes: the group's split routes, which lane each destination belongs
//! to, DestinationRule subsets, and the Deployments of a lane.

use std::collections::HashMap;

use lanes_model::traffic::{self, Owner, SplitKind, Target};
use lanes_model::views::{DestinationRule, RouteDestination, Service, SwimLane, Workload};
use lanes_model::{Index, Kind, LaneGroup, ResIdx};
use lanes_yaml::NodeRef;

/// One destination of a split route.
#[derive(Clone, Debug)]
pub(crate) struct Dest<'a> {
    pub node: NodeRef<'a>,
    /// The lane, for an ASM split.
    pub lane: Option<ResIdx>,
    /// The version's name: the lane, the subset, or the host's short name.
    pub name: String,
    /// `destination.subset` (empty when the destination has none).
    pub subset: String,
    /// `destination.host` as written.
    pub host: String,
    pub weight: u32,
    /// `(namespace, name)` of the destination service.
    pub service: (String, String),
    /// A DestinationRule subset `(rule, position)` the destination goes through.
    pub dr_subset: Option<(ResIdx, usize)>,
}

impl Dest<'_> {
    /// What [`super::Check::Route`] compares: the subset, else the host.
    pub(super) fn key(&self) -> String {
        if self.subset.is_empty() {
            self.host.clone()
        } else {
            self.subset.clone()
        }
    }
}

/// A route with two or more destinations whose versions lanes can tell apart.
#[derive(Clone, Debug)]
pub(crate) struct SplitRoute<'a> {
    pub vs: ResIdx,
    pub file: usize,
    pub name: Option<String>,
    pub pointer: String,
    pub seq: NodeRef<'a>,
    pub dests: Vec<Dest<'a>>,
    pub label: String,
    /// `file:line` of the route.
    pub location: String,
    pub kind: SplitKind,
    pub owner: Option<Owner>,
    /// The route's index in its protocol block.
    pub index: usize,
}

impl SplitRoute<'_> {
    pub(super) fn weights(&self) -> Vec<u32> {
        self.dests.iter().map(|d| d.weight).collect()
    }
    pub(super) fn position_of(&self, lane: ResIdx) -> Option<usize> {
        self.dests.iter().position(|d| d.lane == Some(lane))
    }
    pub(super) fn position_named(&self, name: &str) -> Option<usize> {
        self.dests.iter().position(|d| d.name == name)
    }
    pub(super) fn names(&self) -> Vec<String> {
        self.dests.iter().map(|d| d.name.clone()).collect()
    }
}

/// DestinationRules by the service they are for.
pub(crate) struct Subsets<'a> {
    by_service: HashMap<(String, String), Vec<ResIdx>>,
    index: &'a Index,
}

impl<'a> Subsets<'a> {
    pub(super) fn new(index: &'a Index, group: &LaneGroup) -> Subsets<'a> {
        let mut by_service: HashMap<(String, String), Vec<ResIdx>> = HashMap::new();
        for key in &group.services {
            let drs = index.destination_rules_for(&key.0, &key.1);
            if !drs.is_empty() {
                by_service.insert(key.clone(), drs.to_vec());
            }
        }
        Subsets { by_service, index }
    }

    /// Every DestinationRule of the group's services, in index order.
    pub(super) fn rules(&self) -> Vec<ResIdx> {
        let mut v: Vec<ResIdx> = self.by_service.values().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The DestinationRule subset item named `subset` for a service, with its rule.
    pub(super) fn find(
        &self,
        service: &(String, String),
        subset: &str,
    ) -> Option<(ResIdx, NodeRef<'a>)> {
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

/// The lane a destination of a VirtualService in `namespace` reaches, through the one model
/// ([`traffic::resolve_destination`]).
pub(crate) fn lane_of_dest(
    index: &Index,
    namespace: &str,
    d: &RouteDestination<'_>,
) -> Option<ResIdx> {
    match traffic::resolve_destination(
        index,
        namespace,
        d.host().and_then(|h| h.as_text()),
        d.subset().and_then(|s| s.as_text()),
    ) {
        Target::Lane { lane, .. } => Some(lane),
        _ => None,
    }
}

/// Every route with two or more destinations of one kind (lanes of one group, subsets of one
/// host, or different hosts) and integer weights in 0..=100, from the one split model.
pub(crate) fn all_split_routes(index: &Index) -> Vec<SplitRoute<'_>> {
    let mut out = Vec::new();
    for s in traffic::splits(index) {
        if s.kind == SplitKind::Other {
            continue;
        }
        let Some(seq) = s.route.route_node() else {
            continue;
        };
        let mut dests = Vec::new();
        for d in &s.dests {
            let Some(weight) = d.share() else { break };
            let Some(h) = &d.service else { break };
            dests.push(Dest {
                node: d.node,
                lane: match d.target {
                    Target::Lane { lane, .. } => Some(lane),
                    _ => None,
                },
                name: d.version(index),
                subset: d.subset.unwrap_or("").to_string(),
                host: d.host.unwrap_or("").to_string(),
                weight,
                service: (h.namespace.clone(), h.name.clone()),
                dr_subset: match d.target {
                    Target::Subset { dr, index } => Some((dr, index)),
                    _ => None,
                },
            });
        }
        if dests.len() != s.dests.len() {
            continue;
        }
        out.push(SplitRoute {
            vs: s.vs,
            file: index.resources[s.vs].file,
            name: s.route.name().map(str::to_string),
            pointer: s.pointer.clone(),
            seq,
            label: s.label(index),
            location: s.location(index),
            kind: s.kind,
            owner: s.owner,
            index: s.route.index,
            dests,
        });
    }
    out
}

/// Every route of every VirtualService that splits traffic across the group's lanes.
pub(crate) fn split_routes<'a>(index: &'a Index, group: &LaneGroup) -> Vec<SplitRoute<'a>> {
    let gi = index
        .groups
        .iter()
        .position(|g| g.res == group.res)
        .unwrap_or(usize::MAX);
    all_split_routes(index)
        .into_iter()
        .filter(|r| r.kind == SplitKind::Lanes(gi))
        .collect()
}

/// Keep the routes selected by `--route NAME` (route name, or VirtualService name, or the
/// `NAMESPACE/VS[#ROUTE]` form, or a file path).
pub(crate) fn select_routes<'a>(
    index: &Index,
    routes: Vec<SplitRoute<'a>>,
    name: Option<&str>,
) -> Vec<SplitRoute<'a>> {
    match name {
        None => routes,
        Some(n) => routes
            .into_iter()
            .filter(|r| {
                r.name.as_deref() == Some(n)
                    || index.resources[r.vs].name == n
                    || route_matches(index, r, n)
            })
            .collect(),
    }
}

/// Whether `--route SPEC` names this route: `NAMESPACE/VS`, `NAMESPACE/VS#ROUTE` (the route's
/// `name` or its index), or the path of the VirtualService's file (with an optional `#ROUTE`).
pub(crate) fn route_matches(index: &Index, r: &SplitRoute<'_>, spec: &str) -> bool {
    let (what, route) = match spec.rsplit_once('#') {
        Some((w, rt)) => (w, Some(rt)),
        None => (spec, None),
    };
    let res = &index.resources[r.vs];
    let file = index.files[r.file].source.name();
    let by_name = what
        .split_once('/')
        .is_some_and(|(ns, name)| ns == res.namespace && name == res.name);
    let by_file = (what.ends_with(".yaml") || what.ends_with(".yml"))
        && (file == what
            || file.ends_with(&format!("/{}", what.trim_start_matches("./")))
            || std::path::Path::new(file).ends_with(what));
    if !(by_name || by_file) {
        return false;
    }
    match route {
        None => true,
        Some(rt) => r.name.as_deref() == Some(rt) || rt.parse::<usize>().ok() == Some(r.index),
    }
}

/// The labels a service's pods carry regardless of lane: its Service selector, or `app: name`.
pub(crate) fn service_selector(index: &Index, service: &(String, String)) -> Vec<(String, String)> {
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
