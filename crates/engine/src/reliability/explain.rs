//! Words for the difference between typical and P90 transit (`--time-criterion p90` labels:
//! "2.0 days slower typically, 5.0 days faster at P90").

/// One difference in days, `a − b`, in words: "2.0 days slower typically", "as fast at P90".
fn phrase(diff_days: f64, at: &str) -> String {
    let d = (diff_days * 10.0).round() / 10.0;
    if d == 0.0 {
        return format!("as fast {at}");
    }
    let unit = if d.abs() == 1.0 { "day" } else { "days" };
    let way = if d > 0.0 { "slower" } else { "faster" };
    format!("{:.1} {unit} {way} {at}", d.abs())
}

/// How itinerary A compares with itinerary B on typical transit and on P90 transit (days):
/// `contrast(12.0, 20.0, 10.0, 25.0)` = "2.0 days slower typically, 5.0 days faster at P90".
/// Differences are rounded to 0.1 day.
pub fn contrast(a_typical: f64, a_p90: f64, b_typical: f64, b_p90: f64) -> String {
    format!(
        "{}, {}",
        phrase(a_typical - b_typical, "typically"),
        phrase(a_p90 - b_p90, "at P90")
    )
}

#[cfg(test)]
mod tests {
    use super::contrast;

    #[test]
    fn words_follow_the_signs() {
        assert_eq!(
            contrast(12.0, 20.0, 10.0, 25.0),
            "2.0 days slower typically, 5.0 days faster at P90"
        );
        assert_eq!(
            contrast(9.0, 14.02, 10.0, 14.0),
            "1.0 day faster typically, as fast at P90"
        );
    }
}
