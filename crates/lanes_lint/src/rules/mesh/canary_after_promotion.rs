use lanes_plan::asm_version::CanaryState;

use crate::rules::mesh::upgrade_common::{revision_labels, what};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN607",
    name: "canary-label-after-promotion",
    group: "mesh",
    severity: Severity::Warning,
    summary: "a label still says istio.io/rev: canary while lanes.toml records the canary upgrade as promoted or unpublished",
    docs: r#"## What it does
When `lanes.toml` records the control-plane canary upgrade as promoted or unpublished
(`[mesh] canary = "promoted"` or `"unpublished"`), reports every `istio.io/rev: canary` label on a
Namespace or a pod template.

## Why is this bad?
At promotion ASM rewrites `istio.io/rev: canary` to `stable` in the cluster, but git still says
`canary`, so Argo CD's self-heal puts `canary` back. Once the old revision is unpublished the
`canary` tag is gone and the label injects nothing: new pods start without a sidecar. Run
`lanes mesh promote` to make git say what ASM did.

## Example
```toml
[mesh]
canary = "promoted"
```

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: canary
```

Use instead:
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: stable
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let Some(state @ (CanaryState::Promoted | CanaryState::Unpublished)) = cx.config.mesh.canary
    else {
        return;
    };
    let index = cx.index;
    for (res, v, on) in revision_labels(index) {
        if v.as_text() != Some("canary") {
            continue;
        }
        let who = what(index, res, on);
        cx.report(
            res,
            v,
            format!(
                "{who} still says istio.io/rev: canary, but lanes.toml records the canary upgrade as {state}: ASM rewrote it to stable in the cluster and Argo CD will put canary back{}",
                if state == CanaryState::Unpublished {
                    "; with the old revision unpublished it injects nothing"
                } else {
                    ", and once the old revision is unpublished it injects nothing"
                }
            ),
        )
        .label("canary after promotion")
        .help("run `lanes mesh promote` to rewrite canary to stable in git");
    }
}
