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

    /// The operator a new term gets: `link` under or into a KSF (the
    /// method's qualitative step), else the operator of the parent's last
    /// arithmetic term, else `×` (the usual breakdown: 売上 = 顧客数 × 客単価).
    pub fn for_new_term(parent: Option<super::Kind>, child: super::Kind, last_arithmetic: Option<Op>) -> Op {
        if child == super::Kind::Ksf || parent == Some(super::Kind::Ksf) {
            return Op::Link;
        }
        last_arithmetic.unwrap_or(Op::Mul)
    }

    /// True for `+` and `-`, which need operands of one dimension.
    pub fn is_additive(self) -> bool {
        matches!(self, Op::Add | Op::Sub)
    }
}

/// How a term enters its parent's expression, as [`walk`] reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The term starts a new additive group (closing the one before it):
    /// added, or subtracted when `negative`; its value is inverted (`1 / c`)
    /// when `inverted` (a leading `/`).
    Start {
        /// A `-` term (or a leading `-`).
        negative: bool,
        /// A leading `/`.
        inverted: bool,
    },
    /// The term multiplies the current group, or divides it when `divides`.
    Factor {
        /// A `/` term.
        divides: bool,
    },
}

/// The one precedence rule of `op1 c1 op2 c2 … opN cN` (docs/FORMAT.md,
/// "Meaning"): `*` and `/` bind before `+` and `-`; a leading `+` or `*` is
/// dropped, a leading `-` negates and a leading `/` inverts. Tells `visit`
/// each arithmetic term's [`Step`], in order (`link` terms are skipped).
/// Values, units, 逆算 and goal seek all read expressions through this.
pub fn walk<T>(terms: impl IntoIterator<Item = (Op, T)>, mut visit: impl FnMut(Step, T)) {
    let mut first = true;
    for (op, term) in terms {
        let step = match (first, op) {
            (_, Op::Link) => continue,
            (true, _) => Step::Start { negative: op == Op::Sub, inverted: op == Op::Div },
            (false, Op::Add | Op::Sub) => Step::Start { negative: op == Op::Sub, inverted: false },
            (false, Op::Mul | Op::Div) => Step::Factor { divides: op == Op::Div },
        };
        first = false;
        visit(step, term);
    }
}

/// The value of an expression over plain numbers, by [`walk`]. Dividing by
/// zero gives an infinite or NaN result (the caller checks).
pub fn combine(terms: impl IntoIterator<Item = (Op, f64)>) -> f64 {
    let (mut sum, mut group, mut any) = (0.0, 0.0, false);
    walk(terms, |step, v| match step {
        Step::Start { negative, inverted } => {
            if any {
                sum += group;
            }
            any = true;
            let v = if inverted { 1.0 / v } else { v };
            group = if negative { -v } else { v };
        }
        Step::Factor { divides: true } => group /= v,
        Step::Factor { divides: false } => group *= v,
    });
    sum + group
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
    fn products_bind_before_sums_and_leading_operators_follow_the_rule() {
        use Op::*;
        assert_eq!(combine([(Add, 2.0), (Add, 3.0), (Mul, 4.0)]), 14.0);
        assert_eq!(combine([(Sub, 2.0), (Add, 3.0)]), 1.0);
        assert_eq!(combine([(Div, 4.0), (Mul, 2.0)]), 0.5);
        assert_eq!(combine([(Mul, 5.0), (Sub, 1.0), (Div, 4.0)]), 4.75);
        assert_eq!(combine([(Add, 5.0), (Link, 100.0), (Sub, 1.0)]), 4.0);
    }

    #[test]
    fn every_operator_round_trips_through_its_file_spelling() {
        for op in Op::ALL {
            assert_eq!(Op::parse(op.as_str()), Some(op));
        }
    }
}
