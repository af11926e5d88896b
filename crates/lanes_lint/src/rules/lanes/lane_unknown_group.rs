#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN311",
    name: "lane-unknown-group",
    group: "lanes",
    severity: Severity::Error,
    summary: "a lane's `swimlane-group` label is missing or names no lane group in the repository",
    docs: r#"## What it does
Checks that every `ASMSwimLane` carries the label `swimlane-group` and that its value names an
`ASMSwimLaneGroup` in the repository.

## Why is this bad?
The label is the only link between a lane and its group. A lane with a typo in it belongs to no
group: ASM generates no subset for it and traffic routed to it fails.

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
  labels: {swimlane-group: mok}
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
    let groups: Vec<&str> = index.groups.iter().map(|g| g.name.as_str()).collect();
    for lane in index.of_kind(Kind::SwimLane) {
        let root = index.root(lane);
        let name = &index.resources[lane].name;
        match SwimLane(root).group_label() {
            None => {
                let at = Meta::of(root)
                    .and_then(|m| m.labels_node())
                    .map(|l| l.key().unwrap_or(l))
                    .unwrap_or_else(|| name_node(root));
                cx.report(
                    lane,
                    at,
                    format!("lane `{name}` has no `swimlane-group` label"),
                )
                .help("label the lane with `swimlane-group: <group name>`");
            }
            Some(v) => {
                let g = v.as_text().unwrap_or("");
                if index.group(g).is_none() {
                    let help = match crate::did_you_mean(g, groups.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if groups.is_empty() => {
                            "add the ASMSwimLaneGroup to the repository".into()
                        }
                        None => format!("lane groups in the repository: {}", groups.join(", ")),
                    };
                    cx.report(
                        lane,
                        v,
                        format!(
                            "lane `{name}` names lane group `{g}`, which is not in the repository"
                        ),
                    )
                    .label("unknown group")
                    .help(help);
                }
            }
        }
    }
}
