//! The peer-suite runner: lanes measured against `istioctl analyze`'s and
//! `kubectl argo rollouts lint`'s own test data (`../shared/peer-suites/`).
//!
//! Each Istio case is one run of `lanes lint --format json` over exactly the case's files; each
//! Rollouts file is linted on its own. Findings are tied to the resource whose document holds
//! them (the document is found with lanes' own parser), and compared with what the peer
//! expects on that resource:
//!
//! - [`ISTIO_COVERAGE`] is the one table from an in-scope Istio message (analyzer + code) to the
//!   lanes codes that cover it;
//! - [`ROLLOUTS_COVERAGE`] does the same for the Rollouts linter's error messages;
//! - [`POLICY`] is the one reviewed table of lanes findings that the peers do not give, made on
//!   purpose, each with its reason. Any other error or warning on a resource the peer does not
//!   flag is a false positive.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// An in-scope Istio message and the lanes rules that report it on the same resource.
pub struct Coverage {
    /// The analyzer of the case (`virtualservice.GatewayAnalyzer`).
    pub analyzer: &'static str,
    /// The istioctl message code (`IST0101`).
    pub code: &'static str,
    /// Lanes codes that cover this message; empty when lanes has no rule for it yet.
    pub lanes: &'static [&'static str],
    /// What the message means.
    pub what: &'static str,
}

/// The analyzers in scope (peer-suites README): every expected message of their cases counts
/// towards recall. IST0103 needs running pods and is listed with no lanes code.
pub static ISTIO_COVERAGE: &[Coverage] = &[
    Coverage {
        analyzer: "virtualservice.DestinationRuleAnalyzer",
        code: "IST0101",
        lanes: &["LN201"],
        what: "route or mirror destination names a subset that no DestinationRule defines",
    },
    Coverage {
        analyzer: "virtualservice.GatewayAnalyzer",
        code: "IST0101",
        lanes: &["LN203"],
        what: "VirtualService binds to a Gateway that does not exist",
    },
    Coverage {
        analyzer: "virtualservice.GatewayAnalyzer",
        code: "IST0132",
        lanes: &["LN211"],
        what: "VirtualService host is not among its Gateways' server hosts",
    },
    Coverage {
        analyzer: "virtualservice.GatewayAnalyzer",
        code: "IST0165",
        lanes: &["LN212"],
        what: "VirtualService binds to an internal (east-west, non-ingress) Gateway",
    },
    Coverage {
        analyzer: "virtualservice.DestinationHostAnalyzer",
        code: "IST0101",
        lanes: &["LN210", "LN202", "LN221"],
        what: "destination host (or its port) resolves to no Service or ServiceEntry",
    },
    Coverage {
        analyzer: "virtualservice.DestinationHostAnalyzer",
        code: "IST0112",
        lanes: &["LN213"],
        what: "destination Service has several ports and the destination names none",
    },
    Coverage {
        analyzer: "virtualservice.DestinationHostAnalyzer",
        code: "IST0140",
        lanes: &["LN214"],
        what: "route rule that has no effect on an ingress gateway (mirror, ...)",
    },
    Coverage {
        analyzer: "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
        code: "IST0109",
        lanes: &["LN215"],
        what: "several mesh VirtualServices claim the same host",
    },
    Coverage {
        analyzer: "schemaValidation.CollectionValidationAnalyzer(collections.VirtualService)",
        code: "IST0130",
        lanes: &["LN110"],
        what: "route rule that an earlier catch-all rule makes unreachable",
    },
    Coverage {
        analyzer: "schemaValidation.CollectionValidationAnalyzer(collections.VirtualService)",
        code: "IST0131",
        lanes: &["LN111"],
        what: "match that an earlier match of the same VirtualService already covers",
    },
    Coverage {
        analyzer: "destinationrule.PodNotSelectedAnalyzer",
        code: "IST0173",
        lanes: &["LN216"],
        what: "DestinationRule subset whose labels select no pod of the host's workloads",
    },
    Coverage {
        analyzer: "destinationrule.PodNotSelectedAnalyzer",
        code: "IST0174",
        lanes: &["LN217"],
        what: "DestinationRule for a host that no Service or ServiceEntry defines",
    },
    Coverage {
        analyzer: "gateway.IngressGatewayPortAnalyzer",
        code: "IST0101",
        lanes: &["LN218"],
        what: "Gateway selector matches no gateway workload",
    },
    Coverage {
        analyzer: "gateway.IngressGatewayPortAnalyzer",
        code: "IST0162",
        lanes: &["LN219"],
        what: "Gateway port is not exposed by the gateway workload's Service",
    },
    Coverage {
        analyzer: "gateway.ConflictingGatewayAnalyzer",
        code: "IST0145",
        lanes: &["LN220"],
        what: "two Gateways claim the same host and port on the same workload",
    },
    Coverage {
        analyzer: "injection.Analyzer",
        code: "IST0102",
        lanes: &["LN603"],
        what: "namespace is not labelled for injection",
    },
    Coverage {
        analyzer: "injection.Analyzer",
        code: "IST0148",
        lanes: &["LN603"],
        what: "namespace is injected by default (enableNamespacesByDefault) but not labelled",
    },
    Coverage {
        analyzer: "injection.Analyzer",
        code: "IST0123",
        lanes: &["LN601"],
        what: "namespace carries several injection labels",
    },
    Coverage {
        analyzer: "injection.Analyzer",
        code: "IST0103",
        lanes: &[],
        what: "pod without the proxy: needs running pods, out of lanes' reach",
    },
    Coverage {
        analyzer: "service.PortNameAnalyzer",
        code: "IST0118",
        lanes: &["LN420"],
        what: "Service port name does not follow Istio's <protocol>[-suffix] convention",
    },
    Coverage {
        analyzer: "service.PortNameAnalyzer",
        code: "IST0150",
        lanes: &["LN421"],
        what: "ExternalName Service port name does not name a protocol",
    },
    Coverage {
        analyzer: "deployment.ServiceAssociationAnalyzer",
        code: "IST0116",
        lanes: &["LN422"],
        what: "one Deployment behind several Services",
    },
    Coverage {
        analyzer: "deployment.ServiceAssociationAnalyzer",
        code: "IST0137",
        lanes: &["LN423"],
        what: "one Deployment behind Services that give one port different protocols",
    },
    Coverage {
        analyzer: "deprecation.FieldAnalyzer",
        code: "IST0002",
        lanes: &["LN704"],
        what: "deprecated field",
    },
];

