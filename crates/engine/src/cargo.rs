//! Cargo: boxes (TEU/FEU) or tonnes, and how prices per unit scale with it.

use corridor_data::CostUnit;

/// Default net payload per loaded TEU (GLEC Framework default, also IMO EEOI MEPC.1/Circ.684).
///
/// # Units
/// tonnes per TEU
pub const PAYLOAD_T_PER_TEU: f64 = 10.0;

/// Net tonnes a truck carries when the cargo is not containerised (estimate: 40 t GVW
/// articulated truck minus ~15 t tare; the EU limit is 40–44 t GVW).
pub const TRUCK_PAYLOAD_T: f64 = 25.0;

/// Net tonnes a rail wagon carries when the cargo is not containerised (estimate: 1520 mm
/// gondola/hopper wagons carry 65–70 t).
pub const WAGON_PAYLOAD_T: f64 = 65.0;

/// Upper bound on a single request (boxes), beyond which the answer would not be meaningful
/// for one itinerary (a full 1,500 TEU block-train programme is a flow study, not a route).
pub const MAX_BOXES: u32 = 1000;

/// Upper bound on tonnage in one request.
pub const MAX_TONNES: f64 = 1_000_000.0;

/// Size of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxSize {
    /// 20 ft.
    Teu,
    /// 40 ft (high cube included).
    Feu,
}

/// What is shipped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cargo {
    /// Containers.
    Boxes {
        /// Number of boxes.
        count: u32,
        /// Size of each.
        size: BoxSize,
        /// Net tonnes per loaded TEU.
        payload_t_per_teu: f64,
    },
    /// Net tonnes.
    Tonnes {
        /// Net tonnes.
        t: f64,
        /// Net tonnes per TEU, to express the tonnage in TEU.
        payload_t_per_teu: f64,
    },
}

impl Default for Cargo {
    fn default() -> Self {
        Cargo::Boxes {
            count: 1,
            size: BoxSize::Feu,
            payload_t_per_teu: PAYLOAD_T_PER_TEU,
        }
    }
}

/// Why a cargo string did not parse.
#[derive(Debug, Clone, PartialEq)]
pub enum CargoError {
    /// Not of the form `2xFEU`, `3xTEU`, `40t`.
    Syntax(String),
    /// Zero or negative.
    NotPositive(String),
    /// Over the limit.
    TooBig(String),
}

impl Cargo {
    /// Parses `2xFEU`, `3xTEU`, `FEU`, `2 x 40ft`, `40t`, `40 t`, `1500kg`.
    pub fn parse(s: &str) -> Result<Cargo, CargoError> {
        let t: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let syntax = || {
            CargoError::Syntax(format!(
                "cargo '{s}' is not understood: write e.g. 2xFEU, 3xTEU or 40t"
            ))
        };
        if let Some(num) = t.strip_suffix("kg") {
            let kg: f64 = num.parse().map_err(|_| syntax())?;
            return Cargo::tonnes(kg / 1000.0, s);
        }
        if let Some(num) = t.strip_suffix('t') {
            if let Ok(v) = num.parse::<f64>() {
                return Cargo::tonnes(v, s);
            }
        }
        let (count, unit) = match t.split_once(['x', '*']) {
            Some((n, u)) => (n.parse::<i64>().map_err(|_| syntax())?, u),
            None => (1, t.as_str()),
        };
        let size = match unit {
            "feu" | "40ft" | "40'" | "40hc" | "40" | "40′" => BoxSize::Feu,
            "teu" | "20ft" | "20'" | "20" | "20′" => BoxSize::Teu,
            _ => return Err(syntax()),
        };
        if count <= 0 {
            return Err(CargoError::NotPositive(format!(
                "cargo '{s}': the number of boxes must be at least 1"
            )));
        }
        if count > MAX_BOXES as i64 {
            return Err(CargoError::TooBig(format!(
                "cargo '{s}': at most {MAX_BOXES} boxes per request (split the flow, or use a matrix)"
            )));
        }
        Ok(Cargo::Boxes {
            count: count as u32,
            size,
            payload_t_per_teu: PAYLOAD_T_PER_TEU,
        })
    }

    /// The same cargo with another net payload per TEU (GLEC: 6 t light, 10 average, 14.5 heavy).
    pub fn with_payload(self, p: f64) -> Result<Cargo, CargoError> {
        if !(p.is_finite() && (0.1..=30.0).contains(&p)) {
            return Err(CargoError::Syntax(format!(
                "payload {p} t per TEU is not in 0.1..30 (GLEC: 6 light, 10 average, 14.5 heavy)"
            )));
        }
        Ok(match self {
            Cargo::Boxes { count, size, .. } => Cargo::Boxes {
                count,
                size,
                payload_t_per_teu: p,
            },
            Cargo::Tonnes { t, .. } => Cargo::Tonnes {
                t,
                payload_t_per_teu: p,
            },
        })
    }

    /// Net tonnes per loaded TEU.
    pub fn payload_t_per_teu(&self) -> f64 {
        match *self {
            Cargo::Boxes {
                payload_t_per_teu, ..
            }
            | Cargo::Tonnes {
                payload_t_per_teu, ..
            } => payload_t_per_teu,
        }
    }

    fn tonnes(v: f64, s: &str) -> Result<Cargo, CargoError> {
        if !v.is_finite() || v <= 0.0 {
            return Err(CargoError::NotPositive(format!(
                "cargo '{s}': tonnage must be > 0"
            )));
        }
        if v > MAX_TONNES {
            return Err(CargoError::TooBig(format!(
                "cargo '{s}': at most {MAX_TONNES} t per request"
            )));
        }
        Ok(Cargo::Tonnes {
            t: v,
            payload_t_per_teu: PAYLOAD_T_PER_TEU,
        })
    }

