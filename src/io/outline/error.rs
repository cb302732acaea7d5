//! What is wrong with an outline and where: a line's [`Problem`] at its
//! place ([`At`]), every such line ([`OutlineErrors`]), and why a file
//! cannot be read ([`ReadError`]).

use crate::lang::Lang;

/// Where a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Line and column of a text (both from 1; the column counts characters).
    Line {
        /// The line, from 1.
        line: usize,
        /// The column, from 1, in characters.
        column: usize,
    },
    /// A cell of a spreadsheet and the column in its text (from 1).
    Cell {
        /// The row, from 1.
        row: usize,
        /// The spreadsheet column, from 0 (A).
        col: usize,
        /// The character in the cell's text, from 1.
        column: usize,
    },
}

impl At {
    fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (At::Line { line, column }, Lang::Ja) => format!("{line} 行 {column} 文字目"),
            (At::Line { line, column }, Lang::En) => format!("line {line}, column {column}"),
            (At::Cell { row, col, column }, Lang::Ja) => {
                format!("セル {}{row}({column} 文字目)", column_name(col))
            }
            (At::Cell { row, col, column }, Lang::En) => format!("cell {}{row}, character {column}", column_name(col)),
        }
    }
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
#[allow(clippy::cast_possible_truncation, reason = "a letter: the remainder of a division by 26")]
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The line has no name.
    EmptyName,
    /// A target or actual that is no number.
    NotANumber(String),
    /// More than a target and an actual after the colon.
    TooManyValues,
    /// A quoted name without its closing quote.
    UnclosedQuote,
    /// `@name` names no line of the outline.
    NoSuchNode(String),
    /// `@name` names several lines.
    Ambiguous(String),
    /// `@name` on a line of its own (it needs a parent), or with a unit,
    /// values or a tag (those belong to the line it names).
    BadReference,
    /// `@name` makes a node its own ancestor.
    Cycle(String),
    /// Nothing but blank lines and headings.
    Empty,
}

/// One line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineError {
    /// Where.
    pub at: At,
    /// What.
    pub problem: Problem,
}

impl OutlineError {
    /// The message, naming the place.
    pub fn message(&self, lang: Lang) -> String {
        let what = match (&self.problem, lang) {
            (Problem::EmptyName, Lang::Ja) => "名前がありません".to_owned(),
            (Problem::EmptyName, Lang::En) => "the line has no name".to_owned(),
            (Problem::NotANumber(t), Lang::Ja) => format!("「{t}」は数値ではありません(目標 / 実績)"),
            (Problem::NotANumber(t), Lang::En) => format!("\"{t}\" is not a number (target / actual)"),
            (Problem::TooManyValues, Lang::Ja) => "値は「目標 / 実績」の二つまでです".to_owned(),
            (Problem::TooManyValues, Lang::En) => "at most two values: target / actual".to_owned(),
            (Problem::UnclosedQuote, Lang::Ja) => "名前の「\"」が閉じていません".to_owned(),
            (Problem::UnclosedQuote, Lang::En) => "the quoted name has no closing \"".to_owned(),
            (Problem::NoSuchNode(n), Lang::Ja) => format!("「@{n}」の名前の行がありません"),
            (Problem::NoSuchNode(n), Lang::En) => format!("no line is named \"{n}\" (@{n})"),
            (Problem::Ambiguous(n), Lang::Ja) => format!("「{n}」という名前の行が複数あり、@ で指せません"),
            (Problem::Ambiguous(n), Lang::En) => format!("several lines are named \"{n}\"; @ cannot tell which"),
            (Problem::BadReference, Lang::Ja) => {
                "「@名前」は親の下に演算子だけを付けて書きます(単位・値・種別は元の行に)".to_owned()
            }
            (Problem::BadReference, Lang::En) => {
                "\"@name\" stands under a parent with at most an operator (unit, values and kind belong to the line it names)"
                    .to_owned()
            }
            (Problem::Cycle(n), Lang::Ja) => format!("「@{n}」で循環します(自分の祖先を子にしています)"),
            (Problem::Cycle(n), Lang::En) => format!("\"@{n}\" makes a cycle (a node below itself)"),
            (Problem::Empty, Lang::Ja) => "ノードの行がありません".to_owned(),
            (Problem::Empty, Lang::En) => "no line names a node".to_owned(),
        };
        format!("{}: {what}", self.at.text(lang))
    }
}

/// Every problem of an outline, each with its place; nothing is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineErrors(pub Vec<OutlineError>);

impl OutlineErrors {
    /// One problem a line, in order.
    pub fn message(&self, lang: Lang) -> String {
        self.0.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join("\n")
    }
}

/// Why an outline file cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    /// The file (or its spreadsheet) cannot be read.
    #[error("{0}")]
    Read(String),
    /// The file's kind is not an outline kpitree reads.
    #[error("{0}: an outline is a text (.txt, .md), a spreadsheet (.xlsx, .xlsm, .xls, .ods) or CSV (.csv, .tsv)")]
    Format(String),
    /// Lines that cannot be read.
    #[error("{file}:\n{}", .errors.message(Lang::En))]
    Lines {
        /// The file.
        file: String,
        /// The problems.
        errors: OutlineErrors,
    },
}

impl ReadError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Lines { file, errors } => format!("{file}:\n{}", errors.message(lang)),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_run_past_z() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
