//! Where `lanes lint --staged` spends its time: open, read the index blobs, parse + index.
//! Run from a repository: `cargo run --release -p lanes_git --example phases`.
use std::time::Instant;
fn main() {
    let cwd = std::env::current_dir().unwrap();
    for _ in 0..std::env::var("PHASES_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
    {
        let t0 = Instant::now();
        let repo = lanes_git::Repo::discover(&cwd).unwrap();
        let t1 = Instant::now();
        let blobs = repo.staged_files("").unwrap();
        let t2 = Instant::now();
        let index = lanes_model::load::load_blobs(blobs);
        let t3 = Instant::now();
        eprintln!(
            "open {:?} read {:?} parse+index {:?} docs {}",
            t1 - t0,
            t2 - t1,
            t3 - t2,
            index.document_count()
        );
    }
}
