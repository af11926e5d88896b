use lanes_model::views::Namespace;
use lanes_model::Kind;

use crate::{Context, FixAvailability, RuleMeta, Severity};
use lanes_model::views::DATAPLANE_MODE_LABEL;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN601",
    name: "namespace-multiple-injection-labels",
    group: "mesh",
    severity: Severity::Error,
    summary: "a namespace has more than one of istio-injection, istio.io/rev and ambient mode",
    docs: r#"## What it does
Reports a Namespace with more than one injection selector: `istio-injection` (unless it is
`disabled`), `istio.io/rev`, and `istio.io/dataplane-mode: ambient`. As in Istio,
`istio-injection: disabled` wins and conflicts with nothing.

istioctl analyze: IST0123 (NamespaceMultipleInjectionLabels).

## Why is this bad?
The labels select different injector webhooks (or, for ambient, no sidecar at all). During a
control-plane canary upgrade the namespace is meant to follow exactly one revision; with two
selectors, which sidecar version a new pod gets depends on webhook order, and an ambient
namespace may get sidecars anyway (istioctl: `The namespace has more than one type of injection
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
        let sel = Namespace(index.root(res)).injection_selectors();
        if sel.len() < 2 {
            continue;
        }
        let names: Vec<&str> = sel.iter().map(|(k, _)| *k).collect();
        let ambient = names.contains(&DATAPLANE_MODE_LABEL);
        let (_, at) = sel[1];
        let related: Vec<_> = sel
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, (k, n))| cx.related(res, *n, format!("{k} set here")))
            .collect();
        let d = cx.report(
            res,
            at.key().unwrap_or(at),
            format!(
                "the namespace has more than one type of injection labels [{}], which may lead to undefined behavior; make sure only one injection label exists",
                names.join(" ")
            ),
        );
        d.label("second injection label");
        if ambient {
            d.help("an ambient namespace gets no sidecar: remove `istio-injection`/`istio.io/rev`, or remove `istio.io/dataplane-mode: ambient` to keep sidecars");
        } else {
            d.help("keep `istio.io/rev` for revision-based (canary) upgrades and remove `istio-injection`");
        }
        d.related.extend(related);
    }
}