/// Whether an analyzer is in scope (its expected messages count towards recall).
pub fn in_scope(analyzer: &str) -> bool {
    ISTIO_COVERAGE.iter().any(|c| c.analyzer == analyzer)
}

/// The lanes codes that cover an Istio message of an analyzer, if it is in scope.
pub fn istio_coverage(analyzer: &str, code: &str) -> Option<&'static Coverage> {
    ISTIO_COVERAGE
        .iter()
        .find(|c| c.analyzer == analyzer && c.code == code)
}

/// A Rollouts lint error (by a fragment of its message) and the lanes rules that report it.
pub struct RolloutsCoverage {
    /// A fragment of `kubectl argo rollouts lint`'s message.
    pub errmsg: &'static str,
    /// Lanes codes that report the same problem.
    pub lanes: &'static [&'static str],
}

/// The Rollouts linter's errors that its test data expects, and the lanes rules for each.
pub static ROLLOUTS_COVERAGE: &[RolloutsCoverage] = &[
    RolloutsCoverage {
        errmsg: "MaxSurge and MaxUnavailable both can not be zero",
        lanes: &["LN519"],
    },
    RolloutsCoverage {
        errmsg: "Rollout has missing field '.spec.selector'",
        lanes: &["LN520", "LN701"],
    },
    RolloutsCoverage {
        errmsg: "unknown field",
        lanes: &["LN702"],
    },
    RolloutsCoverage {
        errmsg: "has unmatch label",
        lanes: &["LN511"],
    },
    RolloutsCoverage {
        errmsg: "Experiment template weight is only available for TrafficRouting",
        lanes: &["LN521"],
    },
];

/// One deliberate lanes finding that the peers do not give.
pub struct Policy {
    /// The lanes code.
    pub code: &'static str,
    /// Which suite it applies to: `istio`, `rollouts`, or `*`.
    pub suite: &'static str,
    /// Only for files whose path (relative to the suite folder) ends with this; `""` = any.
    pub file: &'static str,
    /// Only for findings whose message contains this; `""` = any.
    pub message: &'static str,
    /// Why lanes reports it although the peer does not.
    pub reason: &'static str,
}

