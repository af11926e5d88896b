//! Loading only what a lane group can touch.
//!
//! A writing op needs the group, its lanes, its services' Services, Deployments,
//! DestinationRules and the VirtualServices that route to them. Every one of those documents
//! names the group (`swimlane-group: <group>`) or one of the group's services (host, name,
//! `app` label) in its text. [`load_for_group`] reads every YAML file under the root, parses the
//! files that hold an `ASMSwimLaneGroup` to learn the group's services, then parses only the
//! files whose text mentions the group or one of its services. On a 10k-document tree this is
//! what keeps `lanes add` and `lanes promote` well under the 300 ms budget.
//!
//! The in-memory re-lint of an op then runs over this scope: errors the op could introduce are
//! in files of the scope (changed or new files, and the files that refer to the same services).

use std::path::PathBuf;

use rayon::prelude::*;

use lanes_model::load::{select, LoadOptions};
use lanes_model::{Index, InputError};
use lanes_yaml::SourceFile;

/// Load the files of `paths` that can matter to `group` (or, when `group` is `None` and the
/// tree has exactly one lane group, to that group). With several groups and no name, or when
/// the group is not found, every file is loaded so the op can report the choice.
pub fn load_for_group(paths: &[PathBuf], group: Option<&str>) -> Index {
    load_for(paths, group, None, None)
}

/// Load the files that can matter to an op: with `--group` (or a tree that has lane groups),
/// as [`load_for_group`]; with `--route NAMESPACE/VS[#ROUTE]` (or a file path) or `--host HOST`
/// on a tree without lane groups, the files whose text names the VirtualService or the host,
/// then the ones naming its destinations' hosts (their DestinationRules, Services, Deployments,
/// and any Rollout or Canary that owns the route). Without a target, every file.
pub fn load_for(
    paths: &[PathBuf],
    group: Option<&str>,
    route: Option<&str>,
    host: Option<&str>,
) -> Index {
    // The same file set as `lanes lint` (charts, kustomize patches and non-manifest YAML
    // are not resources to edit).
    let selection = select(paths, &LoadOptions::new());
    // The kustomizations decide universes (one per kustomize root), as in `lanes lint`.
    let roots: Vec<lanes_model::files::Decision> = selection
        .set
        .decisions
        .iter()
        .filter(|d| lanes_model::files::is_kustomization(std::path::Path::new(&d.name)))
        .cloned()
        .collect();
    let (sources, errors) = selection.into_sources();
    // The files that declare lane groups.
    let group_files: Vec<usize> = sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.text().contains("ASMSwimLaneGroup"))
        .map(|(i, _)| i)
        .collect();
    let groups_index = Index::new(
        group_files
            .iter()
            .map(|i| lanes_yaml::parse(sources[*i].clone()))
            .collect(),
        Vec::new(),
    );
    let chosen = match group {
        Some(name) => groups_index.group(name),
        None if groups_index.groups.len() == 1 => groups_index.groups.first(),
        None => None,
    };
    if group.is_none() && groups_index.groups.is_empty() && (route.is_some() || host.is_some()) {
        return for_target(sources, errors, route, host, &roots);
    }
    let Some(g) = chosen else {
        return full(sources, errors, &roots);
    };
    let mut needles: Vec<String> = vec![g.name.clone()];
    for (_, name) in &g.services {
        if !needles.contains(name) {
            needles.push(name.clone());
        }
    }
    let keep: Vec<bool> = sources
        .par_iter()
        .map(|s| {
            let t = s.text();
            argo_application(t) || needles.iter().any(|n| t.contains(n.as_str()))
        })
        .collect();
    let selected: Vec<SourceFile> = sources
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(s, _)| s)
        .collect();
    full(selected, errors, &roots)
}

/// The files whose text contains one of `needles`.
fn mentioning(sources: &[SourceFile], needles: &[String]) -> Vec<bool> {
    sources
        .par_iter()
        .map(|s| {
            let t = s.text();
            argo_application(t) || needles.iter().any(|n| t.contains(n.as_str()))
        })
        .collect()
}

/// Whether a file may hold an Argo CD `Application` or `ApplicationSet`: such files are always
/// loaded, because they decide the universes ([`lanes_model::universes`]) the op resolves in.
fn argo_application(text: &str) -> bool {
    text.contains("argoproj.io") && text.contains("Application")
}

fn for_target(
    sources: Vec<SourceFile>,
    errors: Vec<InputError>,
    route: Option<&str>,
    host: Option<&str>,
    roots: &[lanes_model::files::Decision],
) -> Index {
    let mut needles: Vec<String> = Vec::new();
    let mut by_file: Option<String> = None;
    if let Some(h) = host {
        needles.push(h.split('.').next().unwrap_or(h).to_string());
    }
    if let Some(spec) = route {
        let what = spec.split('#').next().unwrap_or(spec);
        if what.ends_with(".yaml") || what.ends_with(".yml") {
            by_file = Some(what.trim_start_matches("./").to_string());
        } else {
            let name = what.rsplit('/').next().unwrap_or(what);
            needles.push(name.to_string());
        }
    }
    // First pass: the VirtualService(s); second: everything naming their destination hosts.
    let first: Vec<bool> = match &by_file {
        Some(f) => sources
            .iter()
            .map(|s| {
                let n = s.name();
                n == f || n.ends_with(&format!("/{f}"))
            })
            .collect(),
        None => mentioning(&sources, &needles),
    };
    let probe = Index::new(
        sources
            .iter()
            .zip(&first)
            .filter(|(_, k)| **k)
            .map(|(s, _)| lanes_yaml::parse(s.clone()))
            .collect(),
        Vec::new(),
    );
    for vs in probe.of_kind(lanes_model::Kind::VirtualService) {
        let name = &probe.resources[vs].name;
        if by_file.is_some() && !needles.contains(name) {
            needles.push(name.clone());
        }
        for route in lanes_model::views::VirtualService(probe.root(vs)).routes() {
            for d in route.destinations() {
                if let Some(h) = d.host().and_then(|h| h.as_text()) {
                    let short = h.split('.').next().unwrap_or(h).to_string();
                    if !short.is_empty() && !needles.contains(&short) {
                        needles.push(short);
                    }
                }
            }
        }
    }
    if needles.is_empty() {
        return full(sources, errors, roots);
    }
    let keep = mentioning(&sources, &needles);
    let selected: Vec<SourceFile> = sources
        .into_iter()
        .zip(keep.into_iter().zip(first))
        .filter(|(_, (k, f))| *k || *f)
        .map(|(s, _)| s)
        .collect();
    full(selected, errors, roots)
}

/// Parse and index `sources`; each file's universe is its nearest kustomize root (of `roots`,
/// the kustomizations found), as in `lanes lint`.
fn full(
    sources: Vec<SourceFile>,
    errors: Vec<InputError>,
    roots: &[lanes_model::files::Decision],
) -> Index {
    let parsed = sources
        .into_par_iter()
        .map(lanes_yaml::parse)
        .filter(lanes_model::load::is_linted)
        .collect();
    let mut index = Index::new(parsed, errors);
    index.decisions = roots.to_vec();
    index.assign_universes(&|_| None);
    index
}
