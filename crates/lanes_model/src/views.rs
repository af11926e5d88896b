//! Typed, zero-copy views over documents. Every accessor returns a [`NodeRef`], so the value and
//! its exact span travel together.

use lanes_yaml::NodeRef;

/// Labels and selectors: string key/value pairs in source order.
pub type Labels<'a> = Vec<(&'a str, &'a str)>;

/// Whether every `selector` pair appears in `labels`. An empty selector selects everything.
pub fn selects(selector: &[(&str, &str)], labels: &[(&str, &str)]) -> bool {
    selector
        .iter()
        .all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == v))
}

/// Follow a `/`-separated key path from a node (`"spec/template/metadata"`).
pub fn path<'a>(node: NodeRef<'a>, keys: &str) -> Option<NodeRef<'a>> {
    keys.split('/').try_fold(node, |n, k| n.get(k))
}

/// Object metadata.
#[derive(Clone, Copy, Debug)]
pub struct Meta<'a>(pub NodeRef<'a>);

impl<'a> Meta<'a> {
    /// The metadata of a document root.
    pub fn of(root: NodeRef<'a>) -> Option<Meta<'a>> {
        root.get("metadata").filter(|m| m.is_map()).map(Meta)
    }
    /// `metadata.name`.
    pub fn name(self) -> Option<NodeRef<'a>> {
        self.0.get("name")
    }
    /// `metadata.namespace`.
    pub fn namespace(self) -> Option<NodeRef<'a>> {
        self.0.get("namespace")
    }
    /// `metadata.labels` node.
    pub fn labels_node(self) -> Option<NodeRef<'a>> {
        self.0.get("labels")
    }
    /// `metadata.labels`.
    pub fn labels(self) -> Labels<'a> {
        self.labels_node()
            .map(|n| n.string_map())
            .unwrap_or_default()
    }
    /// One label's value node.
    pub fn label(self, key: &str) -> Option<NodeRef<'a>> {
        self.labels_node()?.get(key)
    }
    /// `metadata.annotations` node.
    pub fn annotations_node(self) -> Option<NodeRef<'a>> {
        self.0.get("annotations")
    }
    /// One annotation's value node.
    pub fn annotation(self, key: &str) -> Option<NodeRef<'a>> {
        self.annotations_node()?.get(key)
    }
}

/// A route destination (`route[]` item of an HTTP, TCP or TLS route).
#[derive(Clone, Copy, Debug)]
pub struct RouteDestination<'a>(pub NodeRef<'a>);

impl<'a> RouteDestination<'a> {
    /// `destination` mapping.
    pub fn destination(self) -> Option<NodeRef<'a>> {
        self.0.get("destination")
    }
    /// `destination.host`.
    pub fn host(self) -> Option<NodeRef<'a>> {
        self.destination()?.get("host")
    }
    /// `destination.subset`.
    pub fn subset(self) -> Option<NodeRef<'a>> {
        self.destination()?.get("subset")
    }
    /// `destination.port.number`.
    pub fn port(self) -> Option<NodeRef<'a>> {
        self.destination()?.get("port")?.get("number")
    }
    /// `weight`: the destination's own key, else one a `<<` merge key supplies (go-yaml applies
    /// merge keys, and so does Istio reading the manifest).
    pub fn weight(self) -> Option<NodeRef<'a>> {
        self.0.get("weight").or_else(|| merged(self.0, "weight"))
    }
    /// Whether the weight comes from a `<<` merge key rather than the destination's own key.
    pub fn weight_is_merged(self) -> bool {
        self.0.get("weight").is_none() && merged(self.0, "weight").is_some()
    }
    /// The weight as read: see [`Weight`].
    pub fn weight_read(self) -> Weight<'a> {
        Weight::of(self.weight())
    }
    /// The weight as an integer; an omitted weight is 0. `None` when present but not an integer
    /// (a float, a string such as `!!str 60` or `"60"`, an integer past `i64`).
    pub fn weight_value(self) -> Option<i64> {
        match self.weight_read() {
            Weight::Absent => Some(0),
            Weight::Int(i) => Some(i),
            Weight::Invalid { .. } => None,
        }
    }
}

