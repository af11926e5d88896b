//! Reusable fix builders: from a node plus intent to a [`Fix`] of byte-splice edits.
//!
//! Each builder only touches the bytes it owns (through `lanes_yaml::edit`), so comments, key
//! order and quoting elsewhere survive. A builder returns an error instead of an edit it cannot
//! make losslessly (anchored or block scalars, empty block mappings, ...); rules then report
//! the finding without a fix.

use std::ops::Range;

use lanes_model::views::{RouteDestination, Weight};
use lanes_yaml::edit::{self, EditError, NewScalar};
use lanes_yaml::{NodeRef, SourceFile};

use crate::diagnostic::{Applicability, Fix, FixEdit};

fn fix_of(title: String, applicability: Applicability, edits: Vec<edit::Edit>) -> Fix {
    Fix {
        title,
        applicability,
        edits: edits
            .into_iter()
            .map(|e| FixEdit {
                range: e.range,
                text: e.text,
            })
            .collect(),
    }
}

/// Add `key: value` to a label (or annotation) mapping, for example the missing
/// `ASM_TRAFFIC_TAG` label of a pod template, set to the lane's selector value. The value is
/// always written as a string (quoted when plain text would read as another type).
pub(crate) fn add_label_fix(
    src: &SourceFile,
    labels: NodeRef<'_>,
    key: &str,
    value: &str,
    applicability: Applicability,
) -> Result<Fix, EditError> {
    if labels.get(key).is_some() {
        return Err(EditError(format!("label `{key}` is already set")));
    }
    let e = edit::append_entry(src, labels, key, &edit::render_str(value))?;
    Ok(fix_of(
        format!("add label `{key}: {value}`"),
        applicability,
        vec![e],
    ))
}

/// Replace a scalar's value with a string, keeping its quoting style, for example a short host
/// with its FQDN, or a mistyped subset with the one lane it is close to.
pub(crate) fn replace_scalar_fix(
    src: &SourceFile,
    node: NodeRef<'_>,
    new: &str,
    applicability: Applicability,
) -> Result<Fix, EditError> {
    let old = node.scalar_text().unwrap_or("");
    let e = edit::set_scalar(src, node, &NewScalar::Str(new.to_string()))?;
    Ok(fix_of(
        format!("replace `{old}` with `{new}`"),
        applicability,
        vec![e],
    ))
}

/// Rename a mapping key given its byte range (a plain or quoted scalar key).
pub(crate) fn replace_key_fix(
    src: &SourceFile,
    key_range: Range<usize>,
    new: &str,
    applicability: Applicability,
) -> Result<Fix, EditError> {
    let text = src.text();
    let old = text
        .get(key_range.clone())
        .ok_or_else(|| EditError("key range out of bounds".into()))?;
    let rendered = if old.starts_with('"') {
        lanes_yaml::scalar::double_quote(new)
    } else if old.starts_with('\'') {
        lanes_yaml::scalar::single_quote(new)
            .unwrap_or_else(|| lanes_yaml::scalar::double_quote(new))
    } else if old.contains(['\n', '?']) {
        return Err(EditError("refusing to rename a complex key".into()));
    } else {
        edit::render_str(new)
    };
    let e = edit::Edit {
        range: key_range,
        text: rendered,
    };
    Ok(fix_of(
        format!("rename `{old}` to `{new}`"),
        applicability,
        vec![e],
    ))
}

/// Scale integer weights so they add up to `total`, proportionally, with largest-remainder
/// rounding (ties go to the earlier destination). Returns `None` when the weights are empty,
/// negative, or add up to 0.
pub fn largest_remainder(weights: &[i64], total: i64) -> Option<Vec<i64>> {
    let sum: i64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0 || weights.iter().any(|w| *w < 0) {
        return None;
    }
    let shares: Vec<u64> = weights.iter().map(|w| w.unsigned_abs()).collect();
    let total = u32::try_from(total).ok()?;
    Some(
        lanes_plan::weights::largest_remainder(&shares, total)
            .into_iter()
            .map(i64::from)
            .collect(),
    )
}

