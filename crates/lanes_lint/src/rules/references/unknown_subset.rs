use lanes_model::views::DestinationRule;
use lanes_model::{resolve_host, SubsetTarget};

use crate::rules::routes;
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN201",
    name: "unknown-subset",
    group: "references",
    severity: Severity::Error,
    summary: "a route destination names a subset that is no lane of the host's group and no DestinationRule subset",
    docs: r#"## What it does
Resolves every route destination's `subset`, and the subset of every `mirror` and
`mirrors[].destination`. When the host is a service of an ASM lane group,
the subset must name a lane of that group (ASM generates one DestinationRule subset per lane,
named after the lane), or a subset of a DestinationRule for that host whose labels a lane of the
group selects. For other hosts, when a DestinationRule for the host is in the repository, the
subset must be one of its subsets. Suggests the closest name.

istioctl analyze: IST0101 (`virtualservice.DestinationRuleAnalyzer`, subset not found).

## Why is this bad?
Envoy has no cluster for an unknown subset: every request routed there fails with 503 (NR/UH)
after Argo CD syncs. A subset whose labels match no lane selects pods outside every lane, or
none at all.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
  services:
  - {name: mocka, namespace: default}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ['*']
  http:
  - route:
    - destination: {host: mocka.default.svc.cluster.local, subset: v3}
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  ingress:
    gateway: {name: ingressgateway, namespace: istio-system, type: ASM}
  services:
  - {name: mocka, namespace: default}
---
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: mock
  namespace: istio-system
spec:
  hosts: ['*']
  http:
  - route:
    - destination: {host: mocka.default.svc.cluster.local, subset: v1}
```

## Fix safety
When exactly one subset that reaches a lane of the group is within edit distance 2 of the
unknown name, an unsafe fix replaces it (`v22` → `v2`). It is unsafe: it decides which lane
receives the traffic, and the author may have meant a lane that does not exist yet.
"#,
    fix: FixAvailability::Sometimes,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, route) in routes(index) {
        let vs_ns = &index.resources[res].namespace;
        for (d, _) in crate::rules::destinations_of(route) {
            check_destination(cx, res, vs_ns, d);
        }
    }
}

fn check_destination(cx: &mut Context<'_>, res: usize, vs_ns: &str, d: lanes_yaml::NodeRef<'_>) {
    let index = cx.index;
    let (Some(host), Some(subset)) = (d.get("host"), d.get("subset")) else {
        return;
    };
    let (Some(host_text), Some(name)) = (host.as_text(), subset.as_text()) else {
        return;
    };
    let Some(h) = resolve_host(host_text, vs_ns) else {
        return;
    };
    let group = index.group_of_service(&h.namespace, &h.name);
    if group.is_none()
        && index
            .destination_rules_for(&h.namespace, &h.name)
            .is_empty()
    {
        return; // nothing in the repository defines subsets for this host
    }
    match index.resolve_subset(&h.namespace, &h.name, name) {
        SubsetTarget::Lane(_) | SubsetTarget::Subset(..) => {}
        SubsetTarget::SubsetWithoutLane(dr, i) => {
            let g = group.map(|g| g.name.as_str()).unwrap_or("?");
            let rel = DestinationRule(index.root(dr)).subsets()[i].0;
            let related = cx.related(dr, rel, "DestinationRule subset defined here");
            cx.report(
                res,
                subset,
                format!(
                    "subset `{name}` of {}/{} selects no lane of lane group `{g}`",
                    h.namespace, h.name
                ),
            )
            .label("no lane behind this subset")
            .help(format!(
                "add an ASMSwimLane for it to group `{g}`, or route to one of its lanes: {}",
                lane_list(index, group)
            ))
            .related
            .push(related);
        }
        SubsetTarget::Unknown => {
            let names = index.subset_names(&h.namespace, &h.name);
            // Subsets that reach a lane: the only safe-looking targets for a typo fix.
            let lane_subsets: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| {
                    group.is_some()
                        && matches!(
                            index.resolve_subset(&h.namespace, &h.name, n),
                            SubsetTarget::Lane(_)
                        )
                })
                .collect();
            let fix = did_you_mean(name, lane_subsets.iter().copied()).and_then(|s| {
                crate::fixes::replace_scalar_fix(
                    &index.file_of(res).source,
                    subset,
                    s,
                    crate::Applicability::Unsafe,
                )
                .ok()
            });
            let what = match group {
                Some(g) => format!(
                    "no lane of lane group `{}` and no DestinationRule subset",
                    g.name
                ),
                None => "no subset of its DestinationRule".to_string(),
            };
            let help = match did_you_mean(name, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if names.is_empty() => {
                    "define the subset, or remove it from the destination".into()
                }
                None => format!("known subsets: {}", names.join(", ")),
            };
            let d = cx
                .report(
                    res,
                    subset,
                    format!("subset `{name}` of {}/{} is {what}", h.namespace, h.name),
                )
                .label("unknown subset")
                .help(help);
            if let Some(f) = fix {
                d.fix(f);
            }
        }
    }
}

fn lane_list(index: &lanes_model::Index, group: Option<&lanes_model::LaneGroup>) -> String {
    group
        .map(|g| {
            g.lanes
                .iter()
                .map(|l| index.resources[*l].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
