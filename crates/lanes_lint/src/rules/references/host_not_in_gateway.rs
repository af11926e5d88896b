use lanes_model::views::VirtualService;
use lanes_model::Kind;

use crate::rules::references::gateway_api_gateway;
use crate::rules::references::hosts::{gateway_hosts, hosts_intersect};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN211",
    name: "host-not-in-gateway",
    group: "references",
    severity: Severity::Warning,
    summary: "none of a VirtualService's hosts is offered by a Gateway it binds to",
    docs: r#"## What it does
For each Gateway in a VirtualService's `spec.gateways` that is in the repository (an Istio
Gateway's `servers[].hosts`, or a Gateway API Gateway's `listeners[].hostname`), checks that at
least one of the VirtualService's `hosts` matches one of the Gateway's hosts: wildcards match
as Istio matches them, and a `namespace/host` entry only admits VirtualServices of that
namespace (`.` is the Gateway's own).

istioctl analyze: IST0132 (VirtualServiceHostNotFoundInGateway).

## Why is this bad?
The Gateway ignores a VirtualService whose hosts it does not serve: requests through it get a
404 and nothing reports why.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: web
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*.example.com']
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop.example.org]
  gateways: [web]
  http:
  - route:
    - destination: {host: shop}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: web
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*.example.com']
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts: [shop.example.com]
  gateways: [web]
  http:
  - route:
    - destination: {host: shop}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::VirtualService) {
        let vs = VirtualService(index.root(res));
        let vs_ns = index.resources[res].namespace.as_str();
        let vs_hosts: Vec<&str> = vs.hosts().iter().filter_map(|h| h.as_text()).collect();
        for gw in vs.gateways() {
            let Some(text) = gw.as_text() else { continue };
            if text == "mesh" {
                continue;
            }
            let (ns, name) = text.split_once('/').unwrap_or((vs_ns, text));
            // A Gateway that is not in the repository is LN203's finding.
            let Some(g) = index
                .find(Kind::Gateway, ns, name)
                .first()
                .copied()
                .or_else(|| gateway_api_gateway(index, ns, name))
            else {
                continue;
            };
            let offered = gateway_hosts(index, g);
            let served = vs_hosts.iter().any(|h| {
                offered.iter().any(|o| {
                    o.namespace.as_deref().is_none_or(|n| n == vs_ns) && hosts_intersect(h, o.host)
                })
            });
            if served {
                continue;
            }
            let list: Vec<String> = offered
                .iter()
                .map(|o| match &o.namespace {
                    Some(n) => format!("{n}/{}", o.host),
                    None => o.host.to_string(),
                })
                .collect();
            cx.report(
                res,
                gw,
                format!(
                    "none of the hosts {} is served by Gateway `{ns}/{name}`",
                    vs_hosts.join(", ")
                ),
            )
            .label("the Gateway ignores this VirtualService")
            .help(if list.is_empty() {
                "the Gateway has no server hosts".to_string()
            } else {
                format!("the Gateway serves: {}", list.join(", "))
            });
        }
    }
}
