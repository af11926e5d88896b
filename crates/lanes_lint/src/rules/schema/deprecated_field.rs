use lanes_model::views::VirtualService;
use lanes_model::Kind;

use crate::rules::references::hosts::is_istio;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN704",
    name: "deprecated-istio-field",
    group: "schema",
    severity: Severity::Warning,
    summary: "an Istio resource uses a deprecated field",
    docs: r#"## What it does
Reports Istio fields that are deprecated: `fault.delay.percent` and `fault.abort.percent` of a
VirtualService HTTP route (use `percentage.value`), and a Sidecar's
`outboundTrafficPolicy.egressProxy`.

istioctl analyze: IST0002 (Deprecated).

## Why is this bad?
Deprecated fields are removed in later Istio releases; an upgrade then rejects the resource or
silently drops the setting (a fault that no longer fires).

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage
spec:
  hosts: [productpage]
  http:
  - fault:
      delay: {percent: 50, fixedDelay: 5s}
    route:
    - destination: {host: productpage}
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: productpage
spec:
  hosts: [productpage]
  http:
  - fault:
      delay: {percentage: {value: 50}, fixedDelay: 5s}
    route:
    - destination: {host: productpage}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::VirtualService) {
        for route in VirtualService(index.root(res)).routes() {
            let Some(fault) = route.node.get("fault") else {
                continue;
            };
            for kind in ["delay", "abort"] {
                let Some((key, _)) = fault.get(kind).and_then(|f| f.entry("percent")) else {
                    continue;
                };
                cx.report(res, key, format!("`fault.{kind}.percent` is deprecated"))
                    .label("deprecated")
                    .help(format!("use `fault.{kind}.percentage.value`"));
            }
        }
    }
    for res in index.of_kind(Kind::Other) {
        if !is_istio(index, res, "Sidecar") {
            continue;
        }
        let proxy = index
            .root(res)
            .get("spec")
            .and_then(|s| s.get("outboundTrafficPolicy"))
            .and_then(|o| o.entry("egressProxy"));
        if let Some((key, _)) = proxy {
            cx.report(
                res,
                key,
                "`outboundTrafficPolicy.egressProxy` is deprecated",
            )
            .label("deprecated")
            .help("route egress traffic with a ServiceEntry and an egress gateway");
        }
    }
}
