#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN313",
    name: "lane-name-invalid",
    group: "lanes",
    severity: Severity::Error,
    summary: "a lane name is not a DNS-1123 label",
    docs: r#"## What it does
Checks that every `ASMSwimLane` name is a DNS-1123 label: at most 63 characters, lowercase
letters, digits and `-`, starting and ending with a letter or digit.

## Why is this bad?
The lane name becomes a DestinationRule subset name and a route-header value. Istio rejects
subset names that are not DNS-1123 labels, so the generated configuration fails.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: V2_canary
  labels: {swimlane-group: mock}
spec:
  labelSelector: {version: v1}
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLane
metadata:
  name: v2-canary
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
        let name = &index.resources[lane].name;
        if is_dns1123_label(name) {
            continue;
        }
        let root = index.root(lane);
        cx.report(lane, name_node(root), format!("lane name `{name}` is not a DNS-1123 label"))
            .label("invalid lane name")
            .help("use at most 63 lowercase letters, digits and `-`, starting and ending with a letter or digit");
    }
}

fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}
