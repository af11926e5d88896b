//! Where the time of `lanes add` goes on a large tree: `cargo run --release -p lanes_ops
//! --example timing -- DIR GROUP`.
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = std::path::PathBuf::from(&args[1]);
    let group = args[2].clone();
    let t = Instant::now();
    let index = lanes_model::load::load(std::slice::from_ref(&root));
    eprintln!("load        {:>6.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let report = lanes_lint::lint(&index, &lanes_lint::Config::default());
    eprintln!(
        "lint        {:>6.1} ms ({} diagnostics)",
        t.elapsed().as_secs_f64() * 1e3,
        report.diagnostics.len()
    );
    let t = Instant::now();
    let files = index.files.clone();
    eprintln!("clone files {:>6.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let idx2 = lanes_model::Index::new(files, Vec::new());
    eprintln!(
        "index       {:>6.1} ms ({} resources)",
        t.elapsed().as_secs_f64() * 1e3,
        idx2.resources.len()
    );
    let t = Instant::now();
    let scoped = lanes_ops::scope::load_for_group(std::slice::from_ref(&root), Some(&group));
    eprintln!(
        "scoped load {:>6.1} ms ({} files)",
        t.elapsed().as_secs_f64() * 1e3,
        scoped.files.len()
    );
    let mut opts = lanes_ops::Options::new(&root);
    opts.group = Some(group.clone());
    let t = Instant::now();
    let out = lanes_ops::add(
        &index,
        &lanes_ops::AddArgs {
            lane: format!("{group}-v9"),
            weight: Some(10),
            ..Default::default()
        },
        &opts,
    );
    eprintln!(
        "add (op)    {:>6.1} ms ok={}",
        t.elapsed().as_secs_f64() * 1e3,
        out.is_ok()
    );
    let t = Instant::now();
    let out = lanes_ops::add(
        &scoped,
        &lanes_ops::AddArgs {
            lane: format!("{group}-v9"),
            weight: Some(10),
            ..Default::default()
        },
        &opts,
    );
    eprintln!(
        "add scoped  {:>6.1} ms ok={}",
        t.elapsed().as_secs_f64() * 1e3,
        out.is_ok()
    );
}
