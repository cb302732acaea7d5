//! Units: a scale and a product of named dimensions with integer powers.
//!
//! `万円/社` is the scale 1e4 times the dimensions `円¹ 社⁻¹`. `%` is the pure
//! number 0.01. The rules are in `docs/FORMAT.md` ("Units").
//!
//! A unit keeps apart the part of its scale that is a plain number (`%`,
//! `‰`, a prefix alone such as `万`, a number) from the part that belongs to
//! a named factor (the `万` of `万円`): when dimensions disagree and no
//! conversion is possible, the plain numbers still multiply the value
//! (120 件 × 25 % is 30 件 whatever unit the parent names).

use std::fmt;

/// Scale prefixes written in Japanese. They stack (`千万` = 1e7), and one alone
/// is a pure scale (`万` = 1e4).
const CJK_PREFIXES: [(char, f64); 6] = [('十', 1e1), ('百', 1e2), ('千', 1e3), ('万', 1e4), ('億', 1e8), ('兆', 1e12)];

/// Latin scale prefixes; they apply only when a name follows that does not
/// start with a capital letter (`kg`, `M円`), so that acronyms such as `MAU`,
/// `MRR` or `KPI` stay names of their own.
const LATIN_PREFIXES: [(char, f64); 2] = [('k', 1e3), ('M', 1e6)];

/// A parsed unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The factor that turns a value in this unit into the base unit
    /// (`万円` → 1e4, `%` → 0.01).
    pub scale: f64,
    /// The part of `scale` written as plain numbers (`%` → 0.01, `‰` →
    /// 0.001, `万` alone → 1e4, `12` → 12); the rest of the scale belongs
    /// to prefixes of named factors (`万円` → 1e4 with a pure part of 1).
    pub pure: f64,
    /// Dimension names with their non-zero powers, sorted by name.
    dims: Vec<(Box<str>, i32)>,
}

/// Why a unit could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    /// `円//人`, a trailing `/`, or a leading `*`.
    #[error("empty factor in unit \"{0}\"")]
    EmptyFactor(String),
    /// `m^x` or a power that does not fit.
    #[error("bad power in unit \"{0}\"")]
    BadPower(String),
}

impl Unit {
    /// The plain number: scale 1, no dimension.
    pub fn one() -> Unit {
        Unit { scale: 1.0, pure: 1.0, dims: Vec::new() }
    }

    /// A single dimension that nobody can combine with anything else; used
    /// for unit text that cannot be parsed, so that it still only matches
    /// itself.
    pub fn opaque(text: &str) -> Unit {
        Unit { scale: 1.0, pure: 1.0, dims: vec![(format!("\u{0}{text}").into_boxed_str(), 1)] }
    }

    /// Parses a unit: factors separated by `/` (divide) and `*`, `×`, `·` or
    /// `・` (multiply); each factor an optional scale prefix, a name and an
    /// optional power (`^2`, `²`, `³`). Empty text is the plain number.
    pub fn parse(text: &str) -> Result<Unit, UnitError> {
        let mut unit = Unit::one();
        let text = text.trim();
        if text.is_empty() {
            return Ok(unit);
        }
        let mut sign = 1;
        let mut start = 0;
        let mut factors = Vec::new();
        for (i, c) in text.char_indices() {
            let next_sign = match c {
                '/' | '／' => -1,
                '*' | '×' | '·' | '・' | '＊' => 1,
                _ => continue,
            };
            factors.push((sign, &text[start..i]));
            sign = next_sign;
            start = i + c.len_utf8();
        }
        factors.push((sign, &text[start..]));
        for (sign, factor) in factors {
            let factor = factor.trim();
            if factor.is_empty() {
                return Err(UnitError::EmptyFactor(text.to_owned()));
            }
            let (scale, name, power) = parse_factor(factor).ok_or_else(|| UnitError::BadPower(text.to_owned()))?;
            let power = power * sign;
            unit.scale *= scale.powi(power);
            if name.is_empty() {
                unit.pure *= scale.powi(power);
            } else {
                unit.add_dim(name, power);
            }
        }
        Ok(unit)
    }

    /// Parses like [`Unit::parse`], but never fails: unreadable text becomes
    /// an [opaque](Unit::opaque) unit.
    pub fn parse_lenient(text: &str) -> Unit {
        Unit::parse(text).unwrap_or_else(|_| Unit::opaque(text))
    }

    fn add_dim(&mut self, name: &str, power: i32) {
        match self.dims.binary_search_by(|(n, _)| (**n).cmp(name)) {
            Ok(i) => {
                self.dims[i].1 += power;
                if self.dims[i].1 == 0 {
                    self.dims.remove(i);
                }
            }
            Err(i) => {
                if power != 0 {
                    self.dims.insert(i, (name.into(), power));
                }
            }
        }
    }

    /// The product of two units (`社 × 万円/社 = 万円`).
    pub fn mul(&self, other: &Unit) -> Unit {
        let mut out = self.clone();
        out.scale *= other.scale;
        out.pure *= other.pure;
        for (name, power) in &other.dims {
            out.add_dim(name, *power);
        }
        out
    }