/// The value of `key` supplied by a mapping's `<<` merge key (a mapping, or a sequence of
/// mappings where the first one that has the key wins), following aliases.
pub fn merged<'a>(map: NodeRef<'a>, key: &str) -> Option<NodeRef<'a>> {
    let src = map.get("<<")?.resolve();
    if src.is_map() {
        return src.get(key).or_else(|| merged(src, key));
    }
    src.items()
        .find_map(|m| m.resolve().get(key).or_else(|| merged(m.resolve(), key)))
}

/// A route destination's `weight` as lanes reads it: Istio's field is an integer (`int32`,
/// 0..=100 under lanes' default policy, up to `uint32` under `weight-total = "any"`).
#[derive(Clone, Copy, Debug)]
pub enum Weight<'a> {
    /// No `weight` key, or a null value: counts as 0.
    Absent,
    /// A plain integer that fits in `i64` (may be negative or above 100; rules judge).
    Int(i64),
    /// Present but not an integer weight, with the scalar as written.
    Invalid {
        /// The node.
        node: NodeRef<'a>,
        /// Why it is not a weight.
        why: InvalidWeight,
    },
}

/// Why a `weight` is not an integer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InvalidWeight {
    /// A float (`1e1`, `10.0`).
    Float(f64),
    /// Decimal digits past `i64` (`99999999999999999999`).
    TooLarge,
    /// A string, boolean, collection, or an explicitly tagged scalar (`!!str 60`).
    NotANumber,
}

impl<'a> Weight<'a> {
    /// Read a weight node.
    pub fn of(node: Option<NodeRef<'a>>) -> Weight<'a> {
        let Some(n) = node else {
            return Weight::Absent;
        };
        let invalid = |why| Weight::Invalid { node: n, why };
        // A tagged scalar (`!!str 60`) is whatever its tag says; lanes does not keep the tag's
        // text, and Kubernetes manifests never tag weights, so it is not taken as an integer.
        if n.node().tagged() || n.resolve().node().tagged() {
            return invalid(InvalidWeight::NotANumber);
        }
        match n.scalar() {
            None => invalid(InvalidWeight::NotANumber),
            Some(lanes_yaml::Scalar::Null) => Weight::Absent,
            Some(lanes_yaml::Scalar::Int(i)) => Weight::Int(i),
            Some(lanes_yaml::Scalar::Float(f)) => {
                let text = n.scalar_text().unwrap_or("");
                let digits = text.strip_prefix('+').unwrap_or(text);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    invalid(InvalidWeight::TooLarge)
                } else {
                    invalid(InvalidWeight::Float(f))
                }
            }
            Some(_) => invalid(InvalidWeight::NotANumber),
        }
    }

    /// The node, when present.
    pub fn node(self) -> Option<NodeRef<'a>> {
        match self {
            Weight::Invalid { node, .. } => Some(node),
            _ => None,
        }
    }

    /// The weight's contribution to a route's total, saturating: a valid integer as is (negative
    /// ones as 0), an integral float or an overlong integer by its value, anything else 0.
    pub fn for_sum(self) -> u128 {
        match self {
            Weight::Absent => 0,
            Weight::Int(i) => u128::try_from(i).unwrap_or(0),
            Weight::Invalid { node, why } => match why {
                InvalidWeight::Float(f) if f.is_finite() && f >= 0.0 && f.fract() == 0.0 => {
                    if f >= u128::MAX as f64 {
                        u128::MAX
                    } else {
                        f as u128
                    }
                }
                InvalidWeight::TooLarge => {
                    let t = node.scalar_text().unwrap_or("");
                    t.trim_start_matches('+')
                        .parse::<u128>()
                        .unwrap_or(u128::MAX)
                }
                _ => 0,
            },
        }
    }
}

/// The saturating total of a route's weights (see [`Weight::for_sum`]).
pub fn weight_total<'a>(weights: impl IntoIterator<Item = Weight<'a>>) -> u128 {
    weights
        .into_iter()
        .fold(0u128, |acc, w| acc.saturating_add(w.for_sum()))
}

/// Which protocol block a route belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteProtocol {
    /// `spec.http[]`
    Http,
    /// `spec.tcp[]`
    Tcp,
    /// `spec.tls[]`
    Tls,
}

impl RouteProtocol {
    /// The spec key.
    pub fn key(self) -> &'static str {
        match self {
            RouteProtocol::Http => "http",
            RouteProtocol::Tcp => "tcp",
            RouteProtocol::Tls => "tls",
        }
    }
}

