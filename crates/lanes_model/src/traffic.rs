//! Traffic: how each VirtualService route splits its weight across lanes, and how that changes
//! between two indexes (two revisions of a repository).
//!
//! Pure data; no git. `lanes diff` reads two indexes through `lanes_git` and renders a
//! [`TrafficDiff`].

use std::collections::{BTreeMap, BTreeSet};

use lanes_yaml::NodeRef;

use crate::kind::Kind;
use crate::views::{Route, RouteProtocol, SwimLane, VirtualService, Weight};
use crate::views_argo::Rollout;
use crate::{resolve_host, HostRef, Index, ResIdx, SubsetTarget};

/// One route's split: lane (the destination's subset, else its host) → weight, in route order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteSplit {
    /// `VirtualService namespace/name`.
    pub resource: String,
    /// The route's label: its `name`, else its first `uri` match (`exact`/`prefix`/`regex`), else
    /// `http[i]` (`tcp[i]`, `tls[i]`).
    pub route: String,
    /// `(lane, weight)` in destination order. A lone destination without a weight gets 100.
    pub weights: Vec<(String, i64)>,
}

/// The traffic picture of one index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Splits keyed by `(resource, route)`.
    pub routes: BTreeMap<(String, String), Vec<(String, i64)>>,
    /// `ASMSwimLane`s as `group/lane` (`-/lane` when the lane has no group label).
    pub lanes: BTreeSet<String>,
    /// Deployments (and Rollouts) as `namespace/name`.
    pub deployments: BTreeSet<String>,
    /// The file (repository path, `#doc` in a multi-document file) of each route key's
    /// VirtualService.
    pub origins: BTreeMap<String, String>,
}

/// Separates a route key's VirtualService, universe and (when one universe defines it twice)
/// file; [`diff`] turns the key into a label.
const SEP: char = '\u{1f}';

/// The label of route keys: `VirtualService ns/name`, then in parentheses what tells it apart
/// from keys of both pictures with the same VirtualService: its universe (a file path for the
/// linted tree's), and its file when one universe defines it twice.
fn labels<'k>(
    keys: impl Iterator<Item = &'k String>,
    origins: &BTreeMap<String, String>,
) -> BTreeMap<&'k String, String> {
    let keys: Vec<&String> = keys.collect();
    let mut universes: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for k in &keys {
        let mut parts = k.split(SEP);
        let (d, u) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        universes.entry(d).or_default().insert(u);
    }
    keys.into_iter()
        .map(|k| {
            let mut parts = k.split(SEP);
            let d = parts.next().unwrap_or("");
            let u = parts.next().unwrap_or("");
            let f = parts.next().unwrap_or("");
            let mut q = Vec::new();
            if universes.get(d).is_some_and(|s| s.len() > 1) {
                if u.is_empty() {
                    if f.is_empty() {
                        q.push(origins.get(k).cloned().unwrap_or_default());
                    }
                } else {
                    q.push(u.to_string());
                }
            }
            if !f.is_empty() {
                q.push(f.to_string());
            }
            let label = if q.is_empty() {
                d.to_string()
            } else {
                format!("{d} ({})", q.join(", "))
            };
            (k, label)
        })
        .collect()
}