    /// Whether the cargo is in containers.
    pub fn is_boxes(&self) -> bool {
        matches!(self, Cargo::Boxes { .. })
    }

    /// TEU (for tonnage: tonnes / the payload per TEU, 10 t by default).
    pub fn teu(&self) -> f64 {
        match *self {
            Cargo::Boxes {
                count,
                size: BoxSize::Teu,
                ..
            } => count as f64,
            Cargo::Boxes {
                count,
                size: BoxSize::Feu,
                ..
            } => 2.0 * count as f64,
            Cargo::Tonnes {
                t,
                payload_t_per_teu,
            } => t / payload_t_per_teu,
        }
    }

    /// Number of boxes (for tonnage: FEU needed at the payload per TEU).
    pub fn boxes(&self) -> f64 {
        match *self {
            Cargo::Boxes { count, .. } => count as f64,
            Cargo::Tonnes { .. } => (self.teu() / 2.0).ceil(),
        }
    }

    /// Net tonnes (tare excluded; tare does not count toward tonne-km).
    ///
    /// # Units
    /// t
    pub fn net_t(&self) -> f64 {
        match *self {
            Cargo::Tonnes { t, .. } => t,
            Cargo::Boxes {
                payload_t_per_teu, ..
            } => self.teu() * payload_t_per_teu,
        }
    }

    /// How many of `unit` a price is multiplied by, for a containerised or bulk shipment.
    pub fn units(&self, unit: CostUnit, containerised: bool) -> f64 {
        match unit {
            CostUnit::Feu => self.teu() / 2.0,
            CostUnit::Teu => self.teu(),
            CostUnit::Box => self.boxes(),
            CostUnit::Truck => {
                if containerised {
                    (self.teu() / 2.0).ceil()
                } else {
                    (self.net_t() / TRUCK_PAYLOAD_T).ceil()
                }
            }
            CostUnit::Wagon => {
                if containerised {
                    (self.teu() / 2.0).ceil()
                } else {
                    (self.net_t() / WAGON_PAYLOAD_T).ceil()
                }
            }
            CostUnit::Tonne => self.net_t(),
            CostUnit::Kg => self.net_t() * 1000.0,
        }
    }

    /// A canonical label: `2xFEU`, `3xTEU`, `40t`.
    pub fn label(&self) -> String {
        match *self {
            Cargo::Boxes {
                count,
                size: BoxSize::Feu,
                ..
            } => format!("{count}xFEU"),
            Cargo::Boxes {
                count,
                size: BoxSize::Teu,
                ..
            } => format!("{count}xTEU"),
            Cargo::Tonnes { t, .. } => format!("{t}t"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_boxes_and_tonnes() {
        assert_eq!(
            Cargo::parse("2xFEU").unwrap(),
            Cargo::Boxes {
                count: 2,
                size: BoxSize::Feu,
                payload_t_per_teu: PAYLOAD_T_PER_TEU
            }
        );
        assert_eq!(
            Cargo::parse("3 x teu").unwrap(),
            Cargo::Boxes {
                count: 3,
                size: BoxSize::Teu,
                payload_t_per_teu: PAYLOAD_T_PER_TEU
            }
        );
        assert_eq!(Cargo::parse("FEU").unwrap().teu(), 2.0);
        assert_eq!(Cargo::parse("40t").unwrap().net_t(), 40.0);
        assert!(!Cargo::parse("40t").unwrap().is_boxes());
        assert_eq!(Cargo::parse("1500kg").unwrap().net_t(), 1.5);
        // A heavier payload per TEU changes tonnes, not boxes.
        let heavy = Cargo::parse("2xFEU").unwrap().with_payload(14.5).unwrap();
        assert_eq!((heavy.teu(), heavy.net_t()), (4.0, 58.0));
        assert!(Cargo::parse("2xFEU").unwrap().with_payload(-1.0).is_err());
        assert!(matches!(
            Cargo::parse("2xPallets"),
            Err(CargoError::Syntax(_))
        ));
        assert!(matches!(
            Cargo::parse("0xFEU"),
            Err(CargoError::NotPositive(_))
        ));
        assert!(matches!(
            Cargo::parse("-3t"),
            Err(CargoError::NotPositive(_))
        ));
        assert!(matches!(
            Cargo::parse("100000xFEU"),
            Err(CargoError::TooBig(_))
        ));
    }

    #[test]
    fn units_scale_prices() {
        let c = Cargo::parse("2xFEU").unwrap();
        assert_eq!(c.net_t(), 40.0);
        assert_eq!(c.units(CostUnit::Feu, true), 2.0);
        assert_eq!(c.units(CostUnit::Teu, true), 4.0);
        assert_eq!(c.units(CostUnit::Truck, true), 2.0);
        assert_eq!(c.units(CostUnit::Kg, true), 40_000.0);
        let t = Cargo::parse("3xTEU").unwrap();
        assert_eq!(t.units(CostUnit::Feu, true), 1.5);
        assert_eq!(t.units(CostUnit::Truck, true), 2.0);
        let bulk = Cargo::parse("130t").unwrap();
        assert_eq!(bulk.units(CostUnit::Wagon, false), 2.0);
        assert_eq!(bulk.units(CostUnit::Truck, false), 6.0);
    }
}
