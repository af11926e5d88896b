//! The cross-file resource index.

use std::collections::HashMap;
use std::ops::Range;

use lanes_yaml::{NodeRef, ParsedFile, SourceFile};

use crate::kind::Kind;
use crate::views::{self, Meta, SwimLane, SwimLaneGroup, GROUP_LABEL};

/// Position of a resource in [`Index::resources`].
pub type ResIdx = usize;

/// One document that has `apiVersion` and `kind`.
#[derive(Clone, Debug)]
pub struct Resource {
    /// File index in [`Index::files`].
    pub file: usize,
    /// Document index within the file.
    pub doc: usize,
    /// The object's node when it is an item of a `kind: List` (or `*List`) document; `None`
    /// when the object is the document itself.
    pub item: Option<lanes_yaml::NodeId>,
    /// Classified kind.
    pub kind: Kind,
    /// `kind:` as written.
    pub kind_str: String,
    /// `apiVersion:` as written.
    pub api_version: String,
    /// `metadata.name`.
    pub name: String,
    /// Effective namespace: `metadata.namespace`, or `default` for namespaced kinds, or empty
    /// for cluster-scoped kinds.
    pub namespace: String,
}

impl Resource {
    /// `Kind/namespace/name` (or `Kind/name` when cluster-scoped).
    pub fn display(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind_str, self.name)
        } else {
            format!("{} {}/{}", self.kind_str, self.namespace, self.name)
        }
    }
}

/// A file that could not be read as text.
#[derive(Clone, Debug)]
pub struct InputError {
    /// Display name of the file.
    pub file: String,
    /// 1-based line and column where the problem is, if known.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What went wrong.
    pub message: String,
    /// Stable code of the problem.
    pub code: &'static str,
}

/// A lane group with its lanes, resolved across files.
#[derive(Clone, Debug)]
pub struct LaneGroup {
    /// The `ASMSwimLaneGroup` resource.
    pub res: ResIdx,
    /// Group name.
    pub name: String,
    /// Lanes (`ASMSwimLane` whose `swimlane-group` label names this group), in file order.
    pub lanes: Vec<ResIdx>,
    /// `(namespace, name)` of each group service, in order.
    pub services: Vec<(String, String)>,
    /// Whether the group is in permissive mode.
    pub permissive: bool,
}

/// Everything lanes read: files, the resources in them, and lookup tables.
#[derive(Debug, Default)]
pub struct Index {
    /// Parsed files, in the order they were given (sorted by path when walked).
    pub files: Vec<ParsedFile>,
    /// Files that could not be read at all.
    pub input_errors: Vec<InputError>,
    /// Findings about files deliberately not linted (a Helm chart that was not rendered, a
    /// symbolic link leaving the repository); not input failures.
    pub notes: Vec<InputError>,
    /// Every file lanes looked at and what it did with it ([`crate::files::classify`]).
    pub decisions: Vec<crate::files::Decision>,
    /// The universe (what is synced into one cluster together) of each file, by file index;
    /// see [`Index::assign_universes`]. Empty names the linted tree.
    pub file_universe: Vec<String>,
    /// The namespace of each file's resources that name none (by file index; `None`:
    /// `default`): an Argo CD Application's `destination.namespace` for the files of its
    /// source paths (see [`crate::universes::assign`]).
    pub file_namespace: Vec<Option<String>>,
    /// Every document with a kind and a name.
    pub resources: Vec<Resource>,
    /// Lane groups.
    pub groups: Vec<LaneGroup>,
    by_kind: HashMap<Kind, Vec<ResIdx>>,
    by_name: HashMap<(Kind, String, String), Vec<ResIdx>>,
    service_group: HashMap<(String, String), usize>,
    /// The group of each lane (by the lane's resource index).
    lane_group: HashMap<ResIdx, usize>,
    /// The first group of each name.
    group_by_name: HashMap<String, usize>,
    services_by_name: HashMap<String, Vec<ResIdx>>,
    workloads_by_ns: HashMap<String, Vec<ResIdx>>,
    drs_by_host: HashMap<(String, String), Vec<ResIdx>>,
}

/// A display name's repository path (`REV:path` and `:path` name git sources).
pub(crate) fn repo_path(name: &str) -> &str {
    match name.split_once(':') {
        Some((rev, path)) if !rev.contains('/') => path,
        _ => name,
    }
}