/// Extract the traffic picture of an index.
pub fn traffic_of(index: &Index) -> Traffic {
    let mut t = Traffic::default();
    // A split is identified by its VirtualService, its universe (what is synced into one
    // cluster together: `reviews` of one environment is not `reviews` of another), and, when
    // several files of one universe define it (alternative tutorial steps), by its file too:
    // never by name alone. Files are named by their repository path, the same in every
    // revision. [`diff`] shows the universe and file only where they tell splits apart.
    let mut seen: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for res in index.of_kind(Kind::VirtualService) {
        *seen
            .entry((index.resources[res].display(), index.universe_of(res)))
            .or_default() += 1;
    }
    for res in index.of_kind(Kind::VirtualService) {
        let r = &index.resources[res];
        let display = r.display();
        let universe = index.universe_of(res);
        let file = crate::index::repo_path(index.files[r.file].source.name());
        let file = if index.files[r.file].docs.len() > 1 {
            format!("{file}#{}", r.doc)
        } else {
            file.to_string()
        };
        let twice = seen.get(&(display.clone(), universe)).copied().unwrap_or(0) > 1;
        let resource = format!(
            "{display}{SEP}{universe}{SEP}{}",
            if twice { file.as_str() } else { "" }
        );
        t.origins.insert(resource.clone(), file);
        let vs = VirtualService(index.root(res));
        for route in vs.routes() {
            let mut label = route_label(route);
            if t.routes.contains_key(&(resource.clone(), label.clone())) {
                label = format!("{label} ({}[{}])", route.protocol.key(), route.index);
            }
            let dests = route.destinations();
            let lone = dests.len() == 1;
            let mut weights: Vec<(String, i64)> = Vec::new();
            for d in dests {
                let lane = d
                    .subset()
                    .and_then(|s| s.as_text())
                    .or_else(|| d.host().and_then(|h| h.as_text()))
                    .unwrap_or("?")
                    .to_string();
                let w = match d.weight() {
                    None if lone => 100,
                    _ => d.weight_value().unwrap_or(0),
                };
                let mut name = lane.clone();
                let mut n = 2;
                while weights.iter().any(|(l, _)| *l == name) {
                    name = format!("{lane}#{n}");
                    n += 1;
                }
                weights.push((name, w));
            }
            t.routes.insert((resource.clone(), label), weights);
        }
    }
    for res in index.of_kind(Kind::SwimLane) {
        let group = SwimLane(index.root(res))
            .group_label()
            .and_then(|n| n.as_text())
            .unwrap_or("-");
        t.lanes
            .insert(format!("{group}/{}", index.resources[res].name));
    }
    for res in index
        .of_kind(Kind::Deployment)
        .chain(index.of_kind(Kind::Rollout))
    {
        let r = &index.resources[res];
        t.deployments.insert(format!("{}/{}", r.namespace, r.name));
    }
    t
}

fn route_label(route: crate::views::Route<'_>) -> String {
    if let Some(n) = route.name() {
        return n.to_string();
    }
    if let Some(first) = route.node.get("match").and_then(|m| m.item(0)) {
        if let Some(uri) = first.get("uri") {
            for k in ["exact", "prefix", "regex"] {
                if let Some(v) = uri.get(k).and_then(|v| v.as_text()) {
                    return v.to_string();
                }
            }
        }
    }
    format!("{}[{}]", route.protocol.key(), route.index)
}

/// One lane's weight before and after (`None`: the lane is not a destination of the route).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaneChange {
    /// Lane (subset or host).
    pub lane: String,
    /// Weight before.
    pub before: Option<i64>,
    /// Weight after.
    pub after: Option<i64>,
}

/// A route whose split changed (or that appeared or disappeared).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteChange {
    /// `VirtualService namespace/name`.
    pub resource: String,
    /// Route label.
    pub route: String,
    /// Every lane of the route on either side, in order: the `before` lanes first, then new ones.
    pub lanes: Vec<LaneChange>,
}

impl RouteChange {
    /// Whether the route exists only after.
    pub fn is_new(&self) -> bool {
        self.lanes.iter().all(|l| l.before.is_none())
    }
    /// Whether the route exists only before.
    pub fn is_removed(&self) -> bool {
        self.lanes.iter().all(|l| l.after.is_none())
    }

    /// `VirtualService istio-system/mock /mock: v1 50→60, v2 50→30, v3 new→10`.
    pub fn line(&self) -> String {
        let parts: Vec<String> = self
            .lanes
            .iter()
            .map(|l| format!("{} {}", l.lane, arrow(l.before, l.after)))
            .collect();
        format!("{} {}: {}", self.resource, self.route, parts.join(", "))
    }
}

/// `50→60`, `new→10`, `10→gone`, or `50` when unchanged.
pub fn arrow(before: Option<i64>, after: Option<i64>) -> String {
    match (before, after) {
        (Some(b), Some(a)) if a == b => format!("{a}"),
        (Some(b), Some(a)) => format!("{b}→{a}"),
        (None, Some(a)) => format!("new→{a}"),
        (Some(b), None) => format!("{b}→gone"),
        (None, None) => "-".into(),
    }
}

