//! Quoted scalars whose continuation lines are not indented past their block: YAML 1.2 forbids
//! them, go-yaml and libyaml (kubectl, kustomize, Argo CD) read them, and so does lanes, with
//! a note, exact spans, the same values as the strictly indented text, and working edits.

use std::ops::Range;

use lanes_yaml::{
    edit, parse_str, to_json, NodeKind, NodeRef, ParsedFile, SourceFile, YamlNoteKind,
};

const ISSUE: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  description: 'APIVersion defines the versioned schema
  of this representation'
";

/// The text with every noted line re-indented (the strict YAML 1.2 spelling), and the edits
/// that made it.
fn strict(text: &str, parsed: &ParsedFile) -> (String, Vec<edit::Edit>) {
    let mut edits = Vec::new();
    for n in &parsed.notes {
        let YamlNoteKind::QuotedScalarIndent { lines, indent } = &n.kind else {
            // A comment glued to its value: one space before the `#`.
            edits.push(edit::Edit {
                range: n.range.start..n.range.start,
                text: " ".into(),
            });
            continue;
        };
        for l in lines {
            edits.push(edit::Edit {
                range: l.clone(),
                text: " ".repeat(*indent),
            });
        }
    }
    (edit::apply(text, &edits).unwrap(), edits)
}

/// Offset in the original → offset in the edited text.
fn shift(edits: &[edit::Edit], at: usize) -> usize {
    shift_by(edits, at, false)
}

/// The same for the end of a range: an insertion right at it comes after the range.
fn shift_end(edits: &[edit::Edit], at: usize) -> usize {
    shift_by(edits, at, true)
}

fn shift_by(edits: &[edit::Edit], at: usize, end: bool) -> usize {
    let mut out = at as isize;
    for e in edits {
        if e.range.end < at || (e.range.end == at && !(end && e.range.is_empty())) {
            out += e.text.len() as isize - e.range.len() as isize;
        }
    }
    out as usize
}

/// Walk two trees side by side: same shape, same values, and every range of the lenient
/// parse is the strict parse's range translated back through the re-indentation.
fn same_tree(a: NodeRef<'_>, b: NodeRef<'_>, edits: &[edit::Edit], what: &str) {
    let (ra, rb): (Range<usize>, Range<usize>) = (a.range(), b.range());
    assert_eq!(
        shift(edits, ra.start)..shift_end(edits, ra.end),
        rb,
        "{what}: span of {a:?}"
    );
    assert_eq!(a.scalar_text(), b.scalar_text(), "{what}");
    assert_eq!(a.scalar_style(), b.scalar_style(), "{what}");
    match (a.kind(), b.kind()) {
        (NodeKind::Scalar { .. }, NodeKind::Scalar { .. }) => {}
        (NodeKind::Alias { target: x }, NodeKind::Alias { target: y }) => assert_eq!(x, y),
        (NodeKind::Seq { .. }, NodeKind::Seq { .. }) => {
            assert_eq!(a.len(), b.len(), "{what}");
            for (x, y) in a.items().zip(b.items()) {
                same_tree(x, y, edits, what);
            }
        }
        (NodeKind::Map { .. }, NodeKind::Map { .. }) => {
            assert_eq!(a.len(), b.len(), "{what}");
            for ((ka, va), (kb, vb)) in a.entries().zip(b.entries()) {
                same_tree(ka, kb, edits, what);
                same_tree(va, vb, edits, what);
            }
        }
        (x, y) => panic!("{what}: {x:?} vs {y:?}"),
    }
}

/// Parse leniently, check the notes, and compare with the strictly indented text.
fn check(text: &str, notes: usize) -> ParsedFile {
    let p = parse_str("t.yaml", text);
    assert!(p.errors.is_empty(), "{text:?}: {:?}", p.errors);
    assert_eq!(p.notes.len(), notes, "{text:?}: {:?}", p.notes);
    let (fixed, edits) = strict(text, &p);
    let s = parse_str("strict.yaml", &fixed);
    assert!(s.errors.is_empty(), "{fixed:?}: {:?}", s.errors);
    assert!(s.notes.is_empty(), "{fixed:?} is strict YAML 1.2");
    assert_eq!(p.docs.len(), s.docs.len());
    for (d, e) in p.docs.iter().zip(&s.docs) {
        assert_eq!(d.marker.map(|m| shift(&edits, m)), e.marker);
        match (d.root(), e.root()) {
            (Some(a), Some(b)) => {
                same_tree(a, b, &edits, text);
                assert_eq!(to_json(a), to_json(b));
            }
            (None, None) => {}
            _ => panic!("{text:?}: root differs"),
        }
    }
    for n in p
        .notes
        .iter()
        .filter(|n| n.kind != YamlNoteKind::CommentNotSeparated)
    {
        let t = &text[n.range.clone()];
        assert!(
            (t.starts_with('\'') && t.ends_with('\'')) || (t.starts_with('"') && t.ends_with('"')),
            "{t:?}"
        );
    }
    p
}

