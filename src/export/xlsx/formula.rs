//! Cell references and formulas: the evaluator's expression over the
//! terms' cells, with its precedence, unit scales and guards, as Excel
//! writes it.

use super::*;

/// Writes cell references and formulas for one workbook.
pub(super) struct Refs {
    pub(super) names: [&'static str; 3],
}

impl Refs {
    pub(super) fn cell(&self, c: Cell, from: Sheet) -> String {
        let a1 = rust_xlsxwriter::utility::row_col_to_cell(c.row, c.col);
        if c.sheet == from { a1 } else { format!("{}!{a1}", self.prefix(c.sheet)) }
    }

    pub(super) fn range(&self, first: Cell, last: Cell, from: Sheet) -> String {
        if first == last {
            return self.cell(first, from);
        }
        let a = rust_xlsxwriter::utility::row_col_to_cell(first.row, first.col);
        let b = rust_xlsxwriter::utility::row_col_to_cell(last.row, last.col);
        if first.sheet == from { format!("{a}:{b}") } else { format!("{}!{a}:{b}", self.prefix(first.sheet)) }
    }

    pub(super) fn prefix(&self, sheet: Sheet) -> String {
        let name = match sheet {
            Sheet::Tree => self.names[0],
            Sheet::Month => self.names[2],
        };
        format!("'{}'", name.replace('\'', "''"))
    }

    /// Cells as few arguments as can be: runs of cells down one column
    /// become ranges.
    fn runs(&self, cells: &[Cell], from: Sheet) -> Vec<String> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < cells.len() {
            let first = cells[k];
            let mut last = first;
            while k + 1 < cells.len() {
                let next = cells[k + 1];
                if next.sheet == last.sheet && next.col == last.col && next.row == last.row + 1 {
                    last = next;
                    k += 1;
                } else {
                    break;
                }
            }
            out.push(self.range(first, last, from));
            k += 1;
        }
        out
    }

    /// `COUNT(…)`, split into calls of at most 255 arguments.
    fn count(&self, cells: &[Cell], from: Sheet) -> String {
        let args = self.runs(cells, from);
        let calls: Vec<String> = args.chunks(MAX_ARGS).map(|c| format!("COUNT({})", c.join(","))).collect();
        calls.join("+")
    }

    /// The expression `op1 c1 op2 c2 …` over the terms' cells with kpitree's
    /// precedence, every additive group times the scale that turns its
    /// terms' units into the unit `out` (e.g. `E5*E6/10000` for 円 × 件 as
    /// 万円). Runs of added single cells down one column become `SUM`.
    fn expression(&self, terms: &[Term], out: f64, from: Sheet) -> String {
        struct Group {
            negative: bool,
            inverted: bool,
            factors: Vec<(bool, Term)>,
        }
        let mut groups: Vec<Group> = Vec::new();
        walk(terms.iter().map(|t| (t.op, *t)), |step, t| match step {
            Step::Start { negative, inverted } => {
                groups.push(Group { negative, inverted, factors: vec![(false, t)] });
            }
            Step::Factor { divides } => {
                if let Some(g) = groups.last_mut() {
                    g.factors.push((divides, t));
                }
            }
        });
        let scale_of = |g: &Group| {
            let (mut num, mut den) = (1.0, out);
            for (k, (divides, t)) in g.factors.iter().enumerate() {
                let divides = if k == 0 { g.inverted } else { *divides };
                if divides {
                    den *= t.scale;
                } else {
                    num *= t.scale;
                }
            }
            num / den
        };
        let mut text = String::new();
        let mut k = 0;
        while k < groups.len() {
            let g = &groups[k];
            let scale = scale_of(g);
            let sign = if g.negative {
                "-"
            } else if k > 0 {
                "+"
            } else {
                ""
            };
            // A run of single cells added alike, down one column: SUM.
            let single = |g: &Group| g.factors.len() == 1 && !g.inverted;
            let mut end = k;
            if single(g) {
                while end + 1 < groups.len() {
                    let (a, b) = (&groups[end], &groups[end + 1]);
                    let (ca, cb) = (a.factors[0].1.cell, b.factors[0].1.cell);
                    if single(b)
                        && b.negative == g.negative
                        && scale_of(b) == scale
                        && cb.sheet == ca.sheet
                        && cb.col == ca.col
                        && cb.row == ca.row + 1
                    {
                        end += 1;
                    } else {
                        break;
                    }
                }
            }
            text.push_str(sign);
            if end >= k + 2 {
                let (first, last) = (groups[k].factors[0].1.cell, groups[end].factors[0].1.cell);
                text.push_str(&format!("SUM({})", self.range(first, last, from)));
                k = end + 1;
            } else {
                for (j, (divides, t)) in g.factors.iter().enumerate() {
                    if j == 0 {
                        if g.inverted {
                            text.push_str("1/");
                        }
                    } else {
                        text.push(if *divides { '/' } else { '*' });
                    }
                    text.push_str(&self.cell(t.cell, from));
                }
                k += 1;
            }
            text.push_str(&scale_text(scale));
        }
        text
    }

