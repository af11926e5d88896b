use lanes_model::views_argo::IstioGateway;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN604",
    name: "gateway-canary-annotation-not-true",
    group: "mesh",
    severity: Severity::Error,
    summary:
        "the enable-canary-deployment annotation of an IstioGateway is not the string \"true\"",
    docs: r#"## What it does
When an ASM `IstioGateway` carries `asm.alibabacloud.com/enable-canary-deployment`, its value
must be the string `"true"` (quoted: an unquoted `true` is a YAML boolean).

## Why is this bad?
Kubernetes refuses an annotation that is not a string, so the whole sync fails; any other string
(`"yes"`, `"True"`) is ignored by ASM and no canary gateway is deployed, though the commit says
the upgrade is under way.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: IstioGateway
metadata:
  name: ingressgateway
  namespace: istio-system
  annotations:
    asm.alibabacloud.com/enable-canary-deployment: true
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
  annotations:
    asm.alibabacloud.com/enable-canary-deployment: "true"
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
        if v.as_str() == Some("true") {
            continue;
        }
        let shown = v.as_text().unwrap_or("null");
        let not_string = v.as_str().is_none();
        cx.report(
            res,
            v,
            if not_string {
                format!("asm.alibabacloud.com/enable-canary-deployment must be the string \"true\", got the non-string {shown}")
            } else {
                format!("asm.alibabacloud.com/enable-canary-deployment must be the string \"true\", got \"{shown}\"")
            },
        )
        .label("not \"true\"")
        .help("write `\"true\"` with the quotes, or remove the annotation");
    }
}
