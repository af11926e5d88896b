//! Weight arithmetic for traffic splits.
//!
//! Every successful result is a `Vec<u32>` that sums to exactly the requested total
//! (normally [`DEFAULT_TOTAL`], 100) with every entry in `0..=total`.
//!
//! # Rounding
//!
//! Proportional results use Hamilton's largest-remainder method computed with exact integer
//! arithmetic: each destination first gets the floor of its quota, then the units left over go
//! one each to the destinations with the largest remainders; equal remainders are broken by
//! index (earlier index first). A split that already sums to the total is returned unchanged.
//!
//! # Policies
//!
//! [`Policy::Proportional`] (the default) spreads a change over the other destinations in
//! proportion to their current weights; when all of them are 0 and they must grow, they share
//! equally.
//!
//! [`Policy::OldestFirst`] treats index 0 as the oldest destination and lets traffic flow from
//! old to new:
//! * to give a destination more, take from the oldest other destination (lowest index) until it
//!   reaches 0, then from the next one, and so on;
//! * to give weight back (a destination shrinks or is rolled back), all of it goes to the
//!   newest other destination (highest index). Older destinations that were already drained are
//!   never refilled, since they may have been scaled down.

use std::fmt;

use thiserror::Error;

/// The usual total of a traffic split (Istio route weights sum to 100).
pub const DEFAULT_TOTAL: u32 = 100;

/// How a change to one destination's weight is spread over the other destinations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Others shrink or grow in proportion to their current weights (largest remainder).
    #[default]
    Proportional,
    /// Drain the oldest (lowest index) first; give back to the newest other destination.
    OldestFirst,
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Policy::Proportional => "proportional",
            Policy::OldestFirst => "oldest-first",
        })
    }
}

impl std::str::FromStr for Policy {
    type Err = WeightError;

    /// Parse `proportional` or `oldest-first` (also `oldest_first`), case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "proportional" => Ok(Policy::Proportional),
            "oldest-first" | "oldest_first" | "oldestfirst" => Ok(Policy::OldestFirst),
            _ => Err(WeightError::UnknownPolicy(s.to_string())),
        }
    }
}

/// Errors of weight arithmetic and split parsing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WeightError {
    /// The weights do not sum to the total.
    #[error("split {split} sums to {sum}, not {total}")]
    SumMismatch {
        /// The split, colon-joined (`60:30:20`).
        split: String,
        /// Its actual sum.
        sum: u64,
        /// The required total.
        total: u32,
    },
    /// The number of weights does not match the number of destinations.
    #[error("split has {got} weight{} but the route has {expected} destination{}", plural(*got), plural(*expected))]
    ArityMismatch {
        /// Weights given.
        got: usize,
        /// Destinations on the route.
        expected: usize,
    },
    /// One weight is larger than the total.
    #[error("weight {weight} is above {total}")]
    AboveTotal {
        /// The offending weight.
        weight: u64,
        /// The total.
        total: u32,
    },
    /// A destination index that does not exist.
    #[error("destination index {index} is out of range for {len} destination{}", plural(*len))]
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The number of destinations.
        len: usize,
    },
    /// The only destination of a route must carry the whole total.
    #[error("the only destination must carry all {total}, not {weight}")]
    OnlyDestination {
        /// The weight asked for.
        weight: u32,
        /// The total.
        total: u32,
    },
    /// A split or share list with nothing in it.
    #[error("split is empty")]
    Empty,
    /// A part of a split that is not a whole number.
    #[error("split {split}: weight `{part}` at position {position} is not a whole number")]
    NotANumber {
        /// The whole split text.
        split: String,
        /// The offending part.
        part: String,
        /// Its 1-based position.
        position: usize,
    },
    /// A share that is negative, NaN or infinite.
    #[error("share {share} at position {position} is not a finite non-negative number")]
    BadShare {
        /// The share, formatted.
        share: String,
        /// Its 1-based position.
        position: usize,
    },
    /// An unknown policy name.
    #[error("unknown policy `{0}`: expected proportional or oldest-first")]
    UnknownPolicy(String),
    /// The same destination is given two weights ([`set_many`]).
    #[error("destination index {index} is set twice")]
    SetTwice {
        /// The index given twice.
        index: usize,
    },
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Join weights with `:` (`[60, 30, 10]` → `60:30:10`).
pub fn format_split(weights: &[u32]) -> String {
    weights
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(":")
}

