//! Rows of the calendar files: timetabled departures (`services.csv`) and closures
//! (`closures.csv`: closed days, days that hold cargo, seasons that add a wait).

/// A row of `services.csv`: departures of a link, either a weekly timetable (weekdays at a
/// local time in the zone of the link's origin place) or a frequency (trains per week).
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Link id; `ID~r` for the reverse of a bidirectional link.
    pub link: String,
    /// Weekdays of departure (empty for a frequency row).
    pub weekdays: Vec<chrono::Weekday>,
    /// Local departure time at the link's origin (midnight, unused, for a frequency row).
    pub departure_local: chrono::NaiveTime,
    /// Departures per week of a frequency row (a block train published as "N a week", no
    /// weekdays): the expected wait for it is half the headway.
    pub departures_per_week: Option<f64>,
    /// Who waits for the departure (`waits` column).
    pub waits: ServiceWaits,
    /// For a frequency row: the destination countries its trains serve (`to_countries`);
    /// empty: every train on the link, whatever its destination. A query to one of these
    /// countries waits for these trains instead of the link's row without countries.
    pub to_countries: Vec<String>,
    /// The row's note (how a frequency was derived; `estimate: …` where it is one).
    pub note: String,
    /// First day the service runs (local date), if limited.
    pub valid_from: Option<chrono::NaiveDate>,
    /// Last day the service runs (local date), if limited.
    pub valid_to: Option<chrono::NaiveDate>,
    /// Source.
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

/// The `waits=boarding` rows of a directed link id (`ID` or `ID~r`) that a query to
/// `dest_country` waits for: those that serve that country (`to_countries`), else those for
/// every destination.
pub fn boarding_rows<'a>(
    services: &'a [Service],
    link_id: &str,
    dest_country: Option<&str>,
) -> Vec<&'a Service> {
    let rows = || {
        services
            .iter()
            .filter(move |s| s.waits == ServiceWaits::Boarding && s.link == link_id)
    };
    if let Some(c) = dest_country {
        let served: Vec<&Service> = rows()
            .filter(|s| s.to_countries.iter().any(|x| x == c))
            .collect();
        if !served.is_empty() {
            return served;
        }
    }
    rows().filter(|s| s.to_countries.is_empty()).collect()
}

impl Service {
    /// Departures a week: the frequency, or the timetable's weekdays.
    pub fn per_week(&self) -> f64 {
        self.departures_per_week
            .unwrap_or(self.weekdays.len() as f64)
    }
}

/// Who waits for a service's departure (`waits` column of `services.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServiceWaits {
    /// `all` (the default): every consignment on the link waits for the departure (a ferry,
    /// a feeder, a train that every box changes onto).
    #[default]
    All,
    /// `boarding`: a train that starts at the link's origin (a block train from its
    /// terminal). Cargo boarding there waits for it: cargo that starts there or arrives on
    /// another carrier (a truck, a ship, a wagon of the other gauge). Cargo already on a wagon
    /// of the link's gauge is on a train that runs through and does not wait.
    Boarding,
}

impl ServiceWaits {
    /// The column value.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceWaits::All => "all",
            ServiceWaits::Boarding => "boarding",
        }
    }
}

/// A row of `closures.csv`: a link or a place closed between two dates (inclusive, local dates),
/// on every day or on some weekdays only, or slowed by an added wait (a storm season).
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    /// Closed link id (`ID~r` for the reverse only), or None for a place closure.
    pub link: Option<String>,
    /// Closed place id, or None for a link closure.
    pub place: Option<String>,
    /// First closed day.
    pub from_date: chrono::NaiveDate,
    /// Last closed day.
    pub to_date: chrono::NaiveDate,
    /// The weekdays it applies on between the dates (empty: every day), e.g. a border post
    /// closed on Saturdays and Sundays.
    pub weekdays: Vec<chrono::Weekday>,
    /// What it does to cargo.
    pub effect: ClosureEffect,
    /// Why (strike, storm, maintenance, …).
    pub reason: String,
    /// Source.
    pub source: String,
    /// Line in the file.
    pub line: u64,
}

/// What a `closures.csv` row does (`effect` column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClosureEffect {
    /// `closed` (the default): the link or place is not offered on the closed days; a
    /// timetabled link waits for its first departure on an open day.
    Closed,
    /// `wait`: cargo waits where it stands until the link or place opens again (a border post
    /// closed at weekends and on holidays); it is never cut off.
    Wait,
    /// `delay`: open, but cargo leaving on one of the days waits this many hours more (a storm
    /// season closing a port part of the time), at most until the period ends.
    Delay(f64),
}

impl Closure {
    /// Whether the row applies on this local day (its dates and weekdays).
    pub fn covers(&self, day: chrono::NaiveDate) -> bool {
        use chrono::Datelike;
        self.from_date <= day
            && day <= self.to_date
            && (self.weekdays.is_empty() || self.weekdays.contains(&day.weekday()))
    }

    /// Whether the row applies on any local day from `a` to `b` inclusive.
    pub fn covers_any(&self, a: chrono::NaiveDate, b: chrono::NaiveDate) -> bool {
        if self.weekdays.is_empty() {
            return self.from_date <= b && a <= self.to_date;
        }
        let (a, b) = (a.max(self.from_date), b.min(self.to_date));
        // Seven days cover every weekday.
        a.iter_days()
            .take_while(|d| *d <= b)
            .take(7)
            .any(|d| self.covers(d))
    }

    /// Whether it closes (the `closed` and `wait` effects), as against a delay.
    pub fn closes(&self) -> bool {
        !matches!(self.effect, ClosureEffect::Delay(_))
    }
}
