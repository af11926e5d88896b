//! The laws of the parse, each over a set of (name, text) files: the fixtures in
//! `cargo test -p lanes_yaml`, ../shared/corpus in lanes_conformance.

use lanes_yaml::{edit, parse_str, snapshot, to_json, NodeKind, NodeRef, ParsedFile};
use lanes_yaml::{ScalarStyle, SourceFile};

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

/// An unedited file prints back as the same bytes, and its document segments tile it.
pub(crate) fn unedited_documents_print_back_byte_for_byte(files: &[(String, String)]) {
    for (name, text) in files {
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

/// Every span lies on character boundaries inside the text, and a one-line scalar's source
/// slice parsed on its own gives the same value. Returns how many scalars were checked so.
pub(crate) fn every_span_is_exact(files: &[(String, String)]) -> usize {
    let mut scalars = 0;
    for (name, text) in files {
        let parsed = parse_str(name, text);
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
                        let again = parse_str("slice", &format!("k: {}", &text[r.clone()]));
                        let v = again.docs[0].root().unwrap().get("k").unwrap();
                        assert_eq!(v.scalar_text(), Some(value), "{name} at {r:?}");
                        scalars += 1;
                    }
                }
            });
        }
    }
    scalars
}

/// CRLF, a BOM and a missing final newline do not change the values of a clean file.
pub(crate) fn line_ending_bom_and_final_newline_variants_parse_alike(files: &[(String, String)]) {
    for (name, text) in files {
        let base = parse_str(name, text);
        if base.has_errors() {
            continue;
        }
        let values = |t: &str| -> Vec<serde_json::Value> {
            parse_str(name, t)
                .docs
                .iter()
                .filter_map(|d| d.root().map(|r| to_json(r).unwrap()))
                .collect()
        };
        let want = values(text);
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

/// Everything a parse exposes, node by node (Debug of a node includes its decoded value).
pub(crate) fn shape(p: &ParsedFile) -> String {
    let mut s = String::new();
    for d in &p.docs {
        s.push_str(&format!(
            "doc {} marker {:?} root {:?} aliases {}\n",
            d.index,
            d.marker,
            d.root,
            d.has_aliases()
        ));
        for id in 0..d.len() as u32 {
            let n = d.at(id);
            s.push_str(&format!(
                "{id} {:?} text {:?} pointer {}\n",
                d.node(id),
                n.scalar_text(),
                n.pointer()
            ));
        }
    }
    s.push_str(&format!("errors {:?}\n", p.errors));
    s
}

/// A clean parse without notes or aliases is snapshotted, and its snapshot decodes to exactly
/// the same parse. Returns how many files were snapshotted.
pub(crate) fn snapshots_decode_to_the_same_parse(files: &[(String, String)]) -> usize {
    let mut taken = 0;
    for (name, text) in files {
        let parsed = parse_str(name, text);
        let Some(snap) = snapshot::encode(&parsed) else {
            assert!(
                parsed.has_errors()
                    || !parsed.notes.is_empty()
                    || parsed.docs.iter().any(|d| d.has_aliases()),
                "{name}: a clean parse without notes or aliases must be snapshotted"
            );
            continue;
        };
        taken += 1;
        let back = snapshot::decode(SourceFile::new(name.as_str(), text.as_str()), &snap)
            .unwrap_or_else(|| panic!("{name}: snapshot refused"));
        assert_eq!(shape(&back), shape(&parsed), "{name}");
        assert_eq!(back.source.text(), text);
    }
    taken
}
