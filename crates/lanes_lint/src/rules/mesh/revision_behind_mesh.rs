use lanes_plan::asm_version::revision_version;

use crate::rules::mesh::upgrade_common::{revision_labels, what};
use crate::{Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN609",
    name: "revision-older-than-mesh",
    group: "mesh",
    severity: Severity::Warning,
    summary: "an istio.io/rev label pins a revision older than the mesh's version in lanes.toml",
    docs: r#"## What it does
When `lanes.toml` records the mesh's ASM version (`[mesh] version`), reports every revision-named
`istio.io/rev` label (`1-22-6`), on a Namespace or a pod template, that names an older release
than that version.

## Why is this bad?
After an upgrade the old revision is unpublished. A label that pins it by name keeps working
only until then, and afterwards injects nothing. Tags (`stable`, `canary`) follow the upgrade;
revision names do not.

## Example
```toml
[mesh]
version = "1.23.6.5"
```

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: reviews
  labels:
    istio.io/rev: 1-22-6
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
    let Some(mesh) = cx.config.mesh.version.clone() else {
        return;
    };
    let index = cx.index;
    for (res, v, on) in revision_labels(index) {
        let Some(t) = v.as_text() else { continue };
        let Some(rv) = revision_version(t) else {
            continue;
        };
        if (rv.major, rv.minor, rv.patch) >= (mesh.major, mesh.minor, mesh.patch) {
            continue;
        }
        let who = what(index, res, on);
        cx.report(
            res,
            v,
            format!("{who} pins revision {t}, older than the mesh's version {mesh} ([mesh] version): once {t} is unpublished the label injects nothing"),
        )
        .label("old revision")
        .help("use the stable tag, which follows upgrades, or the current revision");
    }
}
