//! The combined editor schema in a real editor backend: yaml-language-server (from npm; .ci/run
//! installs it under target/npm, or `$LANES_YLS` names the executable), driven over stdio as
//! an editor drives it.
//!
//! yaml-language-server applies a `# yaml-language-server: $schema=` modeline to the document
//! it is written in only, so for files of several documents the schema is mapped by glob
//! (`yaml.schemas`), as the README says; a modeline is checked on a one-document file.
//!
//! - The bundled samples (several kinds per file) get no error.
//! - A file with one typo per kind gets one error per typo, each at the line `lanes lint`
//!   reports (LN702).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

fn yls() -> PathBuf {
    if let Some(p) = std::env::var_os("LANES_YLS") {
        return PathBuf::from(p);
    }
    let p = lanes_conformance::workspace_root()
        .join("target/npm/node_modules/.bin/yaml-language-server");
    assert!(
        p.exists(),
        "yaml-language-server not found at {} (npm install --prefix target/npm yaml-language-server@1, or set LANES_YLS)",
        p.display()
    );
    p
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: u64,
    schema_uri: String,
}

fn file_uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

impl Server {
    fn start(root: &Path, schema_uri: String) -> Server {
        let mut child = Command::new(yls())
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("yaml-language-server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut s = Server {
            child,
            stdin,
            rx,
            next_id: 1,
            schema_uri,
        };
        let id = s.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": file_uri(root),
                "capabilities": {
                    "workspace": { "configuration": true },
                    "textDocument": { "publishDiagnostics": {} }
                },
            }),
        );
        s.wait(|m| m["id"] == id);
        s.notify("initialized", json!({}));
        s.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "yaml": s.settings() } }),
        );
        // The server pulls the settings (workspace/configuration) when told they changed; open
        // files only once it has them.
        s.wait(|m| m["method"] == "workspace/configuration");
        s
    }

    /// The settings an editor sends: the combined schema mapped to every YAML file.
    fn settings(&self) -> Value {
        json!({
            "validate": true,
            "schemaStore": { "enable": false },
            "schemas": { self.schema_uri.clone(): ["*.yaml", "**/*.yaml"] },
        })
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message that satisfies `want`, answering the server's own requests meanwhile.
    /// The bound only keeps a broken server from hanging the run.
    fn wait(&mut self, want: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .rx
                .recv_timeout(Duration::from_secs(120))
                .expect("yaml-language-server answers");
            if m.get("method").is_some() && m.get("id").is_some() {
                let is_config = m["method"] == "workspace/configuration";
                let result = match m["method"].as_str().unwrap() {
                    "workspace/configuration" => {
                        let n = m["params"]["items"].as_array().map_or(1, Vec::len);
                        Value::Array(vec![self.settings(); n])
                    }
                    _ => Value::Null,
                };
                let id = m["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
                if is_config && want(&m) {
                    return m;
                }
                continue;
            }
            if want(&m) {
                return m;
            }
        }
    }

    /// Open a file whose first line is the modeline; return its errors as (1-based line, message).
    fn errors(&mut self, path: &Path, text: &str) -> Vec<(u64, String)> {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == 1)
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap() + 1,
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn modeline(schema_uri: &str) -> String {
    format!("# yaml-language-server: $schema={schema_uri}\n")
}

#[test]
#[ignore = "conformance: needs ../shared"]
fn yaml_language_server_validates_multi_kind_files_with_the_combined_schema() {
    let root = lanes_conformance::workspace_root();
    let schema = root.join("schemas/kubernetes-lanes.schema.json");
    let schema_uri = file_uri(
        &schema
            .canonicalize()
            .unwrap_or_else(|e| panic!("{}: {e}", schema.display())),
    );
    // Not a dot-directory: globs (picomatch) do not enter those.
    let dir = tempfile::Builder::new()
        .prefix("lanes-yls-")
        .tempdir()
        .unwrap();
    let mut server = Server::start(dir.path(), schema_uri.clone());
    let head = modeline(&server.schema_uri);

    // 1. The bundled samples: no false error.
    let mut all_docs = Vec::new();
    for sample in [
        "fixtures/examples/swimlane",
        "fixtures/examples/argo-rollouts",
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(sample))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let copy = dir.path().join(f.file_name().unwrap());
            std::fs::write(&copy, &text).unwrap();
            let errors = server.errors(&copy, &text);
            assert!(errors.is_empty(), "{}: {errors:?}", f.display());
            all_docs.extend(
                text.split("\n---")
                    .map(|d| d.trim_start_matches("---").trim().to_string())
                    .filter(|d| d.contains("kind:")),
            );
        }
    }

    // 2. One typo per kind, all in one file: an unknown key right under `spec:`.
    let mut kinds = std::collections::BTreeSet::new();
    let mut typo_file = String::new();
    for d in &all_docs {
        let kind = d
            .lines()
            .find_map(|l| l.strip_prefix("kind: "))
            .unwrap()
            .trim()
            .to_string();
        if !kinds.insert(kind) || !d.contains("\nspec:\n") {
            continue;
        }
        typo_file.push_str("---\n");
        typo_file.push_str(&d.replacen("\nspec:\n", "\nspec:\n  tpyo: 1\n", 1));
        typo_file.push('\n');
    }
    let path = dir.path().join("typos.yaml");
    std::fs::write(&path, &typo_file).unwrap();
    let mut found: Vec<u64> = server
        .errors(&path, &typo_file)
        .iter()
        .map(|e| e.0)
        .collect();
    found.sort_unstable();
    found.dedup();

    let out = Command::new(lanes_conformance::lanes_bin())
        .args(["lint", "--format", "json", "--select", "LN702"])
        .arg(&path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lanes_lines: Vec<u64> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    lanes_lines.sort_unstable();
    let typos = typo_file.matches("  tpyo: 1\n").count();
    assert!(typos >= 6, "{kinds:?}");
    assert_eq!(lanes_lines.len(), typos, "lanes finds every typo: {report}");
    assert_eq!(
        found, lanes_lines,
        "yaml-language-server and lanes agree:\n{typo_file}"
    );

    // 3. A modeline on a one-document file, outside the glob's reach (`.yml`).
    let one = all_docs
        .iter()
        .find(|d| d.contains("kind: VirtualService"))
        .unwrap();
    let text = format!(
        "{head}{}\n",
        one.replacen("\nspec:\n", "\nspec:\n  tpyo: 1\n", 1)
    );
    let path = dir.path().join("one.yml");
    std::fs::write(&path, &text).unwrap();
    let errors = server.errors(&path, &text);
    let line = text.lines().position(|l| l == "  tpyo: 1").unwrap() as u64 + 1;
    assert_eq!(
        errors.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![line],
        "{errors:?}"
    );
}
