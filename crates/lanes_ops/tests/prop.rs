//! Property test: random valid `split` / `set` / `rollback` operations on generated route files (block and
//! flow destinations, comments, CRLF or LF, with or without a final newline). The result must
//! equal the original with only the weight scalars replaced, and parse to the intended weights.

use lanes_model::Index;
use lanes_ops::{rollback, set, split_weights, Options, RollbackArgs, SetArgs, SplitArgs};
use proptest::prelude::*;

const GROUP: &str = "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLaneGroup\nmetadata:\n  name: g\nspec:\n  services:\n  - name: a\n    namespace: ns\n";

fn lanes(n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(
                "apiVersion: istio.alibabacloud.com/v1\nkind: ASMSwimLane\nmetadata:\n  name: v{i}\n  labels:\n    swimlane-group: g\nspec:\n  labelSelector:\n    version: v{i}\n"
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

#[derive(Clone, Debug)]
struct Dest {
    flow: bool,
    comment_above: bool,
    comment_after: bool,
    weight: u32,
}

fn route_file(dests: &[Dest], crlf: bool, final_newline: bool) -> String {
    let mut s = String::from("# routes\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: ns\nspec:\n  hosts: [a]\n  http:\n    - name: weighted # the split\n      route:\n");
    for (i, d) in dests.iter().enumerate() {
        let lane = i + 1;
        if d.comment_above {
            s.push_str(&format!("        # lane v{lane}\n"));
        }
        if d.flow {
            s.push_str(&format!(
                "        - destination: {{host: a, subset: v{lane}}}\n"
            ));
        } else {
            s.push_str(&format!("        - destination:\n            host: a.ns.svc.cluster.local\n            subset: v{lane}  # v{lane}\n"));
        }
        s.push_str(&format!("          weight: {}", d.weight));
        if d.comment_after {
            s.push_str("   # weight");
        }
        s.push('\n');
    }
    s.push_str("      timeout: 3s");
    if final_newline {
        s.push('\n');
    }
    if crlf {
        s = s.replace('\n', "\r\n");
    }
    s
}

/// The original with only the weight scalars replaced.
fn expected(text: &str, weights: &[u32]) -> String {
    let f = lanes_yaml::parse_str("r.yaml", text);
    let route = f.docs[0].pointer("/spec/http/0/route").unwrap();
    let mut edits: Vec<lanes_yaml::edit::Edit> = route
        .items()
        .zip(weights)
        .map(|(d, w)| lanes_yaml::edit::Edit {
            range: d.get("weight").unwrap().range(),
            text: w.to_string(),
        })
        .collect();
    edits.sort_by_key(|e| e.range.start);
    lanes_yaml::edit::apply(text, &edits).unwrap()
}

fn read_weights(text: &str) -> Vec<u32> {
    let f = lanes_yaml::parse_str("r.yaml", text);
    assert!(f.errors.is_empty());
    f.docs[0]
        .pointer("/spec/http/0/route")
        .unwrap()
        .items()
        .map(|d| d.get("weight").unwrap().as_i64().unwrap() as u32)
        .collect()
}

fn partition(n: usize) -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0u32..=100, n).prop_map(|raw| {
        let raw: Vec<u64> = raw.into_iter().map(u64::from).collect();
        lanes_plan::weights::largest_remainder(&raw, 100)
    })
}

/// Destinations, CRLF, final newline, target split, one weight to set, roll back instead.
type Case = (Vec<Dest>, bool, bool, Vec<u32>, Option<(usize, u32)>, bool);

fn case() -> impl Strategy<Value = Case> {
    (2usize..6).prop_flat_map(|n| {
        (
            proptest::collection::vec((any::<bool>(), any::<bool>(), any::<bool>()), n),
            partition(n),
            any::<bool>(),
            any::<bool>(),
            partition(n),
            proptest::option::of((0..n, 0u32..=100)),
            any::<bool>(),
        )
            .prop_map(|(styles, start, crlf, eol, target, set, back)| {
                let dests = styles
                    .into_iter()
                    .zip(start)
                    .map(|((flow, above, after), weight)| Dest {
                        flow,
                        comment_above: above,
                        comment_after: after,
                        weight,
                    })
                    .collect();
                (dests, crlf, eol, target, set, back)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn split_set_rollback_only_touch_weights((dests, crlf, eol, target, set_one, back) in case()) {
        let n = dests.len();
        let text = route_file(&dests, crlf, eol);
        let index = Index::from_texts([
            ("g.yaml".to_string(), GROUP.to_string()),
            ("l.yaml".to_string(), lanes(n)),
            ("r.yaml".to_string(), text.clone()),
        ]);
        let opts = Options::new("");
        let current: Vec<u32> = dests.iter().map(|d| d.weight).collect();
        let (outcome, intended) = match set_one {
            None => {
                let split = lanes_plan::weights::format_split(&target);
                (split_weights(&index, &SplitArgs { split, route: None }, &opts), target.clone())
            }
            Some((i, _)) if back => {
                let intended = lanes_plan::weights::rollback(&current, i, 100).unwrap();
                (
                    rollback(&index, &RollbackArgs { lane: format!("v{}", i + 1), prune: false }, &opts),
                    intended,
                )
            }
            Some((i, w)) => {
                let intended = lanes_plan::weights::set_many(&current, &[(i, w)], 100).unwrap();
                (
                    set(&index, &SetArgs { assignments: vec![(format!("v{}", i + 1), w)], route: None }, &opts),
                    intended,
                )
            }
        };
        let outcome = outcome.unwrap();
        let after = outcome
            .changeset
            .changes
            .iter()
            .find(|c| c.display == "r.yaml")
            .and_then(|c| c.after.clone())
            .unwrap_or_else(|| text.clone());
        prop_assert_eq!(&after, &expected(&text, &intended));
        prop_assert_eq!(read_weights(&after), intended);
        prop_assert_eq!(outcome.changeset.changes.iter().filter(|c| c.before != c.after).count() <= 1, true);
    }
}
