//! Python's `random.Random`, bit for bit, for the calls the generator makes.
//!
//! `gen_corpus.py` seeds one `random.Random(str)` per team, group and fault; reproducing
//! CPython's Mersenne Twister, its string seeding (the text followed by its SHA-512, read as a
//! big-endian integer) and its `_randbelow` rejection sampling makes this port write the same
//! bytes as the script for the same arguments, which the conformance step checks.

use sha2::{Digest, Sha512};

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER: u32 = 0x8000_0000;
const LOWER: u32 = 0x7fff_ffff;

/// A Mersenne Twister seeded and sampled as CPython does.
pub(crate) struct PyRandom {
    mt: [u32; N],
    idx: usize,
}

impl PyRandom {
    /// `random.Random(seed)` for a `str` seed (version 2 seeding).
    pub(crate) fn from_str(seed: &str) -> Self {
        let mut bytes = seed.as_bytes().to_vec();
        bytes.extend_from_slice(&Sha512::digest(seed.as_bytes()));
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let b = &bytes[first..];
        // The integer's 32-bit words, least significant first.
        let mut key = Vec::with_capacity(b.len() / 4 + 1);
        let mut end = b.len();
        while end > 0 {
            let start = end.saturating_sub(4);
            key.push(
                b[start..end]
                    .iter()
                    .fold(0u32, |w, &x| (w << 8) | u32::from(x)),
            );
            end = start;
        }
        if key.is_empty() {
            key.push(0);
        }
        let mut r = PyRandom { mt: [0; N], idx: N };
        r.init_by_array(&key);
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let p = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(p ^ (p >> 30))
                .wrapping_add(i as u32);
        }
        self.idx = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let p = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let p = self.mt[i - 1];
            self.mt[i] =
                (self.mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
        }
        self.mt[0] = 0x8000_0000;
    }

    fn next_u32(&mut self) -> u32 {
        if self.idx >= N {
            let mag = |y: u32| if y & 1 == 1 { MATRIX_A } else { 0 };
            for kk in 0..N - M {
                let y = (self.mt[kk] & UPPER) | (self.mt[kk + 1] & LOWER);
                self.mt[kk] = self.mt[kk + M] ^ (y >> 1) ^ mag(y);
            }
            for kk in N - M..N - 1 {
                let y = (self.mt[kk] & UPPER) | (self.mt[kk + 1] & LOWER);
                self.mt[kk] = self.mt[kk + M - N] ^ (y >> 1) ^ mag(y);
            }
            let y = (self.mt[N - 1] & UPPER) | (self.mt[0] & LOWER);
            self.mt[N - 1] = self.mt[M - 1] ^ (y >> 1) ^ mag(y);
            self.idx = 0;
        }
        let mut y = self.mt[self.idx];
        self.idx += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: a float in [0, 1) from 53 random bits.
    pub(crate) fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `_randbelow(n)` for `0 < n < 2^32`: rejection sampling on `n.bit_length()` bits.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        assert!(n > 0 && n <= u32::MAX as usize, "below({n})");
        let k = usize::BITS - n.leading_zeros();
        loop {
            let r = (self.next_u32() >> (32 - k)) as usize;
            if r < n {
                return r;
            }
        }
    }

    /// `randrange(n)`.
    pub(crate) fn randrange(&mut self, n: usize) -> usize {
        self.below(n)
    }

    /// `randint(a, b)`, both ends included.
    pub(crate) fn randint(&mut self, a: i64, b: i64) -> i64 {
        a + self.below((b - a + 1) as usize) as i64
    }

    /// `choice(seq)`.
    pub(crate) fn choice<T: Copy>(&mut self, seq: &[T]) -> T {
        seq[self.below(seq.len())]
    }

    /// `shuffle(x)`.
    pub(crate) fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.below(i + 1);
            x.swap(i, j);
        }
    }

    /// `sample(range(n), k)`, in the order Python draws it.
    pub(crate) fn sample_range(&mut self, n: usize, k: usize) -> Vec<usize> {
        assert!(k <= n);
        let mut setsize = 21usize;
        if k > 5 {
            let exp = ((k * 3) as f64).ln() / 4f64.ln();
            setsize += 4usize.pow(exp.ceil() as u32);
        }
        let mut result = Vec::with_capacity(k);
        if n <= setsize {
            let mut pool: Vec<usize> = (0..n).collect();
            for i in 0..k {
                let j = self.below(n - i);
                result.push(pool[j]);
                pool[j] = pool[n - i - 1];
            }
        } else {
            let mut selected = std::collections::HashSet::new();
            for _ in 0..k {
                let mut j = self.below(n);
                while selected.contains(&j) {
                    j = self.below(n);
                }
                selected.insert(j);
                result.push(j);
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::PyRandom;

    // The values CPython 3.11 gives for the same seeds and calls.
    #[test]
    fn matches_cpython() {
        let mut r = PyRandom::from_str("1/group/0");
        let got: Vec<usize> = (0..5).map(|_| r.below(10)).collect();
        assert_eq!(got, [0, 3, 9, 4, 5]);
        let mut r = PyRandom::from_str("x");
        assert_eq!(r.random(), 0.6307877176639078);
        let mut r = PyRandom::from_str("3/faults");
        assert_eq!(
            r.sample_range(60, 24),
            [
                1, 50, 18, 53, 48, 55, 37, 17, 13, 12, 8, 23, 35, 41, 51, 43, 21, 32, 25, 31, 30,
                52, 20, 3
            ]
        );
        let mut r = PyRandom::from_str("3/faults");
        assert_eq!(r.sample_range(10, 4), [0, 4, 8, 1]);
    }
}