    /// The computed value with its guards: the expression when every term
    /// has a number (`COUNT`), else — and on any error (÷ 0, overflow) —
    /// `fallback` (a number, or nothing).
    pub(super) fn guarded(&self, terms: &[Term], out: f64, fallback: Option<f64>, from: Sheet) -> String {
        let cells: Vec<Cell> = terms.iter().map(|t| t.cell).collect();
        let fb = fallback.map_or_else(|| "\"\"".to_owned(), literal);
        format!(
            "IF({}={},IFERROR({},{fb}),{fb})",
            self.count(&cells, from),
            terms.len(),
            self.expression(terms, out, from)
        )
    }
}

/// `*k` or `/n` for a scale, nothing for 1.
fn scale_text(k: f64) -> String {
    if k == 1.0 || !k.is_finite() || k == 0.0 {
        return String::new();
    }
    let inv = 1.0 / k;
    if (1.0..1e15).contains(&inv) && (inv - inv.round()).abs() <= 1e-9 * inv {
        format!("/{}", literal(inv.round()))
    } else {
        format!("*{}", literal(k))
    }
}

/// A number as a formula writes it (`1E-20` rather than twenty zeros).
pub(super) fn literal(x: f64) -> String {
    let abs = x.abs();
    if x == 0.0 || (1e-5..1e15).contains(&abs) { format!("{x}") } else { format!("{x:E}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(op: Op, row: u32, scale: f64) -> Term {
        Term { op, cell: Cell { sheet: Sheet::Tree, row, col: col::TARGET }, scale }
    }

    fn refs() -> Refs {
        Refs { names: sheet_names(Lang::Ja) }
    }

    #[test]
    fn products_carry_the_unit_scale_as_one_factor() {
        // 円 × 件 into 万円.
        let e = refs().expression(&[t(Op::Mul, 4, 1.0), t(Op::Mul, 5, 1.0)], 1e4, Sheet::Tree);
        assert_eq!(e, "G5*G6/10000");
        // 件 × % into 件.
        let e = refs().expression(&[t(Op::Mul, 4, 1.0), t(Op::Mul, 5, 0.01)], 1.0, Sheet::Tree);
        assert_eq!(e, "G5*G6/100");
    }

    #[test]
    fn precedence_and_leading_operators_follow_the_evaluator() {
        let e = refs().expression(
            &[t(Op::Sub, 1, 1.0), t(Op::Add, 2, 1.0), t(Op::Mul, 3, 1.0), t(Op::Div, 4, 1.0)],
            1.0,
            Sheet::Tree,
        );
        assert_eq!(e, "-G2+G3*G4/G5");
        let e = refs().expression(&[t(Op::Div, 1, 1e4), t(Op::Mul, 2, 1.0)], 1.0, Sheet::Tree);
        assert_eq!(e, "1/G2*G3/10000");
    }

    #[test]
    fn a_run_of_added_rows_is_one_sum_and_counts_as_one_range() {
        let terms: Vec<Term> = (1..=5).map(|r| t(Op::Add, r, 1.0)).collect();
        let r = refs();
        assert_eq!(r.expression(&terms, 1.0, Sheet::Tree), "SUM(G2:G6)");
        assert_eq!(r.guarded(&terms, 1.0, None, Sheet::Tree), "IF(COUNT(G2:G6)=5,IFERROR(SUM(G2:G6),\"\"),\"\")");
    }

    #[test]
    fn cells_of_another_sheet_are_quoted() {
        let c = Cell { sheet: Sheet::Month, row: 2, col: 4 };
        assert_eq!(refs().cell(c, Sheet::Tree), "'月次'!E3");
    }

    #[test]
    fn literals_are_short() {
        assert_eq!(literal(0.01), "0.01");
        assert_eq!(literal(1e-20), "1E-20");
        assert_eq!(scale_text(1e-4), "/10000");
        assert_eq!(scale_text(1e4), "*10000");
        assert_eq!(scale_text(1.0), "");
    }
}
