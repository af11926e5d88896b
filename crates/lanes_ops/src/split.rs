//! Pure weight arithmetic and staged plans. No I/O, no YAML.
//!
//! Every function that returns weights returns integers in `0..=100` that sum to exactly
//! [`TOTAL`]. Rounding uses the largest-remainder method; ties go to the larger original weight,
//! then to the earlier (older) position, so results are deterministic.
//!
//! Stability: when nothing changes (`set_weight(w, i, w[i])` on weights that already sum to
//! 100) the result equals the input.

use std::fmt;

/// The total every split adds up to.
pub const TOTAL: u32 = 100;

/// Why a split or a plan was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitError(pub String);

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SplitError {}

fn err<T>(msg: impl Into<String>) -> Result<T, SplitError> {
    Err(SplitError(msg.into()))
}

/// How the other lanes give up (or take back) weight when one lane's weight changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    /// The others shrink or grow in proportion to their current weights.
    #[default]
    Proportional,
    /// Weight is taken from the oldest lane first (position 0), then the next one. Weight given
    /// back is shared in proportion, like [`Policy::Proportional`].
    OldestFirst,
}

/// Scale `parts` so they add up to `total`, with largest-remainder rounding. When every part is
/// zero, `total` is shared equally (the remainder goes to the earliest positions).
pub fn largest_remainder(parts: &[u32], total: u32) -> Vec<u32> {
    if parts.is_empty() {
        return Vec::new();
    }
    let sum: u64 = parts.iter().map(|p| u64::from(*p)).sum();
    let n = parts.len() as u64;
    if sum == 0 {
        let base = u64::from(total) / n;
        let extra = u64::from(total) % n;
        return (0..n)
            .map(|i| (base + u64::from(i < extra)) as u32)
            .collect();
    }
    let total = u64::from(total);
    let mut out: Vec<u64> = parts.iter().map(|p| u64::from(*p) * total / sum).collect();
    let given: u64 = out.iter().sum();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Largest remainder first; ties: larger original part, then earlier position.
    order.sort_by(|a, b| {
        let ra = u64::from(parts[*a]) * total % sum;
        let rb = u64::from(parts[*b]) * total % sum;
        rb.cmp(&ra).then(parts[*b].cmp(&parts[*a])).then(a.cmp(b))
    });
    for i in order.into_iter().take((total - given) as usize) {
        out[i] += 1;
    }
    out.into_iter().map(|v| v as u32).collect()
}

/// Normalise weights that do not add up to 100 (proportionally); weights that do are returned
/// unchanged.
pub fn normalize(weights: &[u32]) -> Vec<u32> {
    if weights.iter().map(|w| u64::from(*w)).sum::<u64>() == u64::from(TOTAL) {
        weights.to_vec()
    } else {
        largest_remainder(weights, TOTAL)
    }
}

/// Add a new destination with weight `new`; the existing ones shrink in proportion.
pub fn rebalance_with_new(current: &[u32], new: u32) -> Result<Vec<u32>, SplitError> {
    if new > TOTAL {
        return err(format!("weight {new} is over {TOTAL}"));
    }
    if current.is_empty() {
        if new != TOTAL {
            return err(format!(
                "the only destination must have weight {TOTAL}, not {new}"
            ));
        }
        return Ok(vec![new]);
    }
    let mut out = largest_remainder(current, TOTAL - new);
    out.push(new);
    Ok(out)
}

/// Set position `idx` to `weight`; the others absorb the difference under `policy`.
pub fn set_weight(
    current: &[u32],
    idx: usize,
    weight: u32,
    policy: Policy,
) -> Result<Vec<u32>, SplitError> {
    if idx >= current.len() {
        return err(format!(
            "no destination {} (there are {})",
            idx + 1,
            current.len()
        ));
    }
    if weight > TOTAL {
        return err(format!("weight {weight} is over {TOTAL}"));
    }
    if current.len() == 1 {
        if weight != TOTAL {
            return err(format!(
                "a route with one destination must keep weight {TOTAL}"
            ));
        }
        return Ok(vec![TOTAL]);
    }
    let cur = normalize(current);
    let rest = TOTAL - weight;
    let others: Vec<u32> = cur
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != idx)
        .map(|(_, w)| *w)
        .collect();
    let new_others = match policy {
        Policy::OldestFirst if weight >= cur[idx] => {
            let mut take = weight - cur[idx];
            let mut o = others.clone();
            for w in o.iter_mut() {
                let t = take.min(*w);
                *w -= t;
                take -= t;
            }
            o
        }
        _ => largest_remainder(&others, rest),
    };
    let mut out = Vec::with_capacity(cur.len());
    let mut it = new_others.into_iter();
    for i in 0..cur.len() {
        if i == idx {
            out.push(weight);
        } else {
            out.push(it.next().unwrap_or(0));
        }
    }
    Ok(out)
}

