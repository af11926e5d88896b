//! The mesh upgrade ops, done in git so that Argo CD's self-heal keeps them:
//!
//! * [`gateway_canary_start`] / [`gateway_canary_finish`]: add or remove
//!   `asm.alibabacloud.com/enable-canary-deployment: "true"` on an `IstioGateway`;
//! * [`mesh_switch`]: rewrite Namespaces' injection labels to one `istio.io/rev: X` (replacing
//!   `istio-injection: enabled` rather than adding a second label), optionally bumping
//!   `kubectl.kubernetes.io/restartedAt` on pod templates (the guide's "Redeploy" step);
//! * [`mesh_promote`]: what ASM does in the cluster at promotion: `istio.io/rev: canary` becomes
//!   `stable`, and labels naming an older listed revision name the newest listed one;
//! * [`revoke_blockers`]: the namespaces that still use the canary label (the guide: "You
//!   cannot revoke the upgrade if any namespace still uses the canary label").
//!
//! Every op refuses, with the reason, when the guide's precondition does not hold; edits are
//! byte splices, and [`super::finish`] re-parses and re-lints the result.

use lanes_model::views::{
    path, Injects, Meta, Namespace, DATAPLANE_MODE_LABEL, INJECTION_LABEL, REV_LABEL,
};
use lanes_model::views_argo::{gateway_canary_deployment, IstioGateway, GATEWAY_CANARY_ANNOTATION};
use lanes_model::{Index, Kind, ResIdx};
use lanes_plan::asm_version::{revision_version, AsmVersion, GATEWAY_CANARY_MINIMUM};
use lanes_yaml::edit::{self, Edit, NewScalar};
use lanes_yaml::{NodeKind, NodeRef, SourceFile};

use super::{finish, refuse, OpError, Options, Outcome, Pending};

/// The pod-template annotation `kubectl rollout restart` sets.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// `lanes gateway canary start|finish`.
#[derive(Clone, Debug)]
pub struct GatewayCanaryArgs {
    /// The IstioGateway's `metadata.name`.
    pub name: String,
    /// Its namespace (`istio-system`).
    pub namespace: String,
}

/// `lanes mesh switch`.
#[derive(Clone, Debug, Default)]
pub struct SwitchArgs {
    /// The Namespaces to switch.
    pub namespaces: Vec<String>,
    /// `canary`, `stable`, or a revision name.
    pub to: String,
    /// Workloads (Deployments or Rollouts, by name, in the switched namespaces) to restart.
    pub restart: Vec<String>,
    /// Restart every workload of the switched namespaces.
    pub restart_all: bool,
    /// The `kubectl.kubernetes.io/restartedAt` value (RFC 3339).
    pub restarted_at: String,
}

/// A namespace that still uses the canary label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokeBlocker {
    /// The namespace.
    pub namespace: String,
    /// `file:line` of its `istio.io/rev` label.
    pub at: String,
}

fn gateway(index: &Index, a: &GatewayCanaryArgs) -> Result<ResIdx, OpError> {
    if let Some(r) = index
        .find(Kind::IstioGateway, &a.namespace, &a.name)
        .first()
    {
        return Ok(*r);
    }
    let known: Vec<String> = index
        .of_kind(Kind::IstioGateway)
        .map(|r| {
            let g = &index.resources[r];
            format!("{}/{}", g.namespace, g.name)
        })
        .collect();
    refuse(format!(
        "no IstioGateway {}/{} in the repository{}",
        a.namespace,
        a.name,
        if known.is_empty() {
            String::new()
        } else {
            format!(" (found: {})", known.join(", "))
        }
    ))
}

