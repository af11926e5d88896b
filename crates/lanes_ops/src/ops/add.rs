//! `lanes add`: render a new lane by cloning the source lane's documents as text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lanes_model::traffic_edit;
use lanes_model::views::SwimLane;
use lanes_model::{Index, ResIdx};
use lanes_yaml::edit::{self, Edit, NewScalar};
use lanes_yaml::{Eol, NodeRef, SourceFile};

use super::find::{lane_deployment, lane_services, lane_tag, select_routes, split_routes, Subsets};
use super::weights::{lane_names, record};
use super::{finish, lane_of, pick_group, refuse, Check, OpError, Options, Outcome, Pending};
use lanes_plan::weights;

/// `lanes add LANE`.
#[derive(Clone, Debug, Default)]
pub struct AddArgs {
    /// The new lane's name.
    pub lane: String,
    /// The new lane's weight in every split route; the others shrink in proportion.
    pub weight: Option<u32>,
    /// The lane to clone (default: the newest, last in the group's file order).
    pub from: Option<String>,
    /// Explicit weights for every destination, in route order, new lane last.
    pub split: Option<String>,
    /// Image for the new Deployments' containers (every one, or the one `container` names).
    pub image: Option<String>,
    /// The container whose image `image` replaces (default: every container).
    pub container: Option<String>,
    /// Directory for the new Deployment file(s) (default: next to the source's).
    pub dir: Option<PathBuf>,
}

/// How source-lane values map to new-lane values.
pub(crate) struct Relabel {
    pub old_name: String,
    pub new_name: String,
    pub old_tag: String,
    pub new_tag: String,
}

impl Relabel {
    /// The new value for a lane-valued string, or `None` when it is not lane-valued.
    pub(crate) fn map(&self, v: &str) -> Option<String> {
        if v == self.old_name {
            Some(self.new_name.clone())
        } else if v == self.old_tag {
            Some(self.new_tag.clone())
        } else {
            v.strip_suffix(self.old_tag.as_str())
                .filter(|p| p.ends_with(['-', '_', '.']))
                .map(|p| format!("{p}{}", self.new_tag))
        }
    }

    /// A name with the lane suffix replaced (`mocka-v2` → `mocka-v3`), or the suffix added.
    pub(crate) fn rename(&self, v: &str) -> String {
        if let Some(p) = v.strip_suffix(self.old_tag.as_str()) {
            return format!("{p}{}", self.new_tag);
        }
        if let Some(p) = v.strip_suffix(self.old_name.as_str()) {
            return format!("{p}{}", self.new_name);
        }
        format!("{v}-{}", self.new_tag)
    }

    /// A file name with the lane tag replaced (`mock-v2.yaml` → `mock-v3.yaml`).
    pub(crate) fn file_name(&self, name: &str) -> String {
        let (stem, ext) = match name.rfind('.') {
            Some(i) => (&name[..i], &name[i..]),
            None => (name, ""),
        };
        match stem.rfind(self.old_tag.as_str()) {
            Some(i) if !self.old_tag.is_empty() => format!(
                "{}{}{}{}",
                &stem[..i],
                self.new_tag,
                &stem[i + self.old_tag.len()..],
                ext
            ),
            _ => format!("{stem}-{}{ext}", self.new_tag),
        }
    }
}

