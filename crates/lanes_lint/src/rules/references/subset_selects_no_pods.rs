use lanes_model::views::{DestinationRule, Service};
use lanes_model::Kind;

use crate::rules::references::gateway_workload::PodTable;
use crate::rules::references::hosts::{resolve_from, HostTarget};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN216",
    name: "subset-selects-no-pods",
    group: "references",
    severity: Severity::Warning,
    summary: "a DestinationRule subset's labels match no pod of the host's workloads",
    docs: r#"## What it does
When a DestinationRule's host is a Service of the repository and some of that Service's pods
(Pods, Deployments and Rollouts of its namespace that its selector picks) are in the
repository, reports each subset whose labels none of those pods carries. Node topology labels
(`topology.kubernetes.io/…`, `topology.istio.io/…`) are added to pods by Istio and are not
compared, except that an empty value never matches.

istioctl analyze: IST0173 (DestinationRuleSubsetNotSelectPods).

## Why is this bad?
A subset without endpoints makes every request routed to it fail with 503 (UH): a canary
weight on it sends that share of traffic nowhere.

## Example
```yaml
apiVersion: v1
kind: Service
metadata:
  name: httpbin
spec:
  selector: {app: httpbin}
  ports: [{port: 8000, name: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin-v1
spec:
  selector: {matchLabels: {app: httpbin, version: v1}}
  template:
    metadata:
      labels: {app: httpbin, version: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  subsets:
  - name: v3
    labels: {version: v3}
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata:
  name: httpbin
spec:
  selector: {app: httpbin}
  ports: [{port: 8000, name: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin-v1
spec:
  selector: {matchLabels: {app: httpbin, version: v1}}
  template:
    metadata:
      labels: {app: httpbin, version: v1}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  subsets:
  - name: v1
    labels: {version: v1}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

fn is_topology(key: &str) -> bool {
    key.starts_with("topology.kubernetes.io/") || key.starts_with("topology.istio.io/")
}

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    // The pods and their (label, value) table, built once: filtering every pod of the
    // repository per DestinationRule made this rule quadratic.
    let mut all_pods = None;
    for dr in index.of_kind(Kind::DestinationRule) {
        let view = DestinationRule(index.root(dr));
        let Some(text) = view.host().and_then(|h| h.as_text()) else {
            continue;
        };
        let ns = index.resources[dr].namespace.clone();
        let HostTarget::Service(svc) = resolve_from(index, &ns, std::slice::from_ref(&ns), text)
        else {
            continue;
        };
        let sel = Service(index.root(svc)).selector();
        if sel.is_empty() {
            continue;
        }
        let svc_ns = index.resources[svc].namespace.as_str();
        let all_pods = all_pods.get_or_insert_with(|| PodTable::new(index));
        let backing: Vec<_> = all_pods
            .selected_by(&sel)
            .filter(|(_, pns, _)| *pns == svc_ns)
            .collect();
        if backing.is_empty() {
            continue; // the Service's workloads are not in the repository
        }
        for subset in view.subsets() {
            let labels = subset.labels();
            let picks = backing.iter().any(|(_, _, l)| {
                labels.iter().all(|(k, v)| {
                    if is_topology(k) {
                        !v.is_empty()
                    } else {
                        l.iter().any(|(lk, lv)| lk == k && lv == v)
                    }
                })
            });
            if picks {
                continue;
            }
            let name = subset.name().and_then(|n| n.as_text()).unwrap_or("?");
            let at = subset.name().unwrap_or(subset.0);
            cx.report(
                dr,
                at,
                format!(
                    "subset `{name}` selects no pod of {}",
                    index.resources[svc].display()
                ),
            )
            .label("no pods with these labels")
            .help("fix the subset's labels, or add the workload that carries them");
        }
    }
}
