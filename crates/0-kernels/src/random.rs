//! A small seedable generator and the distributions oxarray's random
//! constructors use.
//!
//! The generator is xoshiro256++ (Blackman & Vigna), seeded through
//! SplitMix64 so any `u64` seed gives a well-mixed state. Streams are
//! reproducible across platforms and releases of oxarray for a given seed;
//! they are not NumPy's streams (NumPy uses PCG64 with its own seeding).

/// xoshiro256++: fast, 256-bit state, passes BigCrush; not cryptographic.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose stream is fully determined by `seed`.
    pub fn seed_from_u64(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng { s: [next(), next(), next(), next()] }
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `[0, span)`, without modulo bias (Lemire's method).
    /// `span == 0` means the full 2^64 range.
    #[inline]
    pub fn below(&mut self, span: u64) -> u64 {
        if span == 0 {
            return self.next_u64();
        }
        let threshold = span.wrapping_neg() % span;
        loop {
            let m = (self.next_u64() as u128) * (span as u128);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// Fills `out` with standard normal samples (Marsaglia's polar method).
    pub fn fill_standard_normal(&mut self, out: &mut [f64]) {
        let mut i = 0;
        while i < out.len() {
            let (u, v, s) = loop {
                let u = 2.0 * self.next_f64() - 1.0;
                let v = 2.0 * self.next_f64() - 1.0;
                let s = u * u + v * v;
                if s > 0.0 && s < 1.0 {
                    break (u, v, s);
                }
            };
            let f = (-2.0 * s.ln() / s).sqrt();
            out[i] = u * f;
            if i + 1 < out.len() {
                out[i + 1] = v * f;
            }
            i += 2;
        }
    }

    /// Shuffles `v` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_in_range() {
        let mut a = Rng::seed_from_u64(7);
        let mut b = Rng::seed_from_u64(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut counts = [0usize; 6];
        for _ in 0..60_000 {
            counts[a.below(6) as usize] += 1;
        }
        // Each bucket expects 10_000; 6 sigma is about 550.
        assert!(counts.iter().all(|&c| (9_450..10_550).contains(&c)), "{counts:?}");
        let x: Vec<f64> = (0..10_000).map(|_| a.next_f64()).collect();
        assert!(x.iter().all(|&v| (0.0..1.0).contains(&v)));
    }

    #[test]
    fn normal_moments() {
        let mut r = Rng::seed_from_u64(1);
        let mut v = vec![0.0; 100_001];
        r.fill_standard_normal(&mut v);
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        assert!(mean.abs() < 0.02, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut r = Rng::seed_from_u64(3);
        let mut v: Vec<u32> = (0..1000).collect();
        r.shuffle(&mut v);
        assert_ne!(v, (0..1000).collect::<Vec<_>>());
        v.sort();
        assert_eq!(v, (0..1000).collect::<Vec<_>>());
    }
}
