use lanes_model::{resolve_host, Kind};

use crate::fixes::replace_scalar_fix;
use crate::rules::routes;
use crate::{Applicability, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN202",
    name: "host-in-other-namespace",
    group: "references",
    severity: Severity::Warning,
    summary: "a short destination host names no Service in the VirtualService's namespace but one in another namespace",
    docs: r#"## What it does
Istio resolves a short host such as `mocka` in the namespace of the VirtualService that
contains it: in a VirtualService in `istio-system`, `mocka` means
`mocka.istio-system.svc.cluster.local`. This rule warns when no Service of that name exists in
the VirtualService's namespace but one exists in another namespace, and suggests the FQDN.
When exactly one Service matches, a safe fix rewrites the host to its FQDN.

istioctl analyze: IST0101 (`virtualservice.DestinationHostAnalyzer`, host not found).

## Why is this bad?
Gateway VirtualServices usually live in `istio-system` while the workloads live elsewhere. A
short host there points at a Service that does not exist, and the route answers 503.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
  namespace: default
spec:
  selector: {app: mocka}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ['*']
  http:
  - route:
    - destination: {host: mocka}
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: mocka
  namespace: default
spec:
  selector: {app: mocka}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ['*']
  http:
  - route:
    - destination: {host: mocka.default.svc.cluster.local}
```

## Fix safety
The fix is safe: it only spells out the Service the author evidently meant, and only when
exactly one Service of that name exists.
"#,
    fix: FixAvailability::Sometimes,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        let vs_ns = index.resources[res].namespace.clone();
        for d in route.destinations() {
            let Some(host) = d.host() else { continue };
            let Some(text) = host.as_text() else { continue };
            let Some(h) = resolve_host(text, &vs_ns) else {
                continue;
            };
            if !h.short || !index.find(Kind::Service, &vs_ns, &h.name).is_empty() {
                continue;
            }
            let others: Vec<&str> = index
                .services_named(&h.name)
                .iter()
                .map(|r| index.resources[*r].namespace.as_str())
                .collect();
            if others.is_empty() {
                continue;
            }
            let fqdns: Vec<String> = others
                .iter()
                .map(|ns| format!("{}.{ns}.svc.cluster.local", h.name))
                .collect();
            let fix = if fqdns.len() == 1 {
                let src = &index.file_of(res).source;
                replace_scalar_fix(src, host, &fqdns[0], Applicability::Safe).ok()
            } else {
                None
            };
            let d = cx.report(
                res,
                host,
                format!(
                    "host `{text}` resolves to {}.{vs_ns}.svc.cluster.local, which is no Service; `{}` exists in namespace {}",
                    h.name,
                    h.name,
                    others.join(", ")
                ),
            );
            d.label("resolved in the VirtualService's namespace")
                .help(format!("write the FQDN: {}", fqdns.join(" or ")));
            if let Some(f) = fix {
                d.fix(f);
            }
        }
    }
}
