use lanes_model::views::VirtualService;
use lanes_model::Kind;

use crate::rules::references::hosts::{fqdn, hosts_intersect};
use crate::rules::{destinations_of, DestRole};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN214",
    name: "ingress-route-ignores-subsets",
    group: "references",
    severity: Severity::Warning,
    summary:
        "a gateway route sends to a host without subset while the host's mesh routes use subsets",
    docs: r#"## What it does
For a VirtualService bound only to Gateways (not `mesh`), reports a route destination without
`subset` whose host has a mesh VirtualService in the repository that routes by subsets.

istioctl analyze: IST0140 (IngressRouteRulesNotAffected).

## Why is this bad?
Requests entering through the gateway are routed by the gateway's VirtualService only: the
mesh VirtualService's subset split (a canary, a lane) does not apply to them, so ingress
traffic reaches every version.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings-ingress
spec:
  gateways: [istio-system/web]
  hosts: [ratings.example.com]
  http:
  - route:
    - destination: {host: ratings}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings, subset: v1}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings-ingress
spec:
  gateways: [istio-system/web]
  hosts: [ratings.example.com]
  http:
  - route:
    - destination: {host: ratings, subset: v1}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings, subset: v1}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    // Mesh VirtualServices that route by subset: (resource, their hosts, fully qualified).
    let mut mesh = Vec::new();
    for res in index.of_kind(Kind::VirtualService) {
        let vs = VirtualService(index.root(res));
        let gws = vs.gateways();
        if !gws.is_empty() && !gws.iter().any(|g| g.as_text() == Some("mesh")) {
            continue;
        }
        let uses_subsets = vs.routes().into_iter().any(|r| {
            destinations_of(r)
                .iter()
                .any(|(d, role)| *role == DestRole::Route && d.get("subset").is_some())
        });
        if uses_subsets {
            let ns = &index.resources[res].namespace;
            let hosts: Vec<String> = vs
                .hosts()
                .iter()
                .filter_map(|h| h.as_text())
                .map(|h| fqdn(h, ns))
                .collect();
            mesh.push((res, hosts));
        }
    }
    for res in index.of_kind(Kind::VirtualService) {
        let vs = VirtualService(index.root(res));
        let gws = vs.gateways();
        if gws.is_empty() || gws.iter().any(|g| g.as_text() == Some("mesh")) {
            continue;
        }
        let ns = &index.resources[res].namespace;
        for route in vs.routes() {
            for (d, role) in destinations_of(route) {
                if role != DestRole::Route || d.get("subset").is_some() {
                    continue;
                }
                let Some(host) = d.get("host") else { continue };
                let Some(text) = host.as_text() else { continue };
                let h = fqdn(text, ns);
                let Some((m, _)) = mesh
                    .iter()
                    .find(|(m, hosts)| *m != res && hosts.iter().any(|x| hosts_intersect(x, &h)))
                else {
                    continue;
                };
                let rel = cx.related(
                    *m,
                    index.root(*m),
                    "routes this host by subset for sidecars",
                );
                cx.report(
                    res,
                    host,
                    format!(
                        "the subset routing of {} has no effect on requests from the gateway",
                        index.resources[*m].display()
                    ),
                )
                .label("no subset for gateway traffic")
                .help("give the gateway route the subset(s) too")
                .related
                .push(rel);
            }
        }
    }
}