/// Largest-remainder rounding of integer (rational) shares to `total`.
///
/// Each share's quota is `total * share / sum(shares)`, computed exactly. If every share is 0,
/// the destinations share equally. An empty slice gives an empty vector (the only result that
/// does not sum to `total`). Ties are broken by index, earlier first.
pub fn largest_remainder(shares: &[u64], total: u32) -> Vec<u32> {
    if shares.is_empty() {
        return Vec::new();
    }
    let sum: u128 = shares.iter().map(|&s| u128::from(s)).sum();
    let (shares, sum): (Vec<u128>, u128) = if sum == 0 {
        (vec![1; shares.len()], shares.len() as u128)
    } else {
        (shares.iter().map(|&s| u128::from(s)).collect(), sum)
    };
    let total128 = u128::from(total);
    let mut out = Vec::with_capacity(shares.len());
    let mut rems = Vec::with_capacity(shares.len());
    let mut assigned: u128 = 0;
    for (i, &s) in shares.iter().enumerate() {
        let num = total128 * s;
        let q = num / sum;
        assigned += q;
        out.push(q as u32);
        rems.push((num % sum, i));
    }
    // Larger remainder first; equal remainders: earlier index first.
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = (total128 - assigned) as usize;
    for &(_, i) in rems.iter().take(left) {
        out[i] += 1;
    }
    out
}

/// Largest-remainder rounding of floating-point shares to `total`.
///
/// Shares must be finite and non-negative; if all are 0 the destinations share equally.
/// Ties between equal fractional remainders are broken by index, earlier first.
pub fn largest_remainder_f64(shares: &[f64], total: u32) -> Result<Vec<u32>, WeightError> {
    if shares.is_empty() {
        return Err(WeightError::Empty);
    }
    for (i, &s) in shares.iter().enumerate() {
        if !s.is_finite() || s < 0.0 {
            return Err(WeightError::BadShare {
                share: s.to_string(),
                position: i + 1,
            });
        }
    }
    let sum: f64 = shares.iter().sum();
    if sum == 0.0 || !sum.is_finite() {
        if sum == 0.0 {
            return Ok(largest_remainder(&vec![0; shares.len()], total));
        }
        // Overflowed to infinity: scale down first.
        let max = shares.iter().cloned().fold(0.0, f64::max);
        let scaled: Vec<f64> = shares.iter().map(|s| s / max).collect();
        return largest_remainder_f64(&scaled, total);
    }
    let mut out = Vec::with_capacity(shares.len());
    let mut rems = Vec::with_capacity(shares.len());
    let mut assigned: u64 = 0;
    for (i, &s) in shares.iter().enumerate() {
        let quota = s / sum * f64::from(total);
        let floor = quota.floor().min(f64::from(total));
        assigned += floor as u64;
        out.push(floor as u32);
        rems.push((quota - floor, i));
    }
    // Floating error could in theory over-assign; take back from the smallest remainders.
    while assigned > u64::from(total) {
        let i = rems
            .iter()
            .filter(|&&(_, i)| out[i] > 0)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|&(_, i)| i)
            .expect("some weight is positive when over-assigned");
        out[i] -= 1;
        assigned -= 1;
    }
    rems.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = (u64::from(total) - assigned) as usize;
    for k in 0..left {
        let i = rems[k % rems.len()].1;
        out[i] += 1;
    }
    Ok(out)
}

/// Check that every weight is at most `total` and that they sum to `total`.
pub fn validate_split(weights: &[u32], total: u32) -> Result<(), WeightError> {
    if weights.is_empty() {
        return Err(WeightError::Empty);
    }
    if let Some(&w) = weights.iter().find(|&&w| w > total) {
        return Err(WeightError::AboveTotal {
            weight: u64::from(w),
            total,
        });
    }
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if sum != u64::from(total) {
        return Err(WeightError::SumMismatch {
            split: format_split(weights),
            sum,
            total,
        });
    }
    Ok(())
}

/// Check that a split has one weight per destination.
pub fn check_arity(weights: &[u32], destinations: usize) -> Result<(), WeightError> {
    if weights.len() != destinations {
        return Err(WeightError::ArityMismatch {
            got: weights.len(),
            expected: destinations,
        });
    }
    Ok(())
}

/// Parse a colon-separated split such as `60:30:10` (spaces around parts are allowed) and
/// validate it against `total` (see [`validate_split`]).
pub fn parse_split(s: &str, total: u32) -> Result<Vec<u32>, WeightError> {
    let weights = parse_split_unchecked(s, total)?;
    validate_split(&weights, total)?;
    Ok(weights)
}