/// Set position `idx` to 0 and share its weight among the others in proportion.
pub fn rollback(current: &[u32], idx: usize) -> Result<Vec<u32>, SplitError> {
    if current.len() < 2 {
        return err("cannot roll back the only destination of a route");
    }
    set_weight(current, idx, 0, Policy::Proportional)
}

/// Set several positions at once; the remaining positions share what is left in proportion.
pub fn set_many(current: &[u32], fixed: &[(usize, u32)]) -> Result<Vec<u32>, SplitError> {
    let mut sum = 0u32;
    for (i, w) in fixed {
        if *i >= current.len() {
            return err(format!("no destination {}", i + 1));
        }
        if *w > TOTAL {
            return err(format!("weight {w} is over {TOTAL}"));
        }
        if fixed.iter().filter(|(j, _)| j == i).count() > 1 {
            return err(format!("destination {} is set twice", i + 1));
        }
        sum += w;
    }
    if sum > TOTAL {
        return err(format!("the weights given add up to {sum}, over {TOTAL}"));
    }
    let free: Vec<usize> = (0..current.len())
        .filter(|i| !fixed.iter().any(|(j, _)| j == i))
        .collect();
    if free.is_empty() && sum != TOTAL {
        return err(format!("the weights add up to {sum}, not {TOTAL}"));
    }
    let cur = normalize(current);
    let free_cur: Vec<u32> = free.iter().map(|i| cur[*i]).collect();
    let free_new = largest_remainder(&free_cur, TOTAL - sum);
    let mut out = cur.clone();
    for (i, w) in fixed {
        out[*i] = *w;
    }
    for (k, i) in free.iter().enumerate() {
        out[*i] = free_new[k];
    }
    Ok(out)
}

/// Parse `60:30:10`: integers in 0..=100 that add up to 100.
pub fn parse_split(s: &str) -> Result<Vec<u32>, SplitError> {
    let s = s.trim();
    if s.is_empty() {
        return err("empty split");
    }
    let mut out = Vec::new();
    for part in s.split(':') {
        let part = part.trim();
        let w: u32 = part
            .parse()
            .map_err(|_| SplitError(format!("`{part}` in `{s}` is not a whole number")))?;
        if w > TOTAL {
            return err(format!("weight {w} in `{s}` is over {TOTAL}"));
        }
        out.push(w);
    }
    let sum: u32 = out.iter().sum();
    if sum != TOTAL {
        return err(format!("`{s}` adds up to {sum}, not {TOTAL}"));
    }
    Ok(out)
}

/// Render weights as `60:30:10`.
pub fn format_split(w: &[u32]) -> String {
    w.iter().map(u32::to_string).collect::<Vec<_>>().join(":")
}

/// The stages given to `lanes plan --stages`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stages {
    /// `10,30,80,100`: the target lane's weight at each stage.
    Short(Vec<u32>),
    /// `60:30:10,40:30:30,...`: every weight of every stage.
    Long(Vec<Vec<u32>>),
}

/// Parse `10,30,80,100` (short form) or `60:30:10,40:30:30` (long form).
pub fn parse_stages(s: &str) -> Result<Stages, SplitError> {
    let s = s.trim();
    if s.is_empty() {
        return err("no stages given");
    }
    if s.contains(':') {
        let stages = s
            .split(',')
            .map(parse_split)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Stages::Long(stages))
    } else {
        let mut out = Vec::new();
        for part in s.split(',') {
            let part = part.trim();
            let w: u32 = part
                .parse()
                .map_err(|_| SplitError(format!("stage `{part}` is not a whole number")))?;
            if w > TOTAL {
                return err(format!("stage weight {w} is over {TOTAL}"));
            }
            out.push(w);
        }
        Ok(Stages::Short(out))
    }
}

fn check_target_path(stages: &[Vec<u32>], target: usize) -> Result<(), SplitError> {
    let Some(last) = stages.last() else {
        return err("a plan needs at least one stage");
    };
    for pair in stages.windows(2) {
        if pair[1][target] < pair[0][target] {
            return err(format!(
                "the target's weight decreases from {} ({}) to {} ({}); a plan only moves forward",
                pair[0][target],
                format_split(&pair[0]),
                pair[1][target],
                format_split(&pair[1])
            ));
        }
    }
    if last[target] != TOTAL {
        return err(format!(
            "the plan must end with the target at {TOTAL}; its last stage is {}",
            format_split(last)
        ));
    }
    Ok(())
}

