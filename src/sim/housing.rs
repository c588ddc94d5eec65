//! A district's dwellings, its rubble and the explosives buried in it, and
//! the work that changes them (issue 15, docs/model.md §7.16).

use bevy_ecs::prelude::*;

/// A district's dwellings, its rubble and the explosives buried in it
/// (docs/model.md §7.16). Dwelling `i` (0-based, worst first) is habitable
/// when `i >= uninhabitable`: heavily damaged dwellings sit above destroyed
/// ones and are rebuilt first, so rebuilding lowers the line without visiting
/// households.
#[derive(Component, Debug, Clone, Copy)]
pub struct Housing {
    /// Dwellings, habitable or not.
    pub dwellings: f64,
    /// Heavily damaged and destroyed dwellings not yet rebuilt.
    pub uninhabitable: f64,
    /// Of those, the heavily damaged ones.
    pub heavy: f64,
    /// Tonnes of rubble left.
    pub debris: f64,
    /// Uninhabitable dwellings whose rubble is gone, ready to rebuild.
    pub ready: f64,
    /// Contamination still buried in the rubble.
    pub buried: f64,
    /// Contamination brought up by removing rubble, not yet cleared: it
    /// stops rubble removal and rebuilding (not the district's other work:
    /// it lies in the ruins), until a clearing agency clears it.
    pub uncovered: f64,
    /// Families at home in a rented or shared dwelling (not their own).
    pub rented: f64,
    /// Rubble per heavily damaged and per destroyed dwelling, and crew work
    /// to rebuild each (in dwellings), from the scenario.
    pub per_dwelling: DwellingWork,
}

/// What one uninhabitable dwelling takes (`Housing::per_dwelling`).
#[derive(Debug, Clone, Copy, Default)]
pub struct DwellingWork {
    pub debris_heavy: f64,
    pub debris_destroyed: f64,
    pub rebuild_heavy: f64,
    pub rebuild_destroyed: f64,
}

impl Housing {
    /// Share of the dwellings that cannot be lived in: what households
    /// perceive.
    pub fn damage(&self) -> f64 {
        if self.dwellings > 0.0 {
            self.uninhabitable / self.dwellings
        } else {
            0.0
        }
    }

    /// Whether dwelling `home` can be lived in today.
    pub fn habitable(&self, home: u32) -> bool {
        f64::from(home) >= self.uninhabitable
    }

    /// Habitable dwellings.
    pub fn habitable_dwellings(&self) -> f64 {
        self.dwellings - self.uninhabitable
    }

    /// Removes up to `tonnes` of rubble: the plots it uncovers become ready
    /// to rebuild (heavily damaged ones first, as they are rebuilt), and the
    /// explosives buried in it come up in proportion (`uncovered`, at most 1).
    /// Returns the tonnes removed and the contamination uncovered.
    pub fn remove_debris(&mut self, tonnes: f64) -> (f64, f64) {
        let removed = tonnes.min(self.debris).max(0.0);
        if removed <= 0.0 {
            return (0.0, 0.0);
        }
        // `removed > 0` implies rubble is left.
        let uncovered = self.buried * removed / self.debris;
        let plots = self.plots_under(removed);
        self.debris -= removed;
        self.buried -= uncovered;
        self.uncovered = (self.uncovered + uncovered).min(1.0);
        self.ready = (self.ready + plots).min(self.uninhabitable);
        if self.debris <= 1e-9 {
            self.debris = 0.0;
            self.ready = self.uninhabitable;
        }
        (removed, uncovered)
    }

    /// Heavily damaged dwellings still under rubble.
    fn heavy_waiting(&self) -> f64 {
        (self.heavy - self.ready).max(0.0)
    }

    /// Plots uncovered by removing `removed` tonnes: the heavily damaged
    /// plots under rubble first, then the destroyed ones.
    fn plots_under(&self, removed: f64) -> f64 {
        let w = self.per_dwelling;
        let heavy_rubble = self.heavy_waiting() * w.debris_heavy;
        if removed <= heavy_rubble {
            return if w.debris_heavy > 0.0 {
                removed / w.debris_heavy
            } else {
                self.heavy_waiting()
            };
        }
        let rest = removed - heavy_rubble;
        let destroyed = if w.debris_destroyed > 0.0 {
            rest / w.debris_destroyed
        } else {
            0.0
        };
        self.heavy_waiting() + destroyed
    }

    /// Rebuilds with `rate` dwellings of crew work: the ready plots, heavily
    /// damaged ones first. Returns whether no ready plot is left.
    pub fn rebuild(&mut self, rate: f64) -> bool {
        let mut work = rate;
        while work > 1e-12 && self.ready > 1e-12 {
            let (effort, cap) = if self.heavy > 1e-12 {
                (
                    self.per_dwelling.rebuild_heavy.max(f64::MIN_POSITIVE),
                    self.heavy.min(self.ready),
                )
            } else {
                (self.per_dwelling.rebuild_destroyed.max(f64::MIN_POSITIVE), self.ready)
            };
            let built = (work / effort).min(cap);
            work -= built * effort;
            self.ready -= built;
            self.uninhabitable = (self.uninhabitable - built).max(0.0);
            if self.heavy > 1e-12 {
                self.heavy = (self.heavy - built).max(0.0);
            }
        }
        self.ready <= 1e-12
    }
}
