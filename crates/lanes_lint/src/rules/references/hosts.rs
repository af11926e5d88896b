//! Istio's answers about hosts, in one place: wildcard matching, `exportTo` visibility,
//! ServiceEntries, Gateway server hosts, and where a destination host resolves.

use lanes_model::views::{Meta, Service};
use lanes_model::{resolve_host, Index, Kind, ResIdx};
use lanes_yaml::NodeRef;

/// Whether a resource is the Istio kind `kind` (`networking.istio.io`), for kinds lanes does
/// not model itself (`ServiceEntry`, `Sidecar`).
pub(crate) fn is_istio(index: &Index, res: ResIdx, kind: &str) -> bool {
    let r = &index.resources[res];
    r.kind_str == kind && r.api_version.starts_with("networking.istio.io/")
}

/// Every Istio `ServiceEntry`.
pub(crate) fn service_entries(index: &Index) -> impl Iterator<Item = ResIdx> + '_ {
    index
        .of_kind(Kind::Other)
        .filter(move |r| is_istio(index, *r, "ServiceEntry"))
}

/// Whether the repository defines any Service or ServiceEntry. A repository that defines none
/// keeps its Services elsewhere, and "host not found" would be said of every host.
pub(crate) fn manages_services(index: &Index) -> bool {
    index.of_kind(Kind::Service).next().is_some() || service_entries(index).next().is_some()
}

/// Whether two hosts overlap, as Istio's `host.Name.Matches`: equal, or a wildcard (`*`,
/// `*.example.com`) that covers the other (or both wildcards, one covering the other).
pub(crate) fn hosts_intersect(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(sa), Some(sb)) => sa.ends_with(sb) || sb.ends_with(sa),
        (Some(sa), None) => b.ends_with(sa),
        (None, Some(sb)) => a.ends_with(sb),
        (None, None) => false,
    }
}

/// Namespaces an object is exported to: `None` for every namespace, else the list (`.`
/// resolved to the owner's namespace, `~` to none).
pub(crate) fn export_set(entries: Option<Vec<&str>>, owner_ns: &str) -> Option<Vec<String>> {
    let entries = entries?;
    if entries.is_empty() || entries.contains(&"*") {
        return None;
    }
    Some(
        entries
            .into_iter()
            .filter(|e| *e != "~")
            .map(|e| if e == "." { owner_ns } else { e }.to_string())
            .collect(),
    )
}

/// `spec.exportTo` of an Istio object.
pub(crate) fn spec_export_to(index: &Index, res: ResIdx) -> Option<Vec<String>> {
    let node = index.root(res).get("spec")?.get("exportTo")?;
    let entries = node.items().filter_map(|n| n.as_text()).collect();
    export_set(Some(entries), &index.resources[res].namespace)
}

/// `networking.istio.io/exportTo` of a Service (comma-separated).
pub(crate) fn service_export_to(index: &Index, svc: ResIdx) -> Option<Vec<String>> {
    let text = Meta::of(index.root(svc))?
        .annotation("networking.istio.io/exportTo")?
        .as_text()?;
    let entries = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    export_set(Some(entries), &index.resources[svc].namespace)
}

/// Whether something exported to `export` is visible from `ns` (`*` = only if exported to all).
pub(crate) fn visible_in(export: &Option<Vec<String>>, ns: &str) -> bool {
    match export {
        None => true,
        Some(list) => ns != "*" && list.iter().any(|e| e == ns),
    }
}

/// Whether two export sets share a namespace.
pub(crate) fn exports_overlap(a: &Option<Vec<String>>, b: &Option<Vec<String>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (None, Some(x)) | (Some(x), None) => !x.is_empty(),
        (Some(x), Some(y)) => x.iter().any(|n| y.contains(n)),
    }
}

/// The namespaces a VirtualService looks its destinations up from: its `exportTo` (`.` is its
/// own namespace), else its own namespace.
pub(crate) fn lookup_namespaces(index: &Index, vs: ResIdx) -> Vec<String> {
    let ns = &index.resources[vs].namespace;
    let Some(node) = index.root(vs).get("spec").and_then(|s| s.get("exportTo")) else {
        return vec![ns.clone()];
    };
    let list: Vec<String> = node
        .items()
        .filter_map(|n| n.as_text())
        .map(|e| if e == "." { ns.clone() } else { e.to_string() })
        .collect();
    if list.is_empty() {
        vec![ns.clone()]
    } else {
        list
    }
}