/// Short form: the target's weight per stage; the others follow `policy` from `current`.
/// The target's weights must not decrease and must end at 100.
pub fn plan_short(
    current: &[u32],
    target: usize,
    weights: &[u32],
    policy: Policy,
) -> Result<Vec<Vec<u32>>, SplitError> {
    let stages = weights
        .iter()
        .map(|w| set_weight(current, target, *w, policy))
        .collect::<Result<Vec<_>, _>>()?;
    check_target_path(&stages, target)?;
    Ok(stages)
}

/// Long form: every stage explicit. Each stage must have `lanes` weights adding up to 100, the
/// target's weight must not decrease, and the plan must end at 100 for the target.
pub fn plan_long(
    stages: Vec<Vec<u32>>,
    lanes: usize,
    target: usize,
) -> Result<Vec<Vec<u32>>, SplitError> {
    for (i, s) in stages.iter().enumerate() {
        if s.len() != lanes {
            return err(format!(
                "stage {} ({}) has {} weights; the route has {lanes} lanes",
                i + 1,
                format_split(s),
                s.len()
            ));
        }
        let sum: u32 = s.iter().sum();
        if sum != TOTAL {
            return err(format!(
                "stage {} ({}) adds up to {sum}, not {TOTAL}",
                i + 1,
                format_split(s)
            ));
        }
    }
    if target >= lanes {
        return err("the target lane is not in the route");
    }
    check_target_path(&stages, target)?;
    Ok(stages)
}

/// The stage to apply next, given the current weights: the one after the stage equal to
/// `current`, or else the first stage that does not move the target backwards. `None` when the
/// plan is complete.
pub fn next_stage(stages: &[Vec<u32>], current: &[u32], target: usize) -> Option<usize> {
    if let Some(k) = stages.iter().rposition(|s| s.as_slice() == current) {
        return (k + 1 < stages.len()).then_some(k + 1);
    }
    let cur = current.get(target).copied().unwrap_or(0);
    stages.iter().position(|s| s[target] >= cur)
}

