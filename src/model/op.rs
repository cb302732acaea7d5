use std::fmt;

/// The operator on an edge: how a child term enters its parent's value.
///
/// The operator stands *before* the child in the parent's expression
/// `op1 c1 op2 c2 … opN cN`; see `docs/FORMAT.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `+`: the child is added.
    Add,
    /// `-`: the child is subtracted.
    Sub,
    /// `*`: the child is multiplied in.
    Mul,
    /// `/`: the child divides.
    Div,
    /// `link`: "achieved through", no arithmetic.
    Link,
}

impl Op {
    /// Every operator, in the order menus show them.
    pub const ALL: [Op; 5] = [Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Link];

    /// Parses the file spelling of an operator, accepting the aliases
    /// `−` (U+2212), `×`, `x` and `÷`.
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "+" => Op::Add,
            "-" | "\u{2212}" => Op::Sub,
            "*" | "×" | "x" => Op::Mul,
            "/" | "÷" => Op::Div,
            "link" => Op::Link,
            _ => return None,
        })
    }

    /// The ASCII spelling written to files.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Link => "link",
        }
    }

    /// The symbol shown to people (`+ − × ÷`, and `…` for link).
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "−",
            Op::Mul => "×",
            Op::Div => "÷",
            Op::Link => "…",
        }
    }

    /// True for `+ - * /`, false for `link`.
    pub fn is_arithmetic(self) -> bool {
        self != Op::Link
    }

    /// True for `+` and `-`, which need operands of one dimension.
    pub fn is_additive(self) -> bool {
        matches!(self, Op::Add | Op::Sub)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_parse_to_the_ascii_operators() {
        assert_eq!(Op::parse("\u{2212}"), Some(Op::Sub));
        assert_eq!(Op::parse("×"), Some(Op::Mul));
        assert_eq!(Op::parse("x"), Some(Op::Mul));
        assert_eq!(Op::parse("÷"), Some(Op::Div));
        assert_eq!(Op::parse("X"), None);
    }

    #[test]
    fn every_operator_round_trips_through_its_file_spelling() {
        for op in Op::ALL {
            assert_eq!(Op::parse(op.as_str()), Some(op));
        }
    }
}