/// The one reviewed table of lanes findings that are deliberate (not false positives) on
/// resources the peer does not flag. Anything else is a false positive.
pub static POLICY: &[Policy] = &[
    Policy {
        code: "LN512",
        suite: "rollouts",
        file: "",
        message: "",
        reason: "single-file run: the AnalysisTemplate the Rollout names is not in the file \
                 (`kubectl argo rollouts lint` never resolves references; lanes does, and the \
                 finding is right for a repository that lacks the template)",
    },
    Policy {
        code: "LN203",
        suite: "rollouts",
        file: "",
        message: "",
        reason: "single-file run: the Istio Gateway the VirtualService binds to is not in the file",
    },
    Policy {
        code: "LN701",
        suite: "istio",
        file: "",
        message: "is not one of \"TCP\", \"UDP\" or \"SCTP\"",
        reason: "a Service port's `protocol` must be TCP, UDP or SCTP: the Kubernetes API \
                 server rejects `HTTP` (Istio reads the protocol from the port name); the \
                 analyzer test data is never applied to a cluster",
    },
    Policy {
        code: "LN701",
        suite: "istio",
        file: "conflicting-gateways-invalid-port.yaml",
        message: "missing required field `port`",
        reason: "Istio's Gateway validation rejects a server without `port`; the case only \
                 checks that the conflict analyzer does not crash on it",
    },
    Policy {
        code: "LN701",
        suite: "rollouts",
        file: "invalid-empty-rollout-vsvc.yml",
        message: "missing required field `metadata`",
        reason: "every object needs `metadata.name`; the Rollouts linter stops at its first \
                 error (the missing selector), lanes reports all of them",
    },
    Policy {
        code: "LN203",
        suite: "istio",
        file: "virtualservice_conflictingmeshgatewayhosts.yaml",
        message: "",
        reason: "the Gateway `bar/istio-ingressgateway` is not in the case's files: Istio's \
                 GatewayAnalyzer reports the same (IST0101); this case runs only the \
                 mesh-host conflict analyzer",
    },
    Policy {
        code: "LN701",
        suite: "istio",
        file: "",
        message: "missing required field `servers`",
        reason: "Istio's Gateway validation rejects a Gateway without servers; the analyzer test \
                 data holds such Gateways only as binding targets and is never applied",
    },
    Policy {
        code: "LN215",
        suite: "istio",
        file: "virtualservice_overlappingmatches.yaml",
        message: "",
        reason: "the case's VirtualServices really share the mesh host sample.baz; Istio's \
                 ConflictingMeshGatewayHosts analyzer (IST0109, not run by this case) reports \
                 them too",
    },
    Policy {
        code: "LN215",
        suite: "istio",
        file: "virtualservice_destinationhosts.yaml",
        message: "hello-export-to-bogus",
        reason: "hello/hello and hello/hello-export-to-bogus both claim hello.hello for \
                 sidecars in namespace `bogus`, where both are exported; the case runs only the \
                 destination-host analyzer",
    },
    Policy {
        code: "LN601",
        suite: "istio",
        file: "sidecar-default-selector.yaml",
        message: "istio.io/dataplane-mode",
        reason: "the namespaces combine `istio.io/dataplane-mode: ambient` with `istio-injection: \
                 enabled` or `istio.io/rev`: exactly what the injection analyzer reports as \
                 IST0123 in injection.yaml (multi-ns-2, multi-ns-3); this case runs only the \
                 Sidecar selector analyzer",
    },
];

/// The policy entry that covers a finding, if any.
pub fn policy_for(suite: &str, f: &Finding) -> Option<&'static Policy> {
    POLICY.iter().find(|p| {
        p.code == f.code
            && (p.suite == "*" || p.suite == suite)
            && f.file.ends_with(p.file)
            && f.message.contains(p.message)
    })
}

/// A resource, as a peer names it: `Kind namespace/name` (namespace empty when not written or
/// cluster-scoped).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// `kind:`.
    pub kind: String,
    /// Namespace; empty for none.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

