use lanes_model::views_argo::IstioGateway;
use lanes_model::Kind;
use lanes_plan::asm_version::GATEWAY_CANARY_MINIMUM;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN610",
    name: "gateway-canary-unsupported-version",
    group: "mesh",
    severity: Severity::Warning,
    summary: "an IstioGateway enables the canary deployment on an ASM version below 1.20",
    docs: r#"## What it does
When `lanes.toml` records the mesh's ASM version (`[mesh] version`) and it is below 1.20, reports
every `IstioGateway` that carries `asm.alibabacloud.com/enable-canary-deployment`.

## Why is this bad?
The gateway canary upgrade needs ASM 1.20 or later (the gateway-canary guide's prerequisite).
Below that no canary gateway is deployed, though the commit says the gateway upgrade is being
verified.

## Example
```toml
[mesh]
version = "1.18.0.158"
```

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
    let Some(version) = cx.config.mesh.version.clone() else {
        return;
    };
    if version >= GATEWAY_CANARY_MINIMUM {
        return;
    }
    let index = cx.index;
    for res in index.of_kind(Kind::IstioGateway) {
        let Some(v) = IstioGateway(index.root(res)).canary_annotation() else {
            continue;
        };
        let name = index.resources[res].name.clone();
        cx.report(
            res,
            v.key().unwrap_or(v),
            format!("the gateway canary upgrade needs ASM 1.20 or later, and lanes.toml records {version}: no {} is deployed", lanes_model::views_argo::gateway_canary_deployment(&name)),
        )
        .label("needs ASM 1.20")
        .help("upgrade the control plane first, or remove the annotation");
    }
}