/// Services every cluster with Istio has, though no repository defines them: `(namespace,
/// name prefix)`.
const PLATFORM_SERVICES: &[(&str, &str)] = &[
    ("istio-system", "istiod"),
    ("istio-system", "istio-ingressgateway"),
    ("istio-system", "istio-egressgateway"),
    ("istio-system", "istio-eastwestgateway"),
    ("default", "kubernetes"),
    ("kube-system", "kube-dns"),
];

/// What a destination host of a VirtualService resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostTarget {
    /// A Service in the repository, visible to the VirtualService.
    Service(ResIdx),
    /// A ServiceEntry host, visible to the VirtualService.
    ServiceEntry(ResIdx),
    /// A Service in the repository that is not exported to the VirtualService's namespaces.
    Hidden(ResIdx),
    /// A Service the platform provides (`istiod.istio-system`, `kubernetes.default`, ...).
    Platform,
    /// Nothing in the repository.
    Missing,
}

/// Resolve a destination host of VirtualService `vs` the way Istio's DestinationHostAnalyzer
/// does: a Service (`name`, `name.ns.svc[.cluster.local]`) or a ServiceEntry host, each only
/// when exported to the namespaces the VirtualService looks from.
pub(crate) fn resolve_destination(index: &Index, vs: ResIdx, host: &str) -> HostTarget {
    let from = lookup_namespaces(index, vs);
    resolve_from(index, &index.resources[vs].namespace, &from, host)
}

/// Resolve `host`, written in namespace `vs_ns`, as seen from the namespaces `from`.
pub(crate) fn resolve_from(index: &Index, vs_ns: &str, from: &[String], host: &str) -> HostTarget {
    let mut hidden = None;
    if let Some(h) = resolve_host(host, vs_ns) {
        let platform = PLATFORM_SERVICES
            .iter()
            .any(|(ns, name)| h.namespace == *ns && h.name.starts_with(name));
        if platform && index.find(Kind::Service, &h.namespace, &h.name).is_empty() {
            return HostTarget::Platform;
        }
        if let Some(svc) = index.find(Kind::Service, &h.namespace, &h.name).first() {
            let export = service_export_to(index, *svc);
            if from.iter().any(|ns| visible_in(&export, ns)) {
                return HostTarget::Service(*svc);
            }
            hidden = Some(*svc);
        }
    }
    let fqdn = fqdn(host, vs_ns);
    for se in service_entries(index) {
        let export = spec_export_to(index, se);
        if !from.iter().any(|ns| visible_in(&export, ns)) {
            continue;
        }
        let covers = string_items(index.root(se).get("spec").and_then(|s| s.get("hosts")))
            .iter()
            .any(|(h, _)| {
                let h = fqdn_of(h, &index.resources[se].namespace);
                h.eq_ignore_ascii_case(&fqdn) || hosts_intersect(&h, &fqdn)
            });
        if covers {
            return HostTarget::ServiceEntry(se);
        }
    }
    match hidden {
        Some(s) => HostTarget::Hidden(s),
        None => HostTarget::Missing,
    }
}

/// A host as Istio keys it: a short name (no dot, no wildcard) becomes
/// `name.ns.svc.cluster.local`; `name.ns.svc` gains `.cluster.local`.
pub(crate) fn fqdn(host: &str, ns: &str) -> String {
    fqdn_of(host, ns)
}

fn fqdn_of(host: &str, ns: &str) -> String {
    if !host.contains('.') && !host.contains('*') {
        format!("{host}.{ns}.svc.cluster.local")
    } else if host.ends_with(".svc") {
        format!("{host}.cluster.local")
    } else {
        host.to_string()
    }
}

/// Text items of a sequence node, with their nodes.
pub(crate) fn string_items(node: Option<NodeRef<'_>>) -> Vec<(&str, NodeRef<'_>)> {
    node.map(|n| n.items().filter_map(|i| Some((i.as_text()?, i))).collect())
        .unwrap_or_default()
}