/// Add `asm.alibabacloud.com/enable-canary-deployment: "true"` to an IstioGateway.
///
/// Refuses when the repository already holds the canary's Deployment (`istio-<name>-canary`,
/// the gateway Deployment's name plus `-canary`, in the gateway's namespace: ASM would not
/// overwrite it), and when
/// `[mesh] version` is below 1.20 (the gateway-canary guide's prerequisite).
pub fn gateway_canary_start(
    index: &Index,
    a: &GatewayCanaryArgs,
    opts: &Options,
) -> Result<Outcome, OpError> {
    let res = gateway(index, a)?;
    if let Some(v) = &opts.config.mesh.version {
        if *v < GATEWAY_CANARY_MINIMUM {
            return refuse(format!(
                "lanes.toml [mesh] version is {v}; a gateway canary upgrade needs ASM 1.20 or later"
            ));
        }
    }
    let dep = gateway_canary_deployment(&a.name);
    if let Some(d) = index.find(Kind::Deployment, &a.namespace, &dep).first() {
        let f = &index.file_of(*d).source;
        return refuse(format!(
            "a Deployment {}/{dep} already exists in the repository ({}); ASM names the gateway's canary Deployment so and will not overwrite it: remove it first",
            a.namespace,
            super::display_name(&opts.root, f.name())
        ));
    }
    let root = index.root(res);
    let file = index.resources[res].file;
    let src = &index.files[file].source;
    let mut p = Pending::default();
    match IstioGateway(root).canary_annotation() {
        Some(v) if v.as_str() == Some("true") => {
            p.summary.push(format!(
                "IstioGateway {}/{} already carries {GATEWAY_CANARY_ANNOTATION}: \"true\"; nothing to change",
                a.namespace, a.name
            ));
            return Ok(Outcome {
                summary: p.summary,
                ..Outcome::default()
            });
        }
        Some(v) => {
            // A wrong value (`true` unquoted, "yes"): replace it with the string "true".
            p.edit(
                file,
                Edit {
                    range: v.range(),
                    text: "\"true\"".into(),
                },
            );
        }
        None => {
            let meta = root
                .get("metadata")
                .ok_or_else(|| OpError::Refused("the IstioGateway has no metadata".into()))?;
            p.edit(
                file,
                set_entry(
                    src,
                    meta,
                    "annotations",
                    GATEWAY_CANARY_ANNOTATION,
                    "\"true\"",
                )?,
            );
        }
    }
    p.summary.push(format!(
        "IstioGateway {}/{}: {GATEWAY_CANARY_ANNOTATION}: \"true\" (ASM deploys {dep} with one pod; verify it, upgrade the gateway, then run `lanes gateway canary finish {}`)",
        a.namespace, a.name, a.name
    ));
    let out = finish(index, opts, p)?;
    let (ns, name) = (a.namespace.clone(), a.name.clone());
    verify(index, &out, |after| {
        let ok = after.find(Kind::IstioGateway, &ns, &name).iter().all(|r| {
            IstioGateway(after.root(*r))
                .canary_annotation()
                .and_then(|v| v.as_str())
                == Some("true")
        });
        ok.then_some(()).ok_or(format!(
            "IstioGateway {ns}/{name} does not read back with the annotation \"true\""
        ))
    })?;
    Ok(out)
}

/// Remove the canary annotation from an IstioGateway.
pub fn gateway_canary_finish(
    index: &Index,
    a: &GatewayCanaryArgs,
    opts: &Options,
) -> Result<Outcome, OpError> {
    let res = gateway(index, a)?;
    let root = index.root(res);
    let file = index.resources[res].file;
    let src = &index.files[file].source;
    let Some(meta) = Meta::of(root) else {
        return refuse("the IstioGateway has no metadata");
    };
    let (Some(ann), Some(_)) = (
        meta.annotations_node(),
        IstioGateway(root).canary_annotation(),
    ) else {
        return refuse(format!(
            "IstioGateway {}/{} has no {GATEWAY_CANARY_ANNOTATION} annotation; no gateway canary is running",
            a.namespace, a.name
        ));
    };
    let mut p = Pending::default();
    let meta_node = root.get("metadata").unwrap_or(root);
    p.edit(
        file,
        remove_entry_or_map(src, meta_node, ann, GATEWAY_CANARY_ANNOTATION)?,
    );
    p.summary.push(format!(
        "IstioGateway {}/{}: removed {GATEWAY_CANARY_ANNOTATION} (ASM deletes {}). Note: a canary left enabled follows every control-plane upgrade (LN606)",
        a.namespace, a.name, gateway_canary_deployment(&a.name)
    ));
    let out = finish(index, opts, p)?;
    let (ns, name) = (a.namespace.clone(), a.name.clone());
    verify(index, &out, |after| {
        let ok = after
            .find(Kind::IstioGateway, &ns, &name)
            .iter()
            .all(|r| IstioGateway(after.root(*r)).canary_annotation().is_none());
        ok.then_some(()).ok_or(format!(
            "IstioGateway {ns}/{name} still has the annotation after the edit"
        ))
    })?;
    Ok(out)
}

