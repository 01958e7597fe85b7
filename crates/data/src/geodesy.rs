//! Distances on the Earth's surface.

/// Mean Earth radius used for great-circle distances, km (IUGG mean radius R1).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle (haversine) distance between two WGS84 points.
///
/// # Units
/// - arguments: degrees
/// - returns: km
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_matches_known_distance() {
        // Aktau (43.65, 51.17) – Baku (40.41, 49.87): corridor-facts S-CAS-006 gives 376 km.
        let d = great_circle_km(43.65, 51.17, 40.41, 49.87);
        assert!((d - 376.0).abs() < 5.0, "{d}");
        // A quarter of the meridian: 10,007.5 km.
        let q = great_circle_km(0.0, 0.0, 90.0, 0.0);
        assert!((q - 10_007.5).abs() < 1.0, "{q}");
    }
}
