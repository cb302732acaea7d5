//! Any bytes → the loader; whatever loads is evaluated, analysed, reported,
//! saved and loaded again. Nothing may panic, and a saved document must load
//! back to the same document.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The fast loader never accepts anything the careful one reads otherwise.
    if let Ok(text) = std::str::from_utf8(data) {
        let (fast, careful) = kpitree::io::both_ways(text);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), careful.as_ref(), "the two loaders disagree");
        }
    }
    let Ok(doc) = kpitree::io::from_slice(data, "fuzz") else { return };
    let eval = kpitree::evaluate(&doc);
    let _ = eval.to_json(&doc, kpitree::Lang::En);
    for d in &eval.diagnostics {
        let _ = d.message(kpitree::Lang::Ja);
    }
    let analyzer = kpitree::eval::analysis::Analyzer::new(&doc);
    let _ = kpitree::export::Diagram::build(&doc, analyzer.evaluation(), &Default::default(), None);
    let _ = analyzer.bottlenecks();
    let _ = analyzer.pacing();
    if let Some(first) = doc.nodes.first() {
        let _ = analyzer.seek(first.id.as_str(), None);
    }
    let text = kpitree::io::to_json_string(&doc);
    let again = kpitree::io::from_str(&text, "saved").expect("a saved document loads");
    assert_eq!(kpitree::io::to_json_string(&again), text, "save → load → save is stable");
});