/// One HTTP/TCP/TLS route of a VirtualService.
#[derive(Clone, Copy, Debug)]
pub struct Route<'a> {
    /// The route mapping (`spec.http[i]`).
    pub node: NodeRef<'a>,
    /// Protocol block.
    pub protocol: RouteProtocol,
    /// Position in its block.
    pub index: usize,
}

impl<'a> Route<'a> {
    /// `name`.
    pub fn name(self) -> Option<&'a str> {
        self.node.get("name").and_then(|n| n.as_text())
    }
    /// The `route` sequence.
    pub fn route_node(self) -> Option<NodeRef<'a>> {
        self.node.get("route").filter(|r| r.is_seq())
    }
    /// The `route` key node (for pointing at the route).
    pub fn route_key(self) -> Option<NodeRef<'a>> {
        self.node.entry("route").map(|(k, _)| k)
    }
    /// Destinations.
    pub fn destinations(self) -> Vec<RouteDestination<'a>> {
        self.route_node()
            .map(|r| r.items().map(RouteDestination).collect())
            .unwrap_or_default()
    }
    /// A readable label: `http[2] "weighted"`.
    pub fn label(self) -> String {
        match self.name() {
            Some(n) => format!("{}[{}] \"{}\"", self.protocol.key(), self.index, n),
            None => format!("{}[{}]", self.protocol.key(), self.index),
        }
    }
}

/// `VirtualService`.
#[derive(Clone, Copy, Debug)]
pub struct VirtualService<'a>(pub NodeRef<'a>);

impl<'a> VirtualService<'a> {
    /// `spec`.
    pub fn spec(self) -> Option<NodeRef<'a>> {
        self.0.get("spec")
    }
    /// `spec.hosts[]`.
    pub fn hosts(self) -> Vec<NodeRef<'a>> {
        self.spec()
            .and_then(|s| s.get("hosts"))
            .map(|h| h.items().collect())
            .unwrap_or_default()
    }
    /// `spec.gateways[]`.
    pub fn gateways(self) -> Vec<NodeRef<'a>> {
        self.spec()
            .and_then(|s| s.get("gateways"))
            .map(|h| h.items().collect())
            .unwrap_or_default()
    }
    /// All routes of all protocols, in order http, tcp, tls.
    pub fn routes(self) -> Vec<Route<'a>> {
        let mut out = Vec::new();
        let Some(spec) = self.spec() else { return out };
        for protocol in [RouteProtocol::Http, RouteProtocol::Tcp, RouteProtocol::Tls] {
            if let Some(block) = spec.get(protocol.key()) {
                for (index, node) in block.items().enumerate() {
                    if node.is_map() {
                        out.push(Route {
                            node,
                            protocol,
                            index,
                        });
                    }
                }
            }
        }
        out
    }
}

/// A DestinationRule subset.
#[derive(Clone, Copy, Debug)]
pub struct Subset<'a>(pub NodeRef<'a>);

impl<'a> Subset<'a> {
    /// `name`.
    pub fn name(self) -> Option<NodeRef<'a>> {
        self.0.get("name")
    }
    /// `labels`.
    pub fn labels(self) -> Labels<'a> {
        self.0
            .get("labels")
            .map(|l| l.string_map())
            .unwrap_or_default()
    }
}

/// `DestinationRule`.
#[derive(Clone, Copy, Debug)]
pub struct DestinationRule<'a>(pub NodeRef<'a>);

impl<'a> DestinationRule<'a> {
    /// `spec.host`.
    pub fn host(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/host")
    }
    /// `spec.subsets[]`.
    pub fn subsets(self) -> Vec<Subset<'a>> {
        path(self.0, "spec/subsets")
            .map(|s| s.items().map(Subset).collect())
            .unwrap_or_default()
    }
}

/// `Service`.
#[derive(Clone, Copy, Debug)]
pub struct Service<'a>(pub NodeRef<'a>);

impl<'a> Service<'a> {
    /// `spec.selector` node.
    pub fn selector_node(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/selector")
    }
    /// `spec.selector`.
    pub fn selector(self) -> Labels<'a> {
        self.selector_node()
            .map(|n| n.string_map())
            .unwrap_or_default()
    }
    /// `spec.ports[]`.
    pub fn ports(self) -> Vec<NodeRef<'a>> {
        path(self.0, "spec/ports")
            .map(|p| p.items().collect())
            .unwrap_or_default()
    }
}