/// Parse a colon-separated split, checking only that each part is a whole number no larger
/// than `total` (the sum is not checked).
pub fn parse_split_unchecked(s: &str, total: u32) -> Result<Vec<u32>, WeightError> {
    let text = s.trim();
    if text.is_empty() {
        return Err(WeightError::Empty);
    }
    let mut out = Vec::new();
    for (i, part) in text.split(':').enumerate() {
        let part = part.trim();
        let bad = || WeightError::NotANumber {
            split: text.to_string(),
            part: part.to_string(),
            position: i + 1,
        };
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // All digits but too long for u64: certainly above the total.
        let w: u64 = part.parse().unwrap_or(u64::MAX);
        if w > u64::from(total) {
            return Err(WeightError::AboveTotal { weight: w, total });
        }
        out.push(w as u32);
    }
    Ok(out)
}

/// Validate a current split: it must sum to `total`, or be all zeros (no weights set yet,
/// treated as an equal share by the operations below).
fn validate_current(current: &[u32], total: u32) -> Result<(), WeightError> {
    if current.iter().all(|&w| w == 0) && !current.is_empty() {
        return Ok(());
    }
    validate_split(current, total)
}

fn check_weight(w: u32, total: u32) -> Result<(), WeightError> {
    if w > total {
        return Err(WeightError::AboveTotal {
            weight: u64::from(w),
            total,
        });
    }
    Ok(())
}

/// Append a destination with `new_weight`; the others shrink proportionally
/// ([`Policy::Proportional`]). See [`rebalance_with_new_policy`].
pub fn rebalance_with_new(
    current: &[u32],
    new_weight: u32,
    total: u32,
) -> Result<Vec<u32>, WeightError> {
    rebalance_with_new_policy(current, new_weight, total, Policy::Proportional)
}

/// Append a destination with `new_weight`, taking its weight from the others by `policy`.
///
/// `current` must sum to `total` or be all zeros (then the others share equally). With no
/// current destinations, the new one must carry the whole total. The result has
/// `current.len() + 1` entries, the new destination last.
pub fn rebalance_with_new_policy(
    current: &[u32],
    new_weight: u32,
    total: u32,
    policy: Policy,
) -> Result<Vec<u32>, WeightError> {
    check_weight(new_weight, total)?;
    if current.is_empty() {
        if new_weight != total {
            return Err(WeightError::OnlyDestination {
                weight: new_weight,
                total,
            });
        }
        return Ok(vec![total]);
    }
    validate_current(current, total)?;
    let mut with_new = current.to_vec();
    with_new.push(0);
    let index = with_new.len() - 1;
    if current.iter().all(|&w| w == 0) {
        let mut out = largest_remainder(&vec![0; current.len()], total - new_weight);
        out.push(new_weight);
        return Ok(out);
    }
    set_weight_policy(&with_new, index, new_weight, total, policy)
}

/// Set destination `index` to `w`; the others shrink or grow proportionally
/// ([`Policy::Proportional`]). See [`set_weight_policy`].
pub fn set_weight(
    current: &[u32],
    index: usize,
    w: u32,
    total: u32,
) -> Result<Vec<u32>, WeightError> {
    set_weight_policy(current, index, w, total, Policy::Proportional)
}

/// Set destination `index` to `w` and spread the difference over the others by `policy`.
///
/// `current` must sum to `total` or be all zeros. Setting a weight to its current value
/// returns the input unchanged. A single destination can only be set to `total`.
pub fn set_weight_policy(
    current: &[u32],
    index: usize,
    w: u32,
    total: u32,
    policy: Policy,
) -> Result<Vec<u32>, WeightError> {
    if index >= current.len() {
        return Err(WeightError::IndexOutOfRange {
            index,
            len: current.len(),
        });
    }
    check_weight(w, total)?;
    validate_current(current, total)?;
    if current.len() == 1 {
        if w != total {
            return Err(WeightError::OnlyDestination { weight: w, total });
        }
        return Ok(vec![total]);
    }
    let all_zero = current.iter().all(|&x| x == 0);
    if !all_zero && current[index] == w {
        return Ok(current.to_vec());
    }
    let remaining = total - w;
    let others: Vec<u64> = current
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != index)
        .map(|(_, &x)| u64::from(x))
        .collect();
    let new_others: Vec<u32> = match policy {
        _ if all_zero => largest_remainder(&others, remaining),
        Policy::Proportional => largest_remainder(&others, remaining),
        Policy::OldestFirst => {
            let mut o: Vec<u32> = others.iter().map(|&x| x as u32).collect();
            let cur = current[index];
            if w > cur {
                let mut need = w - cur;
                for x in o.iter_mut() {
                    let take = need.min(*x);
                    *x -= take;
                    need -= take;
                    if need == 0 {
                        break;
                    }
                }
            } else {
                let last = o.len() - 1;
                o[last] += cur - w;
            }
            o
        }
    };
    let mut out = Vec::with_capacity(current.len());
    let mut it = new_others.into_iter();
    for i in 0..current.len() {
        if i == index {
            out.push(w);
        } else {
            out.push(it.next().expect("one new weight per other destination"));
        }
    }
    Ok(out)
}

