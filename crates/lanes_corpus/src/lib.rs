//! Synthetic GitOps repositories of ASM traffic lanes, with planted faults.
//!
//! A port of `gen_corpus.py` (kept in `../shared/bench/`), so that lanes' recall tests and
//! benchmarks need nothing beside the repository. For the same [`Options`] it writes the same
//! bytes as the script, `EXPECTED.json` included: the random draws follow CPython's
//! `random.Random` exactly (see `pyrandom`), and the conformance step compares the two outputs
//! byte for byte.
//!
//! Per lane group the repository holds, under `apps/<team>/<group>/`:
//!
//! | file | content |
//! | --- | --- |
//! | `deploy-v1.yaml` .. `deploy-vL.yaml` | one Deployment per service of that lane |
//! | `services.yaml` | one Service per service |
//! | `swimlanegroup.yaml` | ASMSwimLaneGroup |
//! | `swimlanes.yaml` | one ASMSwimLane per lane |
//! | `route.yaml` | Gateway, VirtualService, DestinationRule |
//! | `rollout.yaml` | Argo Rollouts Rollout + AnalysisTemplate (see [`Rollouts`]) |
//!
//! With [`Options::inject_errors`] = K, K groups each get exactly one fault of the kinds in
//! [`FAULT_KINDS`], recorded in [`Corpus::faults`] (and `EXPECTED.json`) with the file and the
//! 1-based line a linter should report.
//!
//! ```
//! let corpus = lanes_corpus::generate(&lanes_corpus::Options {
//!     groups: 6,
//!     inject_errors: 6,
//!     ..Default::default()
//! });
//! assert_eq!(corpus.faults.len(), 6);
//! assert!(corpus.files.iter().any(|f| f.path.ends_with("/route.yaml")));
//! ```

mod pyrandom;

use std::collections::HashMap;
use std::io;
use std::path::Path;

use pyrandom::PyRandom;
use serde_json::{json, Map, Value};

/// The kinds of planted fault, in the order they are dealt out to the chosen groups.
pub const FAULT_KINDS: [&str; 6] = [
    "weight-sum",
    "subset-without-lane",
    "lane-missing-deployment",
    "missing-traffic-tag",
    "unknown-field",
    "yaml-syntax",
];

const DOMAINS: [&str; 30] = [
    "checkout",
    "payments",
    "catalog",
    "search",
    "cart",
    "orders",
    "shipping",
    "inventory",
    "pricing",
    "reviews",
    "accounts",
    "loyalty",
    "notify",
    "billing",
    "ledger",
    "fraud",
    "media",
    "recommend",
    "profile",
    "session",
    "coupon",
    "tax",
    "warehouse",
    "returns",
    "ratings",
    "wishlist",
    "ads",
    "auth",
    "quotes",
    "invoice",
];

const ROLES: [&str; 12] = [
    "web", "api", "core", "store", "worker", "cache", "events", "rules", "index", "sync", "audit",
    "export",
];

const REGIONS: [&str; 6] = [
    "hangzhou",
    "shanghai",
    "beijing",
    "shenzhen",
    "singapore",
    "frankfurt",
];

const HOST_DOMAINS: [&str; 4] = [
    "example.com",
    "shop.example.com",
    "internal.example.net",
    "svc.example.org",
];

const LANE_COMMENTS: [&str; 4] = [
    "# Routes to the {lane} traffic lane",
    "# Routes to the {lane} traffic lane ({purpose})",
    "# {lane} lane: {purpose}",
    "# Traffic lane {lane}; owned by {team}",
];

const PURPOSES: [&str; 8] = [
    "canary",
    "feature branch",
    "release candidate",
    "load test",
    "hotfix verification",
    "A/B experiment",
    "dark launch",
    "QA",
];

/// Which groups get a Rollout + AnalysisTemplate (`rollout.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rollouts {
    /// No group.
    None,
    /// Every other group (the even-numbered ones).
    #[default]
    Half,
    /// Every group.
    All,
}

impl Rollouts {
    fn name(self) -> &'static str {
        match self {
            Rollouts::None => "none",
            Rollouts::Half => "half",
            Rollouts::All => "all",
        }
    }
}

/// What to generate; the defaults are the script's.
#[derive(Debug, Clone)]
pub struct Options {
    /// Lane groups (default 10).
    pub groups: usize,
    /// Chained services per group (default 3).
    pub services: usize,
    /// Lanes (versions v1..vL) per group (default 3).
    pub lanes: usize,
    /// Seed (default 1).
    pub seed: i64,
    /// Groups to corrupt, one fault each (default 0; at most `groups`).
    pub inject_errors: usize,
    /// Groups with a Rollout (default: every other group).
    pub rollouts: Rollouts,
    /// Lane groups per team folder (default 10).
    pub groups_per_team: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            groups: 10,
            services: 3,
            lanes: 3,
            seed: 1,
            inject_errors: 0,
            rollouts: Rollouts::Half,
            groups_per_team: 10,
        }
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// The YAML text.
    pub text: String,
}