/// The universe of a file by the kustomize rule: its nearest kustomize root (of `roots`, see
/// [`Index::kustomize_roots`]) as `kustomize:DIR`, else the linted tree (`""`).
pub(crate) fn kustomize_universe(roots: &[String], name: &str) -> String {
    let path = repo_path(name);
    roots
        .iter()
        .filter(|r| r.is_empty() || path.starts_with(&format!("{r}/")))
        .max_by_key(|r| r.len())
        .map(|r| format!("kustomize:{}", if r.is_empty() { "." } else { r }))
        .unwrap_or_default()
}

/// The folders of a file's path.
fn folder(name: &str) -> Vec<&str> {
    let path = repo_path(name);
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts
}

/// `(apiVersion, kind)` of a mapping that has both as strings.
fn type_of(node: NodeRef<'_>) -> Option<(&str, &str)> {
    Some((
        node.get("apiVersion")?.as_text()?,
        node.get("kind")?.as_text()?,
    ))
}

/// A host resolved the way Istio resolves it for a VirtualService in `namespace`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostRef {
    /// Service name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Whether the host was written as a short name.
    pub short: bool,
}

/// Resolve a destination host. Short names (no dot) take `namespace`; `name.ns.svc.cluster.local`
/// and `name.ns.svc` resolve directly; other dotted hosts are external (`None`).
pub fn resolve_host(host: &str, namespace: &str) -> Option<HostRef> {
    if host.is_empty() || host.contains('*') {
        return None;
    }
    if !host.contains('.') {
        return Some(HostRef {
            name: host.to_string(),
            namespace: namespace.to_string(),
            short: true,
        });
    }
    let rest = host
        .strip_suffix(".svc.cluster.local")
        .or_else(|| host.strip_suffix(".svc"))?;
    let (name, ns) = rest.split_once('.')?;
    if ns.contains('.') || name.is_empty() || ns.is_empty() {
        return None;
    }
    Some(HostRef {
        name: name.to_string(),
        namespace: ns.to_string(),
        short: false,
    })
}

impl Index {
    /// Build the index from parsed files and the input errors met while reading.
    pub fn new(files: Vec<ParsedFile>, input_errors: Vec<InputError>) -> Index {
        let mut index = Index {
            files,
            input_errors,
            ..Index::default()
        };
        index.build();
        index
    }

    /// Build from in-memory `(name, text)` pairs (tests, git blobs, edit previews).
    pub fn from_texts<I, N, T>(texts: I) -> Index
    where
        I: IntoIterator<Item = (N, T)>,
        N: Into<String>,
        T: Into<String>,
    {
        let files = texts
            .into_iter()
            .map(|(n, t)| lanes_yaml::parse(SourceFile::new(n, t)))
            .collect();
        Index::new(files, Vec::new())
    }

