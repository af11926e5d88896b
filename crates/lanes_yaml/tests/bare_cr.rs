//! Files with classic Mac (bare CR) line endings are located line by line.

use lanes_yaml::{edit, parse_str, YamlErrorKind};

#[test]
fn errors_and_nodes_in_a_bare_cr_file_are_on_their_own_lines() {
    let text = "a: 1\rb:\r  c: 2\r  c: 3\rd: [1, 2\r";
    let p = parse_str("cr.yaml", text);
    let lc = |at: usize| {
        let l = p.source.line_col(at);
        (l.line, l.column)
    };
    assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
    let YamlErrorKind::DuplicateKey { first } = &p.errors[0].kind else {
        panic!("{:?}", p.errors[0]);
    };
    assert_eq!(lc(first.start), (3, 3));
    assert_eq!(lc(p.errors[0].range.start), (4, 3));
    // The unclosed `[` of line 5.
    assert_eq!(p.errors[1].kind, YamlErrorKind::Syntax);
    assert_eq!(lc(p.errors[1].range.start), (5, 4));
}

#[test]
fn nodes_of_a_bare_cr_file_have_their_lines_and_edits_are_refused() {
    let text = "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: x\rdata:\r  k: v\r";
    let p = parse_str("cr.yaml", text);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let k = p.docs[0].pointer("/data/k").unwrap();
    let at = p.source.line_col(k.range().start);
    assert_eq!((at.line, at.column), (6, 6));
    assert_eq!(p.source.line_text(4), "  name: x");
    let e = edit::set_scalar(&p.source, k, &edit::NewScalar::Str("w".into())).unwrap_err();
    assert!(e.to_string().contains("bare CR"), "{e}");
}
