#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN312",
    name: "lane-empty-selector",
    group: "lanes",
    severity: Severity::Error,
    summary: "a lane has no `labelSelector`, or an empty one",
    docs: r#"## What it does
Checks that every `ASMSwimLane` has a non-empty `spec.labelSelector`.

## Why is this bad?
The selector decides which pods belong to the lane; ASM turns it into the lane's DestinationRule
subset. An empty selector matches every pod of every version, so the lane isolates nothing.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v1
  labels: {swimlane-group: mock}
spec:
  labelSelector: {}
```

Use instead:
```yaml
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
    for lane in index.of_kind(Kind::SwimLane) {
        let root = index.root(lane);
        let view = SwimLane(root);
        if !view.selector().is_empty() {
            continue;
        }
        let at = view
            .selector_node()
            .or_else(|| root.get("spec").map(|s| s.key().unwrap_or(s)))
            .unwrap_or_else(|| name_node(root));
        cx.report(
            lane,
            at,
            format!(
                "lane `{}` has an empty labelSelector",
                index.resources[lane].name
            ),
        )
        .help("select the lane's pods, e.g. `labelSelector: {version: v2}`");
    }
}