/// A workload with a pod template: `Deployment` (and, with the same shape, `Rollout`).
#[derive(Clone, Copy, Debug)]
pub struct Workload<'a>(pub NodeRef<'a>);

impl<'a> Workload<'a> {
    /// `spec.selector.matchLabels` node.
    pub fn match_labels_node(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/selector/matchLabels")
    }
    /// `spec.selector.matchLabels`.
    pub fn match_labels(self) -> Labels<'a> {
        self.match_labels_node()
            .map(|n| n.string_map())
            .unwrap_or_default()
    }
    /// `spec.template.metadata.labels` node.
    pub fn template_labels_node(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/template/metadata/labels")
    }
    /// `spec.template.metadata.labels`.
    pub fn template_labels(self) -> Labels<'a> {
        self.template_labels_node()
            .map(|n| n.string_map())
            .unwrap_or_default()
    }
    /// `spec.template.spec.containers[]`.
    pub fn containers(self) -> Vec<NodeRef<'a>> {
        path(self.0, "spec/template/spec/containers")
            .map(|c| c.items().collect())
            .unwrap_or_default()
    }
}

/// A `{name, namespace}` service reference in a lane group or lane.
#[derive(Clone, Copy, Debug)]
pub struct ServiceRef<'a>(pub NodeRef<'a>);

impl<'a> ServiceRef<'a> {
    /// `name`.
    pub fn name(self) -> Option<NodeRef<'a>> {
        self.0.get("name")
    }
    /// `namespace`.
    pub fn namespace(self) -> Option<NodeRef<'a>> {
        self.0.get("namespace")
    }
    /// `(namespace, name)` when both are strings.
    pub fn key(self) -> Option<(&'a str, &'a str)> {
        Some((self.namespace()?.as_text()?, self.name()?.as_text()?))
    }
}

/// `ASMSwimLaneGroup`.
#[derive(Clone, Copy, Debug)]
pub struct SwimLaneGroup<'a>(pub NodeRef<'a>);

impl<'a> SwimLaneGroup<'a> {
    /// `spec`.
    pub fn spec(self) -> Option<NodeRef<'a>> {
        self.0.get("spec")
    }
    /// `spec.services` node.
    pub fn services_node(self) -> Option<NodeRef<'a>> {
        self.spec()?.get("services")
    }
    /// `spec.services[]`.
    pub fn services(self) -> Vec<ServiceRef<'a>> {
        self.services_node()
            .map(|s| s.items().map(ServiceRef).collect())
            .unwrap_or_default()
    }
    /// `spec.ingress.gateway` node.
    pub fn gateway(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/ingress/gateway")
    }
    /// `spec.isPermissive` (false when absent).
    pub fn is_permissive(self) -> bool {
        path(self.0, "spec/isPermissive")
            .and_then(|n| n.as_bool())
            .unwrap_or(false)
    }
    /// `spec.permissiveModeConfiguration` node.
    pub fn permissive_config(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/permissiveModeConfiguration")
    }
    /// `spec.permissiveModeConfiguration.fallbackTarget` node.
    pub fn fallback_target(self) -> Option<NodeRef<'a>> {
        self.permissive_config()?.get("fallbackTarget")
    }
}

/// The label that ties an `ASMSwimLane` to its group.
pub const GROUP_LABEL: &str = "swimlane-group";
/// The pod label ASM's console and TrafficLabel read as the lane tag.
pub const TRAFFIC_TAG: &str = "ASM_TRAFFIC_TAG";

/// `ASMSwimLane`.
#[derive(Clone, Copy, Debug)]
pub struct SwimLane<'a>(pub NodeRef<'a>);

