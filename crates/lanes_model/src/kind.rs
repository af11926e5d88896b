//! Resource kinds lanes understands.

/// A resource kind lanes models. Anything else is [`Kind::Other`] and is indexed by
/// kind/namespace/name only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `istio.alibabacloud.com/v1` `ASMSwimLaneGroup` (cluster-scoped).
    SwimLaneGroup,
    /// `istio.alibabacloud.com/v1` `ASMSwimLane` (cluster-scoped).
    SwimLane,
    /// `networking.istio.io` `VirtualService`.
    VirtualService,
    /// `networking.istio.io` `DestinationRule`.
    DestinationRule,
    /// `networking.istio.io` `Gateway`.
    Gateway,
    /// core `Service`.
    Service,
    /// `apps` `Deployment`.
    Deployment,
    /// core `Namespace` (cluster-scoped).
    Namespace,
    /// `argoproj.io` `Rollout`.
    Rollout,
    /// `argoproj.io` `AnalysisTemplate`.
    AnalysisTemplate,
    /// `argoproj.io` `ClusterAnalysisTemplate` (cluster-scoped).
    ClusterAnalysisTemplate,
    /// `argoproj.io` `Application`.
    Application,
    /// `istio.alibabacloud.com/v1beta1` `IstioGateway`.
    IstioGateway,
    /// Any other kind.
    Other,
}

/// The only apiVersion of the ASM lane kinds.
pub const ASM_LANE_API: &str = "istio.alibabacloud.com/v1";

impl Kind {
    /// Classify a document by its `apiVersion` and `kind`.
    ///
    /// The ASM lane kinds are recognised by `kind` alone so that a wrong `apiVersion` can be
    /// reported; other kinds need their API group to match.
    pub fn classify(api_version: &str, kind: &str) -> Kind {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        match (group, kind) {
            (_, "ASMSwimLaneGroup") => Kind::SwimLaneGroup,
            (_, "ASMSwimLane") => Kind::SwimLane,
            ("networking.istio.io", "VirtualService") => Kind::VirtualService,
            ("networking.istio.io", "DestinationRule") => Kind::DestinationRule,
            ("networking.istio.io", "Gateway") => Kind::Gateway,
            ("", "Service") if api_version == "v1" => Kind::Service,
            ("", "Namespace") if api_version == "v1" => Kind::Namespace,
            ("apps", "Deployment") => Kind::Deployment,
            ("argoproj.io", "Rollout") => Kind::Rollout,
            ("argoproj.io", "AnalysisTemplate") => Kind::AnalysisTemplate,
            ("argoproj.io", "ClusterAnalysisTemplate") => Kind::ClusterAnalysisTemplate,
            ("argoproj.io", "Application") => Kind::Application,
            ("istio.alibabacloud.com", "IstioGateway") => Kind::IstioGateway,
            _ => Kind::Other,
        }
    }

    /// Whether objects of this kind live outside namespaces.
    pub fn cluster_scoped(self) -> bool {
        matches!(
            self,
            Kind::SwimLaneGroup | Kind::SwimLane | Kind::Namespace | Kind::ClusterAnalysisTemplate
        )
    }

    /// The `kind:` string of this kind (`Other` gives `""`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SwimLaneGroup => "ASMSwimLaneGroup",
            Kind::SwimLane => "ASMSwimLane",
            Kind::VirtualService => "VirtualService",
            Kind::DestinationRule => "DestinationRule",
            Kind::Gateway => "Gateway",
            Kind::Service => "Service",
            Kind::Deployment => "Deployment",
            Kind::Namespace => "Namespace",
            Kind::Rollout => "Rollout",
            Kind::AnalysisTemplate => "AnalysisTemplate",
            Kind::ClusterAnalysisTemplate => "ClusterAnalysisTemplate",
            Kind::Application => "Application",
            Kind::IstioGateway => "IstioGateway",
            Kind::Other => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_group() {
        assert_eq!(
            Kind::classify("networking.istio.io/v1alpha3", "VirtualService"),
            Kind::VirtualService
        );
        assert_eq!(
            Kind::classify("example.com/v1", "VirtualService"),
            Kind::Other
        );
        assert_eq!(Kind::classify("v1", "Service"), Kind::Service);
        assert_eq!(
            Kind::classify("istio.alibabacloud.com/v1beta1", "ASMSwimLane"),
            Kind::SwimLane
        );
        assert!(Kind::SwimLane.cluster_scoped());
        assert!(!Kind::Service.cluster_scoped());
    }
}
