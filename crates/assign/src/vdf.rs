//! Link cost functions: BPR travel time plus the generalised-cost constant, and the
//! "effective" cost each objective equilibrates (the travel cost for user equilibrium, the
//! marginal cost c(x) + x·c'(x) for system optimum), with their derivatives.

use crate::network::{CostWeights, Delay, Network, QUEUE_RHO_MAX};

/// Which equilibrium to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Wardrop's first principle: every used path of an OD pair has the least cost.
    UserEquilibrium,
    /// Least total cost Σ x·c(x): user equilibrium under marginal-cost link functions.
    SystemOptimum,
}

/// BPR parameters of every link as flat arrays (structure of arrays, for speed).
#[derive(Debug, Clone)]
pub struct CostModel {
    t0: Vec<f64>,
    /// b · t0 / capacity^power, so t(x) = t0 + k·x^p.
    k: Vec<f64>,
    power: Vec<f64>,
    /// powi exponent where the power is a small integer, else -1.
    ipow: Vec<i32>,
    constant: Vec<f64>,
    /// Capacity of each [`Delay::Queue`] link (0 for BPR links: `k` is then its BPR factor).
    queue_cap: Vec<f64>,
    /// Fixed flow of the links sharing each queue link's capacity.
    preload: Vec<f64>,
    objective: Objective,
}

/// The queue delay shape f(ρ) = ρ / (1 − ρ), its derivative, second derivative and integral
/// from 0, continued past [`QUEUE_RHO_MAX`] as its second-order Taylor polynomial there: the
/// cost, its slope and its curvature stay continuous, so the marginal cost of a system optimum
/// has a continuous derivative (Newton steps of gradient projection do not overshoot).
#[inline]
fn queue_shape(rho: f64) -> (f64, f64, f64, f64) {
    let rho = rho.max(0.0);
    if rho <= QUEUE_RHO_MAX {
        let q = 1.0 - rho;
        (rho / q, 1.0 / (q * q), 2.0 / (q * q * q), -rho - q.ln())
    } else {
        let (f0, d0, s0, i0) = queue_shape(QUEUE_RHO_MAX);
        let e = rho - QUEUE_RHO_MAX;
        (
            f0 + d0 * e + 0.5 * s0 * e * e,
            d0 + s0 * e,
            s0,
            i0 + f0 * e + 0.5 * d0 * e * e + s0 * e * e * e / 6.0,
        )
    }
}

impl CostModel {
    /// The cost functions of `net` for `objective` with generalised-cost `weights`.
    pub fn new(net: &Network, weights: CostWeights, objective: Objective) -> CostModel {
        let links = net.links();
        let mut m = CostModel {
            t0: Vec::with_capacity(links.len()),
            k: Vec::with_capacity(links.len()),
            power: Vec::with_capacity(links.len()),
            ipow: Vec::with_capacity(links.len()),
            constant: Vec::with_capacity(links.len()),
            queue_cap: Vec::with_capacity(links.len()),
            preload: Vec::with_capacity(links.len()),
            objective,
        };
        for l in links {
            if l.delay == Delay::Queue {
                let queued = l.b > 0.0 && l.capacity > 0.0;
                m.t0.push(l.free_flow_time);
                m.k.push(if queued { l.b } else { 0.0 });
                m.power.push(1.0);
                m.ipow.push(1);
                m.constant
                    .push(weights.toll * l.toll + weights.distance * l.length);
                m.queue_cap.push(if queued { l.capacity } else { 0.0 });
                m.preload.push(l.preload);
                continue;
            }
            m.queue_cap.push(0.0);
            m.preload.push(0.0);
            let k = if l.b > 0.0 && l.free_flow_time > 0.0 {
                l.b * l.free_flow_time / l.capacity.powf(l.power)
            } else {
                0.0
            };
            m.t0.push(l.free_flow_time);
            m.k.push(k);
            m.power.push(l.power);
            let ip = if l.power.fract() == 0.0 && l.power <= 16.0 {
                l.power as i32
            } else {
                -1
            };
            m.ipow.push(ip);
            m.constant
                .push(weights.toll * l.toll + weights.distance * l.length);
        }
        m
    }

    /// The objective these costs serve.
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// Number of links.
    pub fn len(&self) -> usize {
        self.t0.len()
    }

    /// Whether there are no links.
    pub fn is_empty(&self) -> bool {
        self.t0.is_empty()
    }

    #[inline]
    fn pow(&self, a: usize, x: f64, e: i32, ef: f64) -> f64 {
        if self.ipow[a] >= 0 {
            x.powi(e)
        } else {
            x.powf(ef)
        }
    }

