//! `add` and `rollback` for splits outside ASM lane groups: routes across one host's
//! DestinationRule subsets (bookinfo's `reviews` v1/v2), and routes across hosts
//! (`reviews-v1`, `reviews-v2` Services).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lanes_model::traffic::SplitKind;
use lanes_model::traffic_edit::{self, NewDestination};
use lanes_model::views::{DestinationRule, Service, Subset, VirtualService, Workload};
use lanes_model::{resolve_host, Index, Kind, ResIdx};
use lanes_plan::weights::{self, DEFAULT_TOTAL};
use lanes_yaml::edit;

use super::add::{clone_deployment, content_only, edit_fragment, set_str, with_eol, Relabel};
use super::find::SplitRoute;
use super::target::scope;
use super::weights::{known_version, record, set_route_weights};
use super::{
    display_name, finish, refuse, AddArgs, Check, OpError, Options, Outcome, Pending, RollbackArgs,
};

/// The label key that tells a DestinationRule's subsets apart: the key whose value differs
/// between subsets (`version` in bookinfo), preferring one whose value is the subset's name.
fn version_key(subsets: &[Subset<'_>]) -> Option<String> {
    let mut keys: Vec<&str> = Vec::new();
    for s in subsets {
        for (k, _) in s.labels() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let differs = |k: &str| {
        let vals: BTreeSet<&str> = subsets
            .iter()
            .filter_map(|s| {
                s.labels()
                    .into_iter()
                    .find(|(kk, _)| *kk == k)
                    .map(|(_, v)| v)
            })
            .collect();
        vals.len() > 1 || subsets.len() == 1
    };
    let named = |k: &str| {
        subsets.iter().all(|s| {
            let name = s.name().and_then(|n| n.as_text());
            s.labels()
                .iter()
                .any(|(kk, v)| *kk == k && Some(*v) == name)
        })
    };
    keys.iter()
        .find(|k| named(k))
        .or_else(|| keys.iter().find(|k| **k == "version" && differs(k)))
        .or_else(|| keys.iter().find(|k| differs(k)))
        .map(|k| k.to_string())
}

/// The tag of a new version: `v3` from `v3`, and from `reviews-v3` when versions are
/// `reviews-v1`-style names.
fn relabel(src_name: &str, old_tag: &str, new: &str) -> Relabel {
    let new_tag = match src_name.strip_suffix(old_tag) {
        Some(prefix) if !prefix.is_empty() => new.strip_prefix(prefix).unwrap_or(new).to_string(),
        _ => new.to_string(),
    };
    Relabel {
        old_name: src_name.to_string(),
        new_name: new.to_string(),
        old_tag: old_tag.to_string(),
        new_tag,
    }
}

/// Workloads in `namespace` whose pod template carries every label of `service_sel` and
/// `version_sel`.
fn workloads_of(
    index: &Index,
    from: ResIdx,
    namespace: &str,
    service_sel: &[(String, String)],
    version_sel: &[(&str, &str)],
) -> Vec<ResIdx> {
    let all: Vec<ResIdx> = index
        .of_kind(Kind::Deployment)
        .filter(|d| index.resources[*d].namespace == namespace)
        .filter(|d| {
            let labels = Workload(index.root(*d)).template_labels();
            !labels.is_empty()
                && !version_sel.is_empty()
                && lanes_model::views::selects(version_sel, &labels)
                && service_sel
                    .iter()
                    .all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == v))
        })
        .collect();
    same_universe(index, all, from)
}

/// The resources of `found` in the universe of `from` (the VirtualService an op changes), when
/// it has any: an op never reads or edits another universe's Deployment or Service when its
/// own defines one ([`Index::universe_of`]).
fn same_universe(index: &Index, found: Vec<ResIdx>, from: ResIdx) -> Vec<ResIdx> {
    let u = index.universe_of(from);
    if found.iter().any(|r| index.universe_of(*r) == u) {
        found
            .into_iter()
            .filter(|r| index.universe_of(*r) == u)
            .collect()
    } else {
        found
    }
}