/// Roll destination `index` back to 0 and give its weight to the others in proportion to
/// their weights ([`Policy::Proportional`]); if they are all 0 they share equally.
pub fn rollback(current: &[u32], index: usize, total: u32) -> Result<Vec<u32>, WeightError> {
    rollback_policy(current, index, total, Policy::Proportional)
}

/// Roll destination `index` back to 0, returning its weight to the others by `policy`
/// (with [`Policy::OldestFirst`], all of it goes to the newest other destination).
pub fn rollback_policy(
    current: &[u32],
    index: usize,
    total: u32,
    policy: Policy,
) -> Result<Vec<u32>, WeightError> {
    set_weight_policy(current, index, 0, total, policy)
}

/// Scale weights that do not sum to `total` in proportion (largest remainder; all zeros share
/// equally); weights that already sum to `total` are returned unchanged. Empty in, empty out.
///
/// Routes read from manifests may not sum to 100 (a hand edit, a missing weight); the writing
/// commands normalize them first so every result is well formed.
pub fn normalize(weights: &[u32], total: u32) -> Vec<u32> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    if sum == u64::from(total) {
        return weights.to_vec();
    }
    let shares: Vec<u64> = weights.iter().map(|&w| u64::from(w)).collect();
    largest_remainder(&shares, total)
}

