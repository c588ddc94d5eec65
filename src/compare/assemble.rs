//! From raw rows to the comparison people read: per sweep point, the
//! strategies' estimates, paired and pairwise differences, the metrics that
//! never vary, the ranking, the attribution and the recovery curves.

use super::*;

/// Coordination efficiency of each row: against the silo and central rows
/// of the same point and run, when both are compared (the strategies
/// compared are their own references, `--strategy-for` included; see
/// `score::references`).
fn efficiencies(rows: &[Row]) -> Vec<Option<f64>> {
    // Resilience loss by (point, run, strategy), looked up once per row.
    let losses: std::collections::BTreeMap<(u32, u32, &str), Option<f64>> = rows
        .iter()
        .map(|r| ((r.point, r.run, r.strategy.as_str()), r.metrics[0]))
        .collect();
    let loss = |point: u32, run: u32, strategy: &str| losses.get(&(point, run, strategy)).copied().flatten();
    rows.iter()
        .map(|r| {
            let [silo, central] = references::REFERENCES;
            let (silo, central) = (loss(r.point, r.run, silo)?, loss(r.point, r.run, central)?);
            crate::score::efficiency(r.metrics[0]?, silo, central).map(crate::round::r6)
        })
        .collect()
}

/// Turns the raw results into the tables, intervals and ranking.
pub fn assemble(part: &Part) -> Comparison {
    let c = &part.config;
    let mut names = metric_names(c);
    names.push("coordination_efficiency".into());
    let eff = efficiencies(&part.rows);
    let rows: Vec<(Row, Option<f64>)> = part.rows.iter().cloned().zip(eff).collect();
    let points = c.point_hashes.len().max(1) as u32;
    let summaries = (0..points)
        .map(|point| {
            PointRows {
                config: c,
                part,
                rows: &rows,
                point,
            }
            .summary(&names)
        })
        .collect();
    let sweep = sweep(c, &names, &rows);
    Comparison {
        schema_version: SCHEMA_VERSION,
        config: c.clone(),
        metrics: names,
        points: summaries,
        sweep,
        rows,
    }
}

/// The metrics a sweep is read on, by index in `names`: the resilience
/// loss, the share of the displaced home at the last day reported, and the
/// coordination efficiency where it is defined.
fn sweep_metrics(names: &[String], rows: &[(Row, Option<f64>)]) -> Vec<usize> {
    let mut ms = vec![0];
    ms.extend(names.iter().rposition(|n| n.starts_with("returned_share_day_")));
    if rows.iter().any(|(_, e)| e.is_some()) {
        ms.push(names.len() - 1);
    }
    ms
}

/// The sweep across its values: per key metric and strategy, the estimate
/// at each value and the paired change from the first value.
fn sweep(c: &Config, names: &[String], rows: &[(Row, Option<f64>)]) -> Option<Sweep> {
    let (path, values) = c.set.as_ref()?;
    let metrics = sweep_metrics(names, rows)
        .into_iter()
        .map(|m| SweepMetric {
            metric: names[m].clone(),
            strategies: c
                .strategies
                .iter()
                .map(|s| {
                    let first = column(rows, 0, s, m);
                    let points = values
                        .iter()
                        .enumerate()
                        .map(|(point, value)| {
                            let xs = column(rows, point as u32, s, m);
                            SweepPoint {
                                value: value.clone(),
                                estimate: stats::estimate(xs.iter().copied()),
                                change: (point > 0).then(|| {
                                    let mut d = paired_estimate(&names[m], &xs, &first);
                                    // A share of an efficiency near 0 means nothing: the
                                    // change is read as a difference of efficiencies.
                                    if m == names.len() - 1 {
                                        d.share_of_baseline = None;
                                    }
                                    d
                                }),
                            }
                        })
                        .collect();
                    SweepLine {
                        strategy: s.clone(),
                        points,
                    }
                })
                .collect(),
        })
        .collect();
    Some(Sweep {
        path: path.clone(),
        values: values.clone(),
        numeric: values.iter().all(|v| v.trim().parse::<f64>().is_ok_and(f64::is_finite)),
        metrics,
    })
}

/// Values of metric `m` for each run of a strategy at a sweep point, in run
/// order (the last metric is the coordination efficiency, kept beside the
/// row).
fn column(rows: &[(Row, Option<f64>)], point: u32, strategy: &str, m: usize) -> Vec<Option<f64>> {
    rows.iter()
        .filter(|(r, _)| r.point == point && r.strategy == strategy)
        .map(|(r, e)| if m < r.metrics.len() { r.metrics[m] } else { *e })
        .collect()
}

/// `xs − ys` run by run, with its share of the mean of `ys`.
fn paired_estimate(name: &str, xs: &[Option<f64>], ys: &[Option<f64>]) -> PairedEstimate {
    let estimate = stats::paired(xs, ys);
    let base = stats::estimate(ys.iter().copied()).map(|e| e.mean);
    PairedEstimate {
        metric: name.to_string(),
        estimate,
        share_of_baseline: match (estimate, base) {
            (Some(d), Some(base)) if base != 0.0 && base.is_finite() => Some(d.mean / base),
            _ => None,
        },
        identical: estimate.is_some() && xs.iter().zip(ys).all(|(x, y)| x.is_none() || y.is_none() || x == y),
    }
}

/// The rows of one sweep point, and what is computed from them.
struct PointRows<'a> {
    config: &'a Config,
    part: &'a Part,
    rows: &'a [(Row, Option<f64>)],
    point: u32,
}

