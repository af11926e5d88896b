use crate::rules::references::hosts::{resolve_destination, service_ports, HostTarget};
use crate::rules::{destinations_of, routes};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN221",
    name: "unknown-destination-port",
    group: "references",
    severity: Severity::Error,
    summary: "a destination names a port its Service does not have",
    docs: r#"## What it does
When a route or mirror destination's host resolves to a Service in the repository, checks that
`destination.port.number` is one of the Service's ports.

istioctl analyze: IST0101 (`virtualservice.DestinationHostAnalyzer`, port not found).

## Why is this bad?
Istio builds no cluster for a port the Service does not expose: the requests fail with 503.

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
    - destination: {host: reviews, port: {number: 999}}
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
    - destination: {host: reviews, port: {number: 9080}}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        for (d, _) in destinations_of(route) {
            let Some(text) = d.get("host").and_then(|h| h.as_text()) else {
                continue;
            };
            let Some(port) = d.get("port").and_then(|p| p.get("number")) else {
                continue;
            };
            let Some(number) = port.as_i64() else {
                continue;
            };
            let HostTarget::Service(svc) = resolve_destination(index, res, text) else {
                continue;
            };
            let ports = service_ports(index, svc);
            if ports.is_empty() || ports.iter().any(|(p, _, _)| *p == number) {
                continue;
            }
            let list: Vec<String> = ports.iter().map(|(p, _, _)| p.to_string()).collect();
            cx.report(
                res,
                port,
                format!(
                    "port {number} is not a port of {}",
                    index.resources[svc].display()
                ),
            )
            .label("no such port")
            .help(format!("the Service's ports: {}", list.join(", ")));
        }
    }
}
