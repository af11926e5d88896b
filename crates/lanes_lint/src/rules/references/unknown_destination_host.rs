use lanes_model::resolve_host;
use lanes_model::Kind;

use crate::rules::references::hosts::{resolve_destination, HostTarget};
use crate::rules::{destinations_of, routes};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN210",
    name: "unknown-destination-host",
    group: "references",
    severity: Severity::Warning,
    summary: "a route or mirror destination host resolves to no Service or ServiceEntry in the repository",
    docs: r#"## What it does
Resolves the host of every route destination, `mirror` and `mirrors[]` of a VirtualService the
way Istio does: a Service (`name` in the VirtualService's namespace, or
`name.namespace.svc.cluster.local`), or a host of a ServiceEntry, each only when it is exported
(`networking.istio.io/exportTo`, `spec.exportTo`) to the namespaces the VirtualService is
exported to. Services every Istio cluster has (`istiod`, `istio-ingressgateway` and the other
gateways in `istio-system`, `kubernetes.default`, `kube-dns.kube-system`) count as present.
Reports a host that resolves to nothing, and a destination without a host. A
short name whose Service exists in another namespace is LN202's finding instead.

It is a warning: the Service may be deployed from outside the repository; and a repository
that holds no Service and no ServiceEntry at all (routing kept apart from the workloads) is not
checked.

istioctl analyze: IST0101 (`virtualservice.DestinationHostAnalyzer`, host not found).

## Why is this bad?
Envoy has no cluster for the host: requests routed there fail with 503 (NR), and a mirror to a
missing host silently drops the copy.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports: [{port: 9080, name: http}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews-bogus}
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports: [{port: 9080, name: http}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    if !super::hosts::manages_services(index) {
        return;
    }
    for (res, route) in routes(index) {
        let vs_ns = index.resources[res].namespace.clone();
        for item in route.route_node().into_iter().flat_map(|r| r.items()) {
            let host = item.get("destination").and_then(|d| d.get("host"));
            if host.and_then(|h| h.as_text()).is_none_or(str::is_empty) {
                cx.report(res, item, "route destination has no host")
                    .label("no destination host")
                    .help("set `destination.host` to a Service or ServiceEntry host");
            }
        }
        for (d, _) in destinations_of(route) {
            let Some(host) = d.get("host") else { continue };
            let Some(text) = host.as_text().filter(|t| !t.is_empty()) else {
                continue;
            };
            let target = resolve_destination(index, res, text);
            let label = match target {
                HostTarget::Service(_) | HostTarget::ServiceEntry(_) | HostTarget::Platform => {
                    continue
                }
                HostTarget::Hidden(svc) => format!(
                    "Service {} is not exported to namespace {vs_ns}",
                    index.resources[svc].display()
                ),
                HostTarget::Missing => {
                    // LN202 reports a short name whose Service lives in another namespace.
                    let other_ns = resolve_host(text, &vs_ns).is_some_and(|h| {
                        h.short
                            && index.find(Kind::Service, &vs_ns, &h.name).is_empty()
                            && !index.services_named(&h.name).is_empty()
                    });
                    if other_ns {
                        continue;
                    }
                    "no Service or ServiceEntry in the repository".to_string()
                }
            };
            cx.report(res, host, format!("destination host `{text}` is not found"))
                .label(label)
                .help("add the Service or a ServiceEntry for the host, or fix the name");
        }
    }
}