/// A table: one row per stage, one column per lane, plus a bar of each lane's share.
/// `mark` flags a stage (the next one) with `>`.
pub fn render_table(
    lanes: &[String],
    stages: &[Vec<u32>],
    current: Option<&[u32]>,
    mark: Option<usize>,
) -> String {
    const BAR: usize = 10;
    let width = lanes.iter().map(|l| l.len()).max().unwrap_or(0).max(4);
    let mut out = String::new();
    out.push_str(&format!("  {:<7}", "stage"));
    for l in lanes {
        out.push_str(&format!("  {:>w$} {:<BAR$}", l, "", w = width));
    }
    out = out.trim_end().to_string();
    out.push('\n');
    let mut row = |label: String, ws: &[u32], marker: &str| {
        let mut line = format!("{marker} {label:<7}");
        for w in ws {
            let filled = ((*w as usize) * BAR + 50) / 100;
            let bar: String = "#".repeat(filled) + &".".repeat(BAR - filled);
            line.push_str(&format!("  {:>w$} {bar}", w, w = width));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    if let Some(c) = current {
        row("now".to_string(), c, " ");
    }
    for (i, s) in stages.iter().enumerate() {
        let marker = if mark == Some(i) { ">" } else { " " };
        row(format!("{}", i + 1), s, marker);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn proportional_shrink_with_new_lane() {
        assert_eq!(rebalance_with_new(&[50, 50], 10).unwrap(), vec![45, 45, 10]);
        assert_eq!(
            rebalance_with_new(&[75, 15, 10], 10).unwrap(),
            vec![68, 13, 9, 10]
        );
        assert_eq!(rebalance_with_new(&[100], 0).unwrap(), vec![100, 0]);
        assert!(rebalance_with_new(&[50, 50], 101).is_err());
    }

    #[test]
    fn rollback_gives_share_back_in_proportion() {
        assert_eq!(rollback(&[60, 30, 10], 2).unwrap(), vec![67, 33, 0]);
        assert_eq!(rollback(&[0, 0, 100], 2).unwrap(), vec![50, 50, 0]);
        assert!(rollback(&[100], 0).is_err());
    }

    #[test]
    fn oldest_first_drains_the_oldest_lane() {
        assert_eq!(
            set_weight(&[60, 30, 10], 2, 80, Policy::OldestFirst).unwrap(),
            vec![0, 20, 80]
        );
        assert_eq!(
            set_weight(&[60, 30, 10], 2, 30, Policy::OldestFirst).unwrap(),
            vec![40, 30, 30]
        );
    }

    #[test]
    fn parse_split_checks_sum_and_numbers() {
        assert_eq!(parse_split("60:30:10").unwrap(), vec![60, 30, 10]);
        assert!(parse_split("60:30")
            .unwrap_err()
            .0
            .contains("adds up to 90"));
        assert!(parse_split("60:x:40").is_err());
        assert!(parse_split("").is_err());
    }

    #[test]
    fn plans_short_and_long() {
        let p = plan_short(&[45, 45, 10], 2, &[10, 30, 80, 100], Policy::Proportional).unwrap();
        assert_eq!(
            p,
            vec![
                vec![45, 45, 10],
                vec![35, 35, 30],
                vec![10, 10, 80],
                vec![0, 0, 100]
            ]
        );
        let long = match parse_stages("60:30:10,40:30:30,10:10:80,0:0:100").unwrap() {
            Stages::Long(s) => s,
            _ => unreachable!(),
        };
        let p = plan_long(long, 3, 2).unwrap();
        assert_eq!(next_stage(&p, &[60, 30, 10], 2), Some(1));
        assert_eq!(next_stage(&p, &[0, 0, 100], 2), None);
        assert_eq!(next_stage(&p, &[50, 50, 0], 2), Some(0));
        assert!(plan_long(vec![vec![50, 50], vec![60, 40]], 2, 1).is_err());
        assert!(plan_long(vec![vec![50, 50]], 2, 1)
            .unwrap_err()
            .0
            .contains("end"));
        assert!(plan_long(vec![vec![50, 40]], 2, 1).is_err());
        assert!(plan_short(&[50, 50], 1, &[30, 20, 100], Policy::Proportional).is_err());
        let t = render_table(
            &["v1".into(), "v2".into()],
            &[vec![50, 50], vec![0, 100]],
            None,
            Some(1),
        );
        assert!(t.contains("> 2"), "{t}");
        assert!(t.contains("##########"), "{t}");
    }

    fn weights() -> impl Strategy<Value = Vec<u32>> {
        (1usize..6).prop_flat_map(|n| proptest::collection::vec(0u32..=100, n))
    }

    proptest! {
        #[test]
        fn largest_remainder_sums_exactly(parts in weights(), total in 0u32..=100) {
            let out = largest_remainder(&parts, total);
            prop_assert_eq!(out.len(), parts.len());
            prop_assert_eq!(out.iter().sum::<u32>(), total);
            prop_assert!(out.iter().all(|w| *w <= total));
        }

        #[test]
        fn set_weight_sums_to_100_and_is_stable(parts in weights(), w in 0u32..=100, pick in 0usize..6, oldest in any::<bool>()) {
            prop_assume!(parts.len() >= 2);
            let idx = pick % parts.len();
            let policy = if oldest { Policy::OldestFirst } else { Policy::Proportional };
            let out = set_weight(&parts, idx, w, policy).unwrap();
            prop_assert_eq!(out.iter().sum::<u32>(), 100);
            prop_assert_eq!(out[idx], w);
            prop_assert!(out.iter().all(|x| *x <= 100));
            let norm = normalize(&parts);
            let same = set_weight(&norm, idx, norm[idx], policy).unwrap();
            prop_assert_eq!(same, norm);
        }

        #[test]
        fn rebalance_sums_to_100(parts in weights(), w in 0u32..=100) {
            let out = rebalance_with_new(&parts, w).unwrap();
            prop_assert_eq!(out.iter().sum::<u32>(), 100);
            prop_assert_eq!(*out.last().unwrap(), w);
            // Proportional: nobody grows.
            let norm = normalize(&parts);
            for (a, b) in norm.iter().zip(&out) {
                prop_assert!(b <= a);
            }
        }

        #[test]
        fn rollback_zeroes_and_sums(parts in weights(), pick in 0usize..6) {
            prop_assume!(parts.len() >= 2);
            let idx = pick % parts.len();
            let out = rollback(&parts, idx).unwrap();
            prop_assert_eq!(out[idx], 0);
            prop_assert_eq!(out.iter().sum::<u32>(), 100);
        }

        #[test]
        fn set_many_sums(parts in weights(), a in 0u32..=50, pick in 0usize..6) {
            prop_assume!(parts.len() >= 2);
            let idx = pick % parts.len();
            let out = set_many(&parts, &[(idx, a)]).unwrap();
            prop_assert_eq!(out.iter().sum::<u32>(), 100);
            prop_assert_eq!(out[idx], a);
        }

        #[test]
        fn parse_format_round_trip(parts in weights()) {
            let norm = normalize(&parts);
            prop_assert_eq!(parse_split(&format_split(&norm)).unwrap(), norm);
        }
    }
}
