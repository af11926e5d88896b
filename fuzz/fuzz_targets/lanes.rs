//! One libFuzzer target for parse, lint and each edit. The first byte picks what runs on the
//! rest (taken as UTF-8, lossily):
//! 0: parse; 1: parse + lint; 2..=5: the input as a route file next to a fixed lane group, then
//! `split`, `set`, `promote`, `rollback` (an edit that is accepted must re-parse cleanly).
//! Any panic is a crash.
#![no_main]

use lanes_model::Index;
use lanes_ops::{Options, PromoteArgs, RollbackArgs, SetArgs, SplitArgs};
use libfuzzer_sys::fuzz_target;

const GROUP: &str = "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLaneGroup\nmetadata:\n  name: g\nspec:\n  services:\n  - name: a\n    namespace: ns\n---\napiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  name: v1\n  labels:\n    swimlane-group: g\nspec:\n  labelSelector:\n    version: v1\n---\napiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  name: v2\n  labels:\n    swimlane-group: g\nspec:\n  labelSelector:\n    version: v2\n";

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    match which % 6 {
        0 => {
            let f = lanes_yaml::parse_str("f.yaml", &text);
            for d in &f.docs {
                let _ = d.root();
            }
        }
        1 => {
            let index = Index::from_texts([("f.yaml", text.as_str())]);
            let report = lanes_lint::lint(&index, &lanes_lint::Config::default());
            let _ = lanes_lint::render::concise(&report);
        }
        op => {
            let index = Index::from_texts([("g.yaml", GROUP), ("r.yaml", text.as_str())]);
            let opts = Options::new("/nonexistent-fuzz-root");
            let out = match op {
                2 => lanes_ops::split_weights(
                    &index,
                    &SplitArgs {
                        split: "70:30".into(),
                        route: None,
                    },
                    &opts,
                ),
                3 => lanes_ops::set(
                    &index,
                    &SetArgs {
                        assignments: vec![("v1".into(), 10), ("v2".into(), 90)],
                        route: None,
                    },
                    &opts,
                ),
                4 => lanes_ops::promote(
                    &index,
                    &PromoteArgs {
                        lane: "v2".into(),
                        to: Some(80),
                        policy: Default::default(),
                    },
                    &opts,
                ),
                _ => lanes_ops::rollback(
                    &index,
                    &RollbackArgs {
                        lane: "v2".into(),
                        prune: false,
                    },
                    &opts,
                ),
            };
            if let Ok(o) = out {
                for c in &o.changeset.changes {
                    if let Some(after) = &c.after {
                        let f = lanes_yaml::parse_str(&c.display, after);
                        assert!(f.errors.is_empty(), "an accepted edit does not parse");
                    }
                }
                let _ = o.changeset.diff();
            }
        }
    }
});
