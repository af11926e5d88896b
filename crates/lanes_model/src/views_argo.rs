//! Views of Argo kinds (`Rollout`, `AnalysisTemplate`, `ClusterAnalysisTemplate`,
//! `Application`) and of ASM's `IstioGateway`.

use lanes_yaml::NodeRef;

use crate::views::{path, Labels};

/// The actions a canary step may hold (exactly one per step).
pub const STEP_ACTIONS: &[&str] = &[
    "setWeight",
    "pause",
    "experiment",
    "analysis",
    "setCanaryScale",
    "setHeaderRoute",
    "setMirrorRoute",
    "plugin",
];

/// `Rollout` (`argoproj.io/v1alpha1`).
#[derive(Clone, Copy, Debug)]
pub struct Rollout<'a>(pub NodeRef<'a>);

/// A VirtualService reference of a Rollout (`virtualService` or one `virtualServices[]` item).
#[derive(Clone, Copy, Debug)]
pub struct VsRef<'a>(pub NodeRef<'a>);

impl<'a> VsRef<'a> {
    /// `name` node.
    pub fn name(self) -> Option<NodeRef<'a>> {
        self.0.get("name")
    }
    /// `(name, namespace)` the reference names: `vsvc.ns` names a VirtualService in another
    /// namespace, a plain name the Rollout's own namespace.
    pub fn target(self, rollout_ns: &'a str) -> Option<(&'a str, &'a str)> {
        let n = self.name()?.as_text()?;
        Some(match n.split_once('.') {
            Some((name, ns)) => (name, ns),
            None => (n, rollout_ns),
        })
    }
    /// `routes` node (a sequence of HTTP route names), if written.
    pub fn routes_node(self) -> Option<NodeRef<'a>> {
        self.0.get("routes")
    }
    /// `routes[]` items.
    pub fn routes(self) -> Vec<NodeRef<'a>> {
        self.routes_node()
            .map(|r| r.items().collect())
            .unwrap_or_default()
    }
    /// Whether `tlsRoutes` or `tcpRoutes` are set.
    pub fn has_non_http_routes(self) -> bool {
        self.0.get("tlsRoutes").is_some() || self.0.get("tcpRoutes").is_some()
    }
}

/// `trafficRouting.istio.destinationRule`.
#[derive(Clone, Copy, Debug)]
pub struct DrRef<'a>(pub NodeRef<'a>);

impl<'a> DrRef<'a> {
    /// `name`.
    pub fn name(self) -> Option<NodeRef<'a>> {
        self.0.get("name")
    }
    /// `canarySubsetName`.
    pub fn canary_subset(self) -> Option<NodeRef<'a>> {
        self.0.get("canarySubsetName")
    }
    /// `stableSubsetName`.
    pub fn stable_subset(self) -> Option<NodeRef<'a>> {
        self.0.get("stableSubsetName")
    }
    /// `additionalSubsetNames[]` as text.
    pub fn additional_subsets(self) -> Vec<&'a str> {
        self.0
            .get("additionalSubsetNames")
            .map(|s| s.items().filter_map(|i| i.as_text()).collect())
            .unwrap_or_default()
    }
}

/// An analysis block of a Rollout: `strategy.canary.analysis` (background) or a step's
/// `analysis`.
#[derive(Clone, Copy, Debug)]
pub struct AnalysisRef<'a>(pub NodeRef<'a>);

impl<'a> AnalysisRef<'a> {
    /// `templates[]` items (`templateName`, `clusterScope`).
    pub fn templates(self) -> Vec<NodeRef<'a>> {
        self.0
            .get("templates")
            .map(|t| t.items().collect())
            .unwrap_or_default()
    }
    /// `args[]` items (`name`, `value` or `valueFrom`).
    pub fn args(self) -> Vec<NodeRef<'a>> {
        self.0
            .get("args")
            .map(|t| t.items().collect())
            .unwrap_or_default()
    }
    /// Names of the args given.
    pub fn arg_names(self) -> Vec<&'a str> {
        self.args()
            .into_iter()
            .filter_map(|a| a.get("name")?.as_text())
            .collect()
    }
    /// `startingStep`.
    pub fn starting_step(self) -> Option<NodeRef<'a>> {
        self.0.get("startingStep")
    }
}

