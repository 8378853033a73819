//! 分值 — points, exact to a hundredth.
//!
//! Scores are added up, compared with a pass mark and published, so they must be exact: a
//! [`Points`] is a whole number of hundredths, never a float. JSON carries it as a plain number
//! (`1`, `0.5`, `1.25`); a number that is negative, not finite or finer than a hundredth is
//! refused. This module owns the arithmetic and the notation, no exam rules.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::lang::{Lang, key, render, text};

/// A number of points, exact to 0.01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Points(u32);

impl Points {
    /// No points.
    pub const ZERO: Self = Self(0);

    /// `n` whole points; `None` if that does not fit.
    pub fn whole(n: u32) -> Option<Self> {
        n.checked_mul(100).map(Self)
    }

    /// Points from a number of hundredths (`150` → 1.5 points).
    pub const fn from_hundredths(hundredths: u32) -> Self {
        Self(hundredths)
    }

    /// The number of hundredths.
    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// The value as a float, for display and statistics only.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// Reads a number such as `2`, `0.5` or `1.25`; `None` if it is negative, not finite, finer
    /// than 0.01 or too large.
    pub fn from_f64(value: f64) -> Option<Self> {
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        let scaled = value * 100.0;
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 || rounded > f64::from(u32::MAX) {
            return None;
        }
        // In range and integral: the conversion is exact.
        Some(Self(rounded as u32))
    }

    /// Sum; `None` on overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// `self × n`; `None` on overflow.
    pub fn checked_mul(self, n: u32) -> Option<Self> {
        self.0.checked_mul(n).map(Self)
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Points {
    /// `1`, `1.5`, `0.25` — no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}"),
            _ if frac.is_multiple_of(10) => write!(f, "{whole}.{}", frac / 10),
            _ => write!(f, "{whole}.{frac:02}"),
        }
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            serializer.serialize_u32(self.0 / 100)
        } else {
            serializer.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PointsVisitor)
    }
}

struct PointsVisitor;

impl PointsVisitor {
    fn refuse<E: de::Error>(shown: impl fmt::Display) -> E {
        // Deserialization errors carry no language: they are English, like serde's own.
        E::custom(render(
            Lang::En,
            key::POINTS_NOT_POINTS,
            &[("value", &shown)],
        ))
    }
}

impl Visitor<'_> for PointsVisitor {
    type Value = Points;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(text(Lang::En, key::POINTS_EXPECTING))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Points, E> {
        u32::try_from(v)
            .ok()
            .and_then(Points::whole)
            .ok_or_else(|| Self::refuse(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Points, E> {
        u64::try_from(v)
            .map_err(|_| Self::refuse(v))
            .and_then(|v| self.visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Points, E> {
        Points::from_f64(v).ok_or_else(|| Self::refuse(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_print_without_trailing_zeros() {
        assert_eq!(Points::whole(60).unwrap().to_string(), "60");
        assert_eq!(Points::from_hundredths(150).to_string(), "1.5");
        assert_eq!(Points::from_hundredths(125).to_string(), "1.25");
        assert_eq!(Points::from_hundredths(5).to_string(), "0.05");
    }

    #[test]
    fn points_travel_as_plain_json_numbers() {
        assert_eq!(
            serde_json::to_string(&Points::whole(2).unwrap()).unwrap(),
            "2"
        );
        assert_eq!(
            serde_json::to_string(&Points::from_hundredths(50)).unwrap(),
            "0.5"
        );
        for (json, hundredths) in [("2", 200), ("0.5", 50), ("1.25", 125), ("0.1", 10)] {
            let p: Points = serde_json::from_str(json).unwrap();
            assert_eq!(p.hundredths(), hundredths, "{json}");
        }
    }

    #[test]
    fn negative_or_too_fine_points_are_refused() {
        for json in ["-1", "0.333", "1e20", "\"1\""] {
            assert!(serde_json::from_str::<Points>(json).is_err(), "{json}");
        }
        assert_eq!(Points::from_f64(f64::NAN), None);
    }
}
