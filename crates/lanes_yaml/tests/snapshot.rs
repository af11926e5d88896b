//! Parse snapshots: decoding a snapshot gives exactly the parse it was taken from, on every
//! fixture (../shared/corpus: lanes_conformance's yaml_corpus); a damaged snapshot is refused
//! (never a panic, never a tree that does not fit the text); files with errors, notes or
//! aliases are not snapshotted.

use lanes_yaml::{parse_str, snapshot, SourceFile};
use proptest::prelude::*;

mod common;
use common::laws::{self, shape};

#[test]
fn snapshots_decode_to_the_same_parse() {
    let files = common::fixtures();
    assert!(
        files.len() > 50,
        "expected the fixtures, found {}",
        files.len()
    );
    let taken = laws::snapshots_decode_to_the_same_parse(&files);
    assert!(taken > 50, "only {taken} files were snapshotted");
}

#[test]
fn broken_and_aliased_files_are_not_snapshotted() {
    for text in [
        "a: [1, 2\n",
        "a: 1\na: 2\n",
        "base: &b {x: 1}\nuse: *b\n",
        "---\nok: 1\n---\nbad: [\n",
        // Read leniently (a note): parsed every time.
        "a:\n  b: 'x\n  y'\n",
    ] {
        assert!(
            snapshot::encode(&parse_str("t.yaml", text)).is_none(),
            "{text:?}"
        );
    }
}

const SAMPLE: &str = "# comment\napiVersion: v1\nkind: Service\nmetadata:\n  name: \"mock\\tname\"\n  labels: {app: mock, lane: v1}\nspec:\n  ports:\n  - port: 8000\n    name: http\n  note: |\n    two\n    lines\n---\n---\nkind: Other\nlist: [a, 'b', \"c\"]\n";

#[test]
fn every_truncation_is_refused() {
    let parsed = parse_str("s.yaml", SAMPLE);
    let snap = snapshot::encode(&parsed).expect("clean sample");
    for len in 0..snap.len() {
        assert!(
            snapshot::decode(SourceFile::new("s.yaml", SAMPLE), &snap[..len]).is_none(),
            "truncated to {len} bytes"
        );
    }
    let mut longer = snap.clone();
    longer.push(0);
    assert!(snapshot::decode(SourceFile::new("s.yaml", SAMPLE), &longer).is_none());
}

#[test]
fn a_snapshot_does_not_fit_shorter_text() {
    let parsed = parse_str("s.yaml", SAMPLE);
    let snap = snapshot::encode(&parsed).expect("clean sample");
    // Offsets past the end of the text, or inside a multi-byte character, are refused.
    assert!(snapshot::decode(SourceFile::new("s.yaml", &SAMPLE[..40]), &snap).is_none());
    // `apiVersion` starts at byte 10; put a two-byte character over bytes 9 and 10.
    assert_eq!(&SAMPLE[10..20], "apiVersion");
    let shifted = format!("{}é{}", &SAMPLE[..9], &SAMPLE[11..]);
    assert_eq!(shifted.len(), SAMPLE.len());
    assert!(snapshot::decode(SourceFile::new("s.yaml", shifted.as_str()), &snap).is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any damaged byte either is refused or still yields a tree whose every span and value
    /// lies inside the text: reading it back never panics.
    #[test]
    fn damaged_snapshots_never_panic(at in 0usize..10_000, byte in any::<u8>()) {
        let parsed = parse_str("s.yaml", SAMPLE);
        let mut snap = snapshot::encode(&parsed).expect("clean sample");
        let at = at % snap.len();
        snap[at] = byte;
        if let Some(p) = snapshot::decode(SourceFile::new("s.yaml", SAMPLE), &snap) {
            let _ = shape(&p);
            for d in &p.docs {
                if let Some(root) = d.root() {
                    let _ = lanes_yaml::to_json(root);
                    let _ = &SAMPLE[root.range()];
                }
            }
        }
    }
}
