use lanes_model::views::Namespace;
use lanes_model::Kind;

use crate::config::BUILTIN_TAGS;
use crate::rules::mesh::REV;
use crate::{did_you_mean, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN602",
    name: "namespace-unknown-revision",
    group: "mesh",
    severity: Severity::Error,
    summary: "a namespace's istio.io/rev names no known revision or tag",
    docs: r#"## What it does
Checks the value of a Namespace's `istio.io/rev` label. `stable` (ASM's built-in tag),
`canary` (ASM's tag while a canary upgrade runs) and `default` (Istio's default revision tag)
are always known. Otherwise the value must be a revision name such as `1-23-6`, or, when
`lanes.toml` lists the mesh's revisions and tags (`[mesh] revisions`, `[mesh] tags`), one of
those.

ASM names every revision after its version, but plain Istio lets revisions have any name
(`istioctl install --revision pidgeon`). So when `lanes.toml` lists no revisions and the
repository holds no ASM resource (`istio.alibabacloud.com`: lane groups, lanes, `IstioGateway`),
lanes only reports a value that looks like a typo of a known tag (`canry`); list the revisions in
`[mesh] revisions` to check every value.

## Why is this bad?
No injector webhook matches an unknown revision, so new pods in the namespace silently start
without a sidecar and drop out of the mesh: no mTLS, no lanes, no canary routing.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: canry
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
    let known = cx.config.mesh_revisions.clone();
    // Only ASM ties revision names to versions; plain Istio's are free-form.
    let asm = [Kind::SwimLaneGroup, Kind::SwimLane, Kind::IstioGateway]
        .into_iter()
        .any(|k| index.of_kind(k).next().is_some());
    for res in index.of_kind(Kind::Namespace) {
        let Some(rev) = Namespace(index.root(res)).label(REV) else {
            continue;
        };
        let v = rev.as_text().unwrap_or("");
        if cx.config.knows_revision(v) {
            continue;
        }
        let candidates = candidates(cx.config);
        let typo = did_you_mean(v, candidates.iter().map(String::as_str));
        if known.is_none() && !asm && typo.is_none() {
            continue;
        }
        let msg = match &known {
            Some(_) => format!(
                "istio.io/rev '{v}' is not a known revision or tag ({})",
                candidates.join(", ")
            ),
            None => format!(
                "istio.io/rev '{v}' is not stable, canary, default or a revision name such as 1-23-6"
            ),
        };
        let d = cx.report(res, rev, msg);
        d.label("unknown revision");
        match typo {
            Some(s) => d.help(format!("did you mean '{s}'?")),
            None => d.help("use a revision or tag the mesh has; `lanes mesh revisions` lists what each namespace injects"),
        };
    }
}

/// The values the mesh knows, for messages and suggestions: the built-in tags, then the listed
/// revisions and tags.
pub(crate) fn candidates(config: &crate::Config) -> Vec<String> {
    let mut c: Vec<String> = BUILTIN_TAGS.iter().map(|t| t.to_string()).collect();
    if let Some(list) = &config.mesh_revisions {
        c.extend(
            list.iter()
                .filter(|k| !BUILTIN_TAGS.contains(&k.as_str()))
                .cloned(),
        );
    }
    c
}
