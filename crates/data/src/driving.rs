//! Drivers' working time (`driving_rules.csv`): how long a truck driver may drive before a
//! break and in a day, and how long the break and the daily rest last, per country (`all` for
//! the default), each row with its source (EU Regulation 561/2006 and the AETR agreement,
//! national rules).
//!
//! Road links give the driving speed; the engine turns driving hours into elapsed hours with
//! these rules (breaks and daily rests as waiting), per road leg in the search and along the
//! whole chain of road legs in the itinerary.

/// The file name.
pub const FILE: &str = "driving_rules.csv";

/// A row of `driving_rules.csv`: the working-time rules of one country (or `all`).
#[derive(Debug, Clone, PartialEq)]
pub struct DrivingRule {
    /// ISO country code, or `all` for countries without a row.
    pub country: String,
    /// Most driving hours between two daily rests.
    pub daily_driving_h: f64,
    /// Most driving hours without a break.
    pub continuous_h: f64,
    /// The break, hours.
    pub break_h: f64,
    /// The daily rest, hours.
    pub daily_rest_h: f64,
    /// Source.
    pub source: String,
    /// Note: which articles, what is estimated.
    pub note: String,
    /// Line in the file.
    pub line: u64,
}

/// Where a single driver stands in a working day: hours driven since the last daily rest and
/// since the last break.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DriverState {
    /// Driven since the last daily rest.
    pub day_h: f64,
    /// Driven since the last break (or rest).
    pub since_break_h: f64,
}

impl DrivingRule {
    /// The limits for a crew of `drivers` (1 or 2). Two drivers (EU 561/2006 multi-manning):
    /// the truck runs while one driver rests, breaks are taken by the driver not driving, up
    /// to twice the daily driving between stops, and the crew stops for a daily rest of at
    /// most 9 h (Art. 8(5): 9 h within 30 h). The 10 h days are not used, as for one driver.
    pub fn limits(&self, drivers: u8) -> DrivingLimits {
        let one = DrivingLimits {
            daily_driving_h: self.daily_driving_h,
            continuous_h: self.continuous_h,
            break_h: self.break_h,
            daily_rest_h: self.daily_rest_h,
        };
        if drivers < 2 {
            return one;
        }
        let daily = (one.daily_driving_h * 2.0).min(24.0);
        DrivingLimits {
            daily_driving_h: daily,
            continuous_h: daily,
            break_h: 0.0,
            daily_rest_h: one.daily_rest_h.min(9.0),
        }
    }
}

/// The working-time limits a truck's crew drives under (a [`DrivingRule`] for one or two
/// drivers): plain numbers, cheap to copy on the cost model's hot path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrivingLimits {
    /// Most driving hours between two daily rests.
    pub daily_driving_h: f64,
    /// Most driving hours without a break.
    pub continuous_h: f64,
    /// The break, hours.
    pub break_h: f64,
    /// The daily rest, hours.
    pub daily_rest_h: f64,
}

impl DrivingLimits {
    /// The breaks and daily rests (hours) a driver in `state` takes while driving `drive_h`
    /// more hours, and the state after: drive until the day's or the stint's limit, rest or
    /// break, go on. Nothing is taken after the last hour of driving.
    pub fn rests(&self, state: DriverState, drive_h: f64) -> (f64, DriverState) {
        const EPS: f64 = 1e-9;
        let mut s = state;
        let mut left = drive_h.max(0.0);
        let mut rest = 0.0;
        // A bounded loop: each turn ends a stint or the driving.
        for _ in 0..10_000 {
            let step = left
                .min(self.daily_driving_h - s.day_h)
                .min(self.continuous_h - s.since_break_h)
                .max(0.0);
            s.day_h += step;
            s.since_break_h += step;
            left -= step;
            if left <= EPS {
                break;
            }
            if s.day_h >= self.daily_driving_h - EPS {
                rest += self.daily_rest_h;
                s = DriverState::default();
            } else {
                rest += self.break_h;
                s.since_break_h = 0.0;
            }
        }
        (rest, s)
    }

    /// The state after the driver stands still `hours` (a border queue, a ferry crossing):
    /// as long as a daily rest, a new day; as long as a break, a new stint.
    pub fn after_stop(&self, state: DriverState, hours: f64) -> DriverState {
        if hours >= self.daily_rest_h {
            DriverState::default()
        } else if hours >= self.break_h {
            DriverState {
                since_break_h: 0.0,
                ..state
            }
        } else {
            state
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eu() -> DrivingRule {
        DrivingRule {
            country: "all".into(),
            daily_driving_h: 9.0,
            continuous_h: 4.5,
            break_h: 0.75,
            daily_rest_h: 11.0,
            source: "S".into(),
            note: String::new(),
            line: 1,
        }
    }

    #[test]
    fn rests_follow_the_eu_day() {
        let r = eu().limits(1);
        let fresh = DriverState::default();
        // Under a stint: nothing.
        assert_eq!(r.rests(fresh, 4.0).0, 0.0);
        // Exactly a stint, exactly a day: nothing after the last hour.
        assert_eq!(r.rests(fresh, 4.5).0, 0.0);
        assert_eq!(r.rests(fresh, 9.0).0, 0.75);
        // 10 h: a break at 4.5 h, a daily rest at 9 h.
        assert_eq!(r.rests(fresh, 10.0).0, 0.75 + 11.0);
        // 30 h: three full days (two breaks, two rests... ) and 3 h.
        let (rest, s) = r.rests(fresh, 30.0);
        assert_eq!(rest, 3.0 * 0.75 + 3.0 * 11.0);
        assert!((s.day_h - 3.0).abs() < 1e-9);
        // Two 6 h legs in a row take a rest the per-leg count misses.
        let (a, s1) = r.rests(fresh, 6.0);
        let (b, _) = r.rests(s1, 6.0);
        assert_eq!(a + b, 0.75 + 11.0);
        assert_eq!(r.rests(fresh, 6.0).0 * 2.0, 1.5);
    }

    #[test]
    fn a_double_crew_drives_18_hours_and_rests_9() {
        let r = eu().limits(2);
        let fresh = DriverState::default();
        assert_eq!(r.rests(fresh, 10.0).0, 0.0);
        assert_eq!(r.rests(fresh, 20.0).0, 9.0);
        assert_eq!(r.rests(fresh, 40.0).0, 18.0);
        assert_eq!(eu().limits(1).daily_driving_h, 9.0);
    }

    #[test]
    fn a_long_stop_counts_as_rest() {
        let r = eu().limits(1);
        let s = DriverState {
            day_h: 8.0,
            since_break_h: 3.5,
        };
        assert_eq!(r.after_stop(s, 12.0), DriverState::default());
        assert_eq!(r.after_stop(s, 1.0).since_break_h, 0.0);
        assert_eq!(r.after_stop(s, 1.0).day_h, 8.0);
        assert_eq!(r.after_stop(s, 0.5), s);
    }
}