    /// x^(p-1) and x^(p-2), guarded at x = 0 for powers below 2.
    #[inline]
    fn terms(&self, a: usize, x: f64) -> (f64, f64, f64) {
        let p = self.power[a];
        let x = x.max(0.0);
        // below power 2 the derivatives at 0 are infinite or undefined: evaluate a hair above 0
        let xs = if p < 2.0 && x < 1e-9 { 1e-9 } else { x };
        let ip = self.ipow[a];
        let xp = self.pow(a, x, ip, p);
        let xp1 = self.pow(a, xs, ip - 1, p - 1.0);
        let xp2 = self.pow(a, xs, ip - 2, p - 2.0);
        (xp, xp1, xp2)
    }

    /// A queue link at flow `x`: (travel cost, effective cost, its derivative, objective term).
    #[inline]
    fn queue(&self, a: usize, x: f64) -> (f64, f64, f64, f64) {
        let (b, cap, pre) = (self.k[a], self.queue_cap[a], self.preload[a]);
        let base = self.t0[a] + self.constant[a];
        let x = x.max(0.0);
        let (f, d1, d2, int) = queue_shape((x + pre) / cap);
        let c = base + b * f;
        // c'(x) = b f'(ρ) / C, c''(x) = b f''(ρ) / C²
        let dc = b * d1 / cap;
        // the Beckmann term from the preload on: ∫ over [pre, pre + x]
        let int0 = if pre > 0.0 {
            queue_shape(pre / cap).3
        } else {
            0.0
        };
        match self.objective {
            Objective::UserEquilibrium => (c, c, dc, base * x + b * cap * (int - int0)),
            Objective::SystemOptimum => {
                let ddc = b * d2 / (cap * cap);
                (c, c + x * dc, 2.0 * dc + x * ddc, x * c)
            }
        }
    }

    /// Travel cost of link `a` at flow `x`: t0·(1 + b·(x/C)^p) + generalised constant.
    #[inline]
    pub fn cost(&self, a: usize, x: f64) -> f64 {
        if self.k[a] == 0.0 {
            return self.t0[a] + self.constant[a];
        }
        if self.queue_cap[a] > 0.0 {
            return self.queue(a, x).0;
        }
        let (xp, _, _) = self.terms(a, x);
        self.t0[a] + self.k[a] * xp + self.constant[a]
    }

    /// The cost the objective equilibrates: travel cost (UE) or marginal cost (SO).
    #[inline]
    pub fn effective(&self, a: usize, x: f64) -> f64 {
        let k = self.k[a];
        if k == 0.0 {
            return self.t0[a] + self.constant[a];
        }
        if self.queue_cap[a] > 0.0 {
            return self.queue(a, x).1;
        }
        let (xp, _, _) = self.terms(a, x);
        let c = self.t0[a] + k * xp + self.constant[a];
        match self.objective {
            Objective::UserEquilibrium => c,
            // x·c'(x) = p·k·x^p
            Objective::SystemOptimum => c + self.power[a] * k * xp,
        }
    }

    /// Derivative of [`Self::effective`] with respect to the flow.
    #[inline]
    pub fn effective_derivative(&self, a: usize, x: f64) -> f64 {
        let k = self.k[a];
        if k == 0.0 {
            return 0.0;
        }
        if self.queue_cap[a] > 0.0 {
            return self.queue(a, x).2;
        }
        let p = self.power[a];
        let (_, xp1, _) = self.terms(a, x);
        let d1 = p * k * xp1;
        match self.objective {
            Objective::UserEquilibrium => d1,
            // d/dx (c + x c') = 2c' + x c'' = p k x^(p-1) (2 + (p - 1)) = p (p + 1) k x^(p-1)
            Objective::SystemOptimum => (p + 1.0) * d1,
        }
    }

    /// [`Self::effective`] and [`Self::effective_derivative`] together, with one power
    /// evaluation where the flow is positive (x^(p−1) = x^p / x).
    #[inline]
    pub(crate) fn effective_with_derivative(&self, a: usize, x: f64) -> (f64, f64) {
        let k = self.k[a];
        let base = self.t0[a] + self.constant[a];
        if k == 0.0 {
            return (base, 0.0);
        }
        if self.queue_cap[a] > 0.0 {
            let (_, e, d, _) = self.queue(a, x);
            return (e, d);
        }
        if x <= 1e-9 {
            return (self.effective(a, x), self.effective_derivative(a, x));
        }
        let p = self.power[a];
        let ip = self.ipow[a];
        let xp = self.pow(a, x, ip, p);
        let d1 = p * k * xp / x;
        match self.objective {
            Objective::UserEquilibrium => (base + k * xp, d1),
            Objective::SystemOptimum => (base + k * xp + p * k * xp, (p + 1.0) * d1),
        }
    }

