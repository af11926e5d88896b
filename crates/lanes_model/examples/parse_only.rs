//! Parse-only baseline for benchmarks: walk, read and parse every YAML file exactly as
//! `lanes lint` does (same parallelism), build the index, and print counts. No rules run.
//!
//! `cargo run --release -p lanes_model --example parse_only -- DIR`

/// The allocator of the `lanes` binary, so the two are compared like for like.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let index = lanes_model::load::load(&paths);
    let errors: usize = index.files.iter().map(|f| f.errors.len()).sum();
    println!(
        "files: {}, documents: {}, resources: {}, parse errors: {}",
        index.files.len(),
        index.document_count(),
        index.resources.len(),
        errors
    );
}