impl Origin {
    /// Parse `Kind ns/name` or `Kind name`.
    pub fn parse(s: &str) -> Origin {
        let (kind, rest) = s.split_once(' ').unwrap_or((s, ""));
        let (namespace, name) = rest.split_once('/').unwrap_or(("", rest));
        Origin {
            kind: kind.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Whether two origins name the same resource (`default` and no namespace are the same).
    pub fn same(&self, other: &Origin) -> bool {
        let ns = |s: &str| if s.is_empty() { "default" } else { s }.to_string();
        self.kind == other.kind
            && self.name == other.name
            && (ns(&self.namespace) == ns(&other.namespace)
                || self.namespace.is_empty()
                || other.namespace.is_empty())
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// One lanes finding, tied to the resource whose document holds it.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Lanes code.
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// File as lanes names it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Message.
    pub message: String,
    /// The resource, when the finding lies in a document with a kind and a name.
    pub origin: Option<Origin>,
}

impl Finding {
    fn is_problem(&self) -> bool {
        self.severity == "error" || self.severity == "warning"
    }

    fn describe(&self) -> String {
        let at = self
            .origin
            .as_ref()
            .map_or_else(|| "(no resource)".into(), |o| o.to_string());
        format!(
            "{} {} on {} at {}:{}: {}",
            self.severity, self.code, at, self.file, self.line, self.message
        )
    }
}

/// Run `lanes lint --format json FILES` in `dir`; the findings, and lanes' exit code.
pub fn lint(dir: &Path, files: &[String]) -> (Vec<Finding>, i32) {
    let out = Command::new(crate::lanes_bin())
        .current_dir(dir)
        .args(["lint", "--format", "json", "--no-cache"])
        .args(files)
        .output()
        .expect("run lanes");
    let code = out.status.code().unwrap_or(-1);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "lanes lint {files:?} did not print JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let origins = Origins::read(dir, files);
    let mut findings = Vec::new();
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        let file = d["file"].as_str().unwrap_or("").to_string();
        let line = d["line"].as_u64().unwrap_or(0) as usize;
        findings.push(Finding {
            code: d["code"].as_str().unwrap_or("").into(),
            severity: d["severity"].as_str().unwrap_or("").into(),
            origin: origins.at(&file, line),
            file,
            line,
            message: d["message"].as_str().unwrap_or("").into(),
        });
    }
    (findings, code)
}

/// Which resource each line of the linted files belongs to, read with lanes' own parser.
struct Origins {
    /// file → (first line, last line, resource) of every document, and of every resource
    /// whose root is not its document's (items of a `kind: List`).
    spans: BTreeMap<String, Vec<(usize, usize, Option<Origin>)>>,
}

impl Origins {
    fn read(dir: &Path, files: &[String]) -> Origins {
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(dir.join(f)).unwrap_or_default();
                (f.clone(), text)
            })
            .collect();
        let index = lanes_model::Index::from_texts(texts);
        let mut spans: BTreeMap<String, Vec<(usize, usize, Option<Origin>)>> = BTreeMap::new();
        for file in &index.files {
            let src = &file.source;
            let list = spans.entry(src.name().to_string()).or_default();
            let n = file.docs.len();
            for (i, doc) in file.docs.iter().enumerate() {
                let start = doc.marker.unwrap_or(doc.content_range().start);
                let end = file
                    .docs
                    .get(i + 1)
                    .map(|d| d.marker.unwrap_or(d.content_range().start))
                    .unwrap_or(src.text().len());
                let last = if i + 1 == n {
                    usize::MAX
                } else {
                    src.line_col(end).line
                };
                list.push((src.line_col(start).line, last, None));
            }
        }
        for (ri, r) in index.resources.iter().enumerate() {
            let file = &index.files[r.file];
            let root = index.root(ri);
            let written_ns = lanes_model::views::Meta::of(root)
                .and_then(|m| m.namespace())
                .and_then(|n| n.as_text())
                .unwrap_or("")
                .to_string();
            let origin = Origin {
                kind: r.kind_str.clone(),
                namespace: written_ns,
                name: r.name.clone(),
            };
            let Some(list) = spans.get_mut(file.source.name()) else {
                continue;
            };
            let is_doc_root = file.docs[r.doc].root.is_some_and(|id| id == root.id);
            if is_doc_root {
                if let Some(slot) = list.get_mut(r.doc) {
                    slot.2 = Some(origin);
                }
            } else {
                let src = &file.source;
                let range = root.range();
                list.push((
                    src.line_col(range.start).line,
                    src.line_col(range.end).line,
                    Some(origin),
                ));
            }
        }
        Origins { spans }
    }

    /// The resource of the narrowest span holding `line`.
    fn at(&self, file: &str, line: usize) -> Option<Origin> {
        let list = self.spans.get(file)?;
        list.iter()
            .filter(|(a, b, o)| o.is_some() && *a <= line && line <= *b)
            .min_by_key(|(a, b, _)| b.saturating_sub(*a))
            .and_then(|(_, _, o)| o.clone())
    }
}

