use crate::rules::references::hosts::{resolve_destination, service_ports, HostTarget};
use crate::rules::{destinations_of, routes, DestRole};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN213",
    name: "destination-port-required",
    group: "references",
    severity: Severity::Error,
    summary: "a route destination's Service has several ports and the destination names none",
    docs: r#"## What it does
When a route destination's host resolves to a Service in the repository that exposes more than
one port, requires `destination.port.number`.

istioctl analyze: IST0112 (VirtualServiceDestinationPortSelectorRequired).

## Why is this bad?
With several ports Istio cannot tell which one the route means; the route applies to none of
them as intended.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports: [{port: 80, name: http}, {port: 443, name: https}]
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

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports: [{port: 80, name: http}, {port: 443, name: https}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, port: {number: 80}}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        for (d, role) in destinations_of(route) {
            if role != DestRole::Route || d.get("port").is_some() {
                continue;
            }
            let Some(host) = d.get("host") else { continue };
            let Some(text) = host.as_text() else { continue };
            let HostTarget::Service(svc) = resolve_destination(index, res, text) else {
                continue;
            };
            let ports = service_ports(index, svc);
            if ports.len() < 2 {
                continue;
            }
            let list: Vec<String> = ports.iter().map(|(p, _, _)| p.to_string()).collect();
            cx.report(
                res,
                host,
                format!(
                    "{} has several ports and the destination names none",
                    index.resources[svc].display()
                ),
            )
            .label("which port?")
            .help(format!(
                "add `port: {{number: N}}`, one of {}",
                list.join(", ")
            ));
        }
    }
}