    /// The quotient of two units (`件 ÷ 件 = 1`).
    pub fn div(&self, other: &Unit) -> Unit {
        let mut out = self.clone();
        out.scale /= other.scale;
        out.pure /= other.pure;
        for (name, power) in &other.dims {
            out.add_dim(name, -*power);
        }
        out
    }

    /// `1 / self`.
    pub fn recip(&self) -> Unit {
        Unit::one().div(self)
    }

    /// True when both have the same dimensions, whatever their scales
    /// (`万円` and `円`, `%` and the plain number).
    pub fn same_dimension(&self, other: &Unit) -> bool {
        self.dims == other.dims
    }

    /// True when the unit has no dimension (a plain number or `%`).
    pub fn is_dimensionless(&self) -> bool {
        self.dims.is_empty()
    }

    /// The unit a value keeps when it cannot be converted into another
    /// dimension: the same named factors with their prefixes, without the
    /// plain numbers (`件 × %` → `件`, `万円 × %` → `万円`). A unit without a
    /// dimension is then the plain number: its named prefixes cancelled
    /// (`万円/千円`) and what is left is a number.
    pub fn named(&self) -> Unit {
        let scale = if self.dims.is_empty() { 1.0 } else { self.scale / self.pure };
        Unit { scale, pure: 1.0, dims: self.dims.clone() }
    }

    /// Converts a value in this unit into the base unit (`3 万円` → 30000).
    pub fn to_base(&self, value: f64) -> f64 {
        value * self.scale
    }

    /// Converts a value in the base unit into this unit (30000 → `3 万円`).
    pub fn from_base(&self, value: f64) -> f64 {
        value / self.scale
    }

    /// Converts `value` from this unit into `to`, when the dimensions agree.
    pub fn convert(&self, value: f64, to: &Unit) -> Option<f64> {
        self.same_dimension(to).then(|| to.from_base(self.to_base(value)))
    }
}

/// Splits one factor into (scale, dimension name, power).
fn parse_factor(factor: &str) -> Option<(f64, &str, i32)> {
    let (body, power) = split_power(factor)?;
    match body {
        "%" | "％" => return Some((0.01, "", power)),
        "‰" => return Some((0.001, "", power)),
        "‱" => return Some((0.0001, "", power)),
        _ => {}
    }
    if let Ok(number) = body.parse::<f64>()
        && number.is_finite()
        && number > 0.0
    {
        return Some((number, "", power));
    }
    let mut scale = 1.0;
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        let Some(&(_, s)) = CJK_PREFIXES.iter().find(|(p, _)| *p == c) else {
            break;
        };
        scale *= s;
        rest = &rest[c.len_utf8()..];
    }
    if scale == 1.0
        && let Some(c) = rest.chars().next()
        && let Some(&(_, s)) = LATIN_PREFIXES.iter().find(|(p, _)| *p == c)
        && rest[c.len_utf8()..].chars().next().is_some_and(|next| !next.is_ascii_uppercase())
    {
        scale = s;
        rest = &rest[c.len_utf8()..];
    }
    Some((scale, rest, power))
}

fn split_power(factor: &str) -> Option<(&str, i32)> {
    if let Some((body, power)) = factor.split_once('^') {
        let power: i32 = power.trim().parse().ok()?;
        if !(-99..=99).contains(&power) || body.trim().is_empty() {
            return None;
        }
        return Some((body.trim(), power));
    }
    for (sup, power) in [('²', 2), ('³', 3)] {
        if let Some(body) = factor.strip_suffix(sup) {
            return Some((body.trim(), power));
        }
    }
    Some((factor, 1))
}

impl fmt::Display for Unit {
    /// A canonical spelling of the dimensions, factors joined by `·`, with
    /// the scale in front when it is not 1: as a Japanese prefix when it is
    /// one (`万ヶ月·円`, as 万円 is written), else as a number (`0.5·円/社`).
    /// The text reads back as the same unit. For values whose unit comes
    /// from their terms and for messages; the user's own text is shown
    /// wherever it exists.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const PREFIXES: [(f64, &str); 4] = [(1e12, "兆"), (1e8, "億"), (1e4, "万"), (1e3, "千")];
        let mut wrote = false;
        let has_numerator = self.dims.iter().any(|(_, p)| *p > 0);
        if self.scale != 1.0 || self.dims.is_empty() {
            match PREFIXES.iter().find(|(v, _)| *v == self.scale) {
                Some((_, prefix)) if has_numerator => f.write_str(prefix)?,
                _ => {
                    write!(f, "{}", self.scale)?;
                    wrote = true;
                }
            }
        }
        for (name, power) in self.dims.iter().filter(|(_, p)| *p > 0) {
            if wrote {
                f.write_str("·")?;
            }
            write!(f, "{}", name.trim_start_matches('\u{0}'))?;
            if *power != 1 {
                write!(f, "^{power}")?;
            }
            wrote = true;
        }
        for (name, power) in self.dims.iter().filter(|(_, p)| *p < 0) {
            write!(f, "/{}", name.trim_start_matches('\u{0}'))?;
            if *power != -1 {
                write!(f, "^{}", -power)?;
            }
        }
        Ok(())
    }
}
