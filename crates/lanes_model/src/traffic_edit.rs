//! The one traffic-edit module: byte edits that change a split (a destination's weight, a
//! whole route's weights, a destination added or removed) and a Rollout's canary steps.
//!
//! Every function returns [`Edit`]s against the original text (through [`lanes_yaml::edit`]),
//! never a re-serialised file. The writing commands (`lanes_ops`), the lint fixes and
//! `lanes rollout steps` all call these, so "set or append a weight" is written once.

use lanes_plan::plan::{self, RolloutStep};
use lanes_yaml::edit::{self, Edit, EditError, NewScalar};
use lanes_yaml::{NodeRef, SourceFile};

use crate::views::RouteDestination;
use crate::views_argo::Rollout;

fn refuse<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// The edit that gives a route destination (`route[]` item) the weight `w`, or `None` when its
/// own `weight` key already says so. A destination without its own key (no weight, or one a
/// `<<` merge key supplies) gets a `weight` entry appended: a local key overrides a merged one.
pub fn set_weight(src: &SourceFile, dest: NodeRef<'_>, w: u32) -> Result<Option<Edit>, EditError> {
    match dest.get("weight") {
        Some(node) => {
            if !node.node().tagged() && node.as_i64() == Some(i64::from(w)) {
                return Ok(None);
            }
            if node.resolve().range() != node.range() {
                return refuse("the weight is an alias; edit refused");
            }
            Ok(Some(edit::set_scalar(
                src,
                node,
                &NewScalar::Int(i64::from(w)),
            )?))
        }
        None => Ok(Some(edit::append_entry(
            src,
            dest,
            "weight",
            &w.to_string(),
        )?)),
    }
}

