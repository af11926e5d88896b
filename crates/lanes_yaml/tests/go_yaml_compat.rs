//! What go-yaml (and libyaml, which it was ported from) rejects although YAML 1.2 allows it:
//! lanes rejects it too, with a located error, and accepts the neighbouring spellings that
//! go-yaml accepts. Each verdict here was checked against libyaml 0.2.5 (PyYAML CSafeLoader).

use lanes_yaml::parse_str;

const REJECTED: &[&str] = &[
    // Tabs where a token may start in block context.
    "-\tx\n",
    "- \tx\n",
    "? \tx\n: y\n",
    "? x\n:\ty\n",
    "-\t\n  x\n",
    "\t# c\na: 1\n",
    "a: 1 # c\n\t# d\nb: 2\n",
    "a: 1\n\t\nb: 2\n",
    "a:\n  b: x\n\t\n  c: y\n",
    "a:\n  - x\n\t\n  - y\n",
    "a:\n- x\n-\ty\n",
    "a: 'x'\n   \t\nb: 1\n",
    "a: 1\n---\n\t\n",
    // Keys.
    "{ve\nrsion: v1}\n",
    "a: {ve\n rsion: v1}\n",
    "{a\n: b}\n",
    "{\"a\"\n: b}\n",
    ": v\n",
    "a: 1\n: v\n",
    "h:\n  :  - x\n",
    "spec:\n  sel\n: {v: 1}\n",
    // Anchor names.
    "a: &x.y 1\n",
    "a: &é 1\n",
    "a: !!str &x.y 1\n",
    "base: &base{app: mocka}\nlabels: *base\n",
    // Plain scalars in flow collections.
    "- pause: {:duration: 1m}\n",
    "{host:? x}\n",
    "[a:?]\n",
    "metadata: {name:, v1}\n",
    "a: [x:]\n",
    "a: {x:}\n",
    "m: {app: back, version: ?v1}\n",
    // A bare document after `...`.
    "a: 1\n...\nb: 2\n",
    "a: 1\n...\n# c\nb: 2\n",
    "# c\n...\n# d\nb: 2\n",
    "# c\n...\n---\nb: 2\n",
];

const ACCEPTED: &[&str] = &[
    "a:\tb\n",
    "a: \tb\n",
    "a: 1\t# c\n",
    "a: 'x'\t\nb: 1\n",
    "a:\n  b: x\n   \t\n  c: y\n",
    "key: a\n \tb\n",
    "a\n\tb\n",
    "--- \tx\n",
    "a: [b,\n\tc]\n",
    "{\"a\": [1,\n\t2],\n\t\"b\": {\n\t\t\"c\": 3}}\n",
    "key: 'x\n\ty'\n",
    "{? a\n b: c}\n",
    "? a\n: b\n",
    "?\n: b\n",
    "a:\n  ? b\n  : c\n",
    "{? : x}\n",
    "a: &x-y_z 1\nb: *x-y_z\n",
    "[&x, 1]\n",
    "{host: m, &asubset: v1}\n",
    "base: &base {app: mocka}\nlabels: *base\n",
    "m: {a: -1, b: x?y}\n",
    "- {?name: mocka, namespace: default}\n",
    "a: [x, ?y]\n",
    "c: &ok\n  d: 1\ne: *ok\n",
    "[http://x]\n",
    "{a:b}\n",
    "{a: b:c}\n",
    "a: 1\n...\n# c\n",
    "a: 1\n...\n---\nb: 2\n",
    "a: 1\n---\nb: 2\n...\n",
];

#[test]
fn what_go_yaml_rejects_is_a_located_error() {
    for text in REJECTED {
        let p = parse_str("t.yaml", text);
        assert!(!p.errors.is_empty(), "{text:?} must be refused");
        for e in &p.errors {
            assert!(e.range.start <= text.len(), "{text:?}: {e:?}");
            assert!(e.message.starts_with("invalid YAML"), "{text:?}: {e:?}");
        }
    }
}

#[test]
fn what_go_yaml_accepts_parses() {
    for text in ACCEPTED {
        let p = parse_str("t.yaml", text);
        assert!(p.errors.is_empty(), "{text:?}: {:?}", p.errors);
    }
}

#[test]
fn the_broken_document_is_dropped_and_the_others_kept() {
    let text = "a: 1\n---\nb:\n-\tx\n---\nc: 3\n";
    let p = parse_str("t.yaml", text);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].range.start, text.find("\tx").unwrap());
    let at = p.source.line_col(p.errors[0].range.start);
    assert_eq!((at.line, at.column), (4, 2));
    let roots: Vec<_> = p
        .docs
        .iter()
        .map(|d| lanes_yaml::to_json(d.root().unwrap()).unwrap().to_string())
        .collect();
    assert_eq!(roots, [r#"{"a":1}"#, r#"{"c":3}"#]);
}

#[test]
fn a_parser_error_is_not_reported_twice() {
    // granit refuses the tab itself; the go-yaml check adds nothing on that line.
    let p = parse_str("t.yaml", "key: a\n\tb\n");
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
}
