use lanes_model::views::Meta;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN605",
    name: "gateway-canary-deployment-in-repo",
    group: "mesh",
    severity: Severity::Error,
    summary: "the repository holds a Deployment named like an IstioGateway's ASM-managed canary",
    docs: r#"## What it does
For every ASM `IstioGateway`, reports a Deployment named `istio-<gateway>-canary` in the
gateway's namespace among the files linted.

## Why is this bad?
ASM creates and owns that Deployment when the gateway's canary upgrade is enabled, and it will
not overwrite a Deployment that already exists: the canary gateway keeps the old proxy version,
and Argo CD and ASM fight over it at every sync.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: IstioGateway
metadata:
  name: ingressgateway
  namespace: istio-system
spec:
  gatewayType: ingress
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: istio-ingressgateway-canary
  namespace: istio-system
spec:
  selector:
    matchLabels: {app: istio-ingressgateway}
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: IstioGateway
metadata:
  name: ingressgateway
  namespace: istio-system
spec:
  gatewayType: ingress
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for gw in index.of_kind(Kind::IstioGateway) {
        let g = &index.resources[gw];
        let name = lanes_model::views_argo::gateway_canary_deployment(&g.name);
        for dep in index.find(Kind::Deployment, &g.namespace, &name) {
            let root = index.root(*dep);
            let at = Meta::of(root).and_then(|m| m.name()).unwrap_or(root);
            let gw_root = index.root(gw);
            let gw_at = Meta::of(gw_root).and_then(|m| m.name()).unwrap_or(gw_root);
            let rel = cx.related(gw, gw_at, format!("IstioGateway {}", g.name));
            cx.report(
                *dep,
                at,
                format!("deployment {name} is managed by ASM for the canary of IstioGateway {}; ASM will not overwrite it", g.name),
            )
            .label("ASM-managed name")
            .help("delete this Deployment from the repository and let ASM create the canary gateway")
            .related
            .push(rel);
        }
    }
}
