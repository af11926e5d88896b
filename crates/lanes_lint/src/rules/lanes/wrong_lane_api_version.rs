#[allow(unused_imports)]
use super::{kind_node, name_node};
use crate::{Context, FixAvailability, RuleMeta, Severity};
#[allow(unused_imports)]
use lanes_model::views::{Meta, SwimLane, SwimLaneGroup};
#[allow(unused_imports)]
use lanes_model::Kind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN303",
    name: "wrong-lane-api-version",
    group: "lanes",
    severity: Severity::Error,
    summary: "an ASM lane kind uses an apiVersion other than `istio.alibabacloud.com/v1`",
    docs: r#"## What it does
Checks that `ASMSwimLaneGroup` and `ASMSwimLane` use `apiVersion: istio.alibabacloud.com/v1`,
the only version that defines them.

## Why is this bad?
No `v1beta1` or `v1alpha1` lane kind exists; the API server rejects the object and the Argo CD
sync fails part-way.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1beta1
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
    for (i, r) in index.resources.iter().enumerate() {
        if !matches!(r.kind, Kind::SwimLane | Kind::SwimLaneGroup)
            || r.api_version == lanes_model::ASM_LANE_API
        {
            continue;
        }
        let Some(api) = index.root(i).get("apiVersion") else {
            continue;
        };
        cx.report(
            i,
            api,
            format!("{} uses apiVersion `{}`", r.kind_str, r.api_version),
        )
        .label("unknown version")
        .help(format!("use `apiVersion: {}`", lanes_model::ASM_LANE_API));
    }
}