impl<'a> Rollout<'a> {
    /// `spec`.
    pub fn spec(self) -> Option<NodeRef<'a>> {
        self.0.get("spec")
    }
    /// `spec.strategy.canary`.
    pub fn canary(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/strategy/canary").filter(|c| c.is_map())
    }
    /// `spec.strategy.canary.steps` node.
    pub fn steps_node(self) -> Option<NodeRef<'a>> {
        self.canary()?.get("steps")
    }
    /// `spec.strategy.canary.steps[]`.
    pub fn steps(self) -> Vec<NodeRef<'a>> {
        self.steps_node()
            .map(|s| s.items().collect())
            .unwrap_or_default()
    }
    /// `canaryService`.
    pub fn canary_service(self) -> Option<NodeRef<'a>> {
        self.canary()?.get("canaryService")
    }
    /// `stableService`.
    pub fn stable_service(self) -> Option<NodeRef<'a>> {
        self.canary()?.get("stableService")
    }
    /// `trafficRouting.istio`.
    pub fn istio(self) -> Option<NodeRef<'a>> {
        self.canary()?.get("trafficRouting")?.get("istio")
    }
    /// `trafficRouting.istio.virtualService`.
    pub fn virtual_service(self) -> Option<NodeRef<'a>> {
        self.istio()?.get("virtualService").filter(|n| !n.is_null())
    }
    /// `trafficRouting.istio.virtualServices`.
    pub fn virtual_services(self) -> Option<NodeRef<'a>> {
        self.istio()?
            .get("virtualServices")
            .filter(|n| !n.is_null())
    }
    /// Every VirtualService reference.
    pub fn vs_refs(self) -> Vec<VsRef<'a>> {
        let mut out: Vec<VsRef<'a>> = self.virtual_service().map(VsRef).into_iter().collect();
        if let Some(list) = self.virtual_services() {
            out.extend(list.items().map(VsRef));
        }
        out
    }
    /// `trafficRouting.istio.destinationRule`.
    pub fn destination_rule(self) -> Option<DrRef<'a>> {
        self.istio()?
            .get("destinationRule")
            .filter(|n| n.is_map())
            .map(DrRef)
    }
    /// Every analysis block: background analysis first, then each step's.
    pub fn analyses(self) -> Vec<AnalysisRef<'a>> {
        let mut out: Vec<AnalysisRef<'a>> = self
            .canary()
            .and_then(|c| c.get("analysis"))
            .filter(|a| a.is_map())
            .map(AnalysisRef)
            .into_iter()
            .collect();
        for s in self.steps() {
            if let Some(a) = s.get("analysis").filter(|a| a.is_map()) {
                out.push(AnalysisRef(a));
            }
        }
        out
    }
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
    /// `spec.template.metadata.labels`.
    pub fn template_labels(self) -> Labels<'a> {
        path(self.0, "spec/template/metadata/labels")
            .map(|n| n.string_map())
            .unwrap_or_default()
    }
    /// `spec.workloadRef`.
    pub fn workload_ref(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/workloadRef").filter(|n| n.is_map())
    }
    /// The name of the Deployment `spec.workloadRef` points at (kind `Deployment` or unset).
    pub fn workload_ref_deployment(self) -> Option<&'a str> {
        let w = self.workload_ref()?;
        match w.get("kind").and_then(|k| k.as_text()) {
            None | Some("Deployment") => w.get("name")?.as_text(),
            Some(_) => None,
        }
    }
}

/// `AnalysisTemplate` or `ClusterAnalysisTemplate`.
#[derive(Clone, Copy, Debug)]
pub struct AnalysisTemplate<'a>(pub NodeRef<'a>);

impl<'a> AnalysisTemplate<'a> {
    /// `spec.args[]`.
    pub fn args(self) -> Vec<NodeRef<'a>> {
        path(self.0, "spec/args")
            .map(|a| a.items().collect())
            .unwrap_or_default()
    }
    /// Names of the args with neither `value` nor `valueFrom`, with their nodes.
    pub fn required_args(self) -> Vec<(&'a str, NodeRef<'a>)> {
        self.args()
            .into_iter()
            .filter(|a| a.get("value").is_none() && a.get("valueFrom").is_none())
            .filter_map(|a| Some((a.get("name")?.as_text()?, a)))
            .collect()
    }
    /// `spec.metrics[]`.
    pub fn metrics(self) -> Vec<Metric<'a>> {
        path(self.0, "spec/metrics")
            .map(|a| a.items().map(Metric).collect())
            .unwrap_or_default()
    }
}

/// One `metrics[]` item of an analysis template.
#[derive(Clone, Copy, Debug)]
pub struct Metric<'a>(pub NodeRef<'a>);

impl<'a> Metric<'a> {
    /// `name`.
    pub fn name(self) -> Option<NodeRef<'a>> {
        self.0.get("name")
    }
    /// `interval`.
    pub fn interval(self) -> Option<NodeRef<'a>> {
        self.0.get("interval")
    }
    /// `count`.
    pub fn count(self) -> Option<NodeRef<'a>> {
        self.0.get("count")
    }
    /// `successCondition`.
    pub fn success_condition(self) -> Option<NodeRef<'a>> {
        self.0.get("successCondition")
    }
    /// `failureLimit`.
    pub fn failure_limit(self) -> Option<NodeRef<'a>> {
        self.0.get("failureLimit")
    }
    /// `provider`.
    pub fn provider(self) -> Option<NodeRef<'a>> {
        self.0.get("provider")
    }
}

/// The annotation that makes ASM deploy a canary copy of an ingress gateway.
pub const GATEWAY_CANARY_ANNOTATION: &str = "asm.alibabacloud.com/enable-canary-deployment";

/// The Deployment ASM creates for an IstioGateway's canary: `istio-<gateway>-canary`, next to
/// the gateway's own Deployment `istio-<gateway>` (ASM gateway CRD reference and gateway-canary
/// guide).
pub fn gateway_canary_deployment(gateway: &str) -> String {
    format!("istio-{gateway}-canary")
}

/// `IstioGateway` (`istio.alibabacloud.com/v1beta1`), ASM's managed ingress/egress gateway.
#[derive(Clone, Copy, Debug)]
pub struct IstioGateway<'a>(pub NodeRef<'a>);

impl<'a> IstioGateway<'a> {
    /// The canary-deployment annotation's value node.
    pub fn canary_annotation(self) -> Option<NodeRef<'a>> {
        crate::views::Meta::of(self.0)?.annotation(GATEWAY_CANARY_ANNOTATION)
    }
    /// `spec.gatewayType` (`ingress`/`egress`).
    pub fn gateway_type(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/gatewayType")
    }
}

/// `Application` (`argoproj.io/v1alpha1`), minimal.
#[derive(Clone, Copy, Debug)]
pub struct Application<'a>(pub NodeRef<'a>);

impl<'a> Application<'a> {
    /// `spec.source.path`.
    pub fn source_path(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/source/path")
    }
    /// `spec.destination.namespace`.
    pub fn destination_namespace(self) -> Option<NodeRef<'a>> {
        path(self.0, "spec/destination/namespace")
    }
}
