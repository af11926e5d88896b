//! Traffic: how each VirtualService route splits its weight across lanes, and how that changes
//! between two indexes (two revisions of a repository).
//!
//! Pure data; no git. `lanes diff` reads two indexes through `lanes_git` and renders a
//! [`TrafficDiff`].

use std::collections::{BTreeMap, BTreeSet};

use crate::kind::Kind;
use crate::views::{SwimLane, VirtualService};
use crate::Index;

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
}

/// Extract the traffic picture of an index.
pub fn traffic_of(index: &Index) -> Traffic {
    let mut t = Traffic::default();
    for res in index.of_kind(Kind::VirtualService) {
        let resource = index.resources[res].display();
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
            resource: key.0.clone(),
            route: key.1.clone(),
            lanes,
        });
    }
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