#[test]
fn the_issue_case_parses_with_exact_spans_and_a_note() {
    let p = check(ISSUE, 1);
    let root = p.docs[0].root().unwrap();
    let d = root.get("data").unwrap().get("description").unwrap();
    assert_eq!(
        d.scalar_text(),
        Some("APIVersion defines the versioned schema of this representation")
    );
    let open = ISSUE.find("'APIVersion").unwrap();
    let close = ISSUE.rfind('\'').unwrap() + 1;
    assert_eq!(d.range(), open..close);
    assert_eq!(p.notes[0].range, open..close);
    let line7 = ISSUE.find("  of this").unwrap();
    assert_eq!(
        p.notes[0].kind,
        YamlNoteKind::QuotedScalarIndent {
            lines: std::iter::once(line7..line7 + 2).collect(),
            indent: 4
        }
    );
    assert!(
        p.notes[0].message.contains("go-yaml"),
        "{}",
        p.notes[0].message
    );
    let key = root.get("data").unwrap().entry("description").unwrap().0;
    assert_eq!(&ISSUE[key.range()], "description");
    assert_eq!(
        &ISSUE[root.get("data").unwrap().range()],
        &ISSUE[ISSUE.find("description").unwrap()..close]
    );
    assert_eq!(root.range(), 0..close);
    // Line and column of the scalar, through the original text.
    let at = p.source.line_col(d.range().start);
    assert_eq!((at.line, at.column), (6, 16));
}

#[test]
fn lenient_cases_read_like_their_strict_spelling() {
    let cases: &[(&str, usize)] = &[
        (ISSUE, 1),
        ("data:\n  description: \"a \\\"b\\\" c\n  d\\te\n  f\"\n  other: 1\n", 1),
        ("- 'abc\nxyz'\n", 1),
        ("a:\n  - 'abc\n  xyz'\n  - plain\n", 1),
        ("a:\n  b: 'x\n\ty'\n", 1),
        ("a:\n  b: 'x\n \t y'\n  c: 2\n", 1),
        ("a:\n  'my key': 'abc\n  xyz'\n", 1),
        ("a:\n  b: &an !!str 'x\n  y'\n  c: *an\n", 1),
        ("a:\n  b: c\n  d: # it's\n    'abc\n  xyz'\n", 1),
        ("a:\n  b: 'x\n\n  y'\n", 1),
        ("a:\n  b: 'it''s\n  long'\n", 1),
        ("a:\n  - k: 'one\n    two'\n", 1),
        (
            "# comment\na:\n  b: 'one\n  two'\n  c: \"three\n  four\"\n---\nd:\n  e: 'five\n  six\n  seven'\n  f: 8\n",
            3,
        ),
        ("a:\r\n  b: 'one\r\n  two'\r\n  c: 3\r\n", 1),
        ("a:\n    b: 'deeper\n  shallower\n    same\n      more'\n", 1),
        // Only the closing quote at the key's column: granit reads it without help.
        ("a:\n  b: 'x\n    y\n  '\n", 0),
    ];
    for (text, notes) in cases {
        check(text, *notes);
    }
}

#[test]
fn what_go_yaml_rejects_stays_an_error() {
    for text in [
        // A document marker inside the scalar.
        "a:\n  b: 'x\n---\n  c: y'\n",
        "a:\n  b: 'x\n...\n  c: y'\n",
        // Unterminated.
        "a:\n  b: 'x\n  c: y\n",
        // Content after the closing quote.
        "a:\n  b: 'x\n  y' z\n",
        // A multi-line key.
        "a:\n  'k\n  j': 1\n",
        "a:\n  b: 'x\n  y':\n",
    ] {
        let p = parse_str("t.yaml", text);
        assert!(!p.errors.is_empty(), "{text:?} must not parse");
        for e in &p.errors {
            assert!(e.range.end <= text.len());
        }
    }
}