/// What changed in traffic between two indexes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrafficDiff {
    /// Routes whose split changed, sorted by resource and route.
    pub routes: Vec<RouteChange>,
    /// Lanes only in `b`.
    pub lanes_added: Vec<String>,
    /// Lanes only in `a`.
    pub lanes_removed: Vec<String>,
    /// Deployments only in `b`.
    pub deployments_added: Vec<String>,
    /// Deployments only in `a`.
    pub deployments_removed: Vec<String>,
}

impl TrafficDiff {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
            && self.lanes_added.is_empty()
            && self.lanes_removed.is_empty()
            && self.deployments_added.is_empty()
            && self.deployments_removed.is_empty()
    }

    /// Plain text: one line per changed route, then lanes and Deployments added or removed.
    pub fn human(&self) -> String {
        if self.is_empty() {
            return "no traffic changes\n".into();
        }
        let mut out = String::new();
        for r in &self.routes {
            out.push_str(&r.line());
            out.push('\n');
        }
        for (what, list) in self.sets() {
            for item in list {
                out.push_str(&format!("{what} {item}\n"));
            }
        }
        out
    }

    /// A Markdown table fit for a pull-request comment.
    pub fn markdown(&self) -> String {
        let mut out = String::from("### lanes: traffic changes\n\n");
        if self.is_empty() {
            out.push_str("No traffic changes.\n");
            return out;
        }
        if !self.routes.is_empty() {
            out.push_str("| Route | Lane | Before | After |\n|---|---|---:|---:|\n");
            for r in &self.routes {
                let route = format!("{} `{}`", md(&r.resource), md(&r.route));
                for (i, l) in r.lanes.iter().enumerate() {
                    let cell = if i == 0 { route.as_str() } else { "" };
                    let before = l.before.map_or("new".into(), |b| b.to_string());
                    let after = match (l.before, l.after) {
                        (_, None) => "gone".to_string(),
                        (Some(b), Some(a)) if a != b => format!("**{a}**"),
                        (None, Some(a)) => format!("**{a}**"),
                        (_, Some(a)) => a.to_string(),
                    };
                    out.push_str(&format!(
                        "| {cell} | {} | {before} | {after} |\n",
                        md(&l.lane)
                    ));
                }
            }
            out.push('\n');
        }
        for (what, list) in self.sets() {
            if !list.is_empty() {
                out.push_str(&format!("**{what}:** "));
                let items: Vec<String> = list.iter().map(|x| format!("`{}`", md(x))).collect();
                out.push_str(&items.join(", "));
                out.push_str("\n\n");
            }
        }
        out
    }

    fn sets(&self) -> [(&'static str, &Vec<String>); 4] {
        [
            ("lane added", &self.lanes_added),
            ("lane removed", &self.lanes_removed),
            ("Deployment added", &self.deployments_added),
            ("Deployment removed", &self.deployments_removed),
        ]
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Compare two traffic pictures.
pub fn diff(a: &Traffic, b: &Traffic) -> TrafficDiff {
    let mut d = TrafficDiff::default();
    let keys: BTreeSet<&(String, String)> = a.routes.keys().chain(b.routes.keys()).collect();
    let mut origins = a.origins.clone();
    origins.extend(b.origins.iter().map(|(k, v)| (k.clone(), v.clone())));
    let label = labels(keys.iter().map(|k| &k.0), &origins);
    for key in keys {
        let before = a.routes.get(key);
        let after = b.routes.get(key);
        if before == after {
            continue;
        }
        let mut lanes: Vec<LaneChange> = Vec::new();
        for (lane, w) in before.into_iter().flatten() {
            let after_w = after
                .and_then(|x| x.iter().find(|(l, _)| l == lane))
                .map(|(_, w)| *w);
            lanes.push(LaneChange {
                lane: lane.clone(),
                before: Some(*w),
                after: after_w,
            });
        }
        for (lane, w) in after.into_iter().flatten() {
            if !lanes.iter().any(|l| l.lane == *lane) {
                lanes.push(LaneChange {
                    lane: lane.clone(),
                    before: None,
                    after: Some(*w),
                });
            }
        }
        // A reorder alone is not a traffic change.
        if lanes.iter().all(|l| l.before == l.after) {
            continue;
        }
        d.routes.push(RouteChange {
            resource: label.get(&key.0).cloned().unwrap_or_default(),
            route: key.1.clone(),
            lanes,
        });
    }
    d.routes
        .sort_by(|x, y| (&x.resource, &x.route).cmp(&(&y.resource, &y.route)));
    d.lanes_added = b.lanes.difference(&a.lanes).cloned().collect();
    d.lanes_removed = a.lanes.difference(&b.lanes).cloned().collect();
    d.deployments_added = b.deployments.difference(&a.deployments).cloned().collect();
    d.deployments_removed = a.deployments.difference(&b.deployments).cloned().collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vs(weights: &[(&str, i64)]) -> String {
        let mut s = String::from(
            "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: mock\n  namespace: istio-system\nspec:\n  hosts: ['*']\n  http:\n    - match:\n        - uri:\n            exact: /mock\n      route:\n",
        );
        for (l, w) in weights {
            s.push_str(&format!(
                "        - destination:\n            host: mocka\n            subset: {l}\n          weight: {w}\n"
            ));
        }
        s
    }

    fn lane(name: &str) -> String {
        format!("---\napiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  name: {name}\n  labels:\n    swimlane-group: mock\nspec:\n  labelSelector:\n    version: {name}\n")
    }

    #[test]
    fn diff_lines_name_every_lane() {
        let a = Index::from_texts([("r.yaml", vs(&[("v1", 50), ("v2", 50)]) + &lane("v1"))]);
        let b = Index::from_texts([(
            "r.yaml",
            vs(&[("v1", 60), ("v2", 30), ("v3", 10)]) + &lane("v1") + &lane("v3"),
        )]);
        let d = diff(&traffic_of(&a), &traffic_of(&b));
        assert_eq!(
            d.routes[0].line(),
            "VirtualService istio-system/mock /mock: v1 50→60, v2 50→30, v3 new→10"
        );
        assert_eq!(d.lanes_added, vec!["mock/v3".to_string()]);
        assert!(d
            .markdown()
            .contains("| VirtualService istio-system/mock `/mock` | v1 | 50 | **60** |"));
        assert!(diff(&traffic_of(&a), &traffic_of(&a)).is_empty());
    }

    #[test]
    fn splits_with_one_name_in_several_files_are_told_apart() {
        let a = Index::from_texts([
            ("a.yaml", vs(&[("v1", 80), ("v2", 20)])),
            ("b.yaml", vs(&[("v1", 90), ("v2", 10)])),
        ]);
        let b = Index::from_texts([
            ("a.yaml", vs(&[("v1", 60), ("v2", 40)])),
            ("b.yaml", vs(&[("v1", 90), ("v2", 10)])),
        ]);
        let d = diff(&traffic_of(&a), &traffic_of(&b));
        assert_eq!(d.routes.len(), 1);
        assert_eq!(
            d.routes[0].line(),
            "VirtualService istio-system/mock (a.yaml) /mock: v1 80→60, v2 20→40"
        );
    }

    #[test]
    fn the_split_model_resolves_subsets_hosts_and_owners() {
        let text = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec:\n  host: reviews\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 80\n    - destination: {host: reviews, subset: v2}\n      weight: 20\n  - route:\n    - destination: {host: reviews-v1}\n      weight: 80\n    - destination: {host: reviews-v2}\n      weight: 20\n  - route:\n    - destination: {host: reviews, subset: v9}\n      weight: 80\n    - destination: {host: example.com}\n      weight: 20\n";
        let idx = Index::from_texts([("r.yaml", text)]);
        let s = splits(&idx);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].kind, SplitKind::Subsets);
        assert!(matches!(
            s[0].dests[1].target,
            Target::Subset { index: 1, .. }
        ));
        assert_eq!(s[0].dests[1].version(&idx), "v2");
        assert_eq!(s[1].kind, SplitKind::Hosts);
        assert_eq!(s[1].dests[0].version(&idx), "reviews-v1");
        assert_eq!(s[2].kind, SplitKind::Other);
        assert_eq!(s[2].dests[0].target, Target::UnknownSubset);
        assert_eq!(s[2].dests[1].target, Target::External);
        assert!(s.iter().all(|x| x.owner.is_none()));
        assert_eq!(s[0].location(&idx), "r.yaml:16");
    }

    #[test]
    fn lone_destination_gets_all_traffic_and_removal_says_gone() {
        let a = Index::from_texts([("r.yaml", vs(&[("v1", 90), ("v2", 10)]))]);
        let b = Index::from_texts([(
            "r.yaml",
            "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: mock\n  namespace: istio-system\nspec:\n  http:\n    - match:\n        - uri:\n            exact: /mock\n      route:\n        - destination:\n            host: mocka\n            subset: v1\n",
        )]);
        let d = diff(&traffic_of(&a), &traffic_of(&b));
        assert_eq!(
            d.routes[0].line(),
            "VirtualService istio-system/mock /mock: v1 90→100, v2 10→gone"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The one model of a weighted split.
// ---------------------------------------------------------------------------------------------

/// What a route destination reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A lane of an ASM lane group (by subset name, or through a DestinationRule subset whose
    /// labels the lane selects).
    Lane {
        /// Position in [`Index::groups`].
        group: usize,
        /// The `ASMSwimLane`.
        lane: ResIdx,
    },
    /// A DestinationRule subset of a host outside any lane group.
    Subset {
        /// The DestinationRule.
        dr: ResIdx,
        /// Position in `spec.subsets`.
        index: usize,
    },
    /// A subset that names nothing (no lane, no DestinationRule subset).
    UnknownSubset,
    /// A host without a subset: the Service, when it is in the repository.
    Host {
        /// The Service.
        service: Option<ResIdx>,
    },
    /// A host outside the cluster (`example.com`) or a wildcard.
    External,
}

/// A controller that owns a route's weights: writing them in git fights it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// An Argo Rollouts `Rollout` (`trafficRouting.istio.virtualService(s)`).
    Rollout(ResIdx),
    /// A Flagger `Canary` (`flagger.app`), which generates the VirtualService.
    Flagger(ResIdx),
}

impl Owner {
    /// The owning resource.
    pub fn res(self) -> ResIdx {
        match self {
            Owner::Rollout(r) | Owner::Flagger(r) => r,
        }
    }
}

/// How a split's destinations tell versions apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitKind {
    /// Every destination is a lane of one ASM lane group.
    Lanes(usize),
    /// Every destination is a subset of one DestinationRule's host.
    Subsets,
    /// Every destination is a different host (`reviews-v1`, `reviews-v2`).
    Hosts,
    /// Anything else (mixed, unknown subsets, external hosts, a single destination).
    Other,
}

