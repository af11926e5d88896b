use lanes_model::views::Service;
use lanes_model::Kind;

use crate::rules::coverage::port_name_convention::{is_external_name, name_protocol};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN421",
    name: "external-name-port-protocol",
    group: "coverage",
    severity: Severity::Warning,
    summary: "an ExternalName Service port does not name a protocol other than TCP",
    docs: r#"## What it does
Checks each port of a `type: ExternalName` Service: its name (or `appProtocol`) must name a
protocol Istio knows other than plain `tcp` (`http`, `https`, `tls`, `grpc`, ...).

istioctl analyze: IST0150 (ExternalNameServiceTypeInvalidPortName).

## Why is this bad?
Istio cannot route TCP traffic to an ExternalName Service by host, so a port it takes for
TCP (no name, an unknown name, or `tcp`) does not reach the external name.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  type: ExternalName
  externalName: nginx.example.com
  ports:
  - name: nginx
    port: 443
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  type: ExternalName
  externalName: nginx.example.com
  ports:
  - name: https
    port: 443
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for svc in index.of_kind(Kind::Service) {
        let root = index.root(svc);
        if !is_external_name(root) {
            continue;
        }
        for port in Service(root).ports() {
            let name = port
                .get("appProtocol")
                .or_else(|| port.get("name"))
                .and_then(|n| n.as_text());
            let proto = name.and_then(name_protocol);
            if proto.is_some_and(|p| p != "tcp") {
                continue;
            }
            let at = port.get("name").unwrap_or(port);
            cx.report(
                svc,
                at,
                match name {
                    Some(n) => format!("ExternalName Service port `{n}` is taken for TCP, which Istio cannot route to an external name"),
                    None => "ExternalName Service port has no name, so Istio takes it for TCP".to_string(),
                },
            )
            .label("needs a non-TCP protocol name")
            .help("name the port after its protocol: `https`, `http-…`, `tls-…`");
        }
    }
}