/// Set several destinations at once (`fixed` holds `(index, weight)` pairs); the destinations
/// not named share what is left in proportion to their current weights (equally if they are
/// all 0).
///
/// `current` must sum to `total` or be all zeros. The fixed weights may not sum to more than
/// `total`, and must sum to exactly `total` when every destination is fixed.
pub fn set_many(
    current: &[u32],
    fixed: &[(usize, u32)],
    total: u32,
) -> Result<Vec<u32>, WeightError> {
    validate_current(current, total)?;
    let mut sum: u64 = 0;
    for (k, &(i, w)) in fixed.iter().enumerate() {
        if i >= current.len() {
            return Err(WeightError::IndexOutOfRange {
                index: i,
                len: current.len(),
            });
        }
        check_weight(w, total)?;
        if fixed[..k].iter().any(|&(j, _)| j == i) {
            return Err(WeightError::SetTwice { index: i });
        }
        sum += u64::from(w);
    }
    let free: Vec<usize> = (0..current.len())
        .filter(|i| !fixed.iter().any(|&(j, _)| j == *i))
        .collect();
    if sum > u64::from(total) || (free.is_empty() && sum != u64::from(total)) {
        let given: Vec<u32> = fixed.iter().map(|&(_, w)| w).collect();
        return Err(WeightError::SumMismatch {
            split: format_split(&given),
            sum,
            total,
        });
    }
    let shares: Vec<u64> = free.iter().map(|&i| u64::from(current[i])).collect();
    let free_new = largest_remainder(&shares, total - sum as u32);
    let mut out = current.to_vec();
    for &(i, w) in fixed {
        out[i] = w;
    }
    for (k, &i) in free.iter().enumerate() {
        out[i] = free_new[k];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u32 = DEFAULT_TOTAL;

    #[test]
    fn normalize_examples() {
        assert_eq!(normalize(&[60, 30, 10], T), vec![60, 30, 10]);
        assert_eq!(normalize(&[50, 50, 50], T), vec![34, 33, 33]);
        assert_eq!(normalize(&[0, 0], T), vec![50, 50]);
        assert_eq!(normalize(&[], T), Vec::<u32>::new());
    }

    #[test]
    fn set_many_examples() {
        assert_eq!(
            set_many(&[60, 30, 10], &[(2, 30)], T).unwrap(),
            vec![47, 23, 30]
        );
        assert_eq!(
            set_many(&[60, 30, 10], &[(0, 10), (1, 10)], T).unwrap(),
            vec![10, 10, 80]
        );
        assert_eq!(
            set_many(&[60, 30, 10], &[(0, 50), (1, 50), (2, 0)], T).unwrap(),
            vec![50, 50, 0]
        );
        assert_eq!(set_many(&[60, 40], &[], T).unwrap(), vec![60, 40]);
        assert_eq!(
            set_many(&[60, 30, 10], &[(0, 60), (1, 50)], T)
                .unwrap_err()
                .to_string(),
            "split 60:50 sums to 110, not 100"
        );
        assert_eq!(
            set_many(&[60, 40], &[(0, 60), (1, 30)], T)
                .unwrap_err()
                .to_string(),
            "split 60:30 sums to 90, not 100"
        );
        assert_eq!(
            set_many(&[60, 40], &[(0, 10), (0, 20)], T).unwrap_err(),
            WeightError::SetTwice { index: 0 }
        );
        assert!(set_many(&[60, 40], &[(2, 10)], T).is_err());
        assert!(set_many(&[60, 30], &[(0, 10)], T).is_err());
    }

    #[test]
    fn largest_remainder_basics() {
        assert_eq!(largest_remainder(&[1, 1, 1], 100), vec![34, 33, 33]);
        assert_eq!(largest_remainder(&[50, 50], 90), vec![45, 45]);
        assert_eq!(largest_remainder(&[60, 30, 10], 90), vec![54, 27, 9]);
        assert_eq!(largest_remainder(&[0, 0, 0], 10), vec![4, 3, 3]);
        assert_eq!(largest_remainder(&[], 100), Vec::<u32>::new());
        assert_eq!(largest_remainder(&[7], 100), vec![100]);
        assert_eq!(largest_remainder(&[1, 2], 0), vec![0, 0]);
        // Ties: earlier index first.
        assert_eq!(largest_remainder(&[1, 1], 1), vec![1, 0]);
        assert_eq!(largest_remainder(&[1, 1, 1, 1], 2), vec![1, 1, 0, 0]);
        // Huge shares do not overflow.
        assert_eq!(
            largest_remainder(&[u64::MAX, u64::MAX], u32::MAX),
            vec![u32::MAX / 2 + 1, u32::MAX / 2]
        );
    }

    #[test]
    fn largest_remainder_f64_basics() {
        assert_eq!(
            largest_remainder_f64(&[1.0, 1.0, 1.0], 100).unwrap(),
            vec![34, 33, 33]
        );
        assert_eq!(
            largest_remainder_f64(&[0.5, 0.3, 0.2], 100).unwrap(),
            vec![50, 30, 20]
        );
        assert_eq!(
            largest_remainder_f64(&[0.0, 0.0], 100).unwrap(),
            vec![50, 50]
        );
        assert_eq!(largest_remainder_f64(&[], 100), Err(WeightError::Empty));
        let e = largest_remainder_f64(&[1.0, -1.0], 100).unwrap_err();
        assert_eq!(
            e.to_string(),
            "share -1 at position 2 is not a finite non-negative number"
        );
        assert!(largest_remainder_f64(&[f64::NAN], 100).is_err());
        let big = largest_remainder_f64(&[f64::MAX, f64::MAX], 100).unwrap();
        assert_eq!(big, vec![50, 50]);
    }

    #[test]
    fn rebalance_examples() {
        assert_eq!(
            rebalance_with_new(&[50, 50], 10, T).unwrap(),
            vec![45, 45, 10]
        );
        assert_eq!(
            rebalance_with_new(&[60, 30, 10], 10, T).unwrap(),
            vec![54, 27, 9, 10]
        );
        assert_eq!(rebalance_with_new(&[100], 0, T).unwrap(), vec![100, 0]);
        assert_eq!(rebalance_with_new(&[100], 100, T).unwrap(), vec![0, 100]);
        assert_eq!(
            rebalance_with_new(&[0, 0], 10, T).unwrap(),
            vec![45, 45, 10]
        );
        assert_eq!(rebalance_with_new(&[], 100, T).unwrap(), vec![100]);
        assert_eq!(
            rebalance_with_new(&[], 10, T).unwrap_err().to_string(),
            "the only destination must carry all 100, not 10"
        );
        assert_eq!(
            rebalance_with_new(&[50, 50], 120, T)
                .unwrap_err()
                .to_string(),
            "weight 120 is above 100"
        );
        assert_eq!(
            rebalance_with_new(&[60, 30, 20], 10, T)
                .unwrap_err()
                .to_string(),
            "split 60:30:20 sums to 110, not 100"
        );
        assert_eq!(
            rebalance_with_new_policy(&[60, 30, 10], 70, T, Policy::OldestFirst).unwrap(),
            vec![0, 20, 10, 70]
        );
    }

    #[test]
    fn set_weight_examples() {
        assert_eq!(set_weight(&[90, 10], 1, 30, T).unwrap(), vec![70, 30]);
        assert_eq!(
            set_weight(&[60, 30, 10], 2, 40, T).unwrap(),
            vec![40, 20, 40]
        );
        assert_eq!(
            set_weight(&[60, 30, 10], 2, 100, T).unwrap(),
            vec![0, 0, 100]
        );
        assert_eq!(
            set_weight(&[0, 0, 100], 2, 40, T).unwrap(),
            vec![30, 30, 40]
        );
        assert_eq!(
            set_weight(&[0, 0, 100], 2, 41, T).unwrap(),
            vec![30, 29, 41]
        );
        assert_eq!(
            set_weight(&[60, 30, 10], 0, 60, T).unwrap(),
            vec![60, 30, 10]
        );
        assert_eq!(set_weight(&[100], 0, 100, T).unwrap(), vec![100]);
        assert_eq!(
            set_weight(&[100], 0, 40, T).unwrap_err().to_string(),
            "the only destination must carry all 100, not 40"
        );
        assert_eq!(
            set_weight(&[50, 50], 2, 40, T).unwrap_err().to_string(),
            "destination index 2 is out of range for 2 destinations"
        );
        assert_eq!(
            set_weight(&[50, 50], 1, 101, T).unwrap_err().to_string(),
            "weight 101 is above 100"
        );
        assert_eq!(set_weight(&[0, 0, 0], 0, 40, T).unwrap(), vec![40, 30, 30]);
        assert_eq!(set_weight(&[0, 0, 0], 0, 0, T).unwrap(), vec![0, 50, 50]);
    }

    #[test]
    fn oldest_first_examples() {
        let p = Policy::OldestFirst;
        assert_eq!(
            set_weight_policy(&[60, 30, 10], 2, 40, T, p).unwrap(),
            vec![30, 30, 40]
        );
        assert_eq!(
            set_weight_policy(&[60, 30, 10], 2, 80, T, p).unwrap(),
            vec![0, 20, 80]
        );
        assert_eq!(
            set_weight_policy(&[60, 30, 10], 2, 100, T, p).unwrap(),
            vec![0, 0, 100]
        );
        // Giving back: to the newest other destination.
        assert_eq!(
            set_weight_policy(&[0, 20, 80], 2, 50, T, p).unwrap(),
            vec![0, 50, 50]
        );
        assert_eq!(
            set_weight_policy(&[60, 30, 10], 0, 20, T, p).unwrap(),
            vec![20, 30, 50]
        );
        assert_eq!(
            set_weight_policy(&[60, 30, 10], 1, 10, T, p).unwrap(),
            vec![60, 10, 30]
        );
        // Target in the middle takes from the oldest first, skipping itself.
        assert_eq!(
            set_weight_policy(&[50, 10, 40], 1, 70, T, p).unwrap(),
            vec![0, 70, 30]
        );
        assert_eq!(
            rollback_policy(&[20, 30, 50], 2, T, p).unwrap(),
            vec![20, 80, 0]
        );
        assert_eq!(
            rollback_policy(&[0, 0, 100], 2, T, p).unwrap(),
            vec![0, 100, 0]
        );
    }

    #[test]
    fn rollback_examples() {
        assert_eq!(rollback(&[45, 45, 10], 2, T).unwrap(), vec![50, 50, 0]);
        assert_eq!(rollback(&[60, 20, 20], 2, T).unwrap(), vec![75, 25, 0]);
        assert_eq!(rollback(&[0, 0, 100], 2, T).unwrap(), vec![50, 50, 0]);
        assert_eq!(rollback(&[30, 70], 0, T).unwrap(), vec![0, 100]);
        assert_eq!(rollback(&[50, 50, 0], 2, T).unwrap(), vec![50, 50, 0]);
        assert_eq!(
            rollback(&[100], 0, T).unwrap_err().to_string(),
            "the only destination must carry all 100, not 0"
        );
    }

    #[test]
    fn parse_split_cases() {
        assert_eq!(parse_split("60:30:10", T).unwrap(), vec![60, 30, 10]);
        assert_eq!(parse_split(" 60 : 40 ", T).unwrap(), vec![60, 40]);
        assert_eq!(parse_split("100", T).unwrap(), vec![100]);
        assert_eq!(
            parse_split("60:30:20", T).unwrap_err().to_string(),
            "split 60:30:20 sums to 110, not 100"
        );
        assert_eq!(
            parse_split("120:0", T).unwrap_err().to_string(),
            "weight 120 is above 100"
        );
        assert_eq!(
            parse_split("60:x:40", T).unwrap_err().to_string(),
            "split 60:x:40: weight `x` at position 2 is not a whole number"
        );
        assert_eq!(
            parse_split("60::40", T).unwrap_err().to_string(),
            "split 60::40: weight `` at position 2 is not a whole number"
        );
        assert!(matches!(
            parse_split("-10:110", T),
            Err(WeightError::NotANumber { .. })
        ));
        assert_eq!(parse_split("", T), Err(WeightError::Empty));
        assert_eq!(
            parse_split("99999999999999999999999:0", T)
                .unwrap_err()
                .to_string(),
            format!("weight {} is above 100", u64::MAX)
        );
        assert_eq!(parse_split_unchecked("10:10", T).unwrap(), vec![10, 10]);
    }

    #[test]
    fn arity_messages() {
        assert_eq!(
            check_arity(&[60, 40], 3).unwrap_err().to_string(),
            "split has 2 weights but the route has 3 destinations"
        );
        assert_eq!(
            check_arity(&[100], 2).unwrap_err().to_string(),
            "split has 1 weight but the route has 2 destinations"
        );
        assert!(check_arity(&[50, 50], 2).is_ok());
    }

    #[test]
    fn policy_parse_and_display() {
        assert_eq!(
            "proportional".parse::<Policy>().unwrap(),
            Policy::Proportional
        );
        assert_eq!(
            "Oldest-First".parse::<Policy>().unwrap(),
            Policy::OldestFirst
        );
        assert_eq!(Policy::OldestFirst.to_string(), "oldest-first");
        assert_eq!(
            "newest".parse::<Policy>().unwrap_err().to_string(),
            "unknown policy `newest`: expected proportional or oldest-first"
        );
        assert_eq!(Policy::default(), Policy::Proportional);
    }

    #[test]
    fn format_split_joins() {
        assert_eq!(format_split(&[60, 30, 10]), "60:30:10");
        assert_eq!(format_split(&[]), "");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// A split of 1..=6 weights summing to `total`.
    fn split(total: u32) -> impl Strategy<Value = Vec<u32>> {
        prop::collection::vec(0u64..1000, 1..=6)
            .prop_map(move |shares| largest_remainder(&shares, total))
    }

    fn well_formed(v: &[u32], total: u32) -> bool {
        v.iter().map(|&w| u64::from(w)).sum::<u64>() == u64::from(total)
            && v.iter().all(|&w| w <= total)
    }

    fn policy() -> impl Strategy<Value = Policy> {
        prop_oneof![Just(Policy::Proportional), Just(Policy::OldestFirst)]
    }

    proptest! {
        #[test]
        fn lr_sums_to_total(shares in prop::collection::vec(any::<u64>(), 1..8), total in 0u32..=1000) {
            let v = largest_remainder(&shares, total);
            prop_assert_eq!(v.len(), shares.len());
            prop_assert!(well_formed(&v, total));
        }

        #[test]
        fn lr_f64_sums_to_total(shares in prop::collection::vec(0.0f64..1e6, 1..8), total in 0u32..=1000) {
            let v = largest_remainder_f64(&shares, total).unwrap();
            prop_assert!(well_formed(&v, total));
        }

        #[test]
        fn lr_is_stable_on_balanced(v in split(100)) {
            let shares: Vec<u64> = v.iter().map(|&w| u64::from(w)).collect();
            prop_assert_eq!(largest_remainder(&shares, 100), v);
        }

        #[test]
        fn lr_within_one_of_quota(shares in prop::collection::vec(1u64..1000, 1..8), total in 0u32..=1000) {
            let v = largest_remainder(&shares, total);
            let sum: u64 = shares.iter().sum();
            for (s, w) in shares.iter().zip(&v) {
                let num = u128::from(*s) * u128::from(total);
                let floor = num / u128::from(sum);
                prop_assert!(u128::from(*w) == floor || u128::from(*w) == floor + 1);
            }
        }

        #[test]
        fn set_weight_well_formed(v in split(100), idx in 0usize..6, w in 0u32..=100, p in policy()) {
            prop_assume!(v.len() > 1);
            let idx = idx % v.len();
            let out = set_weight_policy(&v, idx, w, 100, p).unwrap();
            prop_assert_eq!(out.len(), v.len());
            prop_assert_eq!(out[idx], w);
            prop_assert!(well_formed(&out, 100));
        }

        #[test]
        fn set_weight_to_current_is_identity(v in split(100), idx in 0usize..6, p in policy()) {
            let idx = idx % v.len();
            let out = set_weight_policy(&v, idx, v[idx], 100, p).unwrap();
            prop_assert_eq!(out, v);
        }

        #[test]
        fn rebalance_well_formed(v in split(100), w in 0u32..=100, p in policy()) {
            let out = rebalance_with_new_policy(&v, w, 100, p).unwrap();
            prop_assert_eq!(out.len(), v.len() + 1);
            prop_assert_eq!(out[v.len()], w);
            prop_assert!(well_formed(&out, 100));
        }

        #[test]
        fn rebalance_with_zero_is_identity_plus_zero(v in split(100)) {
            let out = rebalance_with_new(&v, 0, 100).unwrap();
            let mut expected = v.clone();
            expected.push(0);
            prop_assert_eq!(out, expected);
        }

        #[test]
        fn rebalance_balanced_split_unchanged(v in split(100)) {
            // Re-adding the last destination with its own weight to the others reproduces them.
            prop_assume!(v.len() > 1);
            let (rest, last) = v.split_at(v.len() - 1);
            let rest_sum: u32 = rest.iter().sum();
            prop_assume!(rest_sum > 0);
            let scaled = largest_remainder(&rest.iter().map(|&x| u64::from(x)).collect::<Vec<_>>(), 100);
            let out = rebalance_with_new(&scaled, last[0], 100).unwrap();
            prop_assert!(well_formed(&out, 100));
            let out2 = set_weight(&out, out.len() - 1, last[0], 100).unwrap();
            prop_assert_eq!(out2, out);
        }

        #[test]
        fn rollback_well_formed(v in split(100), idx in 0usize..6, p in policy()) {
            prop_assume!(v.len() > 1);
            let idx = idx % v.len();
            let out = rollback_policy(&v, idx, 100, p).unwrap();
            prop_assert_eq!(out[idx], 0);
            prop_assert!(well_formed(&out, 100));
        }

        #[test]
        fn proportional_others_keep_order(v in split(100), idx in 0usize..6, w in 0u32..=100) {
            // If other a had at least as much as other b before, it still does (ties aside by 1).
            prop_assume!(v.len() > 2);
            let idx = idx % v.len();
            let out = set_weight(&v, idx, w, 100).unwrap();
            for a in 0..v.len() {
                for b in 0..v.len() {
                    if a != idx && b != idx && v[a] > v[b] {
                        prop_assert!(out[a] + 1 >= out[b]);
                    }
                }
            }
        }

        #[test]
        fn others_move_opposite_to_target(v in split(100), idx in 0usize..6, w in 0u32..=100, p in policy()) {
            // Whatever the policy, when the target grows no other grows, and vice versa.
            prop_assume!(v.len() > 1);
            let idx = idx % v.len();
            let out = set_weight_policy(&v, idx, w, 100, p).unwrap();
            for i in (0..v.len()).filter(|&i| i != idx) {
                if w >= v[idx] {
                    prop_assert!(out[i] <= v[i]);
                } else {
                    prop_assert!(out[i] >= v[i]);
                }
            }
        }

        #[test]
        fn oldest_first_drains_in_order(v in split(100), idx in 0usize..6, w in 0u32..=100) {
            prop_assume!(v.len() > 1);
            let idx = idx % v.len();
            let out = set_weight_policy(&v, idx, w, 100, Policy::OldestFirst).unwrap();
            let others: Vec<usize> = (0..v.len()).filter(|&i| i != idx).collect();
            if w >= v[idx] {
                // A newer destination only loses weight once every older one is at 0.
                for (k, &i) in others.iter().enumerate() {
                    if out[i] < v[i] {
                        prop_assert!(others[..k].iter().all(|&j| out[j] == 0));
                    }
                }
            } else {
                // Everything given back goes to the newest other destination.
                let newest = *others.last().unwrap();
                for &i in &others {
                    if i != newest {
                        prop_assert_eq!(out[i], v[i]);
                    }
                }
            }
        }

        #[test]
        fn set_many_well_formed(v in split(100), idx in 0usize..6, w in 0u32..=100) {
            prop_assume!(v.len() >= 2);
            let i = idx % v.len();
            let out = set_many(&v, &[(i, w)], 100).unwrap();
            prop_assert!(well_formed(&out, 100));
            prop_assert_eq!(out[i], w);
            prop_assert_eq!(set_many(&v, &[], 100).unwrap(), v.clone());
        }

        #[test]
        fn normalize_well_formed(v in prop::collection::vec(0u32..=1000, 1..8)) {
            let out = normalize(&v, 100);
            prop_assert!(well_formed(&out, 100));
            prop_assert_eq!(normalize(&out, 100), out.clone());
        }

        #[test]
        fn parse_split_roundtrips(v in split(100)) {
            prop_assert_eq!(parse_split(&format_split(&v), 100).unwrap(), v);
        }

        #[test]
        fn any_total_works(shares in prop::collection::vec(0u64..1000, 2..6), total in 1u32..=10_000, w_frac in 0.0f64..=1.0, idx in 0usize..6) {
            let v = largest_remainder(&shares, total);
            let idx = idx % v.len();
            let w = (f64::from(total) * w_frac) as u32;
            let out = set_weight(&v, idx, w.min(total), total).unwrap();
            prop_assert!(well_formed(&out, total));
        }
    }
}
