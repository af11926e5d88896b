//! `lanes rollback`: weight 0 everywhere, and with `--prune` remove what the lane rendered.

use std::collections::{BTreeMap, BTreeSet};

use lanes_model::traffic_edit;
use lanes_model::views::{
    RouteDestination, RouteProtocol, Subset, SwimLane, SwimLaneGroup, VirtualService, Workload,
};
use lanes_model::{resolve_host, Index, Kind};
use lanes_yaml::edit;

use super::find::{lane_of_dest, lane_services, split_routes, Subsets};
use super::weights::{lane_names, record, set_route_weights};
use super::{finish, lane_of, pick_group, refuse, Check, OpError, Options, Outcome, Pending};
use lanes_plan::weights::{self, DEFAULT_TOTAL};

/// `lanes rollback LANE`.
#[derive(Clone, Debug, Default)]
pub struct RollbackArgs {
    /// The lane to roll back.
    pub lane: String,
    /// Also remove the lane's Deployments, its ASMSwimLane and its zero-weight destinations.
    pub prune: bool,
}

/// Set the lane's weight to 0 in every split route (its share goes back to the other lanes in
/// proportion) and keep the zero-weight destination; with `prune`, remove the lane.
pub fn rollback(index: &Index, args: &RollbackArgs, opts: &Options) -> Result<Outcome, OpError> {
    if !super::target::wants_group(index, opts, opts.route.as_deref()) {
        return super::plain::rollback(index, args, opts);
    }
    let group = pick_group(index, opts.group.as_deref())?;
    let lane = lane_of(index, group, &args.lane)?;
    let subsets = Subsets::new(index, group);
    let routes: Vec<_> =
        super::find::select_routes(index, split_routes(index, group), opts.route.as_deref())
            .into_iter()
            .filter(|r| r.position_of(lane).is_some())
            .collect();
    super::target::refuse_owned(index, &routes)?;
    if routes.is_empty() && !args.prune {
        return refuse(format!(
            "no route to change: lane {} has no destination in a route that splits traffic",
            args.lane
        ));
    }
    let mut p = Pending::default();
    for r in &routes {
        let i = r.position_of(lane).expect("filtered");
        if r.dests.iter().filter(|d| d.lane == Some(lane)).count() > 1 {
            return refuse(format!(
                "{} has more than one destination for lane {}",
                r.label, args.lane
            ));
        }
        let new = weights::rollback(
            &weights::normalize(&r.weights(), DEFAULT_TOTAL),
            i,
            DEFAULT_TOTAL,
        )?;
        if !args.prune {
            set_route_weights(index, &mut p, r, &new)?;
            continue;
        }
        if r.dests.len() < 2 {
            return refuse(format!("{}: cannot remove its only destination", r.label));
        }
        let src = &index.files[r.file].source;
        p.edit(r.file, traffic_edit::remove_destination(src, r.seq, i)?);
        for (j, (d, w)) in r.dests.iter().zip(&new).enumerate() {
            if j == i || d.weight == *w {
                continue;
            }
            p.edits_from(r.file, traffic_edit::set_weight(src, d.node, *w)?);
        }
        let res = &index.resources[r.vs];
        let keep: Vec<usize> = (0..r.dests.len()).filter(|j| *j != i).collect();
        p.checks.push(Check::Route {
            file: src.name().to_string(),
            vs_namespace: res.namespace.clone(),
            vs_name: res.name.clone(),
            pointer: r.pointer.clone(),
            expect: keep.iter().map(|j| (r.dests[*j].key(), new[*j])).collect(),
        });
        let names = lane_names(index, r);
        record(
            index,
            &mut p,
            r,
            keep.iter().map(|j| names[*j].clone()).collect(),
            keep.iter().map(|j| Some(r.dests[*j].weight)).collect(),
            keep.iter().map(|j| new[*j]).collect(),
        );
    }
    if !args.prune {
        return finish(index, opts, p);
    }
    // A permissive group's baseline cannot go.
    let fallback = SwimLaneGroup(index.root(group.res))
        .fallback_target()
        .and_then(|n| n.as_text());
    if fallback == Some(args.lane.as_str()) {
        return refuse(format!(
            "lane {} is the fallbackTarget of group {}; change the baseline before pruning it",
            args.lane, group.name
        ));
    }
    // Routes outside the split routes that send traffic to the lane: a route all of whose
    // destinations are the lane (a header-pinned route, say) goes with it; one that mixes the
    // lane with other destinations is left alone and reported.
    let lane_dest = |ns: &str, d: &RouteDestination<'_>| {
        let Some(host) = d.host().and_then(|h| h.as_text()) else {
            return false;
        };
        resolve_host(host, ns).is_some_and(|h| {
            let svc = (h.namespace, h.name);
            group.services.contains(&svc) && lane_of_dest(index, ns, d) == Some(lane)
        })
    };
    for vs in index.of_kind(Kind::VirtualService) {
        let r = &index.resources[vs];
        let view = VirtualService(index.root(vs));
        // Route items to remove, per protocol block.
        let mut gone: BTreeMap<RouteProtocol, Vec<usize>> = BTreeMap::new();
        let mut mixed = Vec::new();
        for route in view.routes() {
            if routes
                .iter()
                .any(|s| s.vs == vs && s.pointer == route.node.pointer())
            {
                continue;
            }
            let dests = route.destinations();
            let hits = dests.iter().filter(|d| lane_dest(&r.namespace, d)).count();
            if hits == 0 {
                continue;
            }
            if hits == dests.len() {
                gone.entry(route.protocol).or_default().push(route.index);
            } else {
                mixed.push(route.label());
            }
        }
        let src = &index.files[r.file].source;
        for (protocol, items) in &gone {
            let Some(block) = view.spec().and_then(|s| s.get(protocol.key())) else {
                continue;
            };
            if items.len() == block.items().count() {
                // Removing every route would leave the block empty: report instead.
                mixed.extend(items.iter().map(|i| format!("{}[{i}]", protocol.key())));
                continue;
            }
            for i in items {
                p.edit(r.file, edit::remove_item(src, block, *i)?);
                p.summary.push(format!(
                    "remove VirtualService {}/{} {}[{i}] (every destination is lane {})",
                    r.namespace,
                    r.name,
                    protocol.key(),
                    args.lane
                ));
            }
            // The split routes after a removed item move up.
            let prefix = format!("/spec/{}/", protocol.key());
            for c in p.checks.iter_mut() {
                if let Check::Route {
                    file,
                    vs_namespace,
                    vs_name,
                    pointer,
                    ..
                } = c
                {
                    if file != src.name() || *vs_namespace != r.namespace || *vs_name != r.name {
                        continue;
                    }
                    let Some(rest) = pointer.strip_prefix(&prefix) else {
                        continue;
                    };
                    let (num, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                    if let Ok(n) = num.parse::<usize>() {
                        let shift = items.iter().filter(|i| **i < n).count();
                        *pointer = format!("{prefix}{}{tail}", n - shift);
                    }
                }
            }
        }
        for label in mixed {
            p.summary.push(format!(
                "note: VirtualService {}/{} {} still routes to lane {}; change or remove that route",
                r.namespace, r.name, label, args.lane
            ));
        }
    }
    // DestinationRule subsets that select the lane (and no other lane of the group), when the
    // rule keeps at least one subset.
    let others: Vec<usize> = group.lanes.iter().copied().filter(|l| *l != lane).collect();
    for dr in subsets.rules() {
        let r = &index.resources[dr];
        let Some(seq) = index
            .root(dr)
            .get("spec")
            .and_then(|s| s.get("subsets"))
            .filter(|s| s.is_seq())
        else {
            continue;
        };
        let items: Vec<(usize, String)> = seq
            .items()
            .enumerate()
            .filter_map(|(i, item)| {
                let s = Subset(item);
                let labels = s.labels();
                let selects = |l: usize| {
                    let sel = SwimLane(index.root(l)).selector();
                    !sel.is_empty() && lanes_model::views::selects(&sel, &labels)
                };
                let name = s.name().and_then(|n| n.as_text()).unwrap_or("");
                (selects(lane) && !others.iter().any(|l| selects(*l)))
                    .then(|| (i, name.to_string()))
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        if items.len() == seq.items().count() {
            p.summary.push(format!(
                "note: DestinationRule {}/{} has only subsets of lane {}; change or remove it",
                r.namespace, r.name, args.lane
            ));
            continue;
        }
        let src = &index.files[r.file].source;
        for (i, name) in items {
            p.edit(r.file, edit::remove_item(src, seq, i)?);
            p.summary.push(format!(
                "remove DestinationRule {}/{} subset {name}",
                r.namespace, r.name
            ));
        }
    }
    // The lane's documents: its Deployments and its ASMSwimLane.
    let mut remove: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let sel = SwimLane(index.root(lane)).selector();
    let services = lane_services(index, group, lane);
    for d in index.of_kind(Kind::Deployment) {
        let res = &index.resources[d];
        if sel.is_empty() || !services.iter().any(|(ns, _)| *ns == res.namespace) {
            continue;
        }
        let labels = Workload(index.root(d)).template_labels();
        if !lanes_model::views::selects(&sel, &labels) {
            continue;
        }
        // Only Deployments of the group's services.
        let of_service = services.iter().any(|svc| {
            super::find::lane_deployment(index, lane, svc) == Some(d)
                || (res.namespace == svc.0
                    && labels.iter().any(|(k, v)| *k == "app" && *v == svc.1))
        });
        if of_service {
            remove.entry(res.file).or_default().insert(res.doc);
            p.summary
                .push(format!("remove Deployment {}/{}", res.namespace, res.name));
        }
    }
    let lres = &index.resources[lane];
    remove.entry(lres.file).or_default().insert(lres.doc);
    p.summary.push(format!("remove ASMSwimLane {}", args.lane));
    p.checks.push(Check::Lane {
        group: group.name.clone(),
        lane: args.lane.clone(),
        exists: false,
    });
    p.remove_documents(index, &opts.root, remove)?;
    finish(index, opts, p)
}
