//! Where the time of a PNG export goes (parse + text layout, rasterise, encode).
//! `cargo run --release --no-default-features --example export_timing`
fn main() {
    use std::time::Instant;
    let doc = kpitree::model::generate::tree(300, 11);
    let eval = kpitree::evaluate(&doc);
    let opts = kpitree::export::ExportOptions { scale: 2.0, ..Default::default() };
    for _ in 0..2 {
        let t = Instant::now();
        let svg = kpitree::export::to_svg(&doc, &eval, &opts).expect("an SVG");
        let t_svg = t.elapsed();
        let t = Instant::now();
        let rgba = kpitree::export::to_rgba(&doc, &eval, &opts).expect("pixels");
        let t_rgba = t.elapsed();
        let t = Instant::now();
        let png = rgba.encode_png().expect("a PNG");
        println!(
            "svg {t_svg:?} ({} bytes); svg+parse+raster {t_rgba:?} ({}×{}); encode {:?} ({} bytes)",
            svg.len(),
            rgba.width,
            rgba.height,
            t.elapsed(),
            png.len()
        );
    }
}