/// One planted fault: where a linter should report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// 1-based number, in group order.
    pub id: usize,
    /// The lane group it is in.
    pub group: String,
    /// One of [`FAULT_KINDS`].
    pub kind: &'static str,
    /// The file at fault, relative to the output folder.
    pub file: String,
    /// The 1-based line of the node most precisely at fault.
    pub line: usize,
    /// A finding within this many lines of `line` matches.
    pub line_tolerance: usize,
    /// Where given, a finding anywhere in these 1-based lines (both included) matches: the
    /// enclosing route or object.
    pub accept_lines: Option<[usize; 2]>,
    /// The object at fault, `Kind/namespace/name` or `Kind/name`.
    pub object: String,
    /// Other files a finding may name.
    pub related: Vec<String>,
    /// What is wrong, for people.
    pub detail: String,
}

impl Fault {
    /// Does a finding at `file`:`line` (1-based) report this fault?
    pub fn matches(&self, file: &str, line: usize) -> bool {
        file == self.file
            && (line.abs_diff(self.line) <= self.line_tolerance
                || self
                    .accept_lines
                    .is_some_and(|[a, b]| (a..=b).contains(&line)))
    }

    fn to_json(&self) -> Value {
        // Keys sorted, as the script writes them.
        let mut m = Map::new();
        if let Some([a, b]) = self.accept_lines {
            m.insert("accept_lines".into(), json!([a, b]));
        }
        m.insert("detail".into(), json!(self.detail));
        m.insert("file".into(), json!(self.file));
        m.insert("group".into(), json!(self.group));
        m.insert("id".into(), json!(self.id));
        m.insert("kind".into(), json!(self.kind));
        m.insert("line".into(), json!(self.line));
        m.insert("line_tolerance".into(), json!(self.line_tolerance));
        m.insert("object".into(), json!(self.object));
        if !self.related.is_empty() {
            m.insert("related".into(), json!(self.related));
        }
        Value::Object(m)
    }
}

/// A generated repository.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The options it was made with (`inject_errors` clamped to `groups`).
    pub options: Options,
    /// Every file, group by group.
    pub files: Vec<File>,
    /// YAML documents over all files.
    pub documents: usize,
    /// The planted faults, in group order.
    pub faults: Vec<Fault>,
}

impl Corpus {
    /// Total size of the files in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }

