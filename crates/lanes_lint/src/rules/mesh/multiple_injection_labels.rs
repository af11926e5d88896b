use lanes_model::views::Namespace;
use lanes_model::Kind;

use crate::rules::mesh::{INJECTION, REV};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN601",
    name: "namespace-multiple-injection-labels",
    group: "mesh",
    severity: Severity::Error,
    summary: "a namespace has both istio-injection and istio.io/rev",
    docs: r#"## What it does
Reports a Namespace labelled with both `istio-injection` and `istio.io/rev`.

## Why is this bad?
The two labels select different injector webhooks. During a control-plane canary upgrade the
namespace is meant to follow exactly one revision; with both labels, which sidecar version a new
pod gets depends on webhook order (istioctl: `The namespace has more than one type of injection
labels ..., which may lead to undefined behavior`).

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio-injection: enabled
    istio.io/rev: canary
```

Use instead:
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: canary
```
"#,
    fix: FixAvailability::None,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for res in index.of_kind(Kind::Namespace) {
        let ns = Namespace(index.root(res));
        let (Some(inj), Some(rev)) = (ns.label(INJECTION), ns.label(REV)) else {
            continue;
        };
        let rel = cx.related(res, inj, "istio-injection set here");
        cx.report(
            res,
            rev.key().unwrap_or(rev),
            format!(
                "the namespace has more than one type of injection labels [{INJECTION} {REV}], which may lead to undefined behavior; make sure only one injection label exists"
            ),
        )
        .label("second injection label")
        .help("keep `istio.io/rev` for revision-based (canary) upgrades and remove `istio-injection`")
        .related
        .push(rel);
    }
}
