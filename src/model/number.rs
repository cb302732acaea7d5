//! Reading numbers as people type them: `12,000`, `１２，０００`, `2.5`, `-3`.

/// Why typed text is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a number")]
pub struct NotANumber;

/// Parses a typed number. Full-width digits and signs, thousands separators
/// (`,` `，` `_`) and spaces are accepted; empty text is `Ok(None)`. NaN and
/// ±∞ are refused, so they never enter a document.
#[allow(clippy::cast_possible_truncation, reason = "a full-width digit's value, 0-9")]
pub fn parse_number(text: &str) -> Result<Option<f64>, NotANumber> {
    let mut plain = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '０'..='９' => plain.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '．' => plain.push('.'),
            '－' | '−' | 'ー' => plain.push('-'),
            '＋' => plain.push('+'),
            ',' | '，' | '_' | ' ' | '\u{3000}' => {}
            'e' | 'E' | '.' | '-' | '+' | '0'..='9' => plain.push(c),
            _ => return Err(NotANumber),
        }
    }
    if plain.is_empty() {
        return Ok(None);
    }
    match plain.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(NotANumber),
    }
}

/// A number as the editor shows it in a text field: every digit kept,
/// thousands separators in the whole part (`12,000`, `0.025`).
pub fn edit_text(x: f64) -> String {
    let text = format!("{x}");
    if text.contains('e') {
        return text;
    }
    let (sign, rest) = text.strip_prefix('-').map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    grouped(sign, int, frac)
}

/// `sign`, the digits of `int` with a comma every three places, and `frac`
/// after a point when it is not empty: `grouped("-", "1234", "5")` is
/// `-1,234.5`.
pub fn grouped(sign: &str, int: &str, frac: &str) -> String {
    let mut out = String::with_capacity(sign.len() + int.len() + int.len() / 3 + frac.len() + 1);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_commas_are_read() {
        assert_eq!(parse_number("１２，０００"), Ok(Some(12000.0)));
        assert_eq!(parse_number("12,000"), Ok(Some(12000.0)));
        assert_eq!(parse_number(" -2.5 "), Ok(Some(-2.5)));
    }

    #[test]
    fn empty_text_clears_the_value() {
        assert_eq!(parse_number("  "), Ok(None));
    }

    #[test]
    fn words_nan_and_infinity_are_refused() {
        for s in ["abc", "NaN", "inf", "1e999", "12円"] {
            assert_eq!(parse_number(s), Err(NotANumber), "{s}");
        }
    }

    #[test]
    fn edit_text_round_trips_through_parse() {
        for x in [12000.0, 0.025, -1234567.5, 3.0] {
            assert_eq!(parse_number(&edit_text(x)), Ok(Some(x)));
        }
        assert_eq!(edit_text(1234567.0), "1,234,567");
    }
}