/// One destination of a split.
#[derive(Clone, Debug)]
pub struct SplitDest<'a> {
    /// The `route[]` item.
    pub node: NodeRef<'a>,
    /// `destination.host` as written.
    pub host: Option<&'a str>,
    /// The host resolved against the VirtualService's namespace.
    pub service: Option<HostRef>,
    /// `destination.subset`.
    pub subset: Option<&'a str>,
    /// The weight as read.
    pub weight: Weight<'a>,
    /// What it reaches.
    pub target: Target,
}

impl SplitDest<'_> {
    /// The name users give this destination: the lane's name, else the subset, else the host.
    pub fn version(&self, index: &Index) -> String {
        match &self.target {
            Target::Lane { lane, .. } => index.resources[*lane].name.clone(),
            _ => match (self.subset, self.host) {
                (Some(s), _) => s.to_string(),
                (None, Some(h)) => h.split('.').next().unwrap_or(h).to_string(),
                _ => "?".to_string(),
            },
        }
    }

    /// The weight as a share of 0..=100 for arithmetic (absent 0; invalid `None`).
    pub fn share(&self) -> Option<u32> {
        match self.weight {
            Weight::Absent => Some(0),
            Weight::Int(i) => u32::try_from(i).ok().filter(|w| *w <= 100),
            Weight::Invalid { .. } => None,
        }
    }
}