impl<'a> SwimLane<'a> {
    /// `metadata.labels.swimlane-group` node.
    pub fn group_label(self) -> Option<NodeRef<'a>> {
        Meta::of(self.0)?.label(GROUP_LABEL)
    }
    /// `spec.labelSelector` node.
    pub fn selector_node(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/labelSelector")
    }
    /// `spec.labelSelector`.
    pub fn selector(self) -> Labels<'a> {
        self.selector_node()
            .map(|n| n.string_map())
            .unwrap_or_default()
    }
    /// `spec.services` node, if the lane lists its services.
    pub fn services_node(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/services").filter(|s| s.is_seq())
    }
    /// `spec.services[]`.
    pub fn services(self) -> Vec<ServiceRef<'a>> {
        self.services_node()
            .map(|s| s.items().map(ServiceRef).collect())
            .unwrap_or_default()
    }
}

/// `Namespace`.
#[derive(Clone, Copy, Debug)]
pub struct Namespace<'a>(pub NodeRef<'a>);

impl<'a> Namespace<'a> {
    /// One label's value node.
    pub fn label(self, key: &str) -> Option<NodeRef<'a>> {
        Meta::of(self.0)?.label(key)
    }

    /// The labels that select how the namespace's pods join the mesh, as Istio's injection
    /// analyzer counts them: `istio-injection` unless it is `disabled` (disabled wins over the
    /// others), `istio.io/rev`, and `istio.io/dataplane-mode` when it is `ambient`. Two or more
    /// is a conflict (IST0123).
    pub fn injection_selectors(self) -> Vec<(&'static str, NodeRef<'a>)> {
        let mut out = Vec::new();
        if let Some(n) = self.label(INJECTION_LABEL) {
            if n.as_text() != Some("disabled") {
                out.push((INJECTION_LABEL, n));
            }
        }
        if let Some(n) = self.label(REV_LABEL) {
            out.push((REV_LABEL, n));
        }
        if let Some(n) = self.label(DATAPLANE_MODE_LABEL) {
            if n.as_text() == Some("ambient") {
                out.push((DATAPLANE_MODE_LABEL, n));
            }
        }
        out
    }

    /// What the namespace's pods get injected with: the one answer `lanes mesh revisions`,
    /// the mesh rules and the mesh ops share.
    pub fn injects(self) -> Injects {
        let inj = self.label(INJECTION_LABEL).and_then(|n| n.as_text());
        if inj == Some("disabled") {
            return Injects::Disabled;
        }
        let sel = self.injection_selectors();
        if sel.len() > 1 {
            return Injects::Conflict;
        }
        match sel.first() {
            None => Injects::None,
            Some((INJECTION_LABEL, n)) => match n.as_text() {
                Some("enabled") => Injects::Stable,
                _ => Injects::None,
            },
            Some((REV_LABEL, n)) => Injects::Revision(n.as_text().unwrap_or("").to_string()),
            Some(_) => Injects::Ambient,
        }
    }
}

/// `istio-injection`.
pub const INJECTION_LABEL: &str = "istio-injection";
/// `istio.io/rev`.
pub const REV_LABEL: &str = "istio.io/rev";
/// `istio.io/dataplane-mode`.
pub const DATAPLANE_MODE_LABEL: &str = "istio.io/dataplane-mode";

/// What a namespace's pods get injected with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Injects {
    /// `istio-injection: enabled`: the default revision (ASM's `stable`).
    Stable,
    /// `istio.io/rev: X` (a revision name or a tag).
    Revision(String),
    /// `istio-injection: disabled` (which wins over every other label).
    Disabled,
    /// Ambient data-plane mode: no sidecar.
    Ambient,
    /// No injection label (or `istio-injection` with a value other than enabled/disabled).
    None,
    /// More than one injection selector (IST0123).
    Conflict,
}

impl Injects {
    /// The revision or tag a pod gets: `stable` for `istio-injection: enabled`.
    pub fn revision(&self) -> Option<&str> {
        match self {
            Injects::Stable => Some("stable"),
            Injects::Revision(r) => Some(r),
            _ => None,
        }
    }
}

/// `Gateway` (networking.istio.io).
#[derive(Clone, Copy, Debug)]
pub struct Gateway<'a>(pub NodeRef<'a>);

impl<'a> Gateway<'a> {
    /// `spec.servers[]`.
    pub fn servers(self) -> Vec<NodeRef<'a>> {
        path(self.0, "spec/servers")
            .map(|s| s.items().collect())
            .unwrap_or_default()
    }
    /// `spec.selector`.
    pub fn selector(self) -> Labels<'a> {
        path(self.0, "spec/selector")
            .map(|s| s.string_map())
            .unwrap_or_default()
    }
}