/// Rewrite the weights of a route's destinations (`route[]` items) so they add up to `total`
/// (proportionally, largest remainder), through the one traffic-edit module. Changing weights
/// changes traffic: callers normally pass [`Applicability::Unsafe`].
pub(crate) fn normalise_weights_fix(
    src: &SourceFile,
    dests: &[NodeRef<'_>],
    total: i64,
    applicability: Applicability,
) -> Result<Fix, EditError> {
    let values: Vec<i64> = dests
        .iter()
        .map(|d| match RouteDestination(*d).weight_read() {
            Weight::Absent => Ok(0),
            Weight::Int(i) => Ok(i),
            Weight::Invalid { .. } => Err(EditError("a weight is not an integer".into())),
        })
        .collect::<Result<_, _>>()?;
    let new = largest_remainder(&values, total).ok_or_else(|| {
        EditError("weights cannot be scaled (empty, negative or all zero)".into())
    })?;
    let new_u32: Vec<u32> = new
        .iter()
        .map(|w| u32::try_from(*w).map_err(|_| EditError("weight out of range".into())))
        .collect::<Result<_, _>>()?;
    // A destination without a weight that stays at 0 is left as it is.
    let (nodes, ws): (Vec<NodeRef<'_>>, Vec<u32>) = dests
        .iter()
        .zip(&new_u32)
        .filter(|(d, w)| **w != 0 || RouteDestination(**d).weight().is_some())
        .map(|(d, w)| (*d, *w))
        .unzip();
    let edits = lanes_model::traffic_edit::set_weights(src, &nodes, &ws)?;
    let split: Vec<String> = new.iter().map(i64::to_string).collect();
    Ok(fix_of(
        format!("scale weights to {} (total {total})", split.join(":")),
        applicability,
        edits,
    ))
}

/// Apply a fix's edits to a text (the tests below check fixes with it).
#[cfg(test)]
pub(crate) fn apply_fix(text: &str, fix: &Fix) -> Result<String, EditError> {
    let edits: Vec<edit::Edit> = fix
        .edits
        .iter()
        .map(|e| edit::Edit {
            range: e.range.clone(),
            text: e.text.clone(),
        })
        .collect();
    edit::apply(text, &edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> lanes_yaml::ParsedFile {
        lanes_yaml::parse_str("t.yaml", text)
    }

    #[test]
    fn largest_remainder_rounds_to_the_total() {
        assert_eq!(largest_remainder(&[60, 50], 100), Some(vec![55, 45]));
        assert_eq!(largest_remainder(&[1, 1, 1], 100), Some(vec![34, 33, 33]));
        assert_eq!(
            largest_remainder(&[60, 30, 11], 100),
            Some(vec![59, 30, 11])
        );
        assert_eq!(largest_remainder(&[0, 0], 100), None);
        assert_eq!(largest_remainder(&[5, -1], 100), None);
        for w in [[7, 13, 29], [1, 2, 3], [99, 1, 1]] {
            assert_eq!(largest_remainder(&w, 100).unwrap().iter().sum::<i64>(), 100);
        }
    }

    #[test]
    fn normalise_keeps_everything_else() {
        let text = "route:\n- weight: 60 # stable\n- weight: '50'\n- weight: 10\n";
        let f = doc(text);
        let root = f.docs[0].root().unwrap();
        let ws: Vec<NodeRef<'_>> = root.get("route").unwrap().items().collect();
        // '50' is a string: refused.
        assert!(normalise_weights_fix(&f.source, &ws, 100, Applicability::Unsafe).is_err());
        let text = "route:\n- weight: 60 # stable\n- weight: 50\n- weight: 10\n";
        let f = doc(text);
        let root = f.docs[0].root().unwrap();
        let ws: Vec<NodeRef<'_>> = root.get("route").unwrap().items().collect();
        let fix = normalise_weights_fix(&f.source, &ws, 100, Applicability::Unsafe).unwrap();
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(
            apply_fix(text, &fix).unwrap(),
            "route:\n- weight: 50 # stable\n- weight: 42\n- weight: 8\n"
        );
    }

    #[test]
    fn add_label_appends_in_block_and_flow_maps() {
        let text = "metadata:\n  labels:\n    app: mocka # app\n    version: v1\nspec: {}\n";
        let f = doc(text);
        let labels = f.docs[0].pointer("/metadata/labels").unwrap();
        let fix = add_label_fix(
            &f.source,
            labels,
            "ASM_TRAFFIC_TAG",
            "v1",
            Applicability::Safe,
        )
        .unwrap();
        let out = apply_fix(text, &fix).unwrap();
        assert_eq!(
            out,
            "metadata:\n  labels:\n    app: mocka # app\n    version: v1\n    ASM_TRAFFIC_TAG: v1\nspec: {}\n"
        );
        assert!(!lanes_yaml::parse_str("o.yaml", &out).has_errors());
        let text = "metadata:\n  labels: {app: mocka}\n";
        let f = doc(text);
        let labels = f.docs[0].pointer("/metadata/labels").unwrap();
        let fix = add_label_fix(
            &f.source,
            labels,
            "ASM_TRAFFIC_TAG",
            "1",
            Applicability::Safe,
        )
        .unwrap();
        assert_eq!(
            apply_fix(text, &fix).unwrap(),
            "metadata:\n  labels: {app: mocka, ASM_TRAFFIC_TAG: \"1\"}\n"
        );
        assert!(add_label_fix(&f.source, labels, "app", "x", Applicability::Safe).is_err());
    }

    #[test]
    fn replace_scalar_keeps_quotes() {
        let text = "host: \"mocka\"\nsubset: v3 # typo\n";
        let f = doc(text);
        let root = f.docs[0].root().unwrap();
        let fix = replace_scalar_fix(
            &f.source,
            root.get("host").unwrap(),
            "mocka.default.svc.cluster.local",
            Applicability::Safe,
        )
        .unwrap();
        let out = apply_fix(text, &fix).unwrap();
        assert_eq!(
            out,
            "host: \"mocka.default.svc.cluster.local\"\nsubset: v3 # typo\n"
        );
        let fix = replace_scalar_fix(
            &f.source,
            root.get("subset").unwrap(),
            "v2",
            Applicability::Unsafe,
        )
        .unwrap();
        assert_eq!(
            apply_fix(text, &fix).unwrap(),
            "host: \"mocka\"\nsubset: v2 # typo\n"
        );
    }

    #[test]
    fn replace_key_renames() {
        let text = "spec:\n  isPermisive: true\n";
        let f = doc(text);
        let (k, _) = f.docs[0]
            .pointer("/spec")
            .unwrap()
            .entry("isPermisive")
            .unwrap();
        let fix =
            replace_key_fix(&f.source, k.range(), "isPermissive", Applicability::Unsafe).unwrap();
        assert_eq!(
            apply_fix(text, &fix).unwrap(),
            "spec:\n  isPermissive: true\n"
        );
    }
}
