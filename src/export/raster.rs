//! SVG text → usvg tree → PNG pixels (resvg) or a PDF page (svg2pdf).

use super::{ExportError, MAX_PDF_PAGE, MAX_PNG_SIDE, usvg_options};

/// An image as straight (not premultiplied) RGBA bytes, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Rgba {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 4` bytes: R, G, B, A.
    pub pixels: Vec<u8>,
}

impl Rgba {
    /// The image as PNG bytes.
    pub fn encode_png(&self) -> Result<Vec<u8>, ExportError> {
        let mut out = Vec::new();
        let render = |e: png::EncodingError| ExportError::Render(e.to_string());
        {
            // Always RGBA, also for a white background: one layout for every
            // reader, and the alpha channel says what is transparent.
            let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            // Fast compression: a 300-card diagram at 2× has tens of millions
            // of pixels, mostly flat colour, which compresses well even so.
            encoder.set_compression(png::Compression::Fast);
            let mut writer = encoder.write_header().map_err(render)?;
            writer.write_image_data(&self.pixels).map_err(render)?;
            writer.finish().map_err(render)?;
        }
        Ok(out)
    }
}

fn tree(svg: &str) -> Result<usvg::Tree, ExportError> {
    usvg::Tree::from_str(svg, &usvg_options(svg)).map_err(|e| ExportError::Render(e.to_string()))
}

/// Rasterises `svg` at `scale` pixels per SVG pixel.
#[allow(clippy::cast_possible_truncation, reason = "saturates, and MAX_PNG_SIDE is checked next")]
pub(super) fn render(svg: &str, scale: f32) -> Result<Rgba, ExportError> {
    let tree = tree(svg)?;
    let size = tree.size();
    let width = (size.width() * scale).ceil() as u32;
    let height = (size.height() * scale).ceil() as u32;
    if width > MAX_PNG_SIDE || height > MAX_PNG_SIDE {
        return Err(ExportError::TooLarge(width, height));
    }
    let (width, height) = (width.max(1), height.max(1));
    let mut pixels = vec![0u8; width as usize * height as usize * 4];
    // Tall diagrams are millions of pixels: render horizontal bands on every
    // core, each straight into its rows of the one buffer.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let band = (height as usize).div_ceil(threads).max(1);
    let failed = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for (k, rows) in pixels.chunks_mut(band * width as usize * 4).enumerate() {
            let (tree, failed) = (&tree, &failed);
            scope.spawn(move || {
                let h = (rows.len() / 4 / width as usize) as u32;
                let Some(mut target) = tiny_skia::PixmapMut::from_bytes(rows, width, h) else {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    return;
                };
                let top = (k * band) as f32;
                let transform = tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -top);
                resvg::render(tree, transform, &mut target);
                demultiply(target.data_mut());
            });
        }
    });
    if failed.into_inner() {
        return Err(ExportError::TooLarge(width, height));
    }
    Ok(Rgba { width, height, pixels })
}

/// Premultiplied RGBA → straight RGBA, in place.
fn demultiply(pixels: &mut [u8]) {
    for px in pixels.chunks_exact_mut(4) {
        let a = px[3];
        if a != 0 && a != 255 {
            for c in &mut px[..3] {
                *c = ((u16::from(*c) * 255 + u16::from(a) / 2) / u16::from(a)).min(255) as u8;
            }
        }
    }
}

/// A one-page PDF of `svg`, one SVG pixel to one point, or smaller so that
/// neither side is longer than [`MAX_PDF_PAGE`] points.
pub(super) fn pdf(svg: &str) -> Result<Vec<u8>, ExportError> {
    let tree = tree(svg)?;
    let size = tree.size();
    let dpi = pdf_dpi(f64::from(size.width().max(size.height())));
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), svg2pdf::PageOptions { dpi })
        .map_err(|e| ExportError::Render(e.to_string()))
}

/// The resolution svg2pdf should assume for a picture whose longest side is
/// `longest` pixels: 72 (1 px = 1 pt) while it fits the page limit, more
/// (a smaller page) when it does not. A point short of the limit, against
/// rounding.
#[allow(clippy::cast_possible_truncation, reason = "a resolution in dots per inch, far inside f32")]
fn pdf_dpi(longest: f64) -> f32 {
    let fit = MAX_PDF_PAGE - 1.0;
    if longest <= fit { 72.0 } else { (72.0 * longest / fit) as f32 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_larger_than_viewers_open_is_scaled_to_fit() {
        for longest in [100.0, 14_399.0, 14_400.0, 20_000.0, 1.0e6, 3.7e7] {
            let page = longest * 72.0 / f64::from(super::pdf_dpi(longest));
            assert!(page <= super::MAX_PDF_PAGE, "{longest} → {page}");
            if longest <= 14_399.0 {
                assert_eq!(page, longest);
            } else {
                assert!(page > super::MAX_PDF_PAGE - 2.0, "{longest} → {page}: as large as allowed");
            }
        }
    }
}
