//! Print the full peer-suite report: every Istio case and every Rollouts file, with what lanes
//! found, missed, reported by policy, and reported falsely.
//!
//! `cargo build -p lanes && LANES_SHARED=../shared cargo run -p lanes_conformance --example peers`

use lanes_conformance::peers;

fn main() {
    let suite = peers::suite_dir();
    let istio = peers::run_istio(&suite);
    let rollouts = peers::run_rollouts(&suite);
    print!("{}", peers::render("istioctl analyze test suite", &istio));
    println!();
    print!(
        "{}",
        peers::render("argo rollouts lint test suite", &rollouts)
    );
}
