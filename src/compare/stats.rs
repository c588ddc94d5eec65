//! The statistics of a comparison: means with Student-t confidence
//! intervals, paired differences, and Welch's unpaired interval for contrast.
//!
//! Intervals are two-sided at 95 %. With `n` values the half-width is
//! `t(0.975, n − 1) · s / √n`, `s` the sample standard deviation (n − 1 in
//! the denominator). A paired difference is the interval of the per-seed
//! differences; Welch's interval treats the two samples as independent, with
//! the Welch–Satterthwaite degrees of freedom. `docs/compare.md` gives the
//! formulas and how to read them.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// A mean and its 95 % interval over the values that are defined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Values the estimate is over.
    pub n: usize,
    pub mean: f64,
    /// Half-width of the interval; `None` with fewer than two values.
    pub half_width: Option<f64>,
}

impl Estimate {
    pub fn lo(&self) -> Option<f64> {
        self.half_width.map(|h| self.mean - h)
    }
    pub fn hi(&self) -> Option<f64> {
        self.half_width.map(|h| self.mean + h)
    }
    /// Whether the interval excludes zero (a difference that is there at
    /// this number of runs).
    pub fn excludes_zero(&self) -> bool {
        match (self.lo(), self.hi()) {
            (Some(lo), Some(hi)) => lo > 0.0 || hi < 0.0,
            _ => false,
        }
    }
}

/// The two-sided 95 % quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(df: f64) -> f64 {
    let t = StudentsT::new(0.0, 1.0, df).expect("degrees of freedom are positive");
    t.inverse_cdf(0.5 + LEVEL / 2.0)
}

/// Sample mean and variance (n − 1 in the denominator), summed in order.
fn moments(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var)
}

/// The mean of the defined values and its interval; `None` when none is
/// defined.
pub fn estimate(values: impl IntoIterator<Item = Option<f64>>) -> Option<Estimate> {
    let xs: Vec<f64> = values.into_iter().flatten().collect();
    if xs.is_empty() {
        return None;
    }
    let (mean, var) = moments(&xs);
    let n = xs.len();
    let half_width = (n > 1).then(|| t_quantile((n - 1) as f64) * (var / n as f64).sqrt());
    Some(Estimate { n, mean, half_width })
}

/// The paired difference `a − b` over the pairs where both are defined.
pub fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Option<Estimate> {
    estimate(a.iter().zip(b).map(|(x, y)| Some((*x)? - (*y)?)))
}

/// Welch's interval for `a − b` as if the samples were independent: what an
/// analyst without common random numbers would get.
pub fn unpaired(a: &[Option<f64>], b: &[Option<f64>]) -> Option<Estimate> {
    let xs: Vec<f64> = a.iter().flatten().copied().collect();
    let ys: Vec<f64> = b.iter().flatten().copied().collect();
    if xs.is_empty() || ys.is_empty() {
        return None;
    }
    let ((ma, va), (mb, vb)) = (moments(&xs), moments(&ys));
    let (na, nb) = (xs.len() as f64, ys.len() as f64);
    let (sa, sb) = (va / na, vb / nb);
    let se2 = sa + sb;
    let half_width = (xs.len() > 1 && ys.len() > 1).then(|| {
        if se2 == 0.0 {
            return 0.0;
        }
        let df = se2 * se2 / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
        t_quantile(df) * se2.sqrt()
    });
    Some(Estimate {
        n: xs.len().min(ys.len()),
        mean: ma - mb,
        half_width,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        // Student's t, two-sided 95 %: df 1, 4, 9, 30 (printed tables).
        for (df, t) in [
            (1.0, 12.706_204_736),
            (4.0, 2.776_445_105),
            (9.0, 2.262_157_163),
            (30.0, 2.042_272_456),
        ] {
            assert!((t_quantile(df) - t).abs() < 1e-6, "df {df}: {}", t_quantile(df));
        }
    }

    #[test]
    fn a_mean_and_its_interval_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7,
        // half-width t(0.975, 7) · √(32/7 / 8) = 2.364624252 · 0.755928946.
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].map(Some);
        let e = estimate(xs).unwrap();
        assert_eq!(e.n, 8);
        assert!(close(e.mean, 5.0));
        let by_hand = 2.364_624_252 * (32.0f64 / 7.0 / 8.0).sqrt();
        assert!((e.half_width.unwrap() - by_hand).abs() < 1e-6, "{e:?} vs {by_hand}");
        // Undefined values are left out; one value has no interval.
        let e = estimate([Some(3.0), None]).unwrap();
        assert_eq!((e.n, e.mean, e.half_width), (1, 3.0, None));
        assert_eq!(estimate([None, None]), None);
    }

    #[test]
    fn pairing_removes_the_variation_shared_by_a_seed() {
        // Each seed shifts both strategies alike; the strategy adds 1.
        let seed_effect = [10.0, 30.0, 20.0, 50.0, 40.0];
        let a: Vec<Option<f64>> = seed_effect
            .iter()
            .enumerate()
            .map(|(i, s)| Some(s + 1.0 + 0.1 * i as f64))
            .collect();
        let b: Vec<Option<f64>> = seed_effect.iter().map(|s| Some(*s)).collect();
        let p = paired(&a, &b).unwrap();
        let u = unpaired(&a, &b).unwrap();
        assert!(close(p.mean, u.mean));
        assert!(p.half_width.unwrap() < u.half_width.unwrap() / 10.0);
        assert!(p.excludes_zero() && !u.excludes_zero());
    }
}