/// Edits that give each destination its weight, in order (unchanged ones are left alone).
pub fn set_weights(
    src: &SourceFile,
    dests: &[NodeRef<'_>],
    new: &[u32],
) -> Result<Vec<Edit>, EditError> {
    if dests.len() != new.len() {
        return refuse(format!(
            "{} weights for {} destinations",
            new.len(),
            dests.len()
        ));
    }
    let mut out = Vec::new();
    for (d, w) in dests.iter().zip(new) {
        out.extend(set_weight(src, *d, *w)?);
    }
    Ok(out)
}

/// Parse a standalone fragment (a cloned item or document), edit it, and return the new text.
pub fn edit_fragment(
    text: &str,
    f: impl FnOnce(&SourceFile, NodeRef<'_>) -> Result<Vec<Edit>, EditError>,
) -> Result<String, EditError> {
    let parsed = lanes_yaml::parse_str("fragment", text);
    if let Some(e) = parsed.errors.first() {
        return refuse(format!("cannot re-read a cloned fragment: {}", e.message));
    }
    let Some(root) = parsed.docs.first().and_then(|d| d.root()) else {
        return refuse("a cloned fragment is empty");
    };
    let edits = f(&parsed.source, root)?;
    edit::apply(text, &edits)
}

/// What a new destination changes in the one it is cloned from.
#[derive(Clone, Debug, Default)]
pub struct NewDestination<'s> {
    /// New `destination.subset` (the source must have one).
    pub subset: Option<&'s str>,
    /// New `destination.host`.
    pub host: Option<&'s str>,
    /// Its weight.
    pub weight: u32,
}

/// Append a destination to a route's `route` sequence, cloned from the item `from` (same
/// layout, comments and port) with the given subset, host and weight.
pub fn append_destination(
    src: &SourceFile,
    seq: NodeRef<'_>,
    from: NodeRef<'_>,
    new: &NewDestination<'_>,
) -> Result<Edit, EditError> {
    let item = edit_fragment(&edit::node_text(src, from), |fsrc, root| {
        let mut out = Vec::new();
        let d = RouteDestination(root);
        if root.get("destination").is_none() {
            return refuse("the destination to clone has no `destination`");
        }
        if let Some(subset) = new.subset {
            match d.subset() {
                Some(s) => out.push(edit::set_scalar(
                    fsrc,
                    s,
                    &NewScalar::Str(subset.to_string()),
                )?),
                None => return refuse("the destination to clone has no subset"),
            }
        }
        if let Some(host) = new.host {
            match d.host() {
                Some(h) => out.push(edit::set_scalar(
                    fsrc,
                    h,
                    &NewScalar::Str(host.to_string()),
                )?),
                None => return refuse("the destination to clone has no host"),
            }
        }
        out.extend(set_weight(fsrc, root, new.weight)?);
        Ok(out)
    })?;
    let item = if seq.is_flow() {
        item.replace('\n', " ")
    } else {
        item
    };
    edit::append_item(src, seq, &item)
}

/// Remove the `i`-th destination of a route.
pub fn remove_destination(src: &SourceFile, seq: NodeRef<'_>, i: usize) -> Result<Edit, EditError> {
    if seq.len() < 2 {
        return refuse("cannot remove a route's only destination");
    }
    edit::remove_item(src, seq, i)
}

/// Replace a Rollout's `strategy.canary.steps` (a non-empty block sequence) with `steps`,
/// keeping the indentation and line breaks of the file.
pub fn replace_rollout_steps(
    src: &SourceFile,
    rollout: Rollout<'_>,
    who: &str,
    steps: &[RolloutStep],
) -> Result<Edit, EditError> {
    if rollout.canary().is_none() {
        return refuse(format!("{who} has no `spec.strategy.canary`"));
    }
    let Some(seq) = rollout.steps_node() else {
        return refuse(format!("{who} has no `strategy.canary.steps` to rewrite"));
    };
    if !seq.is_seq() || seq.is_flow() || seq.is_empty() {
        return refuse(format!(
            "the `steps` of {who} are not a block sequence (`- setWeight: ...` items); rewrite refused"
        ));
    }
    if seq.resolve().range() != seq.range() {
        return refuse(format!(
            "the `steps` of {who} are an alias; rewrite refused"
        ));
    }
    let text = src.text();
    let first = seq.item(0).expect("non-empty").range().start;
    let last = seq.item(seq.len() - 1).expect("non-empty").range().end;
    // The first item's dash and the spaces before it, from the start of its line.
    let line_start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let Some(dash) = text[line_start..first].find('-').map(|i| line_start + i) else {
        return refuse(format!("cannot find the `-` of the first step of {who}"));
    };
    if !text[line_start..dash].bytes().all(|b| b == b' ') {
        return refuse(format!(
            "the first step of {who} does not start its line; rewrite refused"
        ));
    }
    let indent = dash - line_start;
    // Through the end of the last item's line, line break included.
    let end = match text[last..].find('\n') {
        Some(i) => last + i + 1,
        None => text.len(),
    };
    let mut new = plan::render_steps_yaml(steps, indent);
    if text.contains("\r\n") {
        new = new.replace('\n', "\r\n");
    }
    if !text[..end].ends_with('\n') {
        // The last step ended the file without a line break: keep it that way.
        let trimmed = new.trim_end_matches(['\r', '\n']).len();
        new.truncate(trimmed);
    }
    Ok(Edit {
        range: line_start..end,
        text: new,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(text: &str) -> lanes_yaml::ParsedFile {
        lanes_yaml::parse_str("r.yaml", text)
    }

    #[test]
    fn set_weight_splices_appends_and_overrides_merges() {
        let text = "route:\n- destination: {host: a, subset: v1}\n  weight: 80 # stable\n- destination: {host: a, subset: v2}\n";
        let f = route(text);
        let seq = f.docs[0].pointer("/route").unwrap();
        let ds: Vec<_> = seq.items().collect();
        let edits = set_weights(&f.source, &ds, &[60, 40]).unwrap();
        assert_eq!(
            edit::apply(text, &edits).unwrap(),
            "route:\n- destination: {host: a, subset: v1}\n  weight: 60 # stable\n- destination: {host: a, subset: v2}\n  weight: 40\n"
        );
        assert!(set_weight(&f.source, ds[0], 80).unwrap().is_none());
        // A merged weight is overridden by a local key.
        let text = "base: &b {weight: 50}\nroute:\n- <<: *b\n  destination: {host: a}\n";
        let f = route(text);
        let d = f.docs[0].pointer("/route/0").unwrap();
        assert_eq!(RouteDestination(d).weight_value(), Some(50));
        let e = set_weight(&f.source, d, 70).unwrap().unwrap();
        let out = edit::apply(text, &[e]).unwrap();
        let g = route(&out);
        let d = g.docs[0].pointer("/route/0").unwrap();
        assert_eq!(RouteDestination(d).weight_value(), Some(70));
    }

    #[test]
    fn append_and_remove_are_inverse() {
        let text = "route:\n- destination:\n    host: reviews\n    subset: v1\n  weight: 80\n- destination:\n    host: reviews\n    subset: v2\n  weight: 20\n";
        let f = route(text);
        let seq = f.docs[0].pointer("/route").unwrap();
        let e = append_destination(
            &f.source,
            seq,
            seq.item(1).unwrap(),
            &NewDestination {
                subset: Some("v3"),
                host: None,
                weight: 10,
            },
        )
        .unwrap();
        let out = edit::apply(text, &[e]).unwrap();
        assert!(out.ends_with("    subset: v3\n  weight: 10\n"), "{out}");
        let g = route(&out);
        let seq = g.docs[0].pointer("/route").unwrap();
        let e = remove_destination(&g.source, seq, 2).unwrap();
        assert_eq!(edit::apply(&out, &[e]).unwrap(), text);
    }
}
