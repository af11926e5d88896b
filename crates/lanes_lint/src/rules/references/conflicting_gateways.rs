use std::collections::HashMap;

use lanes_model::views::{selects, Gateway};
use lanes_model::Kind;

use crate::rules::references::hosts::{hosts_intersect, string_items};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN220",
    name: "conflicting-gateways",
    group: "references",
    severity: Severity::Error,
    summary: "two Gateways claim the same host and port on the same gateway workload",
    docs: r#"## What it does
Reports each Istio Gateway that shares a server port number and an overlapping host (wildcards
included; the `namespace/` part of a host is ignored), with a different protocol, with another
Gateway whose `selector` picks the same gateway workload (one selector contains the other).
Servers of the same protocol on one port are merged by Istio and are not reported.

istioctl analyze: IST0145 (ConflictingGateways).

## Why is this bad?
The gateway workload has one listener per port: for the same host only one Gateway's server
(its protocol) takes effect, which one depends on creation order.

## Example
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: alpha
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [foo.bar]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: beta
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: tcp, protocol: TCP}
    hosts: [foo.bar]
```

Use instead:
```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: alpha
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [foo.bar]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: beta
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: tcp, protocol: TCP}
    hosts: [foo.bar]
```
"#,
    fix: FixAvailability::None,
    input: false,
};

/// A server's protocol, upper-cased as Istio reads it.
fn protocol(server: lanes_yaml::NodeRef<'_>) -> String {
    server
        .get("port")
        .and_then(|p| p.get("protocol"))
        .and_then(|p| p.as_text())
        .unwrap_or("")
        .to_ascii_uppercase()
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    let gws: Vec<usize> = index.of_kind(Kind::Gateway).collect();
    // Each Gateway's selector and servers (port number, hosts without `namespace/`,
    // protocol), read once: the pairs below would otherwise re-read both trees each time.
    type Server<'a> = (Option<i64>, Vec<&'a str>, String);
    let facts: Vec<(lanes_model::views::Labels<'_>, Vec<Server<'_>>)> = gws
        .iter()
        .map(|&b| {
            let gb = Gateway(index.root(b));
            let servers = gb
                .servers()
                .into_iter()
                .map(|other| {
                    let number = other
                        .get("port")
                        .and_then(|p| p.get("number"))
                        .and_then(|n| n.as_i64());
                    let hosts = string_items(other.get("hosts"))
                        .into_iter()
                        .map(|(h, _)| h.rsplit('/').next().unwrap_or(h))
                        .collect();
                    (number, hosts, protocol(other))
                })
                .collect();
            (gb.selector(), servers)
        })
        .collect();
    // For each port number and protocol, the positions in `gws` of the Gateways with such a
    // server, ascending: a server only conflicts with a server of its port and another
    // protocol, so only those Gateways are candidates (trying every pair was quadratic).
    let mut by_port: HashMap<i64, Vec<(&str, Vec<usize>)>> = HashMap::new();
    for (j, (_, servers)) in facts.iter().enumerate() {
        for (number, _, proto) in servers {
            let Some(number) = number else { continue };
            let protos = by_port.entry(*number).or_default();
            let list = match protos.iter().position(|(p, _)| *p == proto.as_str()) {
                Some(k) => &mut protos[k].1,
                None => {
                    protos.push((proto.as_str(), Vec::new()));
                    &mut protos.last_mut().expect("just pushed").1
                }
            };
            if list.last() != Some(&j) {
                list.push(j);
            }
        }
    }
    for &a in &gws {
        let ga = Gateway(index.root(a));
        let sa = ga.selector();
        let ra = &index.resources[a];
        let mut hit = None;
        'outer: for server in ga.servers() {
            let Some(port) = server.get("port").and_then(|p| p.get("number")) else {
                continue;
            };
            let Some(number) = port.as_i64() else {
                continue;
            };
            let proto = protocol(server);
            let hosts: Vec<&str> = string_items(server.get("hosts"))
                .into_iter()
                .map(|(h, _)| h.rsplit('/').next().unwrap_or(h))
                .collect();
            // The first Gateway (in `gws` order) that conflicts: the least match over the
            // candidate lists of this port's other protocols.
            let conflicts = |j: usize| {
                let b = gws[j];
                let rb = &index.resources[b];
                if a == b || (ra.namespace == rb.namespace && ra.name == rb.name) {
                    return false;
                }
                let (sb, servers) = &facts[j];
                if !(selects(&sa, sb) || selects(sb, &sa)) {
                    return false;
                }
                servers
                    .iter()
                    .any(|(other_number, other_hosts, other_proto)| {
                        let same_port = *other_number == Some(number);
                        let overlap = other_hosts
                            .iter()
                            .any(|h| hosts.iter().any(|x| hosts_intersect(x, h)));
                        same_port && overlap && *other_proto != proto
                    })
            };
            let first = by_port
                .get(&number)
                .into_iter()
                .flatten()
                .filter(|(p, _)| *p != proto.as_str())
                .filter_map(|(_, list)| list.iter().copied().find(|&j| conflicts(j)))
                .min();
            if let Some(j) = first {
                hit = Some((port, number, gws[j]));
                break 'outer;
            }
        }
        let Some((port, number, b)) = hit else {
            continue;
        };
        let rel = cx.related(
            b,
            index.root(b),
            format!(
                "{} serves the same host on port {number}",
                index.resources[b].display()
            ),
        );
        cx.report(
            a,
            port,
            format!(
                "port {number} conflicts with {} on the same gateway workload and host",
                index.resources[b].display()
            ),
        )
        .label("conflicting server")
        .help("serve each host and port from one Gateway")
        .related
        .push(rel);
    }
}
