use lanes_model::Kind;

use crate::rules::references::hosts::{resolve_from, HostTarget};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN217",
    name: "destination-rule-unknown-host",
    group: "references",
    severity: Severity::Warning,
    summary: "a DestinationRule's host resolves to no Service or ServiceEntry in the repository",
    docs: r#"## What it does
Resolves a DestinationRule's `spec.host` as a destination host is resolved (LN210): a Service of
the repository, or a ServiceEntry host, visible from the DestinationRule's namespace. Wildcard
hosts are not checked. It is a warning: the Service may be deployed from outside the
repository; and a repository that holds no Service and no ServiceEntry at all (routing kept
apart from the workloads) is not checked.

istioctl analyze: IST0174 (UnknownDestinationRuleHost).

## Why is this bad?
A DestinationRule for a host nobody serves applies to nothing: its subsets, TLS and load
balancing settings are silently ignored, often because of a typo in the host.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: real-svc
spec:
  ports: [{port: 80, name: http}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: fake-host
spec:
  host: fake-svc.default.svc.cluster.local
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: fake-svc
spec:
  ports: [{port: 80, name: http}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: fake-host
spec:
  host: fake-svc.default.svc.cluster.local
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    if !super::hosts::manages_services(index) {
        return;
    }
    for dr in index.of_kind(Kind::DestinationRule) {
        let Some(host) = index.root(dr).get("spec").and_then(|s| s.get("host")) else {
            continue;
        };
        let Some(text) = host.as_text().filter(|t| !t.is_empty() && !t.contains('*')) else {
            continue;
        };
        let ns = index.resources[dr].namespace.clone();
        if matches!(
            resolve_from(index, &ns, std::slice::from_ref(&ns), text),
            HostTarget::Service(_) | HostTarget::ServiceEntry(_) | HostTarget::Platform
        ) {
            continue;
        }
        cx.report(
            dr,
            host,
            format!("host `{text}` matches no Service or ServiceEntry"),
        )
        .label("unknown host")
        .help("fix the host, or add the Service or a ServiceEntry for it");
    }
}