/// [`service_selector`] of the Service nearest to `from` ([`Index::nearest`]).
fn service_selector_near(
    index: &Index,
    service: &(String, String),
    from: ResIdx,
) -> Vec<(String, String)> {
    let found = index.by_nearness(
        index.find(Kind::Service, &service.0, &service.1),
        Some(from),
    );
    for s in found {
        let sel = Service(index.root(s)).selector();
        if !sel.is_empty() {
            return sel
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        }
    }
    vec![("app".to_string(), service.1.clone())]
}

/// The text of a new file holding cloned documents of `fi` (header comments kept, its line
/// breaks and final newline).
fn new_file_text(index: &Index, fi: usize, docs: &[String]) -> String {
    let f = &index.files[fi];
    let mut text = String::new();
    let first_marker = f.docs.first().and_then(|d| d.marker).is_some();
    for (i, d) in docs.iter().enumerate() {
        if i > 0 || first_marker {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("---\n");
        }
        text.push_str(d);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    with_eol(&text, f.source.eol())
}

/// The path for new documents cloned from file `fi`: the source file name with the version
/// tag replaced, or `<name>.yaml` when the file name carries no tag.
fn new_path(index: &Index, fi: usize, rl: &Relabel, name: &str, args: &AddArgs) -> String {
    let src_path = Path::new(index.files[fi].source.name());
    let file = src_path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
    let file_name = if !rl.old_tag.is_empty() && stem.contains(rl.old_tag.as_str()) {
        rl.file_name(&file)
    } else {
        format!("{name}.yaml")
    };
    let target = match &args.dir {
        Some(d) => d.join(&file_name),
        None => src_path.with_file_name(&file_name),
    };
    target.to_string_lossy().into_owned()
}

/// New weights for each route: `--split`, or the new version at `--weight` and the others
/// shrinking in proportion.
fn new_weights(r: &SplitRoute<'_>, args: &AddArgs) -> Result<Vec<u32>, OpError> {
    let current = r.weights();
    if let Some(s) = &args.split {
        let e = weights::parse_split(s, DEFAULT_TOTAL)?;
        if e.len() != current.len() + 1 {
            return refuse(format!(
                "{} has {} destinations ({}); --split needs {} weights (the new version last), got {}",
                r.label,
                current.len(),
                r.names().join(", "),
                current.len() + 1,
                e.len()
            ));
        }
        if let Some(w) = args.weight {
            if e.last() != Some(&w) {
                return refuse(format!(
                    "--split {s} gives the new version {}, but --weight says {w}",
                    e.last().copied().unwrap_or(0)
                ));
            }
        }
        return Ok(e);
    }
    Ok(weights::rebalance_with_new(
        &weights::normalize(&current, DEFAULT_TOTAL),
        args.weight.unwrap_or(0),
        DEFAULT_TOTAL,
    )?)
}

/// Append the new destination to every route and rebalance.
fn add_destinations(
    index: &Index,
    p: &mut Pending,
    routes: &[SplitRoute<'_>],
    src_version: &str,
    new: &NewDestination<'_>,
    args: &AddArgs,
) -> Result<(), OpError> {
    for r in routes {
        let w = new_weights(r, args)?;
        let from = r
            .dests
            .iter()
            .rev()
            .find(|d| d.name == src_version)
            .unwrap_or_else(|| r.dests.last().expect("split routes have destinations"));
        let src = &index.files[r.file].source;
        let nd = NewDestination {
            weight: *w.last().expect("weights"),
            ..new.clone()
        };
        p.edit(
            r.file,
            traffic_edit::append_destination(src, r.seq, from.node, &nd)?,
        );
        let nodes: Vec<_> = r.dests.iter().map(|d| d.node).collect();
        p.edits_from(
            r.file,
            traffic_edit::set_weights(src, &nodes, &w[..r.dests.len()])?,
        );
        let res = &index.resources[r.vs];
        let mut expect: Vec<(String, u32)> =
            r.dests.iter().zip(&w).map(|(d, w)| (d.key(), *w)).collect();
        expect.push((new.subset.or(new.host).unwrap_or("").to_string(), nd.weight));
        p.checks.push(Check::Route {
            file: src.name().to_string(),
            vs_namespace: res.namespace.clone(),
            vs_name: res.name.clone(),
            pointer: r.pointer.clone(),
            expect,
        });
        let mut names = r.names();
        names.push(match (new.subset, new.host) {
            (Some(s), _) => s.to_string(),
            (None, Some(h)) => h.split('.').next().unwrap_or(h).to_string(),
            _ => args.lane.clone(),
        });
        let mut before: Vec<Option<u32>> = r.weights().into_iter().map(Some).collect();
        before.push(None);
        record(index, p, r, names, before, w);
    }
    Ok(())
}

/// Clone the workloads in `deps` (all from one file or several) into new files.
#[allow(clippy::too_many_arguments)]
fn clone_workloads(
    index: &Index,
    p: &mut Pending,
    deps: &[ResIdx],
    extra_first: Option<(ResIdx, String)>,
    rl: &Relabel,
    keys: &[String],
    args: &AddArgs,
    opts: &Options,
) -> Result<(), OpError> {
    let mut by_file: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut names: BTreeMap<usize, String> = BTreeMap::new();
    if let Some((svc, text)) = extra_first {
        let fi = index.resources[deps.first().copied().unwrap_or(svc)].file;
        by_file.entry(fi).or_default().push(text);
    }
    for d in deps {
        let r = &index.resources[*d];
        let f = &index.files[r.file];
        let doc_text = edit::document_text(&f.source, &f.docs, r.doc)
            .ok_or_else(|| OpError::Edit(format!("cannot read {} as text", r.display())))?;
        let cloned = clone_deployment(
            content_only(&doc_text),
            rl,
            keys,
            args.image.as_deref(),
            args.container.as_deref(),
        )?;
        let new_name = rl.rename(&r.name);
        names.entry(r.file).or_insert_with(|| new_name.clone());
        by_file.entry(r.file).or_default().push(cloned);
        p.checks.push(Check::Deployment {
            namespace: r.namespace.clone(),
            name: new_name.clone(),
        });
        p.summary.push(format!(
            "Deployment {}/{new_name} (from {})",
            r.namespace, r.name
        ));
    }
    for (fi, docs) in by_file {
        let name = names.get(&fi).cloned().unwrap_or_else(|| args.lane.clone());
        let path = new_path(index, fi, rl, &name, args);
        p.summary
            .push(format!("new file {}", display_name(&opts.root, &path)));
        p.new_files.push((path, new_file_text(index, fi, &docs)));
    }
    Ok(())
}

/// `lanes add VERSION` on a subset or host split.
pub(crate) fn add(index: &Index, args: &AddArgs, opts: &Options) -> Result<Outcome, OpError> {
    let sc = scope(index, opts, None, None)?;
    let lane = args.lane.as_str();
    for r in &sc.routes {
        if r.position_named(lane).is_some() {
            return refuse(format!("{} already has a destination {lane}", r.label));
        }
    }
    let first = &sc.routes[0];
    if sc.routes.iter().any(|r| r.kind != first.kind) {
        return refuse("the routes to change mix subset and host splits; pick one with --route");
    }
    let src_version = match &args.from {
        Some(f) => {
            known_version(&sc, f)?;
            f.clone()
        }
        None => first.dests.last().expect("split").name.clone(),
    };
    let src_dest = first
        .dests
        .iter()
        .find(|d| d.name == src_version)
        .expect("known version");
    let mut p = Pending::default();
    match first.kind {
        SplitKind::Subsets => {
            let (dr, si) = src_dest.dr_subset.expect("subset split");
            if sc
                .routes
                .iter()
                .any(|r| r.dests.iter().any(|d| d.dr_subset.map(|x| x.0) != Some(dr)))
            {
                return refuse(
                    "the routes to change go through different DestinationRules; pick one with --route",
                );
            }
            let dres = &index.resources[dr];
            let rule = DestinationRule(index.root(dr));
            let subsets = rule.subsets();
            let src_subset = subsets[si];
            let Some(key) = version_key(&subsets) else {
                return refuse(format!(
                    "cannot tell which label of DestinationRule {}/{}'s subsets names the version",
                    dres.namespace, dres.name
                ));
            };
            let labels = src_subset.labels();
            let Some(old_tag) = labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v) else {
                return refuse(format!("subset {src_version} has no `{key}` label"));
            };
            let rl = relabel(&src_version, old_tag, lane);
            let existing = subsets
                .iter()
                .position(|s| s.name().and_then(|n| n.as_text()) == Some(lane));
            let service = src_dest.service.clone();
            let svc_sel = service_selector_near(index, &service, first.vs);
            if existing.is_none() {
                // 1. The Deployment(s) of the source version, cloned.
                let deps = workloads_of(index, first.vs, &service.0, &svc_sel, &labels);
                if deps.is_empty() {
                    return refuse(format!(
                        "no Deployment of {}/{} carries the labels of subset {src_version} ({}); cannot clone it",
                        service.0,
                        service.1,
                        labels
                            .iter()
                            .map(|(k, v)| format!("{k}: {v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                let new_sel: Vec<(String, String)> = labels
                    .iter()
                    .map(|(k, v)| {
                        let v = if *k == key {
                            rl.new_tag.clone()
                        } else {
                            v.to_string()
                        };
                        (k.to_string(), v)
                    })
                    .collect();
                let new_sel_ref: Vec<(&str, &str)> = new_sel
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                if !workloads_of(index, first.vs, &service.0, &svc_sel, &new_sel_ref).is_empty() {
                    return refuse(format!(
                        "a Deployment of {}/{} already carries {key}: {}; add subset {lane} to DestinationRule {}/{} by hand, or pick another name",
                        service.0, service.1, rl.new_tag, dres.namespace, dres.name
                    ));
                }
                clone_workloads(
                    index,
                    &mut p,
                    &deps,
                    None,
                    &rl,
                    std::slice::from_ref(&key),
                    args,
                    opts,
                )?;
                // 2. The subset.
                let dsrc = &index.files[dres.file].source;
                let seq = src_subset.0.parent().expect("subset items have a parent");
                let text = edit_fragment(&edit::node_text(dsrc, src_subset.0), |fsrc, root| {
                    let mut out = Vec::new();
                    if let Some(n) = root.get("name") {
                        out.push(set_str(fsrc, n, lane)?);
                    }
                    if let Some(v) = root.get("labels").and_then(|l| l.get(&key)) {
                        out.push(set_str(fsrc, v, &rl.new_tag)?);
                    }
                    Ok(out)
                })?;
                let text = if seq.is_flow() {
                    text.replace('\n', " ")
                } else {
                    text
                };
                p.edit(dres.file, edit::append_item(dsrc, seq, &text)?);
                p.summary.push(format!(
                    "subset {lane} ({key}: {}) in DestinationRule {}/{}",
                    rl.new_tag, dres.namespace, dres.name
                ));
            } else {
                p.summary.push(format!(
                    "subset {lane} already in DestinationRule {}/{}; routing to it",
                    dres.namespace, dres.name
                ));
            }
            // 3. The destination in every route.
            add_destinations(
                index,
                &mut p,
                &sc.routes,
                &src_version,
                &NewDestination {
                    subset: Some(lane),
                    host: None,
                    weight: 0,
                },
                args,
            )?;
        }
        SplitKind::Hosts => {
            let service = src_dest.service.clone();
            let Some(svc) = index.find_near(Kind::Service, &service.0, &service.1, first.vs) else {
                return refuse(format!(
                    "Service {}/{} is not in the repository; cannot clone it",
                    service.0, service.1
                ));
            };
            let sel = Service(index.root(svc)).selector();
            let others: Vec<Vec<(&str, &str)>> = first
                .dests
                .iter()
                .filter(|d| d.name != src_version)
                .filter_map(|d| {
                    index.find_near(Kind::Service, &d.service.0, &d.service.1, first.vs)
                })
                .map(|s| Service(index.root(s)).selector())
                .collect();
            // The selector key whose value differs from the other versions' Services.
            let key = sel
                .iter()
                .find(|(k, v)| {
                    *k == "version"
                        || others
                            .iter()
                            .any(|o| o.iter().any(|(ok, ov)| ok == k && ov != v))
                })
                .map(|(k, v)| (k.to_string(), v.to_string()));
            let Some((key, old_tag)) = key else {
                return refuse(format!(
                    "cannot tell which selector label of Service {}/{} names the version",
                    service.0, service.1
                ));
            };
            let mut rl = relabel(&service.1, &old_tag, lane);
            let new_host_name = if lane.contains('-') && lane != rl.new_tag {
                lane.to_string()
            } else {
                rl.rename(&service.1)
            };
            rl.new_name = new_host_name.clone();
            if !index
                .find(Kind::Service, &service.0, &new_host_name)
                .is_empty()
            {
                return refuse(format!(
                    "Service {}/{new_host_name} already exists",
                    service.0
                ));
            }
            let deps = workloads_of(index, first.vs, &service.0, &[], &sel);
            if deps.is_empty() {
                return refuse(format!(
                    "no Deployment matches the selector of Service {}/{}; cannot clone it",
                    service.0, service.1
                ));
            }
            let r = &index.resources[svc];
            let f = &index.files[r.file];
            let svc_text = edit::document_text(&f.source, &f.docs, r.doc)
                .ok_or_else(|| OpError::Edit(format!("cannot read {} as text", r.display())))?;
            let svc_clone = edit_fragment(content_only(&svc_text), |fsrc, root| {
                let mut out = Vec::new();
                if let Some(n) = lanes_model::views::path(root, "metadata/name") {
                    out.push(set_str(fsrc, n, &new_host_name)?);
                }
                for m in ["metadata/labels", "spec/selector"] {
                    if let Some(v) = lanes_model::views::path(root, m).and_then(|l| l.get(&key)) {
                        out.push(set_str(fsrc, v, &rl.new_tag)?);
                    }
                }
                Ok(out)
            })?;
            p.summary.push(format!(
                "Service {}/{new_host_name} (from {})",
                service.0, service.1
            ));
            clone_workloads(
                index,
                &mut p,
                &deps,
                Some((svc, svc_clone)),
                &rl,
                std::slice::from_ref(&key),
                args,
                opts,
            )?;
            let new_host = match src_dest.host.split_once('.') {
                Some((_, rest)) => format!("{new_host_name}.{rest}"),
                None => new_host_name.clone(),
            };
            add_destinations(
                index,
                &mut p,
                &sc.routes,
                &src_version,
                &NewDestination {
                    subset: None,
                    host: Some(&new_host),
                    weight: 0,
                },
                args,
            )?;
        }
        _ => return refuse("lanes can add a version only to subset and host splits"),
    }
    finish(index, opts, p)
}

/// Whether a route outside `skip` sends traffic to `(service, subset)`.
fn used_elsewhere(
    index: &Index,
    skip: &[SplitRoute<'_>],
    service: &(String, String),
    subset: Option<&str>,
) -> bool {
    // Routes of another universe reach their own universe's subsets and workloads: they count
    // only when their universe defines no DestinationRule of the host (they would fall back to
    // this one, as references resolve to the nearest definition).
    let from = skip.first().map(|r| r.vs);
    let drs = index.destination_rules_for(&service.0, &service.1);
    let reaches_here = |vs: ResIdx| match from {
        None => true,
        Some(f) => {
            let u = index.universe_of(vs);
            u == index.universe_of(f) || !drs.iter().any(|d| index.universe_of(*d) == u)
        }
    };
    for vs in index.of_kind(Kind::VirtualService) {
        if !reaches_here(vs) {
            continue;
        }
        let ns = index.resources[vs].namespace.clone();
        for route in VirtualService(index.root(vs)).routes() {
            if skip
                .iter()
                .any(|s| s.vs == vs && s.pointer == route.node.pointer())
            {
                continue;
            }
            for d in route.destinations() {
                let h = d
                    .host()
                    .and_then(|h| h.as_text())
                    .and_then(|h| resolve_host(h, &ns));
                let same_host = h.is_some_and(|h| h.namespace == service.0 && h.name == service.1);
                if same_host && d.subset().and_then(|s| s.as_text()) == subset {
                    return true;
                }
            }
        }
    }
    false
}

/// Remove whole documents (deleting files left with nothing else).
fn remove_docs(
    index: &Index,
    p: &mut Pending,
    opts: &Options,
    docs: &[ResIdx],
) -> Result<(), OpError> {
    let mut remove: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for d in docs {
        let r = &index.resources[*d];
        remove.entry(r.file).or_default().insert(r.doc);
        p.summary.push(format!("remove {}", r.display()));
    }
    p.remove_documents(index, &opts.root, remove)?;
    Ok(())
}

/// A destination removed by `--prune`: kind, service, subset, DestinationRule subset.
type Pruned = (
    SplitKind,
    (String, String),
    Option<String>,
    Option<(ResIdx, usize)>,
);

/// `lanes rollback VERSION [--prune]` on a subset or host split.
pub(crate) fn rollback(
    index: &Index,
    args: &RollbackArgs,
    opts: &Options,
) -> Result<Outcome, OpError> {
    let sc = scope(index, opts, None, Some(&args.lane))?;
    known_version(&sc, &args.lane)?;
    let routes: Vec<&SplitRoute<'_>> = sc
        .routes
        .iter()
        .filter(|r| r.position_named(&args.lane).is_some())
        .collect();
    let mut p = Pending::default();
    let mut pruned: Vec<Pruned> = Vec::new();
    for r in &routes {
        let i = r.position_named(&args.lane).expect("filtered");
        let new = weights::rollback(
            &weights::normalize(&r.weights(), DEFAULT_TOTAL),
            i,
            DEFAULT_TOTAL,
        )?;
        if !args.prune {
            set_route_weights(index, &mut p, r, &new)?;
            continue;
        }
        let src = &index.files[r.file].source;
        p.edit(r.file, traffic_edit::remove_destination(src, r.seq, i)?);
        for (j, (d, w)) in r.dests.iter().zip(&new).enumerate() {
            if j != i {
                p.edits_from(r.file, traffic_edit::set_weight(src, d.node, *w)?);
            }
        }
        let keep: Vec<usize> = (0..r.dests.len()).filter(|j| *j != i).collect();
        let res = &index.resources[r.vs];
        p.checks.push(Check::Route {
            file: src.name().to_string(),
            vs_namespace: res.namespace.clone(),
            vs_name: res.name.clone(),
            pointer: r.pointer.clone(),
            expect: keep.iter().map(|j| (r.dests[*j].key(), new[*j])).collect(),
        });
        let names = r.names();
        record(
            index,
            &mut p,
            r,
            keep.iter().map(|j| names[*j].clone()).collect(),
            keep.iter().map(|j| Some(r.dests[*j].weight)).collect(),
            keep.iter().map(|j| new[*j]).collect(),
        );
        let d = &r.dests[i];
        let item = (
            r.kind,
            d.service.clone(),
            (!d.subset.is_empty()).then(|| d.subset.clone()),
            d.dr_subset,
        );
        if !pruned.contains(&item) {
            pruned.push(item);
        }
    }
    if !args.prune {
        return finish(index, opts, p);
    }
    let mut docs: Vec<ResIdx> = Vec::new();
    // What is pruned is looked up in the universe of the routes changed.
    let from = sc.routes[0].vs;
    for (kind, service, subset, dr_subset) in &pruned {
        if used_elsewhere(index, &sc.routes, service, subset.as_deref()) {
            p.summary.push(format!(
                "note: another route still sends traffic to {}; kept its subset and workloads",
                subset.as_deref().unwrap_or(&service.1)
            ));
            continue;
        }
        match kind {
            SplitKind::Subsets => {
                let Some((dr, si)) = dr_subset else { continue };
                let dres = &index.resources[*dr];
                let subsets = DestinationRule(index.root(*dr)).subsets();
                let item = subsets[*si];
                let labels = item.labels();
                let seq = item.0.parent().expect("subset items have a parent");
                if subsets.len() > 1 {
                    let dsrc = &index.files[dres.file].source;
                    p.edit(dres.file, edit::remove_item(dsrc, seq, *si)?);
                    p.summary.push(format!(
                        "remove DestinationRule {}/{} subset {}",
                        dres.namespace,
                        dres.name,
                        subset.as_deref().unwrap_or("")
                    ));
                }
                let svc_sel = service_selector_near(index, service, from);
                docs.extend(workloads_of(index, from, &service.0, &svc_sel, &labels));
            }
            SplitKind::Hosts => {
                if let Some(svc) = index.find_near(Kind::Service, &service.0, &service.1, from) {
                    let sel = Service(index.root(svc)).selector();
                    docs.push(svc);
                    docs.extend(workloads_of(index, from, &service.0, &[], &sel));
                }
            }
            _ => {}
        }
    }
    docs.sort_unstable();
    docs.dedup();
    remove_docs(index, &mut p, opts, &docs)?;
    finish(index, opts, p)
}
