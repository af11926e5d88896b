use lanes_model::views_argo::IstioGateway;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN606",
    name: "gateway-canary-enabled",
    group: "mesh",
    severity: Severity::Info,
    summary:
        "an IstioGateway's canary deployment is enabled and follows every control-plane upgrade",
    docs: r#"## What it does
Notes every ASM `IstioGateway` that carries `asm.alibabacloud.com/enable-canary-deployment`.

## Why is this bad?
While the annotation is present, ASM keeps a canary copy of the gateway
(`istio-<gateway>-canary`) and upgrades it with every control-plane upgrade. That is what a
gateway canary upgrade needs, but once the upgrade is done the extra gateway keeps receiving
traffic and resources; remove the annotation when the upgrade is finished.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: IstioGateway
metadata:
  name: ingressgateway
  namespace: istio-system
  annotations:
    asm.alibabacloud.com/enable-canary-deployment: "true"
spec:
  gatewayType: ingress
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
    for res in index.of_kind(Kind::IstioGateway) {
        let Some(v) = IstioGateway(index.root(res)).canary_annotation() else {
            continue;
        };
        let name = index.resources[res].name.clone();
        cx.report(
            res,
            v.key().unwrap_or(v),
            format!("the canary deployment {} follows every control-plane upgrade; remove the annotation when the gateway upgrade is done", lanes_model::views_argo::gateway_canary_deployment(&name)),
        )
        .label("canary gateway enabled")
        .help("remove `asm.alibabacloud.com/enable-canary-deployment` once traffic is back on the upgraded gateway");
    }
}
