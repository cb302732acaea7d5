//! Writes a generated KPI tree (`model::generate::tree`) as a document, for
//! trying large trees in the editor and the command line:
//!
//!     cargo run --release --no-default-features --example generate -- 300 [SEED] > tree.kpitree.json

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    print!("{}", kpitree::io::to_json_string(&kpitree::model::generate::tree(nodes, seed)));
}
