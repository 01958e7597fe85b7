//! Great-circle distances on a spherical Earth.
//!
//! # Units
//! Degrees in, metres out.

/// Mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle (haversine) distance between two points given as latitude, longitude.
///
/// # Units
/// Degrees in, metres out.
///
/// ```
/// // One degree of longitude on the equator is about 111.2 km.
/// let d = corridor_physical::haversine_m(0.0, 0.0, 0.0, 1.0);
/// assert!((d - 111_195.0).abs() < 10.0);
/// ```
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// The point on the unit sphere for a latitude, longitude (degrees); the straight-line
/// (chord) distance between two such points grows with their great-circle distance.
pub fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (p, l) = (lat.to_radians(), lon.to_radians());
    [p.cos() * l.cos(), p.cos() * l.sin(), p.sin()]
}

/// Great-circle distance for a chord length on the unit sphere.
///
/// # Units
/// Metres.
pub fn chord_to_m(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / 2.0).clamp(0.0, 1.0).asin()
}

/// Longitude folded into (-180, 180].
pub fn normalize_lon(lon: f64) -> f64 {
    let mut l = lon % 360.0;
    if l > 180.0 {
        l -= 360.0;
    } else if l <= -180.0 {
        l += 360.0;
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chord_matches_haversine() {
        let (a, b) = ((41.0, 28.9), (43.6, 51.2));
        let (u, v) = (unit_vector(a.0, a.1), unit_vector(b.0, b.1));
        let chord = ((u[0] - v[0]).powi(2) + (u[1] - v[1]).powi(2) + (u[2] - v[2]).powi(2)).sqrt();
        let h = haversine_m(a.0, a.1, b.0, b.1);
        assert!((chord_to_m(chord) - h).abs() < 1e-3 * h);
    }

    #[test]
    fn longitudes_fold() {
        assert_eq!(normalize_lon(187.5), -172.5);
        assert_eq!(normalize_lon(-180.0), 180.0);
        assert_eq!(normalize_lon(180.0), 180.0);
        assert_eq!(normalize_lon(12.0), 12.0);
    }
}