/// Whether `rev` is a value the mesh knows (built-in tags, `[mesh] revisions`/`tags`, or, with
/// no list, a revision-shaped name), and not unpublished.
fn check_target(opts: &Options, rev: &str) -> Result<(), OpError> {
    if opts.config.mesh.unpublished.iter().any(|u| u == rev) {
        return refuse(format!(
            "revision {rev} is unpublished (lanes.toml [mesh] unpublished): a label naming it injects nothing"
        ));
    }
    if opts.config.knows_revision(rev) {
        Ok(())
    } else {
        refuse(format!(
            "--to {rev}: not canary, stable or a known revision{}",
            match &opts.config.mesh_revisions {
                Some(list) => format!(" (lanes.toml [mesh] lists {})", list.join(", ")),
                None => " such as 1-23-6".to_string(),
            }
        ))
    }
}

/// Rewrite one namespace's injection labels to `istio.io/rev: to`. `Ok(false)`: already so.
fn switch_namespace(
    index: &Index,
    res: ResIdx,
    to: &str,
    p: &mut Pending,
) -> Result<bool, OpError> {
    let root = index.root(res);
    let ns = Namespace(root);
    let name = &index.resources[res].name;
    let file = index.resources[res].file;
    let src = &index.files[file].source;
    match ns.injects() {
        Injects::Disabled => {
            return refuse(format!(
                "namespace {name} has istio-injection: disabled, which wins over istio.io/rev; its pods are not injected (remove the label first)"
            ))
        }
        Injects::Ambient => {
            return refuse(format!(
                "namespace {name} is in ambient mode (istio.io/dataplane-mode: ambient); it has no sidecars to switch"
            ))
        }
        Injects::None => {
            return refuse(format!(
                "namespace {name} is not injected (no istio-injection: enabled or istio.io/rev); the canary upgrade switches injected namespaces only"
            ))
        }
        Injects::Conflict if ns.label(DATAPLANE_MODE_LABEL).is_some() => {
            return refuse(format!(
                "namespace {name} has conflicting injection labels with ambient mode (LN601); fix them first"
            ))
        }
        Injects::Revision(r) if r == to => return Ok(false),
        _ => {}
    }
    let labels = Meta::of(root)
        .and_then(|m| m.labels_node())
        .ok_or_else(|| OpError::Refused(format!("namespace {name} has no labels")))?;
    let inj = labels.entry(INJECTION_LABEL);
    let rev = labels.entry(REV_LABEL);
    match (inj, rev) {
        (Some((_, _)), Some((_, rv))) => {
            // Conflict (LN601): keep the revision label, drop istio-injection.
            p.edit(file, edit::set_scalar(src, rv, &NewScalar::Str(to.into()))?);
            p.edit(file, remove_entry(src, labels, INJECTION_LABEL)?);
        }
        (None, Some((_, rv))) => {
            p.edit(file, edit::set_scalar(src, rv, &NewScalar::Str(to.into()))?);
        }
        (Some((k, v)), None) => {
            // Replace `istio-injection: enabled` by `istio.io/rev: X` in place.
            p.edit(
                file,
                Edit {
                    range: k.range(),
                    text: edit::render_str(REV_LABEL),
                },
            );
            p.edit(file, edit::set_scalar(src, v, &NewScalar::Str(to.into()))?);
        }
        (None, None) => return refuse(format!("namespace {name} is not injected")),
    }
    Ok(true)
}

