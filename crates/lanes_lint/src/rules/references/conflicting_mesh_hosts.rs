use lanes_model::views::VirtualService;
use lanes_model::Kind;

use crate::rules::references::hosts::{exports_overlap, fqdn, hosts_intersect, spec_export_to};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN215",
    name: "conflicting-mesh-hosts",
    group: "references",
    severity: Severity::Error,
    summary: "two VirtualServices for sidecars (the mesh gateway) claim the same host",
    docs: r#"## What it does
Among VirtualServices that apply to sidecars (no `gateways`, or `mesh` among them), reports
each one that shares a host with another: hosts are compared fully qualified (a short name
takes the VirtualService's namespace) and with wildcards, and only when both are exported
(`exportTo`) to a common namespace. Objects of the same kind, namespace and name are the same
object defined twice and are left to the duplicate check.

istioctl analyze: IST0109 (ConflictingMeshGatewayVirtualServiceHosts).

## Why is this bad?
Istio merges VirtualServices only for gateways. For sidecars one of them wins, in an order that
depends on creation time: routes, including canary weights, silently come from the other file.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage
  namespace: shop
spec:
  hosts: [productpage]
  http:
  - route:
    - destination: {host: productpage}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage-canary
  namespace: shop
spec:
  hosts: [productpage.shop.svc.cluster.local]
  http:
  - route:
    - destination: {host: productpage, subset: v2}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage
  namespace: shop
spec:
  hosts: [productpage]
  http:
  - route:
    - destination: {host: productpage, subset: v1}
      weight: 90
    - destination: {host: productpage, subset: v2}
      weight: 10
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    struct Mesh<'a> {
        res: usize,
        hosts: Vec<(String, lanes_yaml::NodeRef<'a>)>,
        export: Option<Vec<String>>,
    }
    let mut all: Vec<Mesh<'_>> = Vec::new();
    for res in index.of_kind(Kind::VirtualService) {
        let vs = VirtualService(index.root(res));
        let gws = vs.gateways();
        if !gws.is_empty() && !gws.iter().any(|g| g.as_text() == Some("mesh")) {
            continue;
        }
        let ns = &index.resources[res].namespace;
        let hosts = vs
            .hosts()
            .into_iter()
            .filter_map(|h| Some((fqdn(h.as_text()?, ns), h)))
            .collect();
        all.push(Mesh {
            res,
            hosts,
            export: spec_export_to(index, res),
        });
    }
    for a in &all {
        let ra = &index.resources[a.res];
        let mut conflict = None;
        'outer: for (ha, node) in &a.hosts {
            for b in &all {
                let rb = &index.resources[b.res];
                if a.res == b.res || (ra.namespace == rb.namespace && ra.name == rb.name) {
                    continue;
                }
                if !exports_overlap(&a.export, &b.export) {
                    continue;
                }
                if let Some((hb, bnode)) = b.hosts.iter().find(|(hb, _)| hosts_intersect(ha, hb)) {
                    conflict = Some((ha, *node, b.res, hb, *bnode));
                    break 'outer;
                }
            }
        }
        let Some((ha, node, b, hb, bnode)) = conflict else {
            continue;
        };
        let rel = cx.related(
            b,
            bnode,
            format!("also claimed by {}", index.resources[b].display()),
        );
        let same = if ha == hb {
            String::new()
        } else {
            format!(" (as `{hb}`)")
        };
        cx.report(
            a.res,
            node,
            format!(
                "host `{ha}` is also claimed by {}{same}; for sidecars only one of them applies",
                index.resources[b].display()
            ),
        )
        .label("conflicting mesh host")
        .help("merge the routes into one VirtualService per host, or narrow `exportTo`")
        .related
        .push(rel);
    }
}