#[test]
fn other_documents_keep_their_spans_and_errors_stay_located() {
    let text = "a:\n  b: 'x\n  y'\n---\nc: [1, 2\nd: 3\n---\ne:\n  f: 'p\n  q'\n  g: 7\n";
    let p = parse_str("t.yaml", text);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    let e = &p.errors[0];
    assert!(
        e.range.start >= text.find("c:").unwrap() && e.range.start <= text.find("---\ne").unwrap()
    );
    assert_eq!(p.notes.len(), 2);
    let last = p.docs.last().unwrap().root().unwrap().get("e").unwrap();
    assert_eq!(&text[last.get("g").unwrap().range()], "7");
    assert_eq!(last.get("f").unwrap().scalar_text(), Some("p q"));
    assert_eq!(
        p.docs.last().unwrap().marker,
        Some(text.rfind("---").unwrap())
    );
}

#[test]
fn edits_splice_the_original_text() {
    let text = "data:\n  description: 'first\n  line'\n  weight: 10\n  other: \"x\n  y\"\n";
    let src = SourceFile::new("t.yaml", text);
    let p = lanes_yaml::parse(src.clone());
    assert_eq!(p.notes.len(), 2);
    let w = p.docs[0].pointer("/data/weight").unwrap();
    assert_eq!(&text[w.range()], "10");
    let e = edit::set_scalar(&src, w, &edit::NewScalar::Int(20)).unwrap();
    let out = edit::apply(text, &[e]).unwrap();
    assert_eq!(out, text.replace("weight: 10", "weight: 20"));
    let again = parse_str("t.yaml", &out);
    assert!(again.errors.is_empty());
    assert_eq!(
        again.docs[0].pointer("/data/weight").unwrap().as_i64(),
        Some(20)
    );
    // The noted scalar itself is replaced as a whole (its continuation lines included), in
    // its own style, and the file then reads strictly.
    let o = p.docs[0].pointer("/data/other").unwrap();
    assert_eq!(o.scalar_text(), Some("x y"));
    assert_eq!(&text[o.range()], "\"x\n  y\"");
    let e = edit::set_scalar(&src, o, &edit::NewScalar::Str("z".into())).unwrap();
    let out = edit::apply(text, &[e]).unwrap();
    assert_eq!(out, text.replace("\"x\n  y\"", "\"z\""));
    let again = parse_str("t.yaml", &out);
    assert!(again.errors.is_empty());
    assert_eq!(again.notes.len(), 1);
    assert_eq!(
        again.docs[0].pointer("/data/other").unwrap().scalar_text(),
        Some("z")
    );
}

#[test]
fn flagger_like_crd_needs_one_round_per_scalar() {
    let mut text = String::from(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  versions:\n",
    );
    for i in 0..40 {
        text.push_str(&format!(
            "  - name: v{i}\n    schema:\n      description: 'APIVersion defines the versioned schema\n      of this representation of an object {i}'\n      type: object\n"
        ));
    }
    let p = check(&text, 40);
    assert_eq!(
        p.docs[0]
            .pointer("/spec/versions/39/schema/type")
            .unwrap()
            .as_str(),
        Some("object")
    );
}

#[test]
fn a_comment_glued_to_its_value_is_a_comment_as_in_go_yaml() {
    let text = "metadata:\n  labels:\n    enabled: \"true\"# note\n    list: [a, b]#other\n    name: 'x'#c\n  plain: a#b\n";
    let p = check(text, 3);
    let labels = p.docs[0].pointer("/metadata/labels").unwrap();
    assert_eq!(labels.get("enabled").unwrap().scalar_text(), Some("true"));
    assert_eq!(labels.get("name").unwrap().scalar_text(), Some("x"));
    assert_eq!(&text[labels.get("list").unwrap().range()], "[a, b]");
    // In a plain scalar `#` without a space before it is text, in every parser.
    assert_eq!(
        p.docs[0].pointer("/metadata/plain").unwrap().scalar_text(),
        Some("a#b")
    );
    assert_eq!(
        p.notes
            .iter()
            .map(|n| &text[n.range.clone()])
            .collect::<Vec<_>>(),
        ["# note", "#other", "#c"]
    );
    assert!(p
        .notes
        .iter()
        .all(|n| n.kind == YamlNoteKind::CommentNotSeparated));
}