    fn build(&mut self) {
        let mut found = Vec::new();
        for (fi, file) in self.files.iter().enumerate() {
            for (di, doc) in file.docs.iter().enumerate() {
                let Some(root) = doc.root() else { continue };
                if !root.is_map() {
                    continue;
                }
                let Some((_, kind_str)) = type_of(root) else {
                    continue;
                };
                // `kind: List` and typed lists (`ConfigMapList`): every item is an object.
                if kind_str.ends_with("List") {
                    if let Some(items) = root.get("items").filter(|i| i.is_seq()) {
                        for item in items.items() {
                            if item.is_map() && type_of(item).is_some() {
                                found.push((fi, di, Some(item.id), item));
                            }
                        }
                        continue;
                    }
                }
                found.push((fi, di, None, root));
            }
        }
        for (fi, di, item, node) in found {
            let (api, kind_str) = type_of(node).expect("checked above");
            let kind = Kind::classify(api, kind_str);
            let meta = Meta::of(node);
            let name = meta
                .and_then(|m| m.name())
                .and_then(|n| n.as_text())
                .unwrap_or("")
                .to_string();
            let namespace = if kind.cluster_scoped() {
                String::new()
            } else {
                let fallback = self
                    .file_namespace
                    .get(fi)
                    .and_then(|n| n.as_deref())
                    .unwrap_or("default");
                meta.and_then(|m| m.namespace())
                    .and_then(|n| n.as_text())
                    .unwrap_or(fallback)
                    .to_string()
            };
            let idx = self.resources.len();
            self.by_kind.entry(kind).or_default().push(idx);
            self.by_name
                .entry((kind, namespace.clone(), name.clone()))
                .or_default()
                .push(idx);
            let (kind_str, api_version) = (kind_str.to_string(), api.to_string());
            self.resources.push(Resource {
                file: fi,
                doc: di,
                item,
                kind,
                kind_str,
                api_version,
                name,
                namespace,
            });
        }
        // Lane groups.
        let group_idx: Vec<ResIdx> = self.of_kind(Kind::SwimLaneGroup).collect();
        for res in group_idx {
            let root = self.root(res);
            let view = SwimLaneGroup(root);
            let services = view
                .services()
                .into_iter()
                .filter_map(|s| s.key())
                .map(|(ns, n)| (ns.to_string(), n.to_string()))
                .collect();
            self.groups.push(LaneGroup {
                res,
                name: self.resources[res].name.clone(),
                lanes: Vec::new(),
                services,
                permissive: view.is_permissive(),
            });
        }
        for (gi, g) in self.groups.iter().enumerate() {
            self.group_by_name.entry(g.name.clone()).or_insert(gi);
        }
        let lanes: Vec<ResIdx> = self.of_kind(Kind::SwimLane).collect();
        for lane in lanes {
            let group = SwimLane(self.root(lane))
                .group_label()
                .and_then(|n| n.as_text())
                .and_then(|g| self.group_by_name.get(g).copied());
            if let Some(gi) = group {
                self.groups[gi].lanes.push(lane);
                self.lane_group.insert(lane, gi);
            }
        }
        for (gi, g) in self.groups.iter().enumerate() {
            for key in &g.services {
                self.service_group.entry(key.clone()).or_insert(gi);
            }
        }
        for (i, r) in self.resources.iter().enumerate() {
            match r.kind {
                Kind::Service => self
                    .services_by_name
                    .entry(r.name.clone())
                    .or_default()
                    .push(i),
                Kind::Deployment | Kind::Rollout => self
                    .workloads_by_ns
                    .entry(r.namespace.clone())
                    .or_default()
                    .push(i),
                _ => {}
            }
        }
        let drs: Vec<ResIdx> = self.of_kind(Kind::DestinationRule).collect();
        for dr in drs {
            let ns = self.resources[dr].namespace.clone();
            let host = views::DestinationRule(self.root(dr))
                .host()
                .and_then(|h| h.as_text())
                .and_then(|h| resolve_host(h, &ns));
            if let Some(h) = host {
                self.drs_by_host
                    .entry((h.namespace, h.name))
                    .or_default()
                    .push(dr);
            }
        }
    }

    /// Decide each file's universe: `declared` (from `lanes.toml` `[universes]`) when it names
    /// one for the file, else the nearest folder above the file that is a kustomize root (a
    /// kustomization in [`Index::decisions`]), else the linted tree (`""`).
    pub fn assign_universes(&mut self, declared: &dyn Fn(&str) -> Option<String>) {
        let roots = self.kustomize_roots();
        self.file_universe = self
            .files
            .iter()
            .map(|f| {
                let name = f.source.name();
                declared(name).unwrap_or_else(|| kustomize_universe(&roots, name))
            })
            .collect();
    }

    /// The folders (repository paths) of the kustomizations in [`Index::decisions`].
    pub(crate) fn kustomize_roots(&self) -> Vec<String> {
        self.decisions
            .iter()
            .filter(|d| crate::files::is_kustomization(std::path::Path::new(&d.name)))
            .map(|d| {
                repo_path(&d.name)
                    .rsplit_once('/')
                    .map_or(String::new(), |(dir, _)| dir.to_string())
            })
            .collect()
    }

    /// Set [`Index::file_namespace`], and index the resources again when it changes (resources
    /// without a namespace take their file's).
    pub fn set_file_namespaces(&mut self, namespaces: Vec<Option<String>>) {
        let unchanged = |a: &[Option<String>], b: &[Option<String>]| {
            let none = |v: &[Option<String>], from: usize| {
                v[from.min(v.len())..].iter().all(Option::is_none)
            };
            let n = a.len().min(b.len());
            a[..n] == b[..n] && none(a, n) && none(b, n)
        };
        if unchanged(&namespaces, &self.file_namespace) {
            return;
        }
        let rebuilt = Index {
            files: std::mem::take(&mut self.files),
            input_errors: std::mem::take(&mut self.input_errors),
            notes: std::mem::take(&mut self.notes),
            decisions: std::mem::take(&mut self.decisions),
            file_universe: std::mem::take(&mut self.file_universe),
            file_namespace: namespaces,
            ..Index::default()
        };
        *self = rebuilt;
        self.build();
    }

