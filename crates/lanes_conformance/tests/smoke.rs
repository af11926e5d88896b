//! The conformance step itself: ../shared is present and holds what the other checks read.

#[test]
#[ignore = "conformance: needs ../shared"]
fn shared_folder_is_present() {
    let shared = lanes_conformance::shared_dir();
    for sub in [
        "peer-suites/README.md",
        "real-repos/SOURCES.md",
        "bench/gen_corpus.py",
    ] {
        assert!(
            shared.join(sub).is_file(),
            "missing {sub} in {}",
            shared.display()
        );
    }
}
