//! The round-trip law on every fixture and on ../shared/corpus: an unedited document prints back
//! as the same bytes, every span is exact, and CRLF / BOM / missing final newline variants parse
//! to the same values.

use lanes_yaml::{edit, parse_str, to_json, NodeKind, NodeRef, ScalarStyle};

mod common;
use common::corpus;

fn visit<'a>(n: NodeRef<'a>, f: &mut dyn FnMut(NodeRef<'a>)) {
    f(n);
    match n.kind() {
        NodeKind::Seq { .. } => n.items().for_each(|c| visit(c, f)),
        NodeKind::Map { .. } => n.entries().for_each(|(k, v)| {
            visit(k, f);
            visit(v, f);
        }),
        _ => {}
    }
}

#[test]
fn unedited_documents_print_back_byte_for_byte() {
    let files = corpus();
    assert!(
        files.len() > 50,
        "expected the fixtures and the shared corpus"
    );
    for (name, text) in &files {
        let parsed = parse_str(name, text);
        assert_eq!(edit::apply(text, &[]).unwrap(), *text, "{name}");
        // Document segments tile the file: what precedes the first document, then each
        // document from its `---` line to the next one's.
        let mut cuts: Vec<usize> = parsed
            .docs
            .iter()
            .filter_map(|d| d.marker)
            .map(|m| text[..m].rfind('\n').map_or(0, |i| i + 1))
            .collect();
        cuts.insert(0, 0);
        cuts.push(text.len());
        cuts.dedup();
        let rebuilt: String = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
        assert_eq!(rebuilt, *text, "{name}");
    }
}

#[test]
fn every_span_is_exact() {
    let mut scalars = 0;
    for (name, text) in corpus() {
        let parsed = parse_str(&name, &text);
        for doc in &parsed.docs {
            let Some(root) = doc.root() else { continue };
            visit(root, &mut |n| {
                let r = n.range();
                assert!(r.start <= r.end && r.end <= text.len(), "{name}: {r:?}");
                assert!(
                    text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                    "{name}"
                );
                if let NodeKind::Scalar { style } = n.kind() {
                    let value = n.scalar_text().unwrap();
                    if matches!(
                        style,
                        ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                    ) && !r.is_empty()
                        && !text[r.clone()].contains('\n')
                    {
                        // The source slice, parsed on its own, gives the same value.
                        let again = parse_str("slice", &format!("k: {}", &text[r.clone()]));
                        let v = again.docs[0].root().unwrap().get("k").unwrap();
                        assert_eq!(v.scalar_text(), Some(value), "{name} at {r:?}");
                        scalars += 1;
                    }
                }
            });
        }
    }
    assert!(scalars > 1000);
}

#[test]
fn line_ending_bom_and_final_newline_variants_parse_alike() {
    for (name, text) in corpus() {
        let base = parse_str(&name, &text);
        if base.has_errors() {
            continue;
        }
        let values = |t: &str| -> Vec<serde_json::Value> {
            parse_str(&name, t)
                .docs
                .iter()
                .filter_map(|d| d.root().map(|r| to_json(r).unwrap()))
                .collect()
        };
        let want = values(&text);
        let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
        assert_eq!(values(&crlf), want, "{name} (CRLF)");
        assert_eq!(values(&format!("\u{feff}{text}")), want, "{name} (BOM)");
        assert_eq!(
            values(text.trim_end_matches('\n')),
            want,
            "{name} (no final newline)"
        );
    }
}

#[test]
fn bad_input_is_located_and_never_panics() {
    let cases: &[(&str, &str)] = &[
        ("a: [1, 2\nb: 3\n", "invalid YAML"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("a: *nope\n", "unknown anchor"),
        ("a: &x [*x]\n", "recursive alias"),
        ("a:\n\tb: 1\n", "invalid YAML"),
    ];
    for (text, want) in cases {
        let p = parse_str("bad.yaml", text);
        assert!(
            p.errors.iter().any(|e| e.message.contains(want)),
            "{text:?}: {:?}",
            p.errors
        );
        for e in &p.errors {
            assert!(e.range.end <= text.len());
        }
    }
    let deep = format!("a: {}{}\n", "[".repeat(500), "]".repeat(500));
    assert!(!parse_str("deep.yaml", &deep).errors.is_empty());
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let p = parse_str("bomb.yaml", &bomb);
    assert!(p
        .errors
        .iter()
        .any(|e| e.kind == lanes_yaml::YamlErrorKind::AliasBomb));
}
