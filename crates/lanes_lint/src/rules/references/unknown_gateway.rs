use lanes_model::views::VirtualService;
use lanes_model::Kind;

use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN203",
    name: "unknown-gateway",
    group: "references",
    severity: Severity::Error,
    summary: "a VirtualService binds to a Gateway that is not in the repository",
    docs: r#"## What it does
Resolves each name in a VirtualService's `spec.gateways` (except the reserved `mesh`) to an
Istio `Gateway`, or a Kubernetes Gateway API `Gateway` (`gateway.networking.k8s.io`, which
Istio accepts as a binding): `namespace/name`, or a short name in the VirtualService's own
namespace. Reports names that resolve to no Gateway in the repository, with the closest match.

istioctl analyze: IST0101 (`virtualservice.GatewayAnalyzer`, gateway not found).

## Why is this bad?
A VirtualService bound to a missing Gateway is silently ignored by the ingress gateway: the
route returns 404 after the sync, and nothing in Argo CD shows an error.

## Example
```yaml
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: ingressgateway
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  gateways: [ingresgateway]
  hosts: ['*']
  http:
  - route:
    - destination: {host: mocka.default.svc.cluster.local}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata:
  name: ingressgateway
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  gateways: [ingressgateway]
  hosts: ['*']
  http:
  - route:
    - destination: {host: mocka.default.svc.cluster.local}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let all: Vec<String> = index
        .of_kind(Kind::Gateway)
        .map(|g| {
            format!(
                "{}/{}",
                index.resources[g].namespace, index.resources[g].name
            )
        })
        .collect();
    for res in index.of_kind(Kind::VirtualService) {
        let vs_ns = &index.resources[res].namespace;
        for gw in VirtualService(index.root(res)).gateways() {
            let Some(text) = gw.as_text() else { continue };
            if text == "mesh" {
                continue;
            }
            let (ns, name) = match text.split_once('/') {
                Some((ns, name)) => (ns, name),
                None => (vs_ns.as_str(), text),
            };
            if !index.find(Kind::Gateway, ns, name).is_empty()
                || super::gateway_api_gateway(index, ns, name).is_some()
            {
                continue;
            }
            let full = format!("{ns}/{name}");
            let help = match did_you_mean(&full, all.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if all.is_empty() => {
                    "add the Gateway to the repository, or fix the name".into()
                }
                None => format!("Gateways in the repository: {}", all.join(", ")),
            };
            cx.report(
                res,
                gw,
                format!("Gateway `{full}` is not in the repository"),
            )
            .label("no such Gateway")
            .help(help);
        }
    }
}
