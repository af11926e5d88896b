use lanes_model::views::Service;
use lanes_model::Kind;
use lanes_yaml::NodeRef;

use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN420",
    name: "service-port-name-convention",
    group: "coverage",
    severity: Severity::Info,
    summary: "a Service port has no name, or a name Istio cannot read a protocol from",
    docs: r#"## What it does
Checks each port of a Service (other than `ExternalName` Services, LN421, and Services in
`kube-system`, `kube-public` and `istio-system`) without `appProtocol`: its `name` must be
`<protocol>` or `<protocol>-<suffix>`, with a protocol Istio knows (`http`, `http2`, `https`,
`grpc`, `grpc-web`, `tcp`, `tls`, `udp`, `mongo`, `mysql`, `redis`, `thrift`).

istioctl analyze: IST0118 (PortNameIsNotUnderNamingConvention).

## Why is this bad?
Istio treats a port whose protocol it cannot tell as opaque TCP: HTTP routing, retries,
header matches and canary weights by request do not apply to it.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  selector: {app: reviews}
  ports:
  - port: 9080
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  selector: {app: reviews}
  ports:
  - name: http-web
    port: 9080
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// Protocols Istio reads from a port name prefix (`protocol.Parse`).
pub(crate) const PROTOCOLS: &[&str] = &[
    "http",
    "http2",
    "https",
    "grpc",
    "grpc-web",
    "tcp",
    "tls",
    "udp",
    "mongo",
    "mysql",
    "redis",
    "thrift",
    "http_proxy",
];

/// The protocol Istio reads from a port name (`http-web` → `http`), if it knows it.
pub(crate) fn name_protocol(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    PROTOCOLS.iter().copied().find(|p| {
        lower == *p
            || lower
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "istio-system"];

/// Whether a Service is of `type: ExternalName`.
pub(crate) fn is_external_name(svc: NodeRef<'_>) -> bool {
    svc.get("spec")
        .and_then(|s| s.get("type"))
        .and_then(|t| t.as_text())
        == Some("ExternalName")
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for svc in index.of_kind(Kind::Service) {
        let root = index.root(svc);
        if is_external_name(root)
            || SYSTEM_NAMESPACES.contains(&index.resources[svc].namespace.as_str())
        {
            continue;
        }
        for port in Service(root).ports() {
            if port.get("appProtocol").is_some() {
                continue;
            }
            let name = port.get("name").and_then(|n| n.as_text());
            if name.is_some_and(|n| name_protocol(n).is_some()) {
                continue;
            }
            let number = port.get("port").and_then(|p| p.as_i64()).unwrap_or(0);
            let at = port.get("name").unwrap_or(port);
            cx.report(
                svc,
                at,
                match name {
                    Some(n) => format!("port name `{n}` (port {number}) does not follow Istio's <protocol>[-suffix] convention"),
                    None => format!("port {number} has no name, so Istio cannot tell its protocol"),
                },
            )
            .label("protocol unknown to Istio")
            .help("name the port `http-…`, `grpc-…`, `tcp-…` and so on, or set `appProtocol`");
        }
    }
}