/// The result of one Istio case.
#[derive(Debug, Default)]
pub struct CaseReport {
    /// Case number in the peer's table.
    pub n: u64,
    /// Case name.
    pub name: String,
    /// Analyzer.
    pub analyzer: String,
    /// Whether its messages count towards recall.
    pub in_scope: bool,
    /// In-scope expected messages lanes reports on the same resource: `CODE Origin ← LNxxx`.
    pub found: Vec<String>,
    /// In-scope expected messages lanes misses.
    pub missed: Vec<String>,
    /// Lanes findings on resources the case does not flag, listed in [`POLICY`].
    pub policy: Vec<String>,
    /// Lanes error/warning findings on resources the case does not flag, not in [`POLICY`].
    pub false_positives: Vec<String>,
}

/// Totals over a suite.
#[derive(Debug, Default)]
pub struct Totals {
    /// Expected in-scope messages (Istio) or invalid files (Rollouts).
    pub expected: usize,
    /// Of those, found.
    pub found: usize,
    /// Findings covered by the policy table.
    pub policy: usize,
    /// False positives.
    pub false_positives: usize,
}

/// Run every Istio case of `istio/cases.json` under `suite` (the `peer-suites` folder).
pub fn run_istio(suite: &Path) -> Vec<CaseReport> {
    let dir = suite.join("istio");
    let cases: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("cases.json")).expect("read istio/cases.json"),
    )
    .expect("istio/cases.json is JSON");
    let mut out = Vec::new();
    for case in cases["cases"].as_array().expect("cases") {
        let files: Vec<String> = case["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        let analyzer = case["analyzer"].as_str().unwrap_or("").to_string();
        let (findings, _) = lint(&dir, &files);
        let expected: Vec<(String, Origin)> = case["expected"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["code"].as_str().unwrap_or("").to_string(),
                    Origin::parse(e["origin"].as_str().unwrap_or("")),
                )
            })
            .collect();
        let mut report = CaseReport {
            n: case["n"].as_u64().unwrap_or(0),
            name: case["name"].as_str().unwrap_or("").into(),
            in_scope: in_scope(&analyzer),
            analyzer,
            ..CaseReport::default()
        };
        let mut used = vec![false; findings.len()];
        if report.in_scope {
            for (code, origin) in &expected {
                let lanes = istio_coverage(&report.analyzer, code).map_or(&[][..], |c| c.lanes);
                let hit = findings.iter().enumerate().position(|(i, f)| {
                    !used[i]
                        && lanes.contains(&f.code.as_str())
                        && f.origin.as_ref().is_some_and(|o| o.same(origin))
                });
                match hit {
                    Some(i) => {
                        used[i] = true;
                        report
                            .found
                            .push(format!("{code} {origin} <- {}", findings[i].code));
                    }
                    None => report.missed.push(format!("{code} {origin}")),
                }
            }
        }
        judge_extra(
            "istio",
            &findings,
            &used,
            |o| expected.iter().any(|(_, e)| e.same(o)),
            &mut report,
        );
        out.push(report);
    }
    out
}

fn judge_extra(
    suite: &str,
    findings: &[Finding],
    used: &[bool],
    flagged: impl Fn(&Origin) -> bool,
    report: &mut CaseReport,
) {
    for (i, f) in findings.iter().enumerate() {
        if used[i] || !f.is_problem() || f.origin.as_ref().is_some_and(&flagged) {
            continue;
        }
        match policy_for(suite, f) {
            Some(_) => report.policy.push(f.describe()),
            None => report.false_positives.push(f.describe()),
        }
    }
}

/// Totals over Istio reports: in-scope expected messages, found, policy, false positives.
pub fn istio_totals(reports: &[CaseReport]) -> Totals {
    let mut t = Totals::default();
    for r in reports {
        t.expected += r.found.len() + r.missed.len();
        t.found += r.found.len();
        t.policy += r.policy.len();
        t.false_positives += r.false_positives.len();
    }
    t
}

