use lanes_model::views::Gateway;
use lanes_model::Kind;

use crate::rules::references::gateway_workload::{
    is_default_gateway, ports_of, selected_pods, services_of, DEFAULT_INGRESS_PORTS,
};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN219",
    name: "gateway-port-not-on-service",
    group: "references",
    severity: Severity::Warning,
    summary: "a Gateway server port that the gateway workload's Service does not expose",
    docs: r#"## What it does
Finds the gateway pods a Gateway's `selector` picks (Pods, Deployments and Rollouts of the
repository) and the Services in front of them, and reports each server `port.number` that is
neither a `port` nor a `targetPort` of those Services. For the default ingress gateway
(`istio: ingressgateway`) with no workload in the repository, the ports of Istio's default
`istio-ingressgateway` Service are used (80, 443, their target ports 8080, 8443, and 15021,
15443, 31400).

istioctl analyze: IST0162 (GatewayPortNotDefinedOnService).

## Why is this bad?
Traffic cannot reach a port the Service does not expose: the server is configured on the proxy
but no client can connect to it.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8004, name: http2, protocol: HTTP}
    hosts: ['*']
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http2, protocol: HTTP}
    hosts: ['*']
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let mut all = None;
    for gw in index.of_kind(Kind::Gateway) {
        let view = Gateway(index.root(gw));
        let all = all.get_or_insert_with(|| super::gateway_workload::PodTable::new(index));
        let pods = selected_pods(index, all, gw);
        let (ports, what) = if pods.is_empty() {
            if !is_default_gateway(&view.selector()) || view.selector()[0].1 != "ingressgateway" {
                continue;
            }
            (
                DEFAULT_INGRESS_PORTS.to_vec(),
                "the default istio-ingressgateway Service".to_string(),
            )
        } else {
            let svcs = services_of(index, &pods);
            if svcs.is_empty() {
                continue;
            }
            let names: Vec<String> = svcs.iter().map(|s| index.resources[*s].display()).collect();
            (ports_of(index, &svcs), names.join(", "))
        };
        for server in view.servers() {
            let Some(port) = server.get("port").and_then(|p| p.get("number")) else {
                continue;
            };
            let Some(n) = port.as_i64() else { continue };
            if ports.contains(&n) {
                continue;
            }
            let mut list = ports.clone();
            list.sort_unstable();
            list.dedup();
            let list: Vec<String> = list.iter().map(i64::to_string).collect();
            cx.report(gw, port, format!("port {n} is not exposed by {what}"))
                .label("no Service port")
                .help(format!(
                    "use one of the ports {}, or add the port to the Service",
                    list.join(", ")
                ));
        }
    }
}