    /// The universe of a resource (see [`Index::assign_universes`]).
    pub fn universe_of(&self, res: ResIdx) -> &str {
        self.file_universe
            .get(self.resources[res].file)
            .map_or("", String::as_str)
    }

    /// Among `candidates`, the definition nearest to `from`: same universe first, then the
    /// same folder, then the closest common ancestor folder; file order breaks ties.
    pub fn nearest(&self, candidates: &[ResIdx], from: ResIdx) -> Option<ResIdx> {
        if candidates.len() < 2 {
            return candidates.first().copied();
        }
        candidates
            .iter()
            .copied()
            .max_by_key(|c| self.nearness(*c, from))
    }

    /// `candidates`, nearest to `from` first (as [`Index::nearest`] ranks them); in file order
    /// without `from`.
    pub fn by_nearness(&self, candidates: &[ResIdx], from: Option<ResIdx>) -> Vec<ResIdx> {
        let mut out = candidates.to_vec();
        if let (Some(from), true) = (from, out.len() > 1) {
            out.sort_by_key(|c| std::cmp::Reverse(self.nearness(*c, from)));
        }
        out
    }

    fn nearness(&self, c: ResIdx, from: ResIdx) -> (bool, bool, usize, std::cmp::Reverse<ResIdx>) {
        let here = folder(self.files[self.resources[from].file].source.name());
        let there = folder(self.files[self.resources[c].file].source.name());
        let common = here
            .iter()
            .zip(there.iter())
            .take_while(|(a, b)| a == b)
            .count();
        let exact = common == here.len() && common == there.len();
        (
            self.universe_of(c) == self.universe_of(from),
            exact,
            common,
            std::cmp::Reverse(c),
        )
    }

    /// [`Index::find`], resolved to the definition nearest to `from`.
    pub fn find_near(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        from: ResIdx,
    ) -> Option<ResIdx> {
        self.nearest(self.find(kind, namespace, name), from)
    }

    /// Objects defined more than once in one universe: `(first, again)` pairs, by API group,
    /// kind, namespace and name, in file order. Objects without a name are left out.
    pub fn duplicates(&self) -> Vec<(ResIdx, ResIdx)> {
        let mut first: HashMap<(&str, &str, &str, &str, &str), ResIdx> = HashMap::new();
        let mut out = Vec::new();
        for (i, r) in self.resources.iter().enumerate() {
            if r.name.is_empty() {
                continue;
            }
            let group = r.api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let key = (
                self.universe_of(i),
                group,
                r.kind_str.as_str(),
                r.namespace.as_str(),
                r.name.as_str(),
            );
            match first.get(&key) {
                Some(f) => out.push((*f, i)),
                None => {
                    first.insert(key, i);
                }
            }
        }
        out
    }