/// One weighted split: a VirtualService route, its destinations, and who owns it.
#[derive(Clone, Debug)]
pub struct Split<'a> {
    /// The VirtualService.
    pub vs: ResIdx,
    /// The route.
    pub route: Route<'a>,
    /// JSON pointer of the route in its document (`/spec/http/0`).
    pub pointer: String,
    /// Destinations in route order.
    pub dests: Vec<SplitDest<'a>>,
    /// What kind of split it is.
    pub kind: SplitKind,
    /// The controller that owns its weights, if any.
    pub owner: Option<Owner>,
}

impl Split<'_> {
    /// `VirtualService ns/name http[0] "name"`.
    pub fn label(&self, index: &Index) -> String {
        let r = &index.resources[self.vs];
        format!(
            "VirtualService {}/{} {}",
            r.namespace,
            r.name,
            self.route.label()
        )
    }

    /// `file:line` of the route.
    pub fn location(&self, index: &Index) -> String {
        let f = index.file_of(self.vs);
        let lc = f.source.line_col(self.route.node.range().start);
        format!("{}:{}", f.source.name(), lc.line)
    }

    /// The DestinationRule (and its host) every subset destination goes through, for a
    /// [`SplitKind::Subsets`] split.
    pub fn destination_rule(&self) -> Option<ResIdx> {
        self.dests.iter().find_map(|d| match d.target {
            Target::Subset { dr, .. } => Some(dr),
            _ => None,
        })
    }
}