/// Rewrite Namespaces to `istio.io/rev: <to>`, and bump the restart annotation on the chosen
/// workloads of those namespaces.
pub fn mesh_switch(index: &Index, a: &SwitchArgs, opts: &Options) -> Result<Outcome, OpError> {
    if a.namespaces.is_empty() {
        return refuse("name at least one namespace to switch");
    }
    check_target(opts, &a.to)?;
    let mut p = Pending::default();
    let mut namespaces = Vec::new();
    for n in &a.namespaces {
        // Namespaces are cluster-scoped: indexed under the empty namespace. A Namespace defined
        // twice (overlays) is switched in every file.
        let found = index.find(Kind::Namespace, "", n);
        if found.is_empty() {
            return refuse(format!(
                "no Namespace {n} in the repository; lanes switches the labels of Namespace manifests"
            ));
        }
        let mut changed = false;
        for res in found {
            changed |= switch_namespace(index, *res, &a.to, &mut p)?;
        }
        if changed {
            p.summary
                .push(format!("namespace {n}: istio.io/rev: {}", a.to));
        } else {
            p.summary
                .push(format!("namespace {n}: already istio.io/rev: {}", a.to));
        }
        namespaces.push(n.clone());
    }
    restart(
        index,
        &namespaces,
        &a.restart,
        a.restart_all,
        &a.restarted_at,
        &mut p,
    )?;
    let out = finish(index, opts, p)?;
    verify(index, &out, |after| {
        for n in &namespaces {
            for r in after.find(Kind::Namespace, "", n) {
                let got = Namespace(after.root(*r)).injects();
                if got != Injects::Revision(a.to.clone()) {
                    return Err(format!(
                        "namespace {n} reads back as {got:?}, not istio.io/rev: {}",
                        a.to
                    ));
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// Bump `kubectl.kubernetes.io/restartedAt` on workloads of `namespaces`.
fn restart(
    index: &Index,
    namespaces: &[String],
    names: &[String],
    all: bool,
    at: &str,
    p: &mut Pending,
) -> Result<(), OpError> {
    let mut targets: Vec<ResIdx> = Vec::new();
    let in_scope: Vec<ResIdx> = namespaces
        .iter()
        .flat_map(|n| index.workloads_in(n).iter().copied())
        .collect();
    if all {
        targets.extend(&in_scope);
    }
    for n in names {
        let found: Vec<ResIdx> = in_scope
            .iter()
            .copied()
            .filter(|r| index.resources[*r].name == *n)
            .collect();
        if found.is_empty() {
            return refuse(format!(
                "--restart {n}: no Deployment or Rollout named {n} in namespace{} {}",
                if namespaces.len() == 1 { "" } else { "s" },
                namespaces.join(", ")
            ));
        }
        targets.extend(found);
    }
    targets.sort_unstable();
    targets.dedup();
    if (all || !names.is_empty()) && at.is_empty() {
        return refuse("no restartedAt time given");
    }
    for r in targets {
        let res = &index.resources[r];
        let root = index.root(r);
        let src = &index.files[res.file].source;
        if path(root, "spec/workloadRef").is_some() {
            return refuse(format!(
                "{} {}/{} uses workloadRef; restart the referenced Deployment instead",
                res.kind_str, res.namespace, res.name
            ));
        }
        let Some(template) = path(root, "spec/template") else {
            return refuse(format!(
                "{} {}/{} has no spec.template",
                res.kind_str, res.namespace, res.name
            ));
        };
        // Quoted: a plain RFC 3339 time is a YAML 1.1 timestamp, and annotations are strings.
        let value = format!("\"{at}\"");
        let e = match template.get("metadata") {
            Some(meta) if meta.is_map() && !meta.is_empty() => {
                match meta.get("annotations").and_then(|a| a.entry(RESTARTED_AT)) {
                    Some((_, v)) => edit::set_scalar(src, v, &NewScalar::Str(at.into()))?,
                    None => set_entry(src, meta, "annotations", RESTARTED_AT, &value)?,
                }
            }
            Some(_) => {
                return refuse(format!(
                    "{} {}/{}: spec.template.metadata is empty; add labels first",
                    res.kind_str, res.namespace, res.name
                ))
            }
            None => add_block(
                src,
                template,
                "metadata",
                &[("annotations", None), (RESTARTED_AT, Some(value.as_str()))],
            )?,
        };
        p.edit(res.file, e);
        p.summary.push(format!(
            "{} {}/{}: {RESTARTED_AT}: {at}",
            res.kind_str, res.namespace, res.name
        ));
    }
    Ok(())
}

/// What ASM does in the cluster at promotion, done in git: `istio.io/rev: canary` becomes
/// `stable`, and labels naming an older revision listed in `[mesh] revisions` name the newest
/// listed one.
pub fn mesh_promote(index: &Index, opts: &Options) -> Result<Outcome, OpError> {
    let listed: Vec<(AsmVersion, String)> = opts
        .config
        .mesh_revisions
        .iter()
        .flatten()
        .filter_map(|r| revision_version(r).map(|v| (v, r.clone())))
        .collect();
    let newest = listed.iter().max_by(|a, b| a.0.cmp(&b.0)).cloned();
    let mut p = Pending::default();
    let mut canary = 0;
    for res in index.of_kind(Kind::Namespace) {
        let root = index.root(res);
        let Some(rev) = Namespace(root).label(REV_LABEL) else {
            continue;
        };
        let name = &index.resources[res].name;
        let file = index.resources[res].file;
        let src = &index.files[file].source;
        let v = rev.as_text().unwrap_or("");
        let new = if v == "canary" {
            canary += 1;
            Some("stable".to_string())
        } else {
            match (&newest, revision_version(v)) {
                (Some((nv, nr)), Some(old)) if old < *nv && listed.iter().any(|(_, r)| r == v) => {
                    Some(nr.clone())
                }
                _ => None,
            }
        };
        if let Some(new) = new {
            p.edit(
                file,
                edit::set_scalar(src, rev, &NewScalar::Str(new.clone()))?,
            );
            p.summary
                .push(format!("namespace {name}: istio.io/rev: {v} -> {new}"));
        }
    }
    if p.edits.is_empty() {
        return refuse(
            "no namespace uses istio.io/rev: canary or an older listed revision; nothing to promote",
        );
    }
    if canary > 0 {
        p.summary.push(
            "record the promotion in lanes.toml ([mesh] canary = \"promoted\") so that lint knows"
                .to_string(),
        );
    }
    let out = finish(index, opts, p)?;
    verify(index, &out, |after| {
        let left = after
            .of_kind(Kind::Namespace)
            .filter(|r| {
                Namespace(after.root(*r))
                    .label(REV_LABEL)
                    .and_then(|n| n.as_text())
                    == Some("canary")
            })
            .count();
        if left == 0 {
            Ok(())
        } else {
            Err(format!(
                "{left} namespace(s) still say canary after the edit"
            ))
        }
    })?;
    Ok(out)
}

/// The namespaces that still use `istio.io/rev: canary`.
pub fn revoke_blockers(index: &Index, root: &std::path::Path) -> Vec<RevokeBlocker> {
    let mut out = Vec::new();
    for res in index.of_kind(Kind::Namespace) {
        let ns = Namespace(index.root(res));
        // `istio-injection: disabled` wins: such a namespace injects nothing, canary included.
        let uses_canary = ns.label(REV_LABEL).and_then(|n| n.as_text()) == Some("canary")
            && ns.injects() != Injects::Disabled;
        if uses_canary {
            let rev = ns.label(REV_LABEL).unwrap_or(index.root(res));
            let src = &index.file_of(res).source;
            out.push(RevokeBlocker {
                namespace: index.resources[res].name.clone(),
                at: format!(
                    "{}:{}",
                    super::display_name(root, src.name()),
                    src.line_col(rev.range().start).line
                ),
            });
        }
    }
    out
}

/// Re-read the result (changed files re-parsed, the others as they were) and check the intended
/// values; a mismatch refuses the whole change.
fn verify(
    index: &Index,
    out: &Outcome,
    check: impl Fn(&Index) -> Result<(), String>,
) -> Result<(), OpError> {
    if out.changeset.is_empty() {
        return Ok(());
    }
    let texts: Vec<(String, String)> = index
        .files
        .iter()
        .map(|f| {
            let name = f.source.name().to_string();
            let text = out
                .changeset
                .changes
                .iter()
                .find(|c| c.path.as_os_str() == name.as_str())
                .and_then(|c| c.after.clone())
                .unwrap_or_else(|| f.source.text().to_string());
            (name, text)
        })
        .collect();
    let after = Index::from_texts(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    check(&after).map_err(|e| OpError::Edit(format!("{e}; nothing was written")))
}

// ---- splices on mappings -------------------------------------------------------------------

/// Column of a byte offset.
fn column(text: &str, at: usize) -> usize {
    at - text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Set `outer_key.inner_key: value` in map `map`: add to the `outer_key` mapping if there is
/// one, else add `outer_key:` with one nested entry (block style in a block mapping).
fn set_entry(
    src: &SourceFile,
    map: NodeRef<'_>,
    outer_key: &str,
    inner_key: &str,
    value: &str,
) -> Result<Edit, OpError> {
    match map.get(outer_key) {
        Some(inner) if inner.is_map() && !inner.is_empty() => {
            Ok(edit::append_entry(src, inner, inner_key, value)?)
        }
        Some(inner) if inner.is_map() && inner.is_flow() => {
            Ok(edit::append_entry(src, inner, inner_key, value)?)
        }
        Some(_) => Err(OpError::Refused(format!(
            "`{outer_key}` is not a mapping; cannot add {inner_key}"
        ))),
        None => add_block(src, map, outer_key, &[(inner_key, Some(value))]),
    }
}

/// Add a nested chain `k1:\n  k2: v` (each key one level deeper; the last carries the value)
/// at the end of block mapping `map`, or as flow text in a flow mapping.
fn add_block(
    src: &SourceFile,
    map: NodeRef<'_>,
    key: &str,
    chain: &[(&str, Option<&str>)],
) -> Result<Edit, OpError> {
    if map.is_flow() {
        let mut v = String::new();
        let mut close = 0;
        for (k, val) in chain {
            match val {
                Some(val) => v.push_str(&format!("{{{}: {val}", edit::render_str(k))),
                None => v.push_str(&format!("{{{}: ", edit::render_str(k))),
            }
            close += 1;
        }
        v.push_str(&"}".repeat(close));
        return Ok(edit::append_entry(src, map, key, &v)?);
    }
    let NodeKind::Map { entries, .. } = map.kind() else {
        return Err(OpError::Refused("not a mapping".into()));
    };
    let Some((k, _)) = entries.first() else {
        return Err(OpError::Refused("cannot add to an empty mapping".into()));
    };
    let col = column(src.text(), map.doc.at(*k).range().start);
    let mut v = String::new();
    for (depth, (k, val)) in chain.iter().enumerate() {
        let pad = " ".repeat(col + 2 * (depth + 1));
        match val {
            Some(val) => v.push_str(&format!("\n{pad}{}: {val}", edit::render_str(k))),
            None => v.push_str(&format!("\n{pad}{}:", edit::render_str(k))),
        }
    }
    // append_entry writes `key: <value>`; the nested lines start with a line break, so drop the
    // space it puts after the colon.
    let mut e = edit::append_entry(src, map, key, &v)?;
    let eol = src.eol().as_str();
    e.text = e.text.replacen(&format!(": {eol}"), &format!(":{eol}"), 1);
    Ok(e)
}

/// Remove entry `key` of `map`. A block entry goes with its whole lines; a flow entry with its
/// separating comma.
fn remove_entry(src: &SourceFile, map: NodeRef<'_>, key: &str) -> Result<Edit, OpError> {
    let entries: Vec<(NodeRef<'_>, NodeRef<'_>)> = map.entries().collect();
    let Some(i) = entries.iter().position(|(k, _)| k.as_text() == Some(key)) else {
        return Err(OpError::Edit(format!("no `{key}` to remove")));
    };
    let text = src.text();
    let (k, v) = entries[i];
    if map.is_flow() {
        let range = if let Some((nk, _)) = entries.get(i + 1) {
            k.range().start..nk.range().start
        } else if i > 0 {
            entries[i - 1].1.range().end..v.range().end
        } else {
            k.range().start..v.range().end
        };
        return Ok(Edit {
            range,
            text: String::new(),
        });
    }
    let start = text[..k.range().start].rfind('\n').map_or(0, |j| j + 1);
    let end_val = v.range().end.max(k.range().end);
    let end = text[end_val..]
        .find('\n')
        .map_or(text.len(), |j| end_val + j + 1);
    Ok(Edit {
        range: start..end,
        text: String::new(),
    })
}

/// Remove `key` from mapping `inner` (the value of `outer_key` in `outer`); when it is the only
/// entry, remove the whole `outer_key` entry from `outer`.
fn remove_entry_or_map(
    src: &SourceFile,
    outer: NodeRef<'_>,
    inner: NodeRef<'_>,
    key: &str,
) -> Result<Edit, OpError> {
    if inner.len() == 1 {
        let outer_key = outer
            .entries()
            .find(|(_, v)| v.range() == inner.range())
            .and_then(|(k, _)| k.as_text().map(str::to_string))
            .ok_or_else(|| OpError::Edit("cannot find the annotations key".into()))?;
        return remove_entry(src, outer, &outer_key);
    }
    remove_entry(src, inner, key)
}