    /// DestinationRules whose `spec.host` resolves to the Service `(namespace, name)`.
    pub fn destination_rules_for(&self, namespace: &str, name: &str) -> &[ResIdx] {
        self.drs_by_host
            .get(&(namespace.to_string(), name.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The root node of a resource: its document's root, or its item of a List.
    pub fn root(&self, res: ResIdx) -> NodeRef<'_> {
        let r = &self.resources[res];
        let doc = &self.files[r.file].docs[r.doc];
        match r.item {
            Some(id) => doc.at(id),
            None => doc.root().expect("indexed documents have a root"),
        }
    }

    /// The file holding a resource.
    pub fn file_of(&self, res: ResIdx) -> &ParsedFile {
        &self.files[self.resources[res].file]
    }

    /// Resources of one kind, in file order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = ResIdx> + '_ {
        self.by_kind.get(&kind).into_iter().flatten().copied()
    }

    /// Resources with this kind, namespace and name.
    pub fn find(&self, kind: Kind, namespace: &str, name: &str) -> &[ResIdx] {
        self.by_name
            .get(&(kind, namespace.to_string(), name.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The lane group a service `(namespace, name)` belongs to.
    pub fn group_of_service(&self, namespace: &str, name: &str) -> Option<&LaneGroup> {
        self.service_group
            .get(&(namespace.to_string(), name.to_string()))
            .map(|gi| &self.groups[*gi])
    }

    /// The group whose lanes include this lane resource.
    pub fn group_of_lane(&self, lane: ResIdx) -> Option<&LaneGroup> {
        self.group_index_of_lane(lane).map(|gi| &self.groups[gi])
    }

    /// The position in [`Index::groups`] of the group whose lanes include this lane resource.
    pub fn group_index_of_lane(&self, lane: ResIdx) -> Option<usize> {
        self.lane_group.get(&lane).copied()
    }

    /// The group named `name` (the first, if two share it).
    pub fn group(&self, name: &str) -> Option<&LaneGroup> {
        self.group_by_name.get(name).map(|gi| &self.groups[*gi])
    }

    /// The lane (resource) of a group with this name.
    pub fn lane_named(&self, group: &LaneGroup, name: &str) -> Option<ResIdx> {
        group
            .lanes
            .iter()
            .copied()
            .find(|l| self.resources[*l].name == name)
    }

    /// Name of a group's lane by its selector: the lane whose `labelSelector` is contained in
    /// `labels` (a DestinationRule subset's or a pod's labels).
    pub fn lane_selected_by(&self, group: &LaneGroup, labels: &[(&str, &str)]) -> Option<ResIdx> {
        group.lanes.iter().copied().find(|l| {
            let sel = SwimLane(self.root(*l)).selector();
            !sel.is_empty() && views::selects(&sel, labels)
        })
    }

    /// Services with this name, in any namespace.
    pub fn services_named(&self, name: &str) -> &[ResIdx] {
        self.services_by_name
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Workloads (Deployments and Rollouts) in a namespace, in file order.
    pub fn workloads_in(&self, namespace: &str) -> &[ResIdx] {
        self.workloads_by_ns
            .get(namespace)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Byte range of a node plus the file it is in, for diagnostics.
    pub fn span(&self, res: ResIdx, node: NodeRef<'_>) -> (usize, Range<usize>) {
        (self.resources[res].file, node.range())
    }

    /// Number of documents (including ones without a kind).
    pub fn document_count(&self) -> usize {
        self.files.iter().map(|f| f.docs.len()).sum()
    }

    /// The group label value of a lane.
    pub fn lane_group_label(&self, lane: ResIdx) -> Option<&str> {
        Meta::of(self.root(lane))?.label(GROUP_LABEL)?.as_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_resolve_like_istio() {
        let h = resolve_host("mocka", "istio-system").unwrap();
        assert_eq!(
            (h.name.as_str(), h.namespace.as_str(), h.short),
            ("mocka", "istio-system", true)
        );
        let h = resolve_host("mocka.default.svc.cluster.local", "istio-system").unwrap();
        assert_eq!(
            (h.name.as_str(), h.namespace.as_str(), h.short),
            ("mocka", "default", false)
        );
        assert!(resolve_host("example.com", "x").is_none());
        assert!(resolve_host("*", "x").is_none());
    }

    #[test]
    fn groups_collect_lanes_across_files() {
        let idx = Index::from_texts([
            (
                "g.yaml",
                "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLaneGroup\nmetadata:\n  name: mock\nspec:\n  services:\n  - name: a\n    namespace: default\n",
            ),
            (
                "l.yaml",
                "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  name: v1\n  labels:\n    swimlane-group: mock\nspec:\n  labelSelector:\n    version: v1\n",
            ),
        ]);
        assert_eq!(idx.groups.len(), 1);
        assert_eq!(idx.groups[0].lanes.len(), 1);
        assert_eq!(
            idx.groups[0].services,
            vec![("default".to_string(), "a".to_string())]
        );
        assert!(idx.group_of_service("default", "a").is_some());
        let lane = idx.lane_selected_by(&idx.groups[0], &[("version", "v1"), ("app", "a")]);
        assert_eq!(lane, Some(idx.groups[0].lanes[0]));
    }

    #[test]
    fn lanes_find_their_group_and_a_repeated_group_name_means_the_first() {
        let group = |name: &str| {
            format!("apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLaneGroup\nmetadata:\n  name: {name}\n  namespace: istio-system\nspec:\n  services: []\n")
        };
        let lane = |name: &str, group: &str| {
            format!("apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  name: {name}\n  labels:\n    swimlane-group: {group}\nspec:\n  labelSelector:\n    version: {name}\n")
        };
        let idx = Index::from_texts([
            ("a.yaml", group("alpha")),
            ("b.yaml", group("beta")),
            // The same name again: every lookup by name means the first group of that name.
            ("c.yaml", group("alpha")),
            ("l1.yaml", lane("v1", "beta")),
            ("l2.yaml", lane("v2", "alpha")),
            ("l3.yaml", lane("v3", "nowhere")),
        ]);
        let by_name = |n: &str| {
            idx.of_kind(Kind::SwimLane)
                .find(|r| idx.resources[*r].name == n)
                .unwrap()
        };
        assert_eq!(idx.group_index_of_lane(by_name("v1")), Some(1));
        assert_eq!(idx.group_index_of_lane(by_name("v2")), Some(0));
        assert_eq!(idx.group_index_of_lane(by_name("v3")), None);
        assert_eq!(
            idx.group_of_lane(by_name("v1")).map(|g| g.name.as_str()),
            Some("beta")
        );
        assert_eq!(idx.groups[0].lanes, vec![by_name("v2")]);
        assert!(idx.groups[2].lanes.is_empty());
        assert_eq!(idx.group("alpha").map(|g| g.res), Some(idx.groups[0].res));
        assert!(idx.group("gamma").is_none());
    }
}

/// What a destination `subset` on a lane-group host refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubsetTarget {
    /// A lane of the group, by name or through a DestinationRule subset whose labels the lane
    /// selects.
    Lane(ResIdx),
    /// A DestinationRule subset `(dr, subset index)` whose labels no lane of the group selects.
    SubsetWithoutLane(ResIdx, usize),
    /// A DestinationRule subset of a host outside any lane group.
    Subset(ResIdx, usize),
    /// Nothing with that name.
    Unknown,
}

impl Index {
    /// Resolve `subset` of the Service `(namespace, name)`.
    pub fn resolve_subset(&self, namespace: &str, name: &str, subset: &str) -> SubsetTarget {
        self.resolve_subset_from(namespace, name, subset, None)
    }

    /// [`Index::resolve_subset`] for a destination of the resource `from` (a VirtualService):
    /// DestinationRules are tried nearest first ([`Index::by_nearness`]: the same universe,
    /// then the same folder), so a subset never resolves to another universe's rule when its
    /// own defines one.
    pub fn resolve_subset_from(
        &self,
        namespace: &str,
        name: &str,
        subset: &str,
        from: Option<ResIdx>,
    ) -> SubsetTarget {
        let group = self.group_of_service(namespace, name);
        if let Some(g) = group {
            if let Some(l) = self.lane_named(g, subset) {
                return SubsetTarget::Lane(l);
            }
        }
        for dr in &self.by_nearness(self.destination_rules_for(namespace, name), from) {
            let subsets = views::DestinationRule(self.root(*dr)).subsets();
            for (i, s) in subsets.iter().enumerate() {
                if s.name().and_then(|n| n.as_text()) != Some(subset) {
                    continue;
                }
                return match group {
                    Some(g) => match self.lane_selected_by(g, &s.labels()) {
                        Some(l) => SubsetTarget::Lane(l),
                        None => SubsetTarget::SubsetWithoutLane(*dr, i),
                    },
                    None => SubsetTarget::Subset(*dr, i),
                };
            }
        }
        SubsetTarget::Unknown
    }

    /// Names a subset of `(namespace, name)` may take: lane names and DestinationRule subsets.
    pub fn subset_names(&self, namespace: &str, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(g) = self.group_of_service(namespace, name) {
            out.extend(g.lanes.iter().map(|l| self.resources[*l].name.clone()));
        }
        for dr in self.destination_rules_for(namespace, name) {
            for s in views::DestinationRule(self.root(*dr)).subsets() {
                if let Some(n) = s.name().and_then(|n| n.as_text()) {
                    out.push(n.to_string());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The value that identifies a lane on its pods: `ASM_TRAFFIC_TAG` or `version` from its
    /// selector, else the selector's only value.
    pub fn lane_tag(&self, lane: ResIdx) -> Option<&str> {
        let sel = SwimLane(self.root(lane)).selector();
        for key in [views::TRAFFIC_TAG, "version"] {
            if let Some((_, v)) = sel.iter().find(|(k, _)| *k == key) {
                return Some(v);
            }
        }
        match sel.as_slice() {
            [(_, v)] => Some(v),
            _ => None,
        }
    }
}
