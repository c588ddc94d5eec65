//! The cooperation part of the run document: request totals by channel and
//! by kind, the waits largest first, and the ledger's totals.

use super::network::{network, network_over_time};
use super::{AskTotals, ChannelTotals, CooperationReport, WaitTotal};
use crate::round::r6;
use crate::sim::components::*;
use crate::sim::ledger::Ledger;
use crate::sim::setup::Names;
use crate::sim::view::View;

/// The cooperation ledger's totals, from the requests and the ledger.
pub(super) fn cooperation_report(view: &View, names: &Names, ledger: &Ledger, days: u32) -> CooperationReport {
    let requests = view.requests();
    let n = names.agencies.len();
    let channels = Channel::ALL
        .iter()
        .map(|&c| {
            let list: Vec<&Request> = requests.list.iter().filter(|r| r.channel == c).collect();
            let answered: Vec<f64> = list
                .iter()
                .filter_map(|r| r.answered.map(|d| f64::from(d - r.made)))
                .collect();
            let fulfilled: Vec<f64> = list
                .iter()
                .filter_map(|r| r.fulfilled.map(|d| f64::from(d - r.made)))
                .collect();
            let mean = |v: &[f64]| (!v.is_empty()).then(|| r6(v.iter().sum::<f64>() / v.len() as f64));
            ChannelTotals {
                channel: c.name().to_string(),
                made: list.len() as u32,
                accepted: list.iter().filter(|r| r.accepted == Some(true)).count() as u32,
                refused: list.iter().filter(|r| r.accepted == Some(false)).count() as u32,
                unanswered: list.iter().filter(|r| r.accepted.is_none()).count() as u32,
                fulfilled: fulfilled.len() as u32,
                mean_days_to_answer: mean(&answered),
                mean_days_to_fulfil: mean(&fulfilled),
            }
        })
        .collect();
    let requests_by_kind = Ask::ALL
        .iter()
        .filter_map(|&ask| {
            let list: Vec<&Request> = requests.list.iter().filter(|r| r.ask == ask).collect();
            (!list.is_empty()).then(|| AskTotals {
                ask: ask.name().to_string(),
                made: list.len() as u32,
                accepted: list.iter().filter(|r| r.accepted == Some(true)).count() as u32,
                fulfilled: list.iter().filter(|r| r.fulfilled.is_some()).count() as u32,
            })
        })
        .collect();
    let mut waiting: Vec<WaitTotal> = ledger
        .waits
        .iter()
        .map(|(w, &days)| WaitTotal {
            agency: names.agencies[w.from.idx()].clone(),
            on: names.agencies[w.to.idx()].clone(),
            ask: w.ask.name().to_string(),
            channel: w.channel.name().to_string(),
            asset: w.asset.map(|x| names.assets[x.idx()].clone()),
            days,
            unit: if w.asset.is_some() { "asset-days" } else { "crew-days" }.to_string(),
        })
        .collect();
    // Largest first; ties in ledger order (the sort is stable).
    waiting.sort_by(|a, b| b.days.total_cmp(&a.days));
    let liaisons = view.liaisons();
    let mut edge = vec![vec![false; n]; n];
    for r in &requests.list {
        edge[r.from.idx()][r.to.idx()] = true;
    }
    for (g, row) in ledger.shares.iter().enumerate() {
        for (r, &k) in row.iter().enumerate() {
            if k > 0 {
                edge[g][r] = true;
            }
        }
    }
    CooperationReport {
        coordination_efficiency: None,
        coordination_efficiency_undefined: None,
        efficiency_by_component: Vec::new(),
        requests: channels,
        requests_by_kind,
        waiting,
        crew_injuries: ledger.injuries.iter().sum(),
        injured_crew_days: ledger.injured_days.iter().sum(),
        wasted_crew_days: ledger.wasted.iter().sum(),
        duplicated_crew_days: ledger.duplicated.iter().sum(),
        staff_crew_days: r6(ledger.staff_days.iter().sum()),
        liaison_officers: liaisons.posted.len() as u32,
        officer_crew_days: r6(ledger.officer_days.iter().sum()),
        fuel_delivered_litres: r6(ledger.fuel_delivered),
        picture_shares: ledger.shares.iter().flatten().sum(),
        network: network(&edge),
        network_over_time: network_over_time(requests, ledger, n, days),
        attribution: Vec::new(),
    }
}
