use std::fmt;

/// A calendar date `YYYY-MM-DD`, as used by `period` and `deadline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as `2026-02-30`.
    #[allow(clippy::cast_possible_truncation, reason = "checked: four-digit year, month 1-12, a day of it")]
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if year == 0 || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year: year as u16, month: month as u8, day: day as u8 })
    }

    /// Days since 1970-01-01 (negative before), for differences between dates.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (before, when negative), clamped to
    /// the years 1–9999.
    #[allow(clippy::cast_possible_truncation, reason = "day 1-31, month 1-12; the year is clamped to 1-9999")]
    pub fn from_days_since_epoch(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        if !(1..=9999).contains(&year) {
            let year = year.clamp(1, 9999) as u16;
            return if year == 1 { Date { year, month: 1, day: 1 } } else { Date { year, month: 12, day: 31 } };
        }
        Date { year: year as u16, month, day }
    }

    /// The day of the week: 0 for Monday … 6 for Sunday.
    #[allow(clippy::cast_possible_truncation, reason = "a remainder of a division by 7")]
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        ((self.days_since_epoch() + 3).rem_euclid(7)) as u8
    }

    /// How many days the month of this date has.
    #[allow(clippy::cast_possible_truncation, reason = "a month has at most 31 days")]
    pub fn month_days(self) -> u8 {
        days_in_month(u32::from(self.year), u32::from(self.month)) as u8
    }

    /// The first of the month `months` after (or before) this date's month.
    #[allow(clippy::cast_possible_truncation, reason = "the year is clamped to 1-9999; the month is 1-12")]
    pub fn add_months(self, months: i32) -> Date {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 + months;
        let year = index.div_euclid(12).clamp(1, 9999) as u16;
        let month = (index.rem_euclid(12) + 1) as u8;
        Date { year, month, day: 1 }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_months_for_a_calendar() {
        let d = Date::parse("2026-12-01").unwrap();
        assert_eq!(d.weekday(), 1, "a Tuesday");
        assert_eq!(d.month_days(), 31);
        assert_eq!(d.add_months(2).to_string(), "2027-02-01");
        assert_eq!(d.add_months(-12).to_string(), "2025-12-01");
        assert_eq!(Date::parse("2028-02-10").unwrap().month_days(), 29);
    }

    #[test]
    fn valid_dates_parse_and_print_back() {
        for s in ["2026-04-01", "2024-02-29", "2027-12-31"] {
            assert_eq!(Date::parse(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
    }

    #[test]
    fn impossible_or_malformed_dates_are_rejected() {
        for s in ["2026-02-29", "2026-13-01", "2026-4-01", "26-04-01", "2026/04/01", "２０２６-04-01", ""] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
    }

    #[test]
    fn day_differences_count_calendar_days() {
        let a = Date::parse("2026-04-01").unwrap();
        let b = Date::parse("2027-03-31").unwrap();
        assert_eq!(b.days_since_epoch() - a.days_since_epoch(), 364);
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    }
}