/// Run each file of `argo-rollouts/expectations.json` on its own. Each report is one file:
/// `found`/`missed` hold the expected error of an invalid file.
pub fn run_rollouts(suite: &Path) -> Vec<CaseReport> {
    let dir = suite.join("argo-rollouts");
    let exp: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expectations.json"))
            .expect("read argo-rollouts/expectations.json"),
    )
    .expect("expectations.json is JSON");
    let mut out = Vec::new();
    let mut n = 0;
    let mut one = |file: &str, errmsg: Option<&str>| {
        n += 1;
        let rel = format!("testdata/{file}");
        let (findings, _) = lint(&dir, std::slice::from_ref(&rel));
        let mut report = CaseReport {
            n,
            name: file.to_string(),
            analyzer: if errmsg.is_some() { "invalid" } else { "valid" }.into(),
            in_scope: true,
            ..CaseReport::default()
        };
        let mut used = vec![false; findings.len()];
        if let Some(msg) = errmsg {
            let lanes = ROLLOUTS_COVERAGE
                .iter()
                .find(|c| msg.contains(c.errmsg))
                .map_or(&[][..], |c| c.lanes);
            let hits: Vec<usize> = findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.severity == "error" && lanes.contains(&f.code.as_str()))
                .map(|(i, _)| i)
                .collect();
            let msg = msg.trim().trim_start_matches("Error: ");
            if hits.is_empty() {
                report.missed.push(msg.to_string());
            } else {
                let codes: Vec<&str> = hits.iter().map(|i| findings[*i].code.as_str()).collect();
                report.found.push(format!("{msg} <- {}", codes.join(",")));
                // Every finding of the expected rule is the expected error (one per Service).
                for i in hits {
                    used[i] = true;
                }
            }
        }
        judge_extra("rollouts", &findings, &used, |_| false, &mut report);
        out.push(report);
    };
    for v in exp["invalid"].as_array().into_iter().flatten() {
        one(
            v["file"].as_str().unwrap_or(""),
            Some(v["errmsg"].as_str().unwrap_or("")),
        );
    }
    for v in exp["valid"].as_array().into_iter().flatten() {
        one(v.as_str().unwrap_or(""), None);
    }
    out
}

/// Totals over Rollouts reports: invalid files, of those caught, policy, false positives.
pub fn rollouts_totals(reports: &[CaseReport]) -> Totals {
    istio_totals(reports)
}

/// The `peer-suites` folder under the shared dir.
pub fn suite_dir() -> PathBuf {
    crate::shared_dir().join("peer-suites")
}

/// A readable report: one block per case with anything to say, then the totals.
pub fn render(title: &str, reports: &[CaseReport]) -> String {
    let mut s = String::new();
    let t = istio_totals(reports);
    let _ = writeln!(s, "# {title}");
    for r in reports {
        let _ = writeln!(
            s,
            "case {} {} [{}{}]: found {}, missed {}, policy {}, false {}",
            r.n,
            r.name,
            r.analyzer,
            if r.in_scope { "" } else { ", out of scope" },
            r.found.len(),
            r.missed.len(),
            r.policy.len(),
            r.false_positives.len()
        );
        for (tag, list) in [
            ("found", &r.found),
            ("MISSED", &r.missed),
            ("policy", &r.policy),
            ("FALSE", &r.false_positives),
        ] {
            for x in list {
                let _ = writeln!(s, "    {tag}: {x}");
            }
        }
    }
    let _ = writeln!(
        s,
        "total: found {} of {} expected ({:.1}%), policy {}, false positives {}",
        t.found,
        t.expected,
        if t.expected == 0 {
            100.0
        } else {
            100.0 * t.found as f64 / t.expected as f64
        },
        t.policy,
        t.false_positives
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_like_the_peer_prints_them() {
        let a = Origin::parse("VirtualService default/reviews");
        let b = Origin::parse("VirtualService reviews");
        assert_eq!(a.namespace, "default");
        assert!(a.same(&b) && b.same(&a));
        assert!(!a.same(&Origin::parse("VirtualService foo/reviews")));
        assert!(!a.same(&Origin::parse("DestinationRule default/reviews")));
        assert_eq!(b.to_string(), "VirtualService reviews");
    }

    #[test]
    fn every_in_scope_analyzer_is_mapped_and_policy_needs_a_reason() {
        assert!(in_scope("virtualservice.GatewayAnalyzer"));
        assert!(!in_scope("authz.AuthorizationPoliciesAnalyzer"));
        assert_eq!(
            istio_coverage("virtualservice.GatewayAnalyzer", "IST0132").map(|c| c.lanes),
            Some(&["LN211"][..])
        );
        for p in POLICY {
            assert!(p.reason.len() > 20, "{} needs a reason", p.code);
        }
        let f = Finding {
            code: "LN512".into(),
            severity: "error".into(),
            file: "testdata/valid.yml".into(),
            line: 1,
            message: "analysis template 'x' not found".into(),
            origin: None,
        };
        assert!(policy_for("rollouts", &f).is_some());
        assert!(policy_for("istio", &f).is_none());
    }
}