    /// Integral of the effective cost from 0 to `x` (the Beckmann term for UE; x·c(x) for SO).
    #[inline]
    pub fn objective_term(&self, a: usize, x: f64) -> f64 {
        let k = self.k[a];
        let base = self.t0[a] + self.constant[a];
        if k == 0.0 {
            return base * x;
        }
        if self.queue_cap[a] > 0.0 {
            return self.queue(a, x).3;
        }
        let (xp, _, _) = self.terms(a, x);
        match self.objective {
            Objective::UserEquilibrium => base * x + k * xp * x / (self.power[a] + 1.0),
            Objective::SystemOptimum => x * (base + k * xp),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CostModel, Objective};
    use crate::network::{CostWeights, Link, Network};

    /// The one-power evaluation agrees with the cost and derivative computed apart, for
    /// integer and non-integer powers (Barcelona's go up to 16.83), both objectives, at zero and
    /// positive flows.
    #[test]
    fn effective_with_derivative_matches_the_separate_functions() {
        let links: Vec<Link> = [1.0, 2.0, 4.0, 4.446, 16.83, 0.5]
            .iter()
            .map(|&power| Link {
                from: 0,
                to: 1,
                capacity: 1500.0,
                free_flow_time: 2.5,
                b: 0.15,
                power,
                length: 3.0,
                toll: 1.0,
                delay: Default::default(),
                preload: 0.0,
            })
            .collect();
        let net = Network::new(2, 2, 0, links).unwrap();
        let weights = CostWeights {
            toll: 0.02,
            distance: 0.04,
        };
        for objective in [Objective::UserEquilibrium, Objective::SystemOptimum] {
            let m = CostModel::new(&net, weights, objective);
            for a in 0..m.len() {
                for x in [0.0, 1e-12, 0.5, 700.0, 1500.0, 4000.0] {
                    let (c, dc) = m.effective_with_derivative(a, x);
                    let (c0, dc0) = (m.effective(a, x), m.effective_derivative(a, x));
                    assert!(
                        (c - c0).abs() <= 1e-12 * c0.abs().max(1.0),
                        "{a} {x}: {c} {c0}"
                    );
                    assert!(
                        (dc - dc0).abs() <= 1e-12 * dc0.abs().max(1e-300),
                        "{a} {x}: {dc} {dc0}"
                    );
                }
            }
        }
    }

    /// The queue delay: its derivative and objective term agree with finite differences of
    /// the cost, below and above the tangent point, for both objectives.
    #[test]
    fn queue_derivatives_match_finite_differences() {
        use crate::network::Delay;
        for preload in [0.0, 50.0] {
            let link = Link {
                from: 0,
                to: 1,
                capacity: 200.0,
                free_flow_time: 3.0,
                b: 2.5,
                power: 0.0,
                length: 0.0,
                toll: 4.0,
                delay: Delay::Queue,
                preload,
            };
            let net = Network::new(2, 2, 0, vec![link]).unwrap();
            let w = CostWeights {
                toll: 1.0,
                distance: 0.0,
            };
            for objective in [Objective::UserEquilibrium, Objective::SystemOptimum] {
                let m = CostModel::new(&net, w, objective);
                for x in [10.0, 100.0, 180.0, 189.0, 191.0, 260.0, 400.0] {
                    let h = 1e-4;
                    let (e, d) = m.effective_with_derivative(0, x);
                    let num_d = (m.effective(0, x + h) - m.effective(0, x - h)) / (2.0 * h);
                    assert!(
                        (d - num_d).abs() <= 1e-4 * num_d.abs().max(1.0),
                        "{x}: {d} {num_d}"
                    );
                    let num_e =
                        (m.objective_term(0, x + h) - m.objective_term(0, x - h)) / (2.0 * h);
                    let want = match objective {
                        Objective::UserEquilibrium => e,
                        // d/dx x·c(x) = c + x c' = the marginal (effective) cost
                        Objective::SystemOptimum => m.effective(0, x),
                    };
                    assert!(
                        (num_e - want).abs() <= 1e-5 * want.abs(),
                        "{x}: {num_e} {want}"
                    );
                }
                if preload == 0.0 {
                    assert_eq!(m.cost(0, 0.0), 7.0);
                } else {
                    // the delay at 0 own flow is that of the preload: 7 + 2.5 · 0.25/0.75
                    assert!((m.cost(0, 0.0) - (7.0 + 2.5 / 3.0)).abs() < 1e-12);
                }
            }
        }
    }
}