/// Resolve what a destination (`host`, optional `subset`) of a VirtualService in `namespace`
/// reaches. This is the one answer to "which lane / subset / host does this destination select".
pub fn resolve_destination(
    index: &Index,
    namespace: &str,
    host: Option<&str>,
    subset: Option<&str>,
) -> Target {
    resolve_destination_from(index, None, namespace, host, subset)
}

/// [`resolve_destination`] for a destination of the VirtualService `from`: the Service and the
/// DestinationRule subset are the definitions nearest to it (its universe first), never
/// another universe's when its own has one.
pub fn resolve_destination_from(
    index: &Index,
    from: Option<ResIdx>,
    namespace: &str,
    host: Option<&str>,
    subset: Option<&str>,
) -> Target {
    let Some(h) = host.and_then(|h| resolve_host(h, namespace)) else {
        return Target::External;
    };
    let Some(subset) = subset else {
        let found = index.find(Kind::Service, &h.namespace, &h.name);
        let service = match from {
            Some(vs) => index.nearest(found, vs),
            None => found.first().copied(),
        };
        return Target::Host { service };
    };
    match index.resolve_subset_from(&h.namespace, &h.name, subset, from) {
        SubsetTarget::Lane(lane) => {
            let group = index.group_index_of_lane(lane).unwrap_or(0);
            Target::Lane { group, lane }
        }
        SubsetTarget::Subset(dr, index) | SubsetTarget::SubsetWithoutLane(dr, index) => {
            Target::Subset { dr, index }
        }
        SubsetTarget::Unknown => Target::UnknownSubset,
    }
}

/// Every route of every VirtualService with at least one destination, as a [`Split`].
pub fn splits(index: &Index) -> Vec<Split<'_>> {
    let owners = owners(index);
    let mut out = Vec::new();
    for vs in index.of_kind(Kind::VirtualService) {
        let ns = index.resources[vs].namespace.as_str();
        for route in VirtualService(index.root(vs)).routes() {
            let dests: Vec<SplitDest<'_>> = route
                .destinations()
                .into_iter()
                .map(|d| {
                    let host = d.host().and_then(|h| h.as_text());
                    let subset = d.subset().and_then(|s| s.as_text());
                    SplitDest {
                        node: d.0,
                        host,
                        service: host.and_then(|h| resolve_host(h, ns)),
                        subset,
                        weight: d.weight_read(),
                        target: resolve_destination_from(index, Some(vs), ns, host, subset),
                    }
                })
                .collect();
            if dests.is_empty() {
                continue;
            }
            let kind = kind_of(&dests);
            let owner = owners
                .iter()
                .find(|(v, r, _)| *v == vs && r.is_none_or(|r| r == route.node.range().start))
                .map(|(_, _, o)| *o);
            out.push(Split {
                vs,
                pointer: route.node.pointer(),
                route,
                dests,
                kind,
                owner,
            });
        }
    }
    out
}

