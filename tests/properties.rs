//! Properties over generated input: no input makes the loader or the
//! evaluator panic; evaluation does not depend on the order of nodes in the
//! file; undo then redo of any edit sequence gives back the same document.
//! (The same loader checks, unbounded, are the cargo-fuzz target in `fuzz/`.)

use std::time::{Duration, Instant};

use kpitree::eval::analysis::Analyzer;
use kpitree::io::{from_slice, from_str, to_json_string};
use kpitree::model::session::Session;
use kpitree::model::{Document, Edit, Field, Kind, Node, NodeId, Op, generate};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Everything a loaded document goes through in the editor and the CLI.
fn exercise(doc: &Document) {
    let eval = kpitree::evaluate(doc);
    let _ = eval.to_json(doc, kpitree::Lang::Ja);
    for d in &eval.diagnostics {
        let _ = d.message(kpitree::Lang::En);
    }
    let a = Analyzer::new(doc);
    let _ = a.bottlenecks();
    let _ = a.pacing();
    for n in doc.nodes.iter().take(3) {
        let _ = a.seek(n.id.as_str(), None);
    }
    let text = to_json_string(doc);
    let again = from_str(&text, "saved").expect("a saved document loads");
    assert_eq!(to_json_string(&again), text);
}

// ---- arbitrary JSON ----

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,12}".prop_map(Value::from),
        prop::sample::select(vec!["KGI", "KSF", "KPI", "+", "-", "*", "/", "link", "×", "2026-04-01", "万円/社", "%"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        let key = prop::sample::select(vec![
            "format",
            "version",
            "id",
            "kind",
            "name",
            "unit",
            "target",
            "actual",
            "parent",
            "child",
            "op",
            "nodes",
            "edges",
            "period",
            "start",
            "end",
            "as_of",
            "deadline",
            "direction",
            "pos",
            "scenarios",
            "overrides",
            "node",
            "pacing",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// A document shell with arbitrary nodes, edges, period and scenarios.
fn documentish() -> impl Strategy<Value = Value> {
    (prop::collection::vec(json_value(), 0..8), prop::collection::vec(json_value(), 0..8), json_value(), json_value())
        .prop_map(|(nodes, edges, period, scenarios)| {
            json!({ "format": "kpitree", "version": 1, "period": period, "nodes": nodes, "edges": edges,
                    "scenarios": scenarios })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(doc) = from_slice(&bytes, "x") {
            exercise(&doc);
        }
    }

    #[test]
    fn arbitrary_json_never_panics_the_loader_or_the_evaluator(v in json_value()) {
        if let Ok(doc) = from_str(&v.to_string(), "x") {
            exercise(&doc);
        }
    }

    #[test]
    fn documents_with_arbitrary_parts_load_or_say_why(v in documentish()) {
        match from_str(&v.to_string(), "x") {
            Ok(doc) => exercise(&doc),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    for depth in [1_000, 100_000] {
        let text = format!(
            r#"{{"format":"kpitree","version":1,"nodes":[{}{}],"edges":[]}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert!(from_str(&text, "deep").is_err());
        let text = format!(
            r#"{{"format":"kpitree","version":1,"x":{}1{},"nodes":[],"edges":[]}}"#,
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        );
        let _ = from_str(&text, "deep");
    }
}

#[test]
fn non_finite_numbers_never_enter_a_document() {
    for text in ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"] {
        let doc = format!(
            r#"{{"format":"kpitree","version":1,"nodes":[{{"id":"a","kind":"KPI","name":"a","target":{text}}}],"edges":[]}}"#
        );
        assert!(from_str(&doc, "x").is_err(), "{text} was accepted");
    }
    for typed in ["NaN", "inf", "-inf", "infinity", "1e400"] {
        let parsed = kpitree::model::number::parse_number(typed);
        assert!(!matches!(parsed, Ok(Some(x)) if !x.is_finite()), "{typed} parsed as {parsed:?}");
    }
    let mut doc = Document::new();
    doc.nodes.push(Node::new("a", Kind::Kpi, "a"));
    assert!(!Edit::SetField("a".into(), Field::Actual(Some(f64::INFINITY))).apply(&mut doc));
    assert_eq!(doc.nodes[0].actual, None);
}

// ---- evaluation does not depend on node order ----

/// A generated tree with some extra edges (shared terms, cycles, unknown ids).
fn tree_with_noise() -> impl Strategy<Value = Document> {
    (
        3usize..80,
        any::<u64>(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0usize..5), 0..6),
    )
        .prop_map(|(n, seed, extra)| {
            let mut doc = generate::tree(n, seed);
            let ids: Vec<NodeId> = doc.nodes.iter().map(|n| n.id.clone()).collect();
            for (a, b, op) in extra {
                let op = [Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Link][op];
                doc.edges.push(kpitree::model::Edge::new(a.get(&ids).clone(), b.get(&ids).clone(), op));
            }
            doc
        })
}

fn diagnostics_set(eval: &kpitree::Evaluation) -> Vec<String> {
    let mut all: Vec<String> = eval
        .diagnostics
        .iter()
        .map(|d| format!("{}|{:?}|{:?}|{}", d.code, d.node, d.edge, d.message(kpitree::Lang::En)))
        .collect();
    all.sort();
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn evaluation_does_not_depend_on_the_order_of_nodes(doc in tree_with_noise(), seed in any::<u64>()) {
        let mut shuffled = doc.clone();
        // Fisher–Yates with a small generator: any permutation of the nodes.
        let mut s = seed | 1;
        for i in (1..shuffled.nodes.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            shuffled.nodes.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let (a, b) = (kpitree::evaluate(&doc), kpitree::evaluate(&shuffled));
        for node in &doc.nodes {
            let (x, y) = (a.get(&node.id).unwrap(), b.get(&node.id).unwrap());
            prop_assert_eq!(x, y, "{}", node.id);
        }
        prop_assert_eq!(diagnostics_set(&a), diagnostics_set(&b));
    }
}

// ---- undo and redo ----

fn edit_for(doc: &Document, pick: (u8, prop::sample::Index, prop::sample::Index, i32)) -> Option<Edit> {
    let (kind, a, b, n) = pick;
    if doc.nodes.is_empty() && kind != 0 {
        return None;
    }
    let id = |i: &prop::sample::Index| doc.nodes[i.index(doc.nodes.len())].id.clone();
    Some(match kind % 9 {
        0 => Edit::AddNode { node: Box::new(Node::new(doc.fresh_id("n"), Kind::Kpi, format!("n{n}"))), parent: None },
        1 => Edit::RemoveNodes(vec![id(&a)]),
        2 => Edit::Connect { parent: id(&a), child: id(&b), op: Op::ALL[n.unsigned_abs() as usize % Op::ALL.len()] },
        3 => Edit::Disconnect { parent: id(&a), child: id(&b) },
        4 => Edit::SetField(id(&a), Field::Target(Some(f64::from(n)))),
        5 => Edit::SetField(id(&a), Field::Name(format!("名前{n}"))),
        6 => Edit::MoveTerm { parent: id(&a), child: id(&b), up: n % 2 == 0 },
        7 => Edit::SetPositions(vec![(id(&a), [f64::from(n), 1.0])]),
        _ => Edit::SetTitle(Some(format!("t{n}"))),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undo_all_then_redo_all_gives_back_exactly_the_same_documents(
        picks in prop::collection::vec((any::<u8>(), any::<prop::sample::Index>(), any::<prop::sample::Index>(), -50i32..50), 1..40),
        gaps in prop::collection::vec(0u64..3000, 40),
    ) {
        let start = generate::tree(12, 3);
        let mut session = Session::new(start.clone(), None);
        let mut clock = Instant::now();
        for (k, pick) in picks.into_iter().enumerate() {
            let Some(edit) = edit_for(session.document(), pick) else { continue };
            clock += Duration::from_millis(gaps[k]);
            session.apply(edit, clock);
        }
        let end = to_json_string(session.document());
        let mut states = vec![end.clone()];
        while session.undo() {
            states.push(to_json_string(session.document()));
        }
        prop_assert_eq!(to_json_string(session.document()), to_json_string(&start), "undoing everything gives the start");
        states.pop();
        while session.redo() {
            prop_assert_eq!(Some(to_json_string(session.document())), states.pop(), "redo retraces the same states");
        }
        prop_assert_eq!(to_json_string(session.document()), end);
    }

    #[test]
    fn the_session_is_dirty_exactly_when_the_document_differs_from_the_last_saved_or_opened(
        actions in prop::collection::vec(
            (0u8..10, any::<u8>(), any::<prop::sample::Index>(), any::<prop::sample::Index>(), -3i32..3), 1..60),
    ) {
        let mut session = Session::new(generate::tree(8, 5), None);
        // The model: what is on disk, kept by the test itself.
        let mut on_disk = session.document().as_ref().clone();
        let mut clock = Instant::now();
        for (action, kind, a, b, n) in actions {
            clock += Duration::from_millis(700);
            match action {
                0 => {
                    session.undo();
                }
                1 => {
                    session.redo();
                }
                2 => {
                    session.mark_saved(std::path::PathBuf::from("saved.kpitree.json"));
                    on_disk = session.document().as_ref().clone();
                }
                3 => {
                    let opened = generate::tree(6 + (kind % 4) as usize, u64::from(kind));
                    session.replace(opened.clone(), None);
                    on_disk = opened;
                }
                _ => {
                    if let Some(edit) = edit_for(session.document(), (kind, a, b, n)) {
                        session.apply(edit, clock);
                    }
                }
            }
            prop_assert_eq!(session.is_dirty(), **session.document() != on_disk);
        }
    }
}

// ---- the two loaders ----

/// A field of a node, as a file might spell it: valid, or not.
fn node_field() -> impl Strategy<Value = (String, Value)> {
    let text =
        prop_oneof![Just(json!("顧客数")), Just(json!("")), Just(json!(null)), Just(json!(3)), Just(json!("a\\nb"))];
    let number =
        prop_oneof![Just(json!(12000)), Just(json!(-0.5)), Just(json!(null)), Just(json!("12")), Just(json!(1e300))];
    let date = prop_oneof![
        Just(json!("2027-03-31")),
        Just(json!("")),
        Just(json!("2027-02-30")),
        Just(json!(null)),
        Just(json!(7))
    ];
    let direction = prop_oneof![Just(json!("up")), Just(json!("down")), Just(json!("sideways")), Just(json!(null))];
    let indicator = prop_oneof![Just(json!("leading")), Just(json!("lagging")), Just(json!("x")), Just(json!(null))];
    let pos = prop_oneof![
        Just(json!([1.5, -2])),
        Just(json!([1])),
        Just(json!(null)),
        Just(json!(["a", 1])),
        Just(json!([0, 0]))
    ];
    let flag = prop_oneof![Just(json!(true)), Just(json!(false)), Just(json!(null)), Just(json!("yes"))];
    let aggregate = prop_oneof![Just(json!("sum")), Just(json!("formula")), Just(json!("median")), Just(json!(null))];
    let series = prop_oneof![
        Just(json!({"2026-04": {"target": 10, "actual": 8}, "2026-05": {"target": null}})),
        Just(json!({"FY2026-Q1": {"actual": 3, "memo": "x"}})),
        Just(json!({"2026-13": {"target": 1}})),
        Just(json!({"2026-04": 5})),
        Just(json!({"2026-04": {"target": "5"}})),
        Just(json!({})),
        Just(json!(null)),
        Just(json!([1])),
    ];
    prop_oneof![
        text.clone().prop_map(|v| ("unit".to_owned(), v)),
        number.clone().prop_map(|v| ("target".to_owned(), v)),
        number.prop_map(|v| ("actual".to_owned(), v)),
        direction.prop_map(|v| ("direction".to_owned(), v)),
        date.prop_map(|v| ("deadline".to_owned(), v)),
        text.clone().prop_map(|v| ("owner".to_owned(), v)),
        indicator.prop_map(|v| ("indicator".to_owned(), v)),
        text.clone().prop_map(|v| ("source".to_owned(), v)),
        text.clone().prop_map(|v| ("note".to_owned(), v)),
        pos.prop_map(|v| ("pos".to_owned(), v)),
        flag.prop_map(|v| ("collapsed".to_owned(), v)),
        aggregate.prop_map(|v| ("aggregate".to_owned(), v)),
        series.prop_map(|v| ("series".to_owned(), v)),
        text.prop_map(|v| ("colour".to_owned(), v)),
    ]
}

fn document_text() -> impl Strategy<Value = String> {
    let node =
        (0u8..4, prop::collection::vec(node_field(), 0..6), any::<bool>()).prop_map(|(id, fields, kind_first)| {
            let mut m = serde_json::Map::new();
            let kind = json!(["KGI", "KSF", "KPI"][id as usize % 3]);
            if kind_first {
                m.insert("kind".into(), kind.clone());
            }
            m.insert("id".into(), json!(format!("n{id}")));
            m.insert("name".into(), json!(format!("名前{id}")));
            m.insert("kind".into(), kind);
            for (k, v) in fields {
                m.insert(k, v);
            }
            Value::Object(m)
        });
    let edge = (0u8..4, 0u8..4, prop_oneof![Just("+"), Just("*"), Just("×"), Just("link"), Just("?")])
        .prop_map(|(p, c, op)| json!({ "parent": format!("n{p}"), "child": format!("n{c}"), "op": op }));
    let extra = prop_oneof![
        Just(None),
        Just(Some(("layout", json!("auto")))),
        Just(Some(("layout", json!("sideways")))),
        Just(Some(("scenarios", json!([{"name": "a", "overrides": [{"node": "n1", "actual": 3}]}])))),
        Just(Some(("period", json!({"start": "2026-04-01", "as_of": ""})))),
        Just(Some(("period", json!({"fiscal_year_start": 1, "year_label": "end", "granularity": "quarter"})))),
        Just(Some(("period", json!({"fiscal_year_start": 13})))),
        Just(Some(("title", json!(5)))),
    ];
    (prop::collection::vec(node, 0..5), prop::collection::vec(edge, 0..5), extra).prop_map(|(nodes, edges, extra)| {
        let mut top = serde_json::Map::new();
        top.insert("format".into(), json!("kpitree"));
        top.insert("version".into(), json!(1));
        if let Some((k, v)) = extra {
            top.insert(k.into(), v);
        }
        top.insert("nodes".into(), Value::Array(nodes));
        top.insert("edges".into(), Value::Array(edges));
        Value::Object(top).to_string()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_fast_and_the_careful_loader_give_the_same_document_whenever_the_careful_one_accepts(text in document_text()) {
        let (fast, careful) = kpitree::io::both_ways(&text);
        if let Some(fast) = &fast {
            prop_assert_eq!(Some(fast), careful.as_ref(), "the fast path accepted what the careful one reads otherwise: {}", text);
        }
        if let Some(careful) = careful {
            // Whatever the careful path reads saves and loads back the same.
            let again = from_str(&to_json_string(&careful), "saved").expect("a saved document loads");
            prop_assert_eq!(again, careful);
        }
    }
}

// ---- plain numbers in units ----

/// Units for the products below: a name, or a plain number (`%`, `‰`, `万`)
/// with its scale. No named prefixes, so every scale is a plain number.
const PRODUCT_UNITS: [(&str, f64); 7] =
    [("", 1.0), ("件", 1.0), ("社", 1.0), ("人", 1.0), ("%", 0.01), ("‰", 0.001), ("万", 1e4)];

/// A tree of `×` and `÷` links: node `i > 0` is a term of `parent[i] < i`;
/// each node has a unit from [`PRODUCT_UNITS`] and each leaf a value.
#[derive(Debug, Clone)]
struct Product {
    parent: Vec<usize>,
    divides: Vec<bool>,
    unit: Vec<usize>,
    value: Vec<f64>,
}

fn product_tree() -> impl Strategy<Value = Product> {
    (2usize..14).prop_flat_map(|n| {
        (
            (1..n).map(|i| 0..i).collect::<Vec<_>>(),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(0..PRODUCT_UNITS.len(), n),
            prop::collection::vec(1u32..5000, n),
        )
            .prop_map(|(parents, divides, unit, value)| Product {
                parent: std::iter::once(usize::MAX).chain(parents).collect(),
                divides,
                unit,
                value: value.into_iter().map(|v| f64::from(v) / 8.0).collect(),
            })
    })
}

impl Product {
    fn is_leaf(&self, i: usize) -> bool {
        !self.parent.contains(&i)
    }

    fn document(&self, with_units: bool) -> Document {
        let nodes: Vec<Value> = (0..self.parent.len())
            .map(|i| {
                let value = if self.is_leaf(i) { json!(self.value[i]) } else { Value::Null };
                let unit = if with_units { PRODUCT_UNITS[self.unit[i]].0 } else { "" };
                json!({ "id": format!("n{i}"), "kind": if i == 0 { "KGI" } else { "KPI" }, "name": format!("n{i}"),
                        "unit": unit, "target": value, "actual": value })
            })
            .collect();
        let edges: Vec<Value> = (1..self.parent.len())
            .map(|i| {
                json!({ "parent": format!("n{}", self.parent[i]), "child": format!("n{i}"),
                             "op": if self.divides[i] { "/" } else { "*" } })
            })
            .collect();
        let text = json!({ "format": "kpitree", "version": 1, "nodes": nodes, "edges": edges }).to_string();
        from_str(&text, "product").expect("a product tree loads")
    }

    /// The product of the plain-number scales of the leaves below `top`,
    /// each to the power it has in `top`'s expression (−1 when divided an
    /// odd number of times on the way).
    fn pure_scales_below(&self, top: usize) -> f64 {
        (0..self.parent.len())
            .filter(|&leaf| self.is_leaf(leaf))
            .filter_map(|leaf| {
                let mut power = 1;
                let mut at = leaf;
                while at != top {
                    if at == 0 {
                        return None;
                    }
                    if self.divides[at] {
                        power = -power;
                    }
                    at = self.parent[at];
                }
                Some(PRODUCT_UNITS[self.unit[leaf]].1.powi(power))
            })
            .product()
    }

    /// True when `node`'s terms, read in their own units, give `node`'s
    /// dimension (so that its value is converted into its unit).
    fn dimensions_agree(&self, node: usize) -> bool {
        let mut dims: std::collections::BTreeMap<&str, i32> = Default::default();
        let mut add = |i: usize, sign: i32| {
            let name = PRODUCT_UNITS[self.unit[i]].0;
            if PRODUCT_UNITS[self.unit[i]].1 == 1.0 && !name.is_empty() {
                *dims.entry(name).or_default() += sign;
            }
        };
        for term in (1..self.parent.len()).filter(|&t| self.parent[t] == node) {
            add(term, if self.divides[term] { 1 } else { -1 });
        }
        add(node, 1);
        dims.values().all(|&p| p == 0)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// `%`, `‰` and a prefix alone are numbers, not units: every computed
    /// value equals the value with every unit stripped, scaled only by the
    /// plain numbers along the way — whether or not the dimensions agree.
    #[test]
    fn a_computed_value_is_the_unitless_value_scaled_only_by_plain_numbers(tree in product_tree()) {
        let with = kpitree::evaluate(&tree.document(true));
        let without = kpitree::evaluate(&tree.document(false));
        for i in (0..tree.parent.len()).filter(|&i| !tree.is_leaf(i)) {
            let id = format!("n{i}");
            let got = with.get_str(&id).and_then(|v| v.actual).expect("a computed actual");
            let plain = without.get_str(&id).and_then(|v| v.actual).expect("a computed actual");
            let own = if tree.dimensions_agree(i) { PRODUCT_UNITS[tree.unit[i]].1 } else { 1.0 };
            let want = plain * tree.pure_scales_below(i) / own;
            prop_assert!((got - want).abs() <= 1e-9 * want.abs(), "{id}: {got} instead of {want}");
        }
    }
}