    /// The text of `EXPECTED.json`, as the script writes it.
    pub fn expected_json(&self) -> String {
        let o = &self.options;
        let v = json!({
            "format": 1,
            "note": "file is relative to this folder; lines are 1-based; line is the node most \
                     precisely at fault; a finding matches when its line is within \
                     line_tolerance of line, or, where accept_lines [first, last] is given, \
                     anywhere in that range (the enclosing route or object)",
            "args": {
                "groups": o.groups,
                "services": o.services,
                "lanes": o.lanes,
                "seed": o.seed,
                "inject_errors": o.inject_errors,
                "rollouts": o.rollouts.name(),
            },
            "files": self.files.len(),
            "documents": self.documents,
            "bytes": self.bytes(),
            "kinds": FAULT_KINDS,
            "faults": self.faults.iter().map(Fault::to_json).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
        s.push('\n');
        s
    }

    /// Write the files and `EXPECTED.json` under `out` (created if missing; existing files
    /// with the same names are replaced, nothing else is removed).
    pub fn write(&self, out: &Path) -> io::Result<()> {
        for f in &self.files {
            let path = out.join(&f.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, &f.text)?;
        }
        std::fs::create_dir_all(out)?;
        std::fs::write(out.join("EXPECTED.json"), self.expected_json())
    }
}

/// Generate a repository; the same options always give the same bytes.
///
/// # Panics
///
/// When `groups`, `services`, `lanes` or `groups_per_team` is 0.
pub fn generate(options: &Options) -> Corpus {
    let mut o = options.clone();
    assert!(
        o.groups >= 1 && o.services >= 1 && o.lanes >= 1 && o.groups_per_team >= 1,
        "groups, services, lanes and groups_per_team must be >= 1"
    );
    o.inject_errors = o.inject_errors.min(o.groups);
    let mut frng = PyRandom::from_str(&format!("{}/faults", o.seed));
    let mut chosen = frng.sample_range(o.groups, o.inject_errors);
    chosen.sort_unstable();
    let fault_of: HashMap<usize, (&'static str, usize)> = chosen
        .iter()
        .enumerate()
        .map(|(n, &gi)| {
            (
                gi,
                (FAULT_KINDS[n % FAULT_KINDS.len()], n / FAULT_KINDS.len()),
            )
        })
        .collect();

    let mut team: Option<(usize, Team)> = None;
    let mut corpus = Corpus {
        options: o.clone(),
        files: Vec::new(),
        documents: 0,
        faults: Vec::new(),
    };
    for gi in 0..o.groups {
        let ti = gi / o.groups_per_team;
        if team.as_ref().is_none_or(|(i, _)| *i != ti) {
            team = Some((ti, Team::new(o.seed, ti)));
        }
        let team = &team.as_ref().expect("set above").1;
        let rollout = match o.rollouts {
            Rollouts::All => true,
            Rollouts::Half => gi.is_multiple_of(2),
            Rollouts::None => false,
        };
        let mut group = Group::new(o.seed, gi, o.services, o.lanes, team, rollout);
        let mut files = build_group(&mut group);
        if let Some(&(kind, occ)) = fault_of.get(&gi) {
            let mut fault = inject(&group, &mut files, kind, occ);
            fault.id = corpus.faults.len() + 1;
            corpus.faults.push(fault);
        }
        for (_, f) in files {
            corpus.documents += f.docs.len();
            corpus.files.push(File {
                text: f.text(),
                path: f.path,
            });
        }
    }
    corpus
}

/// Lines of one YAML file plus named anchors (0-based line indexes).
struct FileBuf {
    path: String,
    lines: Vec<String>,
    anchors: HashMap<String, usize>,
    /// `[start, end)` line ranges of the documents, separator included.
    docs: Vec<[usize; 2]>,
}

/// A document line, optionally anchored under a key.
type Item = (Option<String>, String);

fn plain(s: impl Into<String>) -> Item {
    (None, s.into())
}

fn anchored(key: impl Into<String>, s: impl Into<String>) -> Item {
    (Some(key.into()), s.into())
}

impl FileBuf {
    fn new(path: String) -> Self {
        FileBuf {
            path,
            lines: Vec::new(),
            anchors: HashMap::new(),
            docs: Vec::new(),
        }
    }

    fn header(&mut self, lines: Vec<String>) {
        self.lines.extend(lines);
    }

    fn doc(&mut self, items: Vec<Item>) {
        let start = self.lines.len();
        self.lines.push("---".into());
        for (key, text) in items {
            if let Some(key) = key {
                self.anchors.insert(key, self.lines.len());
            }
            self.lines.push(text);
        }
        self.docs.push([start, self.lines.len()]);
    }

    fn anchor(&self, key: &str) -> usize {
        self.anchors[key]
    }

    fn shift_insert(&mut self, at: usize, n: usize) {
        for idx in self.anchors.values_mut() {
            if *idx >= at {
                *idx += n;
            }
        }
        for rng in &mut self.docs {
            if rng[0] >= at {
                rng[0] += n;
                rng[1] += n;
            } else if rng[1] >= at {
                rng[1] += n;
            }
        }
    }

    /// Replace the anchored line; return its 1-based line number.
    fn replace(&mut self, key: &str, text: String) -> usize {
        let at = self.anchor(key);
        self.lines[at] = text;
        at + 1
    }

    fn delete_line(&mut self, key: &str) {
        let idx = self.anchors.remove(key).expect("anchor exists");
        self.lines.remove(idx);
        for i in self.anchors.values_mut() {
            if *i > idx {
                *i -= 1;
            }
        }
        for rng in &mut self.docs {
            if rng[0] > idx {
                rng[0] -= 1;
                rng[1] -= 1;
            } else if rng[1] > idx {
                rng[1] -= 1;
            }
        }
    }

    /// Insert lines after the anchored one; return the first's 1-based line.
    fn insert_after(&mut self, key: &str, new_lines: &[&str]) -> usize {
        let at = self.anchor(key) + 1;
        let tail = self.lines.split_off(at);
        self.lines.extend(new_lines.iter().map(|s| s.to_string()));
        self.lines.extend(tail);
        self.shift_insert(at, new_lines.len());
        at + 1
    }

    fn delete_doc(&mut self, index: usize) {
        let [start, end] = self.docs.remove(index);
        self.lines.drain(start..end);
        self.anchors.retain(|_, idx| !(start <= *idx && *idx < end));
        let n = end - start;
        for idx in self.anchors.values_mut() {
            if *idx >= end {
                *idx -= n;
            }
        }
        for rng in &mut self.docs {
            if rng[0] >= end {
                rng[0] -= n;
                rng[1] -= n;
            }
        }
    }

    /// 1-based `[first, last]` content lines of the document holding 0-based line `idx`.
    fn doc_lines(&self, idx: usize) -> [usize; 2] {
        self.docs
            .iter()
            .find(|[s, e]| *s <= idx && idx < *e)
            .map(|[s, e]| [s + 2, *e])
            .expect("line inside a document")
    }

    fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

fn hexid(rng: &mut PyRandom, n: usize) -> String {
    let digits: Vec<char> = "0123456789abcdef".chars().collect();
    (0..n).map(|_| rng.choice(&digits)).collect()
}

fn q(style: i64, value: &str) -> String {
    match style {
        0 => value.to_string(),
        1 => format!("\"{value}\""),
        _ => format!("'{value}'"),
    }
}

struct Team {
    name: String,
    istio_api: &'static str,
    cluster_name: String,
    cluster_id: String,
    registry: &'static str,
    host_domain: &'static str,
    gateway: &'static str,
    quote: i64,
    probes: bool,
    resources: bool,
    sync_waves: bool,
}

impl Team {
    fn new(seed: i64, index: usize) -> Self {
        let mut rng = PyRandom::from_str(&format!("{seed}/team/{index}"));
        let istio_api = rng.choice(&[
            "networking.istio.io/v1beta1",
            "networking.istio.io/v1beta1",
            "networking.istio.io/v1",
        ]);
        let region = rng.choice(&REGIONS);
        let cluster_name = format!("ack-{region}-prod-{}", rng.randint(1, 4));
        let cluster_id = format!("c{}", hexid(&mut rng, 32));
        let registry = rng.choice(&[
            "registry.example.com",
            "acr.example.cn/shop",
            "ghcr.io/acme",
        ]);
        let host_domain = rng.choice(&HOST_DOMAINS);
        let gateway = rng.choice(&[
            "ingressgateway",
            "ingressgateway",
            "ingressgateway-internal",
        ]);
        let quote = rng.randint(0, 2);
        let probes = rng.random() < 0.8;
        let resources = rng.random() < 0.9;
        let sync_waves = rng.random() < 0.5;
        Team {
            name: format!("team-{index:02}"),
            istio_api,
            cluster_name,
            cluster_id,
            registry,
            host_domain,
            gateway,
            quote,
            probes,
            resources,
            sync_waves,
        }
    }
}

struct Group<'t> {
    rng: PyRandom,
    team: &'t Team,
    domain: &'static str,
    name: String,
    namespace: String,
    services: Vec<String>,
    ports: Vec<i64>,
    lanes: Vec<String>,
    purposes: HashMap<String, &'static str>,
    replicas: HashMap<String, i64>,
    minor: i64,
    patch: i64,
    host: String,
    weights: Vec<i64>,
    rollout: bool,
}

impl<'t> Group<'t> {
    fn new(
        seed: i64,
        index: usize,
        n_services: usize,
        n_lanes: usize,
        team: &'t Team,
        rollout: bool,
    ) -> Self {
        let mut rng = PyRandom::from_str(&format!("{seed}/group/{index}"));
        let domain = DOMAINS[index % DOMAINS.len()];
        let name = format!("{domain}-{index:04}");
        let mut roles = ROLES;
        rng.shuffle(&mut roles);
        let roles: Vec<String> = if n_services <= roles.len() {
            roles[..n_services].iter().map(|r| r.to_string()).collect()
        } else {
            (0..n_services)
                .map(|i| format!("{}{i}", ROLES[i % ROLES.len()]))
                .collect()
        };
        let services: Vec<String> = roles.iter().map(|r| format!("{domain}-{r}")).collect();
        let ports = services
            .iter()
            .map(|_| rng.choice(&[8000, 8000, 8000, 8080, 9080]))
            .collect();
        let lanes: Vec<String> = (1..=n_lanes).map(|i| format!("v{i}")).collect();
        let purposes = lanes
            .iter()
            .map(|l| (l.clone(), rng.choice(&PURPOSES)))
            .collect();
        let replicas = lanes
            .iter()
            .map(|l| {
                let n = if l == "v1" { rng.choice(&[2, 3, 4]) } else { 1 };
                (l.clone(), n)
            })
            .collect();
        let minor = rng.randint(2, 40);
        let patch = rng.randint(0, 12);
        let host = format!("{name}.{}", team.host_domain);
        let mut small: Vec<i64> = lanes[1..]
            .iter()
            .map(|_| rng.choice(&[0, 5, 5, 10, 10, 15, 20]))
            .collect();
        while small.iter().sum::<i64>() > 90 {
            small = small.iter().map(|w| w / 2).collect();
        }
        let mut weights = vec![100 - small.iter().sum::<i64>()];
        weights.extend(small);
        Group {
            rng,
            team,
            domain,
            namespace: name.clone(),
            name,
            services,
            ports,
            lanes,
            purposes,
            replicas,
            minor,
            patch,
            host,
            weights,
            rollout,
        }
    }

    fn fqdn(&self, i: usize) -> String {
        format!("{}.{}.svc.cluster.local", self.services[i], self.namespace)
    }

    fn image(&self, i: usize, lane: &str) -> String {
        let role = self.services[i].split_once('-').map_or("", |(_, r)| r);
        let tag = if lane == "v1" {
            format!("1.{}.{}", self.minor, self.patch)
        } else {
            format!("1.{}.0-rc.{}", self.minor + 1, &lane[1..])
        };
        format!("{}/{}-{role}:{tag}", self.team.registry, self.domain)
    }
}

fn header(group: &Group, what: &str) -> Vec<String> {
    vec![
        format!(
            "# {what} for lane group {} ({})",
            group.name, group.team.name
        ),
        "# Managed by Argo CD: change it in Git, not in the cluster.".into(),
    ]
}

fn lane_comment(group: &mut Group, lane: &str) -> String {
    if lane == "v1" {
        return group
            .rng
            .choice(&[
                "# Routes to the v1 traffic lane",
                "# Baseline lane: untagged traffic lands here",
                "# v1 is the baseline lane",
            ])
            .to_string();
    }
    group
        .rng
        .choice(&LANE_COMMENTS)
        .replace("{lane}", lane)
        .replace("{purpose}", group.purposes[lane])
        .replace("{team}", &group.team.name)
}

fn deployment(group: &mut Group, i: usize, lane: &str) -> Vec<Item> {
    let svc = group.services[i].clone();
    let team = group.team;
    let qs = team.quote;
    let ns = group.namespace.clone();
    let mut out = vec![
        plain(lane_comment(group, lane)),
        plain("apiVersion: apps/v1"),
        plain("kind: Deployment"),
        plain("metadata:"),
        plain(format!("  name: {svc}-{lane}")),
        plain(format!("  namespace: {ns}")),
        plain("  labels:"),
        plain(format!("    app: {svc}")),
        plain(format!("    version: {lane}")),
        plain(format!("    ASM_TRAFFIC_TAG: {lane}")),
    ];
    if team.sync_waves {
        out.push(plain("  annotations:"));
        out.push(plain(format!(
            "    argocd.argoproj.io/sync-wave: \"{}\"",
            i + 1
        )));
    }
    let history = group.rng.choice(&[3, 5, 10]);
    out.extend([
        plain("spec:"),
        plain(format!("  replicas: {}", group.replicas[lane])),
        plain(format!("  revisionHistoryLimit: {history}")),
        plain("  selector:"),
        plain("    matchLabels:"),
        plain(format!("      app: {svc}")),
        plain(format!("      version: {lane}")),
        plain("  template:"),
        plain("    metadata:"),
        anchored(format!("tpl-labels/{svc}/{lane}"), "      labels:"),
        plain(format!("        app: {svc}")),
        plain(format!("        version: {lane}")),
        anchored(
            format!("tpl-tag/{svc}/{lane}"),
            format!("        ASM_TRAFFIC_TAG: {lane}"),
        ),
        plain("      annotations:"),
        plain("        sidecar.istio.io/inject: \"true\""),
    ]);
    if group.rng.random() < 0.6 {
        out.push(plain("        prometheus.io/scrape: \"true\""));
        out.push(plain("        prometheus.io/port: \"15020\""));
    }
    let grace = group.rng.choice(&[10, 30]);
    out.extend([
        plain("    spec:"),
        plain(format!("      serviceAccountName: {svc}")),
        plain(format!("      terminationGracePeriodSeconds: {grace}")),
        plain("      containers:"),
        plain("        - name: app"),
        plain(format!("          image: {}", group.image(i, lane))),
        plain("          imagePullPolicy: IfNotPresent"),
        plain("          ports:"),
        plain("            - name: http"),
        plain(format!("              containerPort: {}", group.ports[i])),
        plain("          env:"),
    ]);
    if i + 1 < group.services.len() {
        let next = &group.services[i + 1];
        out.extend([
            plain("            # Next hop in the chain; the sidecar keeps the"),
            plain(format!("            # request in lane {lane}")),
            plain("            - name: upstream_url"),
            plain(format!(
                "              value: {}",
                q(qs, &format!("http://{next}:{}/", group.ports[i + 1]))
            )),
        ]);
    }
    let level = group.rng.choice(&["info", "info", "debug", "warn"]);
    out.extend([
        plain("            - name: LANE"),
        plain(format!("              value: {}", q(qs, lane))),
        plain("            - name: LOG_LEVEL"),
        plain(format!("              value: {}", q(qs, level))),
    ]);
    if team.resources {
        let cpu = group.rng.choice(&[50, 100, 200, 250]);
        let mem = group.rng.choice(&[64, 128, 256, 512]);
        out.extend([
            plain("          resources:"),
            plain("            requests:"),
            plain(format!("              cpu: {cpu}m")),
            plain(format!("              memory: {mem}Mi")),
            plain("            limits:"),
            plain(format!("              cpu: {}m", cpu * 4)),
            plain(format!("              memory: {}Mi", mem * 2)),
        ]);
    }
    if team.probes {
        let delay = group.rng.choice(&[3, 5, 10]);
        out.extend([
            plain("          readinessProbe:"),
            plain("            httpGet:"),
            plain("              path: /healthz"),
            plain("              port: http"),
            plain(format!("            initialDelaySeconds: {delay}")),
            plain("            periodSeconds: 10"),
        ]);
        if group.rng.random() < 0.5 {
            out.extend([
                plain("          livenessProbe:"),
                plain("            httpGet:"),
                plain("              path: /livez"),
                plain("              port: http"),
                plain("            periodSeconds: 20"),
                plain("            failureThreshold: 3"),
            ]);
        }
    }
    out
}

fn service(group: &mut Group, i: usize) -> Vec<Item> {
    let svc = group.services[i].clone();
    let port = group.ports[i];
    let mut out = Vec::new();
    if i == 0 {
        out.push(plain(
            "# Entry service of the chain; the ingress gateway calls it",
        ));
    } else if group.rng.random() < 0.5 {
        out.push(plain(format!("# Called by {}", group.services[i - 1])));
    }
    out.extend([
        plain("apiVersion: v1"),
        plain("kind: Service"),
        plain("metadata:"),
        plain(format!("  name: {svc}")),
        plain(format!("  namespace: {}", group.namespace)),
        plain("  labels:"),
        plain(format!("    app: {svc}")),
        plain("spec:"),
        anchored(format!("svc-type/{svc}"), "  type: ClusterIP"),
        plain("  selector:"),
        plain(format!("    app: {svc}")),
        plain("  ports:"),
        plain("    - name: http"),
        plain(format!("      port: {port}")),
        plain(format!("      targetPort: {port}")),
        plain("      protocol: TCP"),
    ]);
    out
}

fn swimlane_group(group: &Group) -> Vec<Item> {
    let team = group.team;
    let mut chain = group
        .services
        .iter()
        .map(|s| s.split_once('-').map_or("", |(_, r)| r))
        .collect::<Vec<_>>()
        .join(" -> ");
    if chain.len() > 50 {
        chain = format!("of {} services", group.services.len());
    }
    let mut out = vec![
        plain(format!("# Lane group for the chain {chain}")),
        plain("apiVersion: istio.alibabacloud.com/v1"),
        plain("kind: ASMSwimLaneGroup"),
        plain("metadata:"),
        plain(format!("  name: {}", group.name)),
        plain("spec:"),
        plain("  ingress:"),
        plain("    gateway:"),
        plain(format!("      name: {}-gw", group.name)),
        plain("      namespace: istio-system"),
        plain("      type: ingress"),
        anchored("isPermissive", "  isPermissive: false"),
        plain("  services:"),
    ];
    for svc in &group.services {
        out.extend([
            plain(format!("    - name: {svc}")),
            plain(format!("      namespace: {}", group.namespace)),
            plain("      cluster:"),
            plain(format!("        id: {}", team.cluster_id)),
            plain(format!("        name: {}", team.cluster_name)),
        ]);
    }
    out
}

fn swimlane(group: &mut Group, lane: &str) -> Vec<Item> {
    let mut out = vec![
        plain(lane_comment(group, lane)),
        plain("apiVersion: istio.alibabacloud.com/v1"),
        plain("kind: ASMSwimLane"),
        plain("metadata:"),
        plain(format!("  name: {}-{lane}", group.name)),
        plain("  labels:"),
        plain(format!("    swimlane-group: {}", group.name)),
        plain("spec:"),
        plain("  labelSelector:"),
        plain(format!("    version: {lane}")),
        plain("  services:"),
    ];
    for svc in &group.services {
        out.push(anchored(
            format!("lane-svc/{lane}/{svc}"),
            format!("    - name: {svc}"),
        ));
        out.push(plain(format!("      namespace: {}", group.namespace)));
    }
    out
}

fn gateway(group: &Group) -> Vec<Item> {
    let team = group.team;
    vec![
        plain(format!("apiVersion: {}", team.istio_api)),
        plain("kind: Gateway"),
        plain("metadata:"),
        plain(format!("  name: {}-gw", group.name)),
        plain("  namespace: istio-system"),
        plain("spec:"),
        plain("  selector:"),
        plain(format!("    istio: {}", team.gateway)),
        plain("  servers:"),
        plain("    - port:"),
        plain("        number: 80"),
        plain("        name: http"),
        plain("        protocol: HTTP"),
        plain("      hosts:"),
        plain(format!("        - \"{}\"", group.host)),
    ]
}

fn virtual_service(group: &mut Group) -> Vec<Item> {
    let team = group.team;
    let entry = group.fqdn(0);
    let port = group.ports[0];
    let mut out = vec![
        plain(format!("# Ingress routing for the {} lanes;", group.name)),
        plain("# the weighted route must add up to 100"),
        plain(format!("apiVersion: {}", team.istio_api)),
        plain("kind: VirtualService"),
        plain("metadata:"),
        plain(format!("  name: {}-ingress", group.name)),
        plain(format!("  namespace: {}", group.namespace)),
        plain("spec:"),
        plain("  hosts:"),
        plain(format!("    - \"{}\"", group.host)),
        plain("  gateways:"),
        plain(format!("    - istio-system/{}-gw", group.name)),
        plain("  http:"),
    ];
    for (n, lane) in group.lanes[1..].iter().enumerate() {
        if n == 0 {
            out.push(plain("    # Pin requests that already carry a lane tag"));
        }
        out.extend([
            anchored(
                format!("http-lane/{lane}"),
                format!("    - name: lane-{lane}"),
            ),
            plain("      match:"),
            plain("        - headers:"),
            plain("            x-asm-prefer-tag:"),
            plain(format!("              exact: {lane}")),
            plain("      route:"),
            plain("        - destination:"),
            plain(format!("            host: {entry}")),
            plain("            port:"),
            plain(format!("              number: {port}")),
            plain(format!("            subset: {lane}")),
        ]);
    }
    out.push(anchored("http-weighted", "    - name: weighted"));
    out.push(plain("      route:"));
    let lanes = group.lanes.clone();
    let weights = group.weights.clone();
    for (lane, weight) in lanes.iter().zip(weights) {
        out.extend([
            plain(format!("        {}", lane_comment(group, lane))),
            plain("        - destination:"),
            plain(format!("            host: {entry}")),
            plain("            port:"),
            plain(format!("              number: {port}")),
            anchored(
                format!("subset/{lane}"),
                format!("            subset: {lane}"),
            ),
            anchored(
                format!("weight/{lane}"),
                format!("          weight: {weight}"),
            ),
        ]);
    }
    let attempts = group.rng.choice(&[2, 3]);
    let timeout = group.rng.choice(&["2s", "3s", "500ms"]);
    out.extend([
        plain("      retries:"),
        plain(format!("        attempts: {attempts}")),
        plain(format!("        perTryTimeout: {timeout}")),
    ]);
    out
}

fn destination_rule(group: &Group) -> Vec<Item> {
    let mut out = vec![
        plain(format!("apiVersion: {}", group.team.istio_api)),
        plain("kind: DestinationRule"),
        plain("metadata:"),
        plain(format!("  name: {}", group.services[0])),
        plain(format!("  namespace: {}", group.namespace)),
        plain("spec:"),
        plain(format!("  host: {}", group.fqdn(0))),
        plain("  trafficPolicy:"),
        plain("    loadBalancer:"),
        plain("      simple: ROUND_ROBIN"),
        plain("  subsets:"),
    ];
    for lane in &group.lanes {
        out.extend([
            plain(format!("    - name: {lane}")),
            plain("      labels:"),
            anchored(
                format!("dr-subset-end/{lane}"),
                format!("        version: {lane}"),
            ),
        ]);
    }
    out
}

fn rollout(group: &mut Group) -> [Vec<Item>; 2] {
    let leaf = group.services.last().expect("at least one service").clone();
    let tmpl = format!("{}-success-rate", group.name);
    let ns = group.namespace.clone();
    let w1 = group.rng.choice(&[10, 20, 25]);
    let pause = group.rng.choice(&["2m", "5m", "10m"]);
    let fqdn = group.fqdn(group.services.len() - 1);
    let w2 = group.rng.choice(&[50, 60]);
    let rollout = vec![
        plain("# Progressive delivery of the baseline leaf service"),
        plain("apiVersion: argoproj.io/v1alpha1"),
        plain("kind: Rollout"),
        plain("metadata:"),
        plain(format!("  name: {leaf}")),
        plain(format!("  namespace: {ns}")),
        plain("spec:"),
        plain(format!("  replicas: {}", group.replicas["v1"])),
        plain("  revisionHistoryLimit: 3"),
        plain("  selector:"),
        plain("    matchLabels:"),
        plain(format!("      app: {leaf}")),
        plain("      version: v1"),
        plain("  workloadRef:"),
        plain("    apiVersion: apps/v1"),
        plain("    kind: Deployment"),
        plain(format!("    name: {leaf}-v1")),
        plain("    scaleDown: progressively"),
        plain("  strategy:"),
        plain("    canary:"),
        plain("      maxSurge: \"25%\""),
        plain("      maxUnavailable: 0"),
        plain("      steps:"),
        plain(format!("        - setWeight: {w1}")),
        plain("        - pause:"),
        plain(format!("            duration: {pause}")),
        plain("        - analysis:"),
        plain("            templates:"),
        plain(format!("              - templateName: {tmpl}")),
        plain("            args:"),
        plain("              - name: service-name"),
        plain(format!("                value: {fqdn}")),
        plain(format!("        - setWeight: {w2}")),
        plain("        - pause: {}"),
    ];
    let threshold = group.rng.choice(&[95, 99]);
    let template = vec![
        plain("apiVersion: argoproj.io/v1alpha1"),
        plain("kind: AnalysisTemplate"),
        plain("metadata:"),
        plain(format!("  name: {tmpl}")),
        plain(format!("  namespace: {ns}")),
        plain("spec:"),
        plain("  args:"),
        plain("    - name: service-name"),
        plain("  metrics:"),
        plain("    - name: success-rate"),
        plain("      interval: 1m"),
        plain("      count: 5"),
        plain(format!(
            "      successCondition: result[0] >= 0.{threshold}"
        )),
        plain("      failureLimit: 2"),
        plain("      provider:"),
        plain("        prometheus:"),
        plain("          address: http://prometheus.istio-system.svc:9090"),
        plain("          query: |"),
        plain("            sum(irate(istio_requests_total{reporter=\"source\","),
        plain("              destination_service=~\"{{args.service-name}}\","),
        plain("              response_code!~\"5.*\"}[5m])) /"),
        plain("            sum(irate(istio_requests_total{reporter=\"source\","),
        plain("              destination_service=~\"{{args.service-name}}\"}[5m]))"),
    ];
    [rollout, template]
}

/// The files of one group, keyed as the script keys them, in its order.
fn build_group(group: &mut Group) -> Vec<(String, FileBuf)> {
    let base = format!("apps/{}/{}", group.team.name, group.name);
    let mut files = Vec::new();
    for lane in group.lanes.clone() {
        let mut f = FileBuf::new(format!("{base}/deploy-{lane}.yaml"));
        f.header(header(group, &format!("Workloads of lane {lane}")));
        for i in 0..group.services.len() {
            f.doc(deployment(group, i, &lane));
        }
        files.push((format!("deploy-{lane}"), f));
    }

    let mut f = FileBuf::new(format!("{base}/services.yaml"));
    f.header(header(group, "Services"));
    for i in 0..group.services.len() {
        f.doc(service(group, i));
    }
    files.push(("services".into(), f));

    let mut f = FileBuf::new(format!("{base}/swimlanegroup.yaml"));
    f.header(header(group, "ASM lane group"));
    f.doc(swimlane_group(group));
    files.push(("swimlanegroup".into(), f));

    let mut f = FileBuf::new(format!("{base}/swimlanes.yaml"));
    f.header(header(group, "ASM lanes"));
    for lane in group.lanes.clone() {
        f.doc(swimlane(group, &lane));
    }
    files.push(("swimlanes".into(), f));

    let mut f = FileBuf::new(format!("{base}/route.yaml"));
    f.header(header(group, "Ingress routing"));
    f.doc(gateway(group));
    f.doc(virtual_service(group));
    f.doc(destination_rule(group));
    files.push(("route".into(), f));

    if group.rollout {
        let mut f = FileBuf::new(format!("{base}/rollout.yaml"));
        f.header(header(group, "Progressive delivery"));
        for d in rollout(group) {
            f.doc(d);
        }
        files.push(("rollout".into(), f));
    }
    files
}

fn file<'a>(files: &'a mut [(String, FileBuf)], key: &str) -> &'a mut FileBuf {
    &mut files
        .iter_mut()
        .find(|(k, _)| k == key)
        .expect("the group has that file")
        .1
}

/// Apply one fault; return its record (`id` left at 0).
fn inject(
    group: &Group,
    files: &mut [(String, FileBuf)],
    kind: &'static str,
    occurrence: usize,
) -> Fault {
    let mut rng = PyRandom::from_str(&format!("{}/fault", group.name));
    let vs = format!("VirtualService/{}/{}-ingress", group.namespace, group.name);
    let mut rec = Fault {
        id: 0,
        group: group.name.clone(),
        kind,
        file: String::new(),
        line: 0,
        line_tolerance: 0,
        accept_lines: None,
        object: String::new(),
        related: Vec::new(),
        detail: String::new(),
    };
    match kind {
        "weight-sum" => {
            let delta: i64 = if occurrence.is_multiple_of(2) {
                -10
            } else {
                10
            };
            let w = group.weights[0] + delta;
            let route = file(files, "route");
            let line = route.replace("weight/v1", format!("          weight: {w}"));
            let last = group
                .lanes
                .iter()
                .map(|l| route.anchor(&format!("weight/{l}")))
                .max()
                .expect("at least one lane");
            rec.file = route.path.clone();
            rec.line = line;
            rec.object = vs;
            rec.accept_lines = Some([route.anchor("http-weighted") + 1, last + 1]);
            rec.detail = format!("weighted route sums to {}", 100 + delta);
        }
        "subset-without-lane" => {
            let ghost = format!("v{}", group.lanes.len() + 1);
            let last = group.lanes.last().expect("at least one lane");
            let route = file(files, "route");
            route.replace(
                &format!("subset/{last}"),
                format!("            subset: {ghost}"),
            );
            // Keep the DestinationRule consistent with the route, so the only problem is
            // that no ASMSwimLane selects version=<ghost>.
            route.insert_after(
                &format!("dr-subset-end/{last}"),
                &[
                    &format!("    - name: {ghost}"),
                    "      labels:",
                    &format!("        version: {ghost}"),
                ],
            );
            rec.file = route.path.clone();
            rec.line = route.anchor(&format!("subset/{last}")) + 1;
            rec.object = vs;
            rec.detail = format!("subset {ghost} has no ASMSwimLane");
        }
        "lane-missing-deployment" => {
            let lanes = if group.lanes.len() > 1 {
                &group.lanes[1..]
            } else {
                &group.lanes[..]
            };
            let lane = lanes[rng.below(lanes.len())].clone();
            let mut choices: Vec<usize> = (0..group.services.len()).collect();
            if lane == "v1" && group.rollout && choices.len() > 1 {
                choices.pop(); // keep the Rollout's workloadRef target
            }
            let i = rng.choice(&choices);
            let svc = &group.services[i];
            let deploy = file(files, &format!("deploy-{lane}"));
            deploy.delete_doc(i);
            let deploy_path = deploy.path.clone();
            let lanes_file = file(files, "swimlanes");
            let at = lanes_file.anchor(&format!("lane-svc/{lane}/{svc}"));
            rec.file = lanes_file.path.clone();
            rec.line = at + 1;
            rec.accept_lines = Some(lanes_file.doc_lines(at));
            rec.object = format!("ASMSwimLane/{}-{lane}", group.name);
            rec.related = vec![deploy_path];
            rec.detail = format!("lane {lane} has no Deployment for service {svc}");
        }
        "missing-traffic-tag" => {
            let lane = group.lanes[rng.below(group.lanes.len())].clone();
            let svc = &group.services[rng.randrange(group.services.len())];
            let f = file(files, &format!("deploy-{lane}"));
            f.delete_line(&format!("tpl-tag/{svc}/{lane}"));
            let at = f.anchor(&format!("tpl-labels/{svc}/{lane}"));
            rec.file = f.path.clone();
            rec.line = at + 1;
            rec.accept_lines = Some(f.doc_lines(at));
            rec.object = format!("Deployment/{}/{svc}-{lane}", group.namespace);
            rec.detail = "pod template lacks label ASM_TRAFFIC_TAG".into();
        }
        "unknown-field" => {
            if occurrence.is_multiple_of(2) {
                let f = file(files, "swimlanegroup");
                rec.line = f.replace("isPermissive", "  isPermisive: false".into());
                rec.file = f.path.clone();
                rec.object = format!("ASMSwimLaneGroup/{}", group.name);
                rec.detail = "unknown field spec.isPermisive".into();
            } else {
                let route = file(files, "route");
                rec.line = route.insert_after("http-weighted", &["      timout: 5s"]);
                rec.file = route.path.clone();
                rec.object = vs;
                rec.detail = "unknown field spec.http[].timout".into();
            }
        }
        "yaml-syntax" => {
            let svc = &group.services[rng.randrange(group.services.len())];
            let f = file(files, "services");
            rec.line = f.replace(&format!("svc-type/{svc}"), "  type ClusterIP".into());
            rec.file = f.path.clone();
            // libyaml and most parsers report the line after the broken key.
            rec.line_tolerance = 1;
            rec.object = format!("Service/{}/{svc}", group.namespace);
            rec.detail = "missing ':' after key 'type' (parsers usually point at the next \
                          line; findings that follow from the unreadable file may come with it)"
                .into();
        }
        other => unreachable!("unknown fault kind {other}"),
    }
    rec
}
