//! The parse floor for benchmarks: walk and read the files `lanes lint` would lint (the same
//! walk and file-set decision, [`lanes_model::load::select`]), then run only the YAML parser's
//! event stream over each on the same rayon pool (`lanes_yaml::floor`), building nothing.
//! `bench/run.sh` runs it next to `lanes lint` and reports lanes / floor.
//!
//! `cargo run --profile profiling -p lanes_model --example floor -- DIR...`

use rayon::prelude::*;

/// The allocator of the `lanes` binary, so the two are compared like for like.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let sel = lanes_model::load::select(&paths, &lanes_model::load::LoadOptions::new());
    let files = sel.set.lint.len();
    let (bytes, events, errors) = sel
        .set
        .lint
        .into_par_iter()
        .map(|(_, bytes)| match std::str::from_utf8(&bytes) {
            Ok(text) => {
                let c = lanes_yaml::floor::event_stream(text);
                (bytes.len(), c.events, c.errors)
            }
            Err(_) => (bytes.len(), 0, 1),
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    println!("files: {files}, bytes: {bytes}, events: {events}, parse errors: {errors}");
}