/// The ports of a Service: `(port, targetPort if a number, protocol)` of each entry.
pub(crate) fn service_ports(index: &Index, svc: ResIdx) -> Vec<(i64, Option<i64>, String)> {
    Service(index.root(svc))
        .ports()
        .into_iter()
        .filter_map(|p| {
            let port = p.get("port")?.as_i64()?;
            let target = p.get("targetPort").and_then(|t| t.as_i64());
            let proto = p
                .get("protocol")
                .and_then(|t| t.as_text())
                .unwrap_or("TCP")
                .to_string();
            Some((port, target, proto))
        })
        .collect()
}

/// One host of a Gateway server: the namespace part (`None` = any namespace) and the host.
pub(crate) struct GatewayHost<'a> {
    pub(crate) namespace: Option<String>,
    pub(crate) host: &'a str,
}

/// The hosts an Istio Gateway (or a Gateway API Gateway's listeners) offers VirtualServices.
pub(crate) fn gateway_hosts(index: &Index, gw: ResIdx) -> Vec<GatewayHost<'_>> {
    let root = index.root(gw);
    let gw_ns = &index.resources[gw].namespace;
    let mut out = Vec::new();
    if index.resources[gw].kind == Kind::Gateway {
        for server in lanes_model::views::Gateway(root).servers() {
            for (h, _) in string_items(server.get("hosts")) {
                let (ns, host) = match h.split_once('/') {
                    Some((".", host)) => (Some(gw_ns.clone()), host),
                    Some(("*", host)) => (None, host),
                    Some((ns, host)) => (Some(ns.to_string()), host),
                    None => (None, h),
                };
                out.push(GatewayHost {
                    namespace: ns,
                    host,
                });
            }
        }
    } else {
        let listeners = root.get("spec").and_then(|s| s.get("listeners"));
        for l in listeners.into_iter().flat_map(|l| l.items()) {
            let host = l.get("hostname").and_then(|h| h.as_text()).unwrap_or("*");
            out.push(GatewayHost {
                namespace: None,
                host,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_like_istio() {
        assert!(hosts_intersect("web.testing-02.com", "*.testing-02.com"));
        assert!(hosts_intersect("*", "anything.example.com"));
        assert!(hosts_intersect("*.productpage.d", "*.d"));
        assert!(!hosts_intersect("web.wrong.com", "*.testing-02.com"));
        assert!(!hosts_intersect(
            "users.testing-02-04.com",
            "web.testing-02-04.com"
        ));
        assert_eq!(fqdn("reviews", "shop"), "reviews.shop.svc.cluster.local");
        assert_eq!(
            fqdn("reviews.shop.svc", "x"),
            "reviews.shop.svc.cluster.local"
        );
        assert_eq!(fqdn("*.productpage", "x"), "*.productpage");
    }

    #[test]
    fn export_sets() {
        let dot = export_set(Some(vec!["."]), "foo");
        assert_eq!(dot, Some(vec!["foo".to_string()]));
        assert_eq!(export_set(Some(vec!["*"]), "foo"), None);
        assert!(visible_in(&None, "bar"));
        assert!(!visible_in(&dot, "bar"));
        assert!(!visible_in(&dot, "*"));
        let bar = export_set(Some(vec!["bar"]), "foo");
        assert!(!exports_overlap(&dot, &bar));
        assert!(exports_overlap(&dot, &None));
        assert!(!exports_overlap(&export_set(Some(vec!["~"]), "foo"), &None));
    }

    #[test]
    fn destinations_resolve_with_export_to() {
        let index = Index::from_texts([(
            "a.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: details\n  namespace: default\n  annotations:\n    networking.istio.io/exportTo: banana\nspec:\n  ports: [{port: 80}]\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: eu\n  namespace: default\nspec:\n  hosts: ['*.eu.example.com']\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\n  namespace: istio-system\nspec:\n  hosts: [x]\n",
        )]);
        let vs = index.of_kind(Kind::VirtualService).next().unwrap();
        assert!(matches!(
            resolve_destination(&index, vs, "details.default.svc.cluster.local"),
            HostTarget::Hidden(_)
        ));
        assert!(matches!(
            resolve_destination(&index, vs, "reviews.eu.example.com"),
            HostTarget::ServiceEntry(_)
        ));
        assert_eq!(
            resolve_destination(&index, vs, "istiod.istio-system.svc.cluster.local"),
            HostTarget::Platform
        );
        assert_eq!(resolve_destination(&index, vs, "nope"), HostTarget::Missing);
    }
}
