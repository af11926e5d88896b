use lanes_model::views::{Service, Workload};
use lanes_model::Kind;

use crate::rules::argo::rollouts;
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN511",
    name: "rollout-service-selector-mismatch",
    group: "rollouts",
    severity: Severity::Error,
    summary: "the stable or canary Service selects labels the Rollout's pods do not carry",
    docs: r#"## What it does
Every selector label of the `stableService` and `canaryService`, and of the ping-pong
Services (`pingPong.pingService`, `pingPong.pongService`) (except
`rollouts-pod-template-hash`, which the controller adds) must equal a label of the Rollout's pod
template. A Rollout with `workloadRef` takes its pod template from the referenced Deployment.

## Why is this bad?
The controller refuses the Rollout (`Service "x" has unmatch label "app" in rollout`): the
Service would select no pod of the Rollout.

kubectl argo rollouts lint: `Service "x" has unmatch label "y" in rollout`.

## Example
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  selector:
    matchLabels: {app: reviews}
  template:
    metadata:
      labels: {app: reviews}
  strategy:
    canary:
      canaryService: reviews-canary
      stableService: reviews-stable
---
apiVersion: v1
kind: Service
metadata:
  name: reviews-stable
spec:
  selector: {app: review}
---
apiVersion: v1
kind: Service
metadata:
  name: reviews-canary
spec:
  selector: {app: reviews}
```

Use instead:
```yaml
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: reviews
spec:
  selector:
    matchLabels: {app: reviews}
  template:
    metadata:
      labels: {app: reviews}
  strategy:
    canary:
      canaryService: reviews-canary
      stableService: reviews-stable
---
apiVersion: v1
kind: Service
metadata:
  name: reviews-stable
spec:
  selector: {app: reviews}
---
apiVersion: v1
kind: Service
metadata:
  name: reviews-canary
spec:
  selector: {app: reviews}
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for (res, ro) in rollouts(index) {
        let ns = index.resources[res].namespace.as_str();
        let rollout = index.resources[res].name.as_str();
        let labels = match ro.workload_ref_deployment() {
            Some(dep) => match index.find_near(Kind::Deployment, ns, dep, res) {
                Some(d) => Workload(index.root(d)).template_labels(),
                None => continue,
            },
            None if ro.workload_ref().is_some() => continue,
            None => ro.template_labels(),
        };
        let mut done: Vec<&str> = Vec::new();
        let ping_pong = ro.canary().and_then(|c| c.get("pingPong"));
        let ping = ping_pong.and_then(|p| p.get("pingService"));
        let pong = ping_pong.and_then(|p| p.get("pongService"));
        for svc_name in [ro.stable_service(), ro.canary_service(), ping, pong]
            .into_iter()
            .flatten()
        {
            let Some(name) = svc_name.as_text() else {
                continue;
            };
            if done.contains(&name) {
                continue;
            }
            done.push(name);
            let Some(svc) = index.find_near(Kind::Service, ns, name, res) else {
                continue;
            };
            let Some(sel) = Service(index.root(svc)).selector_node() else {
                continue;
            };
            for (k, v) in sel.entries() {
                let Some(key) = k.scalar_text() else { continue };
                if key == "rollouts-pod-template-hash" {
                    continue;
                }
                let want = v.as_text().unwrap_or("");
                if labels.iter().any(|(lk, lv)| *lk == key && *lv == want) {
                    continue;
                }
                let have = labels.iter().find(|(lk, _)| *lk == key).map(|(_, lv)| *lv);
                let rel = cx.related(res, svc_name, format!("used by rollout {rollout}"));
                cx.report(
                    svc,
                    v,
                    format!(
                        "service \"{name}\" has unmatched label \"{key}\" in rollout \"{rollout}\""
                    ),
                )
                .label(match have {
                    Some(h) => format!("the rollout's pods have {key}: {h}"),
                    None => format!("the rollout's pods have no {key} label"),
                })
                .help("make the Service's selector a subset of the Rollout's pod template labels")
                .related
                .push(rel);
            }
        }
    }
}
