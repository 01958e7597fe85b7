//! Rows of `link_geometry.csv` (optional, derived by `corridor derive-geometry`).

use super::reader::{FromRow, Row};
use crate::geometry::*;

impl FromRow for LinkGeometry {
    const FILE: &'static str = FILE;
    const REQUIRED: &'static [&'static str] = &["link", "network", "status", "stated_km", "source"];
    const OPTIONAL: &'static [&'static str] = &[
        "distance_km",
        "connector_km",
        "snap_from_km",
        "snap_to_km",
        "geometry",
        "reason",
    ];
    fn from_row(row: &mut Row<'_>) -> Option<Self> {
        let link = row.req_str("link");
        let network = row.req_str("network");
        let status = row.enum_req(
            "status",
            GeometryStatus::parse,
            "measured, rejected, unrouted",
        );
        let distance_km = row.opt_f64("distance_km");
        let distance_km = row.nonneg("distance_km", distance_km);
        let connector_km = row.opt_f64("connector_km").unwrap_or(0.0);
        let connector_km = row
            .nonneg("connector_km", Some(connector_km))
            .unwrap_or(0.0);
        let snap_from_km = row.opt_f64("snap_from_km");
        let snap_from_km = row.nonneg("snap_from_km", snap_from_km);
        let snap_to_km = row.opt_f64("snap_to_km");
        let snap_to_km = row.nonneg("snap_to_km", snap_to_km);
        let stated_km = row.req_f64("stated_km");
        let reason = row.raw("reason").to_string();
        let source = row.req_str("source");
        let points = match row.raw("geometry") {
            "" => Vec::new(),
            g => match decode_polyline(g) {
                Ok(pts) => pts,
                Err(e) => {
                    row.problem(format!("geometry is not an encoded polyline ({e})"));
                    Vec::new()
                }
            },
        };
        if let Some(status) = status {
            match status {
                GeometryStatus::Measured => {
                    if distance_km.is_none() {
                        row.problem("a measured row needs distance_km".into());
                    }
                    if points.len() < 2 && row.ok {
                        row.problem(
                            "a measured row needs a geometry of at least two points".into(),
                        );
                    }
                }
                GeometryStatus::Rejected | GeometryStatus::Unrouted => {
                    if reason.is_empty() {
                        row.problem(format!(
                            "a {} row needs a reason (why the network length is not used)",
                            status.as_str()
                        ));
                    }
                }
            }
        }
        let status = status?;
        Some(LinkGeometry {
            link,
            network,
            status,
            distance_km,
            connector_km,
            snap_from_km,
            snap_to_km,
            stated_km,
            stated_source: String::new(),
            points,
            reason,
            source,
            line: row.line,
        })
    }
}