impl PointRows<'_> {
    fn summary(&self, names: &[String]) -> PointSummary {
        let c = self.config;
        let strategies: Vec<StrategySummary> = c
            .strategies
            .iter()
            .map(|s| StrategySummary {
                strategy: s.clone(),
                metrics: names
                    .iter()
                    .enumerate()
                    .map(|(m, name)| MetricEstimate {
                        metric: name.clone(),
                        estimate: stats::estimate(self.column(s, m)),
                    })
                    .collect(),
            })
            .collect();
        let differences = c
            .strategies
            .iter()
            .filter(|s| **s != c.baseline)
            .map(|s| Difference {
                strategy: s.clone(),
                baseline: c.baseline.clone(),
                metrics: names
                    .iter()
                    .enumerate()
                    .map(|(m, name)| self.paired(name, s, &c.baseline, m))
                    .collect(),
            })
            .collect();
        let ranking = self.ranking(&strategies);
        // In ranking order: each strategy against every one ranked below it.
        let ranked: Vec<&String> = ranking.iter().map(|r| &r.strategy).collect();
        let pairwise = ranked
            .iter()
            .enumerate()
            .flat_map(|(i, a)| ranked[i + 1..].iter().map(move |b| (*a, *b)))
            .map(|(a, b)| Pairwise {
                a: a.clone(),
                b: b.clone(),
                difference: self.paired(&names[0], a, b, 0),
            })
            .collect();
        PointSummary {
            value: c.set.as_ref().map(|(_, values)| values[self.point as usize].clone()),
            content_hash: c.point_hashes.get(self.point as usize).cloned().unwrap_or_default(),
            ranking,
            constant: self.constants(names),
            strategies,
            differences,
            pairwise,
            attribution: self.attribution(),
            curves: self.curves(),
            losses: c
                .strategies
                .iter()
                .map(|s| (s.clone(), self.of(s).iter().filter_map(|(r, _)| r.metrics[0]).collect()))
                .collect(),
        }
    }

    /// The runs of one strategy, in run order.
    fn of(&self, strategy: &str) -> Vec<(&Row, Option<f64>)> {
        self.rows
            .iter()
            .filter(|(r, _)| r.point == self.point && r.strategy == strategy)
            .map(|(r, e)| (r, *e))
            .collect()
    }

    /// Values of metric `m` for each run of a strategy, in run order.
    fn column(&self, strategy: &str, m: usize) -> Vec<Option<f64>> {
        column(self.rows, self.point, strategy, m)
    }

    /// Metric `m` of `a` minus that of `b`, run by run.
    fn paired(&self, name: &str, a: &str, b: &str, m: usize) -> PairedEstimate {
        paired_estimate(name, &self.column(a, m), &self.column(b, m))
    }

    /// The metrics that took one value in every run of every strategy.
    fn constants(&self, names: &[String]) -> Vec<Constant> {
        names
            .iter()
            .enumerate()
            .filter_map(|(m, name)| {
                let mut values = self.config.strategies.iter().flat_map(|s| self.column(s, m));
                let first = values.next()??;
                values.all(|v| v == Some(first)).then(|| Constant {
                    metric: name.clone(),
                    value: first,
                })
            })
            .collect()
    }

    fn ranking(&self, strategies: &[StrategySummary]) -> Vec<Rank> {
        let mut order: Vec<(String, f64)> = strategies
            .iter()
            .map(|s| (s.strategy.clone(), s.metrics[0].estimate.map_or(f64::NAN, |e| e.mean)))
            .collect();
        order.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        order
            .iter()
            .enumerate()
            .map(|(i, (s, mean))| Rank {
                rank: i as u32 + 1,
                strategy: s.clone(),
                mean_resilience_loss: *mean,
                tied_with_next: order.get(i + 1).and_then(|(next, _)| {
                    let d = stats::paired(&self.column(s, 0), &self.column(next, 0));
                    (!d.is_some_and(|d| d.excludes_zero())).then(|| next.clone())
                }),
            })
            .collect()
    }

    fn attribution(&self) -> Vec<Contribution> {
        let (c, point) = (self.config, self.point);
        let reverted = &self.part.reverted;
        c.strategies
            .iter()
            .filter(|s| c.attribution && **s != references::REVERTED)
            .flat_map(|s| {
                let own = self.of(s);
                let mut agencies: Vec<&str> = reverted
                    .iter()
                    .filter(|r| r.point == point && r.strategy == *s)
                    .map(|r| r.agency.as_str())
                    .collect();
                // First-seen order is the scenario's agency order.
                let mut seen = std::collections::BTreeSet::new();
                agencies.retain(|a| seen.insert(*a));
                agencies
                    .into_iter()
                    .map(|a| Contribution {
                        strategy: s.clone(),
                        agency: a.to_string(),
                        estimate: stats::estimate(own.iter().map(|(r, _)| {
                            let rev = reverted
                                .iter()
                                .find(|x| x.point == point && x.run == r.run && x.strategy == *s && x.agency == a)?;
                            Some(rev.resilience_loss - r.metrics[0]?)
                        })),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Per strategy, the mean city service index of each day with its band.
    fn curves(&self) -> Vec<(String, Vec<Estimate>)> {
        self.config
            .strategies
            .iter()
            .map(|s| {
                let runs = self.of(s);
                let days = runs.iter().map(|(r, _)| r.curve.len()).min().unwrap_or(0);
                let band = (0..days)
                    .map(|d| {
                        stats::estimate(runs.iter().map(|(r, _)| Some(r.curve[d]))).unwrap_or(Estimate {
                            n: 0,
                            mean: f64::NAN,
                            half_width: None,
                        })
                    })
                    .collect();
                (s.clone(), band)
            })
            .collect()
    }
}
