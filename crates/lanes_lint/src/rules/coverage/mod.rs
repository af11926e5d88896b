pub(crate) mod conflicting_target_ports;
pub(crate) mod external_name_port;
pub(crate) mod group_service_not_found;
pub(crate) mod lane_missing_deployment;
pub(crate) mod port_name_convention;
pub(crate) mod selector_not_in_template;
pub(crate) mod service_association;
pub(crate) mod service_selects_lane_label;
pub(crate) mod traffic_tag_mismatch;

use lanes_model::views::{selects, Labels, Service, ServiceRef, SwimLane, Workload};
use lanes_model::{Index, Kind, ResIdx};
use lanes_yaml::NodeRef;

/// For every lane group, every group service and every lane of the group: the workloads of
/// that service whose pod template the lane selects. Computed once per run ([`crate::cache`])
/// and shared by LN401 and LN412, so each workload's template labels are read once.
#[derive(Debug, Default)]
pub(crate) struct Coverage<'i> {
    /// By resource: `spec.template.metadata.labels` of the workloads read so far.
    template: Vec<Option<Option<NodeRef<'i>>>>,
    /// `[group][service]`: positions in `g.lanes` of the lanes that must hold the service.
    holding: Vec<Vec<Vec<usize>>>,
    /// `[group][service][lane position]`: `None` when the Service is not in the repository or
    /// either selector is empty; otherwise the matching workloads, in file order.
    found: Vec<Vec<Vec<Option<Vec<ResIdx>>>>>,
}

impl<'i> Coverage<'i> {
    pub(crate) fn new(index: &'i Index) -> Coverage<'i> {
        // Template labels of each workload, read on first use.
        let mut labels: Vec<Option<Labels<'i>>> = vec![None; index.resources.len()];
        let mut cov = Coverage {
            template: vec![None; index.resources.len()],
            ..Coverage::default()
        };
        for g in &index.groups {
            let lane_sels: Vec<Labels<'_>> = g
                .lanes
                .iter()
                .map(|l| SwimLane(index.root(*l)).selector())
                .collect();
            // Per lane: the services it lists, when it lists them and the group is permissive.
            let listed: Vec<Option<Vec<ServiceRef<'_>>>> = g
                .lanes
                .iter()
                .map(|l| {
                    let view = SwimLane(index.root(*l));
                    view.services_node()?;
                    g.permissive.then(|| view.services())
                })
                .collect();
            let mut holding = Vec::with_capacity(g.services.len());
            let mut found = Vec::with_capacity(g.services.len());
            for (ns, name) in &g.services {
                // Every lane in strict mode; in permissive mode the lanes that list the
                // service (or list nothing).
                let key = Some((ns.as_str(), name.as_str()));
                holding.push(
                    listed
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| {
                            l.as_ref().is_none_or(|l| l.iter().any(|s| s.key() == key))
                        })
                        .map(|(p, _)| p)
                        .collect(),
                );
                let svc_sel = index
                    .find(Kind::Service, ns, name)
                    .first()
                    .map(|svc| Service(index.root(*svc)).selector());
                let per_lane = lane_sels
                    .iter()
                    .map(|lane_sel| {
                        let svc_sel = svc_sel.as_ref()?;
                        if svc_sel.is_empty() || lane_sel.is_empty() {
                            return None;
                        }
                        let ws = index.workloads_in(ns);
                        let mut out = Vec::new();
                        for &w in ws {
                            let labels = labels[w].get_or_insert_with(|| {
                                let node = Workload(index.root(w)).template_labels_node();
                                cov.template[w] = Some(node);
                                node.map(|n| n.string_map()).unwrap_or_default()
                            });
                            if !labels.is_empty()
                                && selects(svc_sel, labels)
                                && selects(lane_sel, labels)
                            {
                                out.push(w);
                            }
                        }
                        Some(out)
                    })
                    .collect();
                found.push(per_lane);
            }
            cov.holding.push(holding);
            cov.found.push(found);
        }
        cov
    }

    /// The lanes (with their position in `g.lanes`) that must hold service `si` of group `gi`.
    pub(crate) fn lanes_holding<'c>(
        &'c self,
        index: &'c Index,
        gi: usize,
        si: usize,
    ) -> impl Iterator<Item = (usize, ResIdx)> + 'c {
        let lanes = &index.groups[gi].lanes;
        self.holding[gi][si].iter().map(move |&p| (p, lanes[p]))
    }

    /// `spec.template.metadata.labels` of a workload that [`Coverage::lane_workloads`] returned.
    pub(crate) fn template_labels_node(&self, w: ResIdx) -> Option<NodeRef<'i>> {
        self.template[w].expect("read while matching")
    }

    /// Workloads of service `si` of group `gi` whose pod template the lane at position `lane`
    /// of the group selects; `None` when the Service is missing or a selector is empty.
    pub(crate) fn lane_workloads(&self, gi: usize, si: usize, lane: usize) -> Option<&[ResIdx]> {
        self.found[gi][si][lane].as_deref()
    }
}
