#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN305",
    name: "permissive-config-invalid",
    group: "lanes",
    severity: Severity::Error,
    summary: "a permissive lane group lacks `traceHeader`, `routeHeader` or a `fallbackTarget` that names one of its lanes",
    docs: r#"## What it does
For an `ASMSwimLaneGroup` with `isPermissive: true`, checks that `permissiveModeConfiguration`
exists and sets a non-empty `traceHeader` and `routeHeader`, and a `fallbackTarget` that names a
lane of the group.

## Why is this bad?
In permissive mode a request for a service missing from its lane falls back to the baseline
lane named by `fallbackTarget`, and the headers carry the lane end to end. Without them the
group cannot route, and a fallback to a lane that does not exist sends traffic nowhere.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  isPermissive: true
  permissiveModeConfiguration:
    routeHeader: x-asm-prefer-tag
    fallbackTarget: v9
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
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  isPermissive: true
  permissiveModeConfiguration:
    traceHeader: my-trace-id
    routeHeader: x-asm-prefer-tag
    fallbackTarget: v1
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
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for g in &index.groups {
        if !g.permissive {
            continue;
        }
        let root = index.root(g.res);
        let view = SwimLaneGroup(root);
        let Some(cfg) = view.permissive_config() else {
            let at = root
                .get("spec")
                .and_then(|s| s.entry("isPermissive"))
                .map(|(k, _)| k)
                .unwrap_or_else(|| kind_node(root));
            cx.report(g.res, at, format!("permissive lane group `{}` has no `permissiveModeConfiguration`", g.name))
                .help("add `permissiveModeConfiguration` with `traceHeader`, `routeHeader` and `fallbackTarget`");
            continue;
        };
        let cfg_key = cfg.key().unwrap_or(cfg);
        for key in ["traceHeader", "routeHeader"] {
            if cfg
                .get(key)
                .and_then(|v| v.as_text())
                .is_none_or(str::is_empty)
            {
                cx.report(g.res, cfg_key, format!("permissive lane group `{}` sets no `{key}`", g.name))
                    .help("permissive lanes need a trace header and a route header that every service propagates");
            }
        }
        match view.fallback_target() {
            None => {
                cx.report(
                    g.res,
                    cfg_key,
                    format!(
                        "permissive lane group `{}` sets no `fallbackTarget`",
                        g.name
                    ),
                )
                .help("name the baseline lane that holds every service");
            }
            Some(f) => {
                let name = f.as_text().unwrap_or("");
                if index.lane_named(g, name).is_none() {
                    let lanes: Vec<&str> = g
                        .lanes
                        .iter()
                        .map(|l| index.resources[*l].name.as_str())
                        .collect();
                    let help = match crate::did_you_mean(name, lanes.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("lanes of the group: {}", lanes.join(", ")),
                    };
                    cx.report(
                        g.res,
                        f,
                        format!("fallbackTarget `{name}` is no lane of group `{}`", g.name),
                    )
                    .label("unknown lane")
                    .help(help);
                }
            }
        }
    }
}
