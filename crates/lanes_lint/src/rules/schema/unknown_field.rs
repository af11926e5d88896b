use crate::fixes::replace_key_fix;
use crate::schema::ViolationKind;
use crate::{Applicability, Context, FixAvailability, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LN702",
    name: "unknown-field",
    group: "schema",
    severity: Severity::Error,
    summary: "a field that the kind's schema does not define, usually a typo",
    docs: r#"## What it does
Reports keys that the kind's JSON Schema does not define, where the schema lists the fields
(`additionalProperties: false`), with a "did you mean" suggestion from the fields that are
allowed at that place. Label, annotation and selector maps and free-form patches are open and
never reported. A committed `status` is LN703.

kubectl argo rollouts lint: `unknown field` (strict decoding of Rollouts, Services and VirtualServices).

## Why is this bad?
ASM's lane CRDs keep unknown fields, so `isPermisive: true` is accepted and silently ignored: the
group stays in strict mode. For other kinds the API server prunes the field (`timout: 5s` is
dropped, and the route has no timeout). Either way, what you wrote is not what runs.

## Example
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  isPermisive: true
  services:
    - name: mocka
      namespace: default
```

Use instead:
```yaml
apiVersion: istio.alibabacloud.com/v1
kind: ASMSwimLaneGroup
metadata:
  name: mock
spec:
  isPermissive: true
  services:
    - name: mocka
      namespace: default
```

## Fix safety
When exactly one allowed field is within edit distance 2, the fix renames the key. It is unsafe:
the field starts to take effect (a lane group turns permissive, a route gets a timeout).
"#,
    fix: FixAvailability::Sometimes,
    input: false,
};

pub(crate) fn check(cx: &mut Context<'_>) {
    let index = cx.index;
    for v in cx.cache.schema_violations(index).to_vec() {
        let ViolationKind::UnknownField { key, suggestion } = v.kind else {
            continue;
        };
        let file = index.resources[v.res].file;
        let src = &index.files[file].source;
        // No rename onto a key that is already there (that would be a duplicate key).
        let parent = index.files[file].docs[index.resources[v.res].doc]
            .pointer(v.pointer.rsplit_once('/').map_or("", |(p, _)| p));
        let fix = suggestion
            .as_deref()
            .filter(|s| parent.is_some_and(|p| p.get(s).is_none()))
            .and_then(|s| replace_key_fix(src, v.range.clone(), s, Applicability::Unsafe).ok());
        let d = cx.report_in_file(file, v.range, v.message);
        d.label("not a field of this object");
        match &suggestion {
            Some(s) => {
                d.help(format!("did you mean `{s}`?"));
            }
            None => {
                d.help(format!(
                    "remove `{key}`, or see `lanes schema {}` for the fields this object accepts",
                    index.resources[v.res].kind_str
                ));
            }
        }
        if let Some(f) = fix {
            d.fix(f);
        }
    }
}
