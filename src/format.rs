//! Numbers as people read them: amounts with their units, percentages.
//! One place for every presentation of a number — the command line, the
//! canvas, the exports and the inspector all print through it.

use crate::model::number::grouped;

/// A number for people: thousands separators, at most a few decimals
/// (`12,000`, `2.5`, `0.0123`).
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let abs = x.abs();
    // A subnormal is what is left of a value that underflowed (0.999 to
    // the millionth power): rounding noise, not a quantity anyone entered.
    if abs < f64::MIN_POSITIVE {
        return "0".to_owned();
    }
    // Beyond a thousand trillion, or below a ten-thousandth, digits stop
    // helping: three significant figures and a power of ten.
    if abs >= 1e15 || (abs != 0.0 && abs < 1e-4) {
        let text = format!("{x:.2e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exp}");
    }
    let decimals = if abs >= 1000.0 || abs == abs.trunc() {
        0
    } else if abs >= 1.0 {
        2
    } else {
        4
    };
    let text = format!("{:.*}", decimals, abs);
    let (int, frac) = text.split_once('.').map_or((text.as_str(), ""), |(i, f)| (i, f));
    let negative = x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    grouped(if negative { "-" } else { "" }, int, frac.trim_end_matches('0'))
}

/// [`format_amount`] of a value, or "—" when there is none.
pub fn format_amount_or_dash(x: Option<f64>, unit: &str, compact_yen: bool) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format_amount(x, unit, compact_yen))
}

/// A value with its unit as cards show it. With `compact_yen`, an amount in
/// 円 (also 千円, 万円, 百万円, 億円) of ten thousand yen or more is shown
/// in 万円 or 億円: 123,456,789 円 → `1.23 億円`, 34,000,000 円 → `3,400 万円`,
/// 12,000 万円 → `1.2 億円`. Anything else is [`format_number`] and the unit.
pub fn format_amount(x: f64, unit: &str, compact_yen: bool) -> String {
    let plain = || if unit.is_empty() { format_number(x) } else { format!("{} {unit}", format_number(x)) };
    if !compact_yen || !x.is_finite() {
        return plain();
    }
    let scale = match unit.trim() {
        "円" => 1.0,
        "千円" => 1e3,
        "万円" => 1e4,
        "百万円" => 1e6,
        "億円" => 1e8,
        _ => return plain(),
    };
    let yen = x * scale;
    let abs = yen.abs();
    if (1e8..1e16).contains(&abs) {
        let oku = yen / 1e8;
        let text =
            if oku.abs() >= 100.0 { format_number(oku.round()) } else { format_number((oku * 100.0).round() / 100.0) };
        format!("{text} 億円")
    } else if (1e4..1e8).contains(&abs) {
        let man = yen / 1e4;
        let text =
            if man.abs() >= 100.0 { format_number(man.round()) } else { format_number((man * 10.0).round() / 10.0) };
        format!("{text} 万円")
    } else {
        plain()
    }
}

/// [`format_amount`] as reports print it (no 万円 / 億円 shortening), or
/// "—" when there is none.
pub fn amount(x: Option<f64>, unit: &str) -> String {
    format_amount_or_dash(x, unit, false)
}

/// [`amount`] with a sign for a change: `+4,000 万円`, `-800 万円`.
pub fn signed_amount(x: f64, unit: &str) -> String {
    format!("{}{}", if x > 0.0 { "+" } else { "" }, amount(Some(x), unit))
}

/// The largest percentage written out; beyond it a card or a report says
/// "> 9,999 %" (a progress of 5,833 % is a planning error worth seeing, a
/// 60-digit one is noise).
pub const PERCENT_SHOWN_MAX: f64 = 9_999.0;

/// A ratio as a percentage with `decimals` places: 0.583 → `58%` or
/// `58.3%`; beyond ±9,999 % (also ±∞) `> 9,999 %` / `< -9,999 %`; not a
/// number `—`.
pub fn percent(ratio: f64, decimals: usize) -> String {
    let p = ratio * 100.0;
    if p.is_nan() {
        return "—".to_owned();
    }
    let text = format!("{:.*}", decimals, p.abs());
    // Compared as printed, so that 9,999.4 (shown as 9,999) is not capped.
    if text.parse::<f64>().map_or(true, |shown| shown > PERCENT_SHOWN_MAX) {
        return if p > 0.0 { "> 9,999 %".to_owned() } else { "< -9,999 %".to_owned() };
    }
    let (int, frac) = text.split_once('.').map_or((text.as_str(), ""), |(i, f)| (i, f));
    let negative = p < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut out = grouped(if negative { "-" } else { "" }, int, frac);
    out.push('%');
    out
}

/// [`percent`] with a sign: `+71.4%`, `-5.0%`.
pub fn signed_percent(ratio: f64, decimals: usize) -> String {
    let text = percent(ratio, decimals);
    if ratio > 0.0 && !text.starts_with('>') { format!("+{text}") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_amounts_can_be_shown_in_man_and_oku() {
        assert_eq!(format_amount(123_456_789.0, "円", true), "1.23 億円");
        assert_eq!(format_amount(34_000_000.0, "円", true), "3,400 万円");
        assert_eq!(format_amount(12_000.0, "万円", true), "1.2 億円");
        assert_eq!(format_amount(5_500.0, "万円", true), "5,500 万円");
        assert_eq!(format_amount(9_800.0, "円", true), "9,800 円");
        assert_eq!(format_amount(-250_000_000.0, "円", true), "-2.5 億円");
        assert_eq!(format_amount(34_000_000.0, "円", false), "34,000,000 円");
        assert_eq!(format_amount(120.0, "社", true), "120 社");
    }

    #[test]
    fn huge_and_tiny_numbers_get_a_power_of_ten() {
        assert_eq!(format_number(1e300), "1e300");
        assert_eq!(format_number(-1.234e20), "-1.23e20");
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(999_999_999_999_999.0), "999,999,999,999,999");
    }

    #[test]
    fn numbers_get_thousands_separators_and_few_decimals() {
        assert_eq!(format_number(12000.0), "12,000");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(0.0123), "0.0123");
        assert_eq!(format_number(1234.56), "1,235");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn percentages_are_capped_and_never_print_inf() {
        assert_eq!(percent(0.5833, 0), "58%");
        assert_eq!(percent(0.5833, 1), "58.3%");
        assert_eq!(percent(58.33, 0), "5,833%");
        assert_eq!(percent(1e60, 1), "> 9,999 %");
        assert_eq!(percent(f64::INFINITY, 0), "> 9,999 %");
        assert_eq!(percent(-f64::INFINITY, 0), "< -9,999 %");
        assert_eq!(percent(f64::NAN, 0), "—");
        assert_eq!(percent(-0.0001, 1), "0.0%");
        assert_eq!(signed_percent(0.714, 1), "+71.4%");
        assert_eq!(signed_percent(-0.05, 1), "-5.0%");
        assert_eq!(signed_amount(4000.0, "万円"), "+4,000 万円");
        assert_eq!(signed_amount(-800.0, "万円"), "-800 万円");
        assert_eq!(signed_amount(0.0, "社"), "0 社");
    }
}
