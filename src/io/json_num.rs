//! Numbers in JSON reports written as they are serialised: a whole number
//! without `.0` (as `io::json_number` makes them), a non-finite one as
//! `null`.

use serde::{Serialize, Serializer};

/// A number as kpitree writes it in JSON.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    #[allow(clippy::cast_possible_truncation, reason = "a whole number below 2^63 in magnitude is an i64")]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Every whole f64 below 2^63 is exactly an i64.
        const EXACT: f64 = 9_223_372_036_854_775_808.0;
        let x = self.0;
        if x.fract() == 0.0 && x.abs() < EXACT {
            s.serialize_i64(x as i64)
        } else if x.is_finite() {
            s.serialize_f64(x)
        } else {
            s.serialize_none()
        }
    }
}

/// An optional number: `null` when there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptNum(pub Option<f64>);

impl Serialize for OptNum {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(x) => Num(x).serialize(s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_reports_always_wrote_them() {
        for x in [0.0, -0.0, 3.0, -4800.0, 0.1, 1e300, 2f64.powi(60), 7920.000000000002, f64::NAN, f64::INFINITY] {
            let streamed = serde_json::to_string(&Num(x)).unwrap();
            let built = serde_json::to_string(&crate::io::json_number(x)).unwrap();
            assert_eq!(streamed, built, "{x}");
        }
        assert_eq!(serde_json::to_string(&OptNum(None)).unwrap(), "null");
    }
}