fn kind_of(dests: &[SplitDest<'_>]) -> SplitKind {
    if dests.len() < 2 {
        return SplitKind::Other;
    }
    let groups: BTreeSet<usize> = dests
        .iter()
        .filter_map(|d| match d.target {
            Target::Lane { group, .. } => Some(group),
            _ => None,
        })
        .collect();
    if groups.len() == 1
        && dests
            .iter()
            .all(|d| matches!(d.target, Target::Lane { .. }))
    {
        return SplitKind::Lanes(*groups.iter().next().expect("one group"));
    }
    let drs: BTreeSet<ResIdx> = dests
        .iter()
        .filter_map(|d| match d.target {
            Target::Subset { dr, .. } => Some(dr),
            _ => None,
        })
        .collect();
    if drs.len() == 1
        && dests
            .iter()
            .all(|d| matches!(d.target, Target::Subset { .. }))
    {
        return SplitKind::Subsets;
    }
    let hosts: BTreeSet<(&str, &str)> = dests
        .iter()
        .filter_map(|d| {
            d.service
                .as_ref()
                .map(|h| (h.namespace.as_str(), h.name.as_str()))
        })
        .collect();
    if hosts.len() == dests.len()
        && dests
            .iter()
            .all(|d| matches!(d.target, Target::Host { .. }))
    {
        return SplitKind::Hosts;
    }
    SplitKind::Other
}

/// Routes a controller owns: `(VirtualService, route start offset or None for every route,
/// owner)`.
fn owners(index: &Index) -> Vec<(ResIdx, Option<usize>, Owner)> {
    let mut out = Vec::new();
    for (m_vs, m_route, rollout) in rollout_routes(index) {
        out.push((
            m_vs,
            Some(m_route.node.range().start),
            Owner::Rollout(rollout),
        ));
    }
    for c in flagger_canaries(index) {
        let r = &index.resources[c];
        let root = index.root(c);
        // Flagger names the generated VirtualService after `spec.service.name`, else the
        // target's name.
        let name = crate::views::path(root, "spec/service/name")
            .or_else(|| crate::views::path(root, "spec/targetRef/name"))
            .and_then(|n| n.as_text());
        if let Some(name) = name {
            for vs in index.find(Kind::VirtualService, &r.namespace, name) {
                out.push((*vs, None, Owner::Flagger(c)));
            }
        }
    }
    out
}

/// Flagger `Canary` resources.
pub fn flagger_canaries(index: &Index) -> Vec<ResIdx> {
    index
        .of_kind(Kind::Other)
        .filter(|r| {
            let res = &index.resources[*r];
            res.kind_str == "Canary" && res.api_version.starts_with("flagger.app/")
        })
        .collect()
}

/// Every VirtualService route a Rollout drives: each route its `routes` names, or the one
/// implicit HTTP route (not a `managedRoutes` one) when it names none.
pub fn rollout_routes(index: &Index) -> Vec<(ResIdx, Route<'_>, ResIdx)> {
    let mut out = Vec::new();
    for rollout in index.of_kind(Kind::Rollout) {
        let ro = Rollout(index.root(rollout));
        let managed: Vec<&str> = ro
            .canary()
            .and_then(|c| c.get("trafficRouting"))
            .and_then(|t| t.get("managedRoutes"))
            .map(|m| m.items().filter_map(|i| i.get("name")?.as_text()).collect())
            .unwrap_or_default();
        let ns = index.resources[rollout].namespace.as_str();
        for vref in ro.vs_refs() {
            let Some((name, vns)) = vref.target(ns) else {
                continue;
            };
            // The definition nearest the Rollout (a same-named VirtualService of another demo
            // or environment is not the one it drives).
            let Some(vs) = index.nearest(index.find(Kind::VirtualService, vns, name), rollout)
            else {
                continue;
            };
            let routes: Vec<Route<'_>> = VirtualService(index.root(vs))
                .routes()
                .into_iter()
                .filter(|r| r.protocol == RouteProtocol::Http)
                .filter(|r| r.name().is_none_or(|n| !managed.contains(&n)))
                .collect();
            let names: Vec<&str> = vref.routes().iter().filter_map(|n| n.as_text()).collect();
            if names.is_empty() {
                if routes.len() == 1 && !vref.has_non_http_routes() {
                    out.push((vs, routes[0], rollout));
                }
                continue;
            }
            for n in names {
                if let Some(route) = routes.iter().find(|r| r.name() == Some(n)) {
                    out.push((vs, *route, rollout));
                }
            }
        }
    }
    out
}