/// Parse a standalone fragment, edit it, and return the new text.
pub(crate) fn edit_fragment(
    text: &str,
    f: impl FnOnce(&SourceFile, NodeRef<'_>) -> Result<Vec<Edit>, OpError>,
) -> Result<String, OpError> {
    let parsed = lanes_yaml::parse_str("fragment", text);
    if let Some(e) = parsed.errors.first() {
        return Err(OpError::Edit(format!(
            "cannot re-read a cloned fragment: {}",
            e.message
        )));
    }
    let Some(root) = parsed.docs.first().and_then(|d| d.root()) else {
        return Err(OpError::Edit("a cloned fragment is empty".into()));
    };
    let edits = f(&parsed.source, root)?;
    Ok(edit::apply(text, &edits)?)
}

pub(crate) fn set_str(src: &SourceFile, node: NodeRef<'_>, v: &str) -> Result<Edit, OpError> {
    Ok(edit::set_scalar(src, node, &NewScalar::Str(v.to_string()))?)
}

/// Lane labels in one labels mapping.
fn relabel_map(
    src: &SourceFile,
    map: Option<NodeRef<'_>>,
    keys: &[String],
    rl: &Relabel,
    out: &mut Vec<Edit>,
) -> Result<(), OpError> {
    let Some(map) = map else { return Ok(()) };
    for (k, v) in map.entries() {
        let Some(key) = k.scalar_text() else { continue };
        if !keys.iter().any(|x| x == key) {
            continue;
        }
        if let Some(new) = v.as_text().and_then(|t| rl.map(t)) {
            out.push(set_str(src, v, &new)?);
        }
    }
    Ok(())
}

pub(crate) fn clone_deployment(
    text: &str,
    rl: &Relabel,
    keys: &[String],
    image: Option<&str>,
    container: Option<&str>,
) -> Result<String, OpError> {
    edit_fragment(text, |src, root| {
        let mut out = Vec::new();
        let mut replaced = 0;
        let path = |p: &str| lanes_model::views::path(root, p);
        if let Some(name) = path("metadata/name") {
            let new = rl.rename(name.as_text().unwrap_or_default());
            out.push(set_str(src, name, &new)?);
        }
        relabel_map(src, path("metadata/labels"), keys, rl, &mut out)?;
        relabel_map(src, path("spec/selector/matchLabels"), keys, rl, &mut out)?;
        relabel_map(
            src,
            path("spec/template/metadata/labels"),
            keys,
            rl,
            &mut out,
        )?;
        for block in ["containers", "initContainers"] {
            let Some(cs) = path(&format!("spec/template/spec/{block}")) else {
                continue;
            };
            for c in cs.items() {
                for env in c.get("env").into_iter().flat_map(|e| e.items()) {
                    let Some(v) = env.get("value") else { continue };
                    let t = v.as_text().unwrap_or_default();
                    if t == rl.old_name || t == rl.old_tag {
                        let new = if t == rl.old_name {
                            &rl.new_name
                        } else {
                            &rl.new_tag
                        };
                        out.push(set_str(src, v, new)?);
                    }
                }
                let named = c.get("name").and_then(|n| n.as_text());
                let wanted = container.is_none_or(|want| named == Some(want));
                if let (Some(img), true, "containers") = (image, wanted, block) {
                    replaced += 1;
                    match c.get("image") {
                        Some(n) => out.push(set_str(src, n, img)?),
                        None => {
                            return refuse(format!(
                                "container {} of the source Deployment has no image to replace",
                                named.unwrap_or("?")
                            ))
                        }
                    }
                }
            }
        }
        if let (Some(want), Some(_), 0) = (container, image, replaced) {
            return refuse(format!(
                "the source Deployment has no container named {want}"
            ));
        }
        Ok(out)
    })
}

fn clone_lane(text: &str, rl: &Relabel) -> Result<String, OpError> {
    edit_fragment(text, |src, root| {
        let mut out = Vec::new();
        let Some(name) = lanes_model::views::path(root, "metadata/name") else {
            return refuse("the source ASMSwimLane has no metadata.name");
        };
        out.push(set_str(src, name, &rl.new_name)?);
        if let Some(sel) = lanes_model::views::path(root, "spec/labelSelector") {
            for (_, v) in sel.entries() {
                if let Some(new) = v.as_text().and_then(|t| rl.map(t)) {
                    out.push(set_str(src, v, &new)?);
                }
            }
        }
        // Other lane-valued labels (`ASM_TRAFFIC_TAG: v2`), never the group label.
        if let Some(labels) = lanes_model::views::path(root, "metadata/labels") {
            for (k, v) in labels.entries() {
                if k.scalar_text() == Some(lanes_model::views::GROUP_LABEL) {
                    continue;
                }
                if let Some(new) = v.as_text().and_then(|t| rl.map(t)) {
                    out.push(set_str(src, v, &new)?);
                }
            }
        }
        Ok(out)
    })
}

/// A document's text up to the end of the line where its content ends: trailing comments and
/// blank lines (a file footer, say) are not cloned.
pub(crate) fn content_only(text: &str) -> &str {
    let parsed = lanes_yaml::parse_str("fragment", text);
    match parsed.docs.first().and_then(|d| d.root()) {
        Some(root) => {
            let end = root.range().end;
            let eol = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            &text[..eol]
        }
        None => text,
    }
}

pub(crate) fn with_eol(s: &str, eol: Eol) -> String {
    match eol {
        Eol::Lf => s.to_string(),
        Eol::CrLf => s.replace('\n', "\r\n"),
    }
}

/// Render a new lane: Deployments, an ASMSwimLane, and a destination in every split route.
pub fn add(index: &Index, args: &AddArgs, opts: &Options) -> Result<Outcome, OpError> {
    // The name becomes file names and resource names: check it before anything else, and
    // --force never overrides this.
    super::check_version_name(&args.lane)?;
    if !super::target::wants_group(index, opts, opts.route.as_deref()) {
        return super::plain::add(index, args, opts);
    }
    let group = pick_group(index, opts.group.as_deref())?;
    let lane = args.lane.as_str();
    if index.lane_named(group, lane).is_some() {
        return refuse(format!(
            "lane {lane} already exists in group {}",
            group.name
        ));
    }
    let src_lane: ResIdx = match &args.from {
        Some(f) => lane_of(index, group, f)?,
        None => match group.lanes.last() {
            Some(l) => *l,
            None => return refuse(format!("group {} has no lane to clone", group.name)),
        },
    };
    let src_name = index.resources[src_lane].name.clone();
    let Some(old_tag) = lane_tag(index, src_lane) else {
        return refuse(format!(
            "lane {src_name} has no labelSelector to derive the new lane's from"
        ));
    };
    let new_tag = match src_name.strip_suffix(old_tag.as_str()) {
        Some(prefix) if !prefix.is_empty() => lane.strip_prefix(prefix).unwrap_or(lane).to_string(),
        _ => lane.to_string(),
    };
    let rl = Relabel {
        old_name: src_name.clone(),
        new_name: lane.to_string(),
        old_tag: old_tag.clone(),
        new_tag: new_tag.clone(),
    };
    let src_sel: Vec<(String, String)> = SwimLane(index.root(src_lane))
        .selector()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let new_sel: Vec<(String, String)> = src_sel
        .iter()
        .map(|(k, v)| (k.clone(), rl.map(v).unwrap_or_else(|| v.clone())))
        .collect();
    if new_sel == src_sel {
        return refuse(format!(
            "cannot derive a label selector for lane {lane} from lane {src_name}'s"
        ));
    }
    let new_sel_ref: Vec<(&str, &str)> = new_sel
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some(l) = index.lane_selected_by(group, &new_sel_ref) {
        return refuse(format!(
            "lane {} already selects the new lane's pods ({})",
            index.resources[l].name,
            new_sel
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut keys: Vec<String> = vec!["version".into(), "ASM_TRAFFIC_TAG".into()];
    for (k, _) in &src_sel {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }

    let mut p = Pending::default();

    // 1. Deployments, grouped by source file.
    let services = lane_services(index, group, src_lane);
    let mut missing = Vec::new();
    let mut by_file: BTreeMap<usize, Vec<ResIdx>> = BTreeMap::new();
    for svc in &services {
        match lane_deployment(index, src_lane, svc) {
            Some(d) => by_file.entry(index.resources[d].file).or_default().push(d),
            None => missing.push(format!("{}/{}", svc.0, svc.1)),
        }
    }
    if !missing.is_empty() {
        return refuse(format!(
            "no Deployment of lane {src_name} for service(s) {}; cannot clone them",
            missing.join(", ")
        ));
    }
    for (fi, mut deps) in by_file {
        deps.sort_by_key(|d| index.resources[*d].doc);
        let f = &index.files[fi];
        let src_path = Path::new(f.source.name());
        let file_name = rl.file_name(&src_path.file_name().unwrap_or_default().to_string_lossy());
        let target = match &args.dir {
            Some(d) => d.join(&file_name),
            None => src_path.with_file_name(&file_name),
        };
        let target = target.to_string_lossy().into_owned();
        // Text before the first document's `---` (header comments), kept.
        let mut text = String::new();
        let first_marker = f.docs.first().and_then(|d| d.marker).is_some();
        if let Some(m) = f.docs.first().and_then(|d| d.marker) {
            let pre = &f.source.text()[..m];
            if pre.trim().starts_with('#') || pre.trim().is_empty() {
                text.push_str(&pre.replace("\r\n", "\n"));
            }
        }
        for (i, d) in deps.iter().enumerate() {
            let r = &index.resources[*d];
            let doc_text = edit::document_text(&f.source, &f.docs, r.doc)
                .ok_or_else(|| OpError::Edit(format!("cannot read {} as text", r.display())))?;
            let cloned = clone_deployment(
                &doc_text,
                &rl,
                &keys,
                args.image.as_deref(),
                args.container.as_deref(),
            )?;
            if i > 0 || first_marker {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str("---\n");
            }
            text.push_str(&cloned);
            p.checks.push(Check::Deployment {
                namespace: r.namespace.clone(),
                name: rl.rename(&r.name),
            });
            p.summary.push(format!(
                "Deployment {}/{} (from {})",
                r.namespace,
                rl.rename(&r.name),
                r.name
            ));
        }
        if f.source.ends_with_newline() {
            if !text.ends_with('\n') {
                text.push('\n');
            }
        } else {
            while text.ends_with('\n') {
                text.pop();
            }
        }
        p.new_files.push((target, with_eol(&text, f.source.eol())));
    }

    // 2. The ASMSwimLane, appended to the file of the group's last lane.
    let last_lane = *group.lanes.last().expect("the group has lanes");
    let lane_res = &index.resources[last_lane];
    let lanes_file = &index.files[lane_res.file];
    let src_lane_res = &index.resources[src_lane];
    let src_lane_file = &index.files[src_lane_res.file];
    let lane_text =
        edit::document_text(&src_lane_file.source, &src_lane_file.docs, src_lane_res.doc)
            .ok_or_else(|| OpError::Edit(format!("cannot read lane {src_name} as text")))?;
    let new_lane_text = clone_lane(content_only(&lane_text), &rl)?;
    p.edit(
        lane_res.file,
        edit::append_document(&lanes_file.source, &new_lane_text),
    );
    p.checks.push(Check::Lane {
        group: group.name.clone(),
        lane: lane.to_string(),
        exists: true,
    });
    p.summary.push(format!(
        "ASMSwimLane {lane} ({}) in {}",
        new_sel
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        super::display_name(&opts.root, lanes_file.source.name())
    ));

    // 3. A destination in every split route, and DestinationRule subsets where routes use them.
    let subsets = Subsets::new(index, group);
    let routes = select_routes(index, split_routes(index, group), opts.route.as_deref());
    super::target::refuse_owned(index, &routes)?;
    let explicit = match &args.split {
        Some(s) => Some(weights::parse_split(s, weights::DEFAULT_TOTAL)?),
        None => None,
    };
    if let (Some(e), Some(w)) = (&explicit, args.weight) {
        if e.last() != Some(&w) {
            return refuse(format!(
                "--split {} gives the new lane {}, but --weight says {w}",
                args.split.as_deref().unwrap_or_default(),
                e.last().copied().unwrap_or(0)
            ));
        }
    }
    if routes.is_empty() && (explicit.is_some() || args.weight.unwrap_or(0) > 0) {
        return refuse(format!(
            "no route to change: no VirtualService route splits traffic across the lanes of group {}",
            group.name
        ));
    }
    let mut dr_done: Vec<(ResIdx, String)> = Vec::new();
    for r in &routes {
        let current = r.weights();
        let new = match &explicit {
            Some(e) => {
                if e.len() != current.len() + 1 {
                    return refuse(format!(
                        "{} has {} destinations ({}); --split needs {} weights (the new lane last), got {}",
                        r.label,
                        current.len(),
                        lane_names(index, r).join(", "),
                        current.len() + 1,
                        e.len()
                    ));
                }
                e.clone()
            }
            None => weights::rebalance_with_new(
                &weights::normalize(&current, weights::DEFAULT_TOTAL),
                args.weight.unwrap_or(0),
                weights::DEFAULT_TOTAL,
            )?,
        };
        let src = &index.files[r.file].source;
        // Clone the last destination of the source lane (or the last one).
        let from = r
            .dests
            .iter()
            .rev()
            .find(|d| d.lane == Some(src_lane))
            .unwrap_or_else(|| r.dests.last().expect("split routes have destinations"));
        let from_lane = &from.name;
        let new_subset = if from.subset == *from_lane {
            // Subsets named after lanes (ASM-generated DestinationRules).
            lane.to_string()
        } else if from.lane == Some(src_lane) {
            match rl.map(&from.subset) {
                Some(s) => s,
                None => {
                    return refuse(format!(
                        "{}: cannot derive the new lane's subset from subset {}",
                        r.label, from.subset
                    ))
                }
            }
        } else {
            return refuse(format!(
                "{} has no destination for the source lane {src_name}; pick one with --from",
                r.label
            ));
        };
        let new_w = *new.last().expect("weights");
        p.edit(
            r.file,
            traffic_edit::append_destination(
                src,
                r.seq,
                from.node,
                &traffic_edit::NewDestination {
                    subset: Some(&new_subset),
                    host: None,
                    weight: new_w,
                },
            )?,
        );
        let nodes: Vec<_> = r.dests.iter().map(|d| d.node).collect();
        for e in traffic_edit::set_weights(src, &nodes, &new[..r.dests.len()])? {
            p.edit(r.file, e);
        }
        let res = &index.resources[r.vs];
        let mut expect: Vec<(String, u32)> = r
            .dests
            .iter()
            .zip(&new)
            .map(|(d, w)| (d.key(), *w))
            .collect();
        expect.push((new_subset.clone(), new_w));
        p.checks.push(Check::Route {
            file: src.name().to_string(),
            vs_namespace: res.namespace.clone(),
            vs_name: res.name.clone(),
            pointer: r.pointer.clone(),
            expect,
        });
        let mut lanes = lane_names(index, r);
        lanes.push(lane.to_string());
        let mut before: Vec<Option<u32>> = current.into_iter().map(Some).collect();
        before.push(None);
        record(index, &mut p, r, lanes, before, new.clone());

        // A DestinationRule subset for the new lane, when the route goes through one.
        if new_subset != lane {
            if let Some((dr, item)) = subsets.find(&from.service, &from.subset) {
                if subsets.find(&from.service, &new_subset).is_none()
                    && !dr_done.contains(&(dr, new_subset.clone()))
                {
                    dr_done.push((dr, new_subset.clone()));
                    let dres = &index.resources[dr];
                    let dsrc = &index.files[dres.file].source;
                    let seq = item.parent().expect("subset items have a parent");
                    let text = edit_fragment(&edit::node_text(dsrc, item), |fsrc, root| {
                        let mut out = Vec::new();
                        if let Some(n) = root.get("name") {
                            out.push(set_str(fsrc, n, &new_subset)?);
                        }
                        if let Some(labels) = root.get("labels") {
                            for (_, v) in labels.entries() {
                                if let Some(new) = v.as_text().and_then(|t| rl.map(t)) {
                                    out.push(set_str(fsrc, v, &new)?);
                                }
                            }
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
                        "subset {new_subset} in DestinationRule {}/{}",
                        dres.namespace, dres.name
                    ));
                }
            }
        }
    }
    finish(index, opts, p)
}
