//! TrueType files kpitree writes itself: a subset of a bundled face with
//! only the characters a picture uses (an SVG's `@font-face`, so that a
//! browser draws the picture in BIZ UDPGothic without it installed), and a
//! face of boxes for characters no font has (so that each such character
//! keeps a glyph of its own and a PDF's text layer reads it back, instead of
//! all of them sharing the one `.notdef` glyph and its one meaning).
//!
//! Only what those two need: TrueType outlines (`glyf`), horizontal text,
//! no layout tables (BIZ UDPGothic has no `GPOS` or `kern`; its `GSUB` holds
//! vertical and alternate forms, which a horizontal picture does not use).

use std::collections::{BTreeSet, HashMap};

use ttf_parser::{Face, RawFace, Tag};

/// A font table: its tag and its bytes.
type Table = ([u8; 4], Vec<u8>);

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn put_u16(data: &mut [u8], at: usize, value: u16) {
    data[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

/// Appends big-endian 16-bit values.
fn push16(out: &mut Vec<u8>, values: &[u16]) {
    for v in values {
        out.extend_from_slice(&v.to_be_bytes());
    }
}

/// Appends big-endian 32-bit values.
fn push32(out: &mut Vec<u8>, values: &[u32]) {
    for v in values {
        out.extend_from_slice(&v.to_be_bytes());
    }
}

/// The OpenType checksum: the sum of the big-endian 32-bit words, the last
/// one padded with zeros.
fn checksum(bytes: &[u8]) -> u32 {
    bytes.chunks(4).fold(0u32, |sum, word| {
        let mut w = [0u8; 4];
        w[..word.len()].copy_from_slice(word);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// `(searchRange, entrySelector, rangeShift)` of a binary-search header over
/// `count` entries of `size` bytes.
#[allow(clippy::cast_possible_truncation, reason = "count is a u16 count of tables or segments")]
fn search_header(count: u16, size: u16) -> [u16; 3] {
    let selector = if count == 0 { 0 } else { 15 - count.leading_zeros() as u16 };
    let range = (1u16 << selector) * size;
    [range, selector, (count * size).saturating_sub(range)]
}

/// A font file of `tables`: the table directory (sorted by tag, with
/// checksums), each table on a 4-byte boundary, and `head`'s
/// `checkSumAdjustment` set so that the whole file sums to the magic number.
#[allow(clippy::cast_possible_truncation, reason = "a handful of tables, each far below 4 GB")]
fn font_file(mut tables: Vec<Table>) -> Vec<u8> {
    tables.sort_by_key(|(tag, _)| *tag);
    let count = tables.len() as u16;
    let mut out = Vec::new();
    push32(&mut out, &[0x0001_0000]);
    push16(&mut out, &[count]);
    push16(&mut out, &search_header(count, 16));
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(tag);
        push32(&mut out, &[checksum(data), offset as u32, data.len() as u32]);
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

/// A `cmap` of `map` (sorted by character): a format 4 subtable for the
/// Basic Multilingual Plane (what every reader reads) and a format 12 one
/// for every character (those above U+FFFF too).
#[allow(clippy::cast_possible_truncation, reason = "BMP characters and glyph ids are 16-bit; lengths are small")]
fn cmap_table(map: &[(char, u16)]) -> Vec<u8> {
    // Format 4: runs of consecutive characters with consecutive glyphs.
    let mut segments: Vec<(u16, u16, u16)> = Vec::new(); // (start, end, first glyph)
    for &(c, gid) in map.iter().filter(|(c, _)| (*c as u32) < 0xFFFF) {
        let c = c as u32 as u16;
        match segments.last_mut() {
            Some((start, end, first)) if *end + 1 == c && first.wrapping_add(c - *start) == gid => *end = c,
            _ => segments.push((c, c, gid)),
        }
    }
    segments.push((0xFFFF, 0xFFFF, 0));
    let count = segments.len() as u16;
    let mut f4 = Vec::new();
    push16(&mut f4, &[4, 16 + 8 * count, 0, 2 * count]);
    push16(&mut f4, &search_header(count, 2));
    push16(&mut f4, &segments.iter().map(|s| s.1).collect::<Vec<_>>());
    push16(&mut f4, &[0]);
    push16(&mut f4, &segments.iter().map(|s| s.0).collect::<Vec<_>>());
    push16(&mut f4, &segments.iter().map(|&(start, _, gid)| gid.wrapping_sub(start)).collect::<Vec<_>>());
    push16(&mut f4, &vec![0; segments.len()]);
    // Format 12: one group per run, every plane.
    let mut groups: Vec<[u32; 3]> = Vec::new();
    for &(c, gid) in map {
        let (c, gid) = (c as u32, u32::from(gid));
        match groups.last_mut() {
            Some([start, end, first]) if *end + 1 == c && *first + (c - *start) == gid => *end = c,
            _ => groups.push([c, c, gid]),
        }
    }
    let mut f12 = Vec::new();
    push16(&mut f12, &[12, 0]);
    push32(&mut f12, &[16 + 12 * groups.len() as u32, 0, groups.len() as u32]);
    for group in &groups {
        push32(&mut f12, group);
    }
    let mut out = Vec::new();
    push16(&mut out, &[0, 2]);
    let first = 4 + 2 * 8;
    push16(&mut out, &[3, 1]);
    push32(&mut out, &[first]);
    push16(&mut out, &[3, 10]);
    push32(&mut out, &[first + f4.len() as u32]);
    out.extend_from_slice(&f4);
    out.extend_from_slice(&f12);
    out
}

/// The outline tables of a font being written: `glyf` (each glyph on a
/// 4-byte boundary), its long `loca`, and `hmtx` with a metric per glyph.
#[derive(Default)]
struct Outlines {
    glyf: Vec<u8>,
    loca: Vec<u8>,
    hmtx: Vec<u8>,
}

impl Outlines {
    /// Appends the next glyph with its `[advance, left side bearing]`.
    #[allow(clippy::cast_possible_truncation, reason = "a subset or a face of boxes is far below 4 GB")]
    fn push(&mut self, glyph: &[u8], metric: [u16; 2]) {
        push32(&mut self.loca, &[self.glyf.len() as u32]);
        self.glyf.extend_from_slice(glyph);
        self.glyf.resize(self.glyf.len().next_multiple_of(4), 0);
        push16(&mut self.hmtx, &metric);
    }

    /// The three tables, `loca` closed with the end of the last glyph.
    #[allow(clippy::cast_possible_truncation, reason = "as in push")]
    fn tables(mut self) -> [Table; 3] {
        push32(&mut self.loca, &[self.glyf.len() as u32]);
        [(*b"glyf", self.glyf), (*b"loca", self.loca), (*b"hmtx", self.hmtx)]
    }
}

/// The components of a composite glyph: where each one's glyph id is in
/// `glyph`, and the id. None for a simple glyph (or a malformed one).
fn components(glyph: &[u8]) -> Vec<(usize, u16)> {
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let mut found = Vec::new();
    if u16_at(glyph, 0).is_none_or(|contours| contours & 0x8000 == 0) {
        return found;
    }
    let mut at = 10;
    while let (Some(flags), Some(gid)) = (u16_at(glyph, at), u16_at(glyph, at + 2)) {
        found.push((at + 2, gid));
        at += 4 + if flags & WORDS != 0 { 4 } else { 2 };
        at += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE == 0 {
            break;
        }
    }
    found
}

/// The face in `data` with only the glyphs of `chars` (and the parts they
/// are composed of), renumbered from 1 after `.notdef`; its names, metrics
/// and hinting kept. None when `data` is not a TrueType-outlined font.
#[allow(clippy::cast_possible_truncation, reason = "glyph counts are 16-bit in the source font already")]
pub(crate) fn subset(data: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = Face::parse(data, 0).ok()?;
    let raw = RawFace::parse(data, 0).ok()?;
    let table = |tag: &[u8; 4]| raw.table(Tag::from_bytes(tag));
    let (head, hhea, maxp) = (table(b"head")?, table(b"hhea")?, table(b"maxp")?);
    let (loca, glyf, hmtx) = (table(b"loca")?, table(b"glyf")?, table(b"hmtx")?);
    let long_loca = u16_at(head, 50)? == 1;
    let glyph = |gid: u16| -> Option<&[u8]> {
        let g = usize::from(gid);
        let (start, end) = if long_loca {
            (u32_at(loca, 4 * g)? as usize, u32_at(loca, 4 * g + 4)? as usize)
        } else {
            (2 * usize::from(u16_at(loca, 2 * g)?), 2 * usize::from(u16_at(loca, 2 * g + 2)?))
        };
        glyf.get(start..end)
    };
    let metrics_count = usize::from(u16_at(hhea, 34)?.max(1));
    let metric = |gid: u16| -> Option<[u16; 2]> {
        let g = usize::from(gid);
        if g < metrics_count {
            Some([u16_at(hmtx, 4 * g)?, u16_at(hmtx, 4 * g + 2)?])
        } else {
            let lsb = u16_at(hmtx, 4 * metrics_count + 2 * (g - metrics_count)).unwrap_or(0);
            Some([u16_at(hmtx, 4 * (metrics_count - 1))?, lsb])
        }
    };

    // The glyphs kept, old ids in their new order; composites' parts after.
    let mut old: Vec<u16> = vec![0];
    let mut new_id: HashMap<u16, u16> = HashMap::from([(0, 0)]);
    let keep = |gid: u16, old: &mut Vec<u16>, new_id: &mut HashMap<u16, u16>| -> u16 {
        *new_id.entry(gid).or_insert_with(|| {
            old.push(gid);
            (old.len() - 1) as u16
        })
    };
    let mut map = Vec::new();
    for &c in chars {
        if let Some(gid) = face.glyph_index(c) {
            map.push((c, keep(gid.0, &mut old, &mut new_id)));
        }
    }
    let mut i = 0;
    while i < old.len() {
        for (_, part) in components(glyph(old[i])?) {
            keep(part, &mut old, &mut new_id);
        }
        i += 1;
    }

    let mut outlines = Outlines::default();
    for &gid in &old {
        let mut bytes = glyph(gid)?.to_vec();
        for (at, part) in components(&bytes) {
            put_u16(&mut bytes, at, *new_id.get(&part)?);
        }
        outlines.push(&bytes, metric(gid)?);
    }

    let count = old.len() as u16;
    let mut new_head = head.to_vec();
    new_head[8..12].fill(0);
    put_u16(&mut new_head, 50, 1);
    let mut new_hhea = hhea.to_vec();
    put_u16(&mut new_hhea, 34, count);
    let mut new_maxp = maxp.to_vec();
    put_u16(&mut new_maxp, 4, count);
    // post version 3: no glyph names (they would name the old ids).
    let mut post = table(b"post").map_or_else(|| vec![0; 32], |p| p.get(..32).unwrap_or(p).to_vec());
    post.resize(32, 0);
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut tables: Vec<Table> = vec![
        (*b"head", new_head),
        (*b"hhea", new_hhea),
        (*b"maxp", new_maxp),
        (*b"cmap", cmap_table(&map)),
        (*b"post", post),
    ];
    tables.extend(outlines.tables());
    for tag in [b"OS/2", b"name", b"cvt ", b"fpgm", b"prep", b"gasp"] {
        if let Some(bytes) = table(tag) {
            tables.push((*tag, bytes.to_vec()));
        }
    }
    Some(font_file(tables))
}

/// The family name of the face of boxes.
pub(crate) const BOXES_FAMILY: &str = "kpitree boxes";

/// A face whose every glyph is an empty box, one glyph for each of `chars`:
/// drawn where no font has a character, it looks like the usual "tofu", but
/// each character keeps a glyph of its own, so a PDF maps each back to its
/// own character.
#[allow(clippy::cast_possible_truncation, reason = "a picture has far fewer than 65,535 distinct characters")]
pub(crate) fn boxes(chars: &BTreeSet<char>) -> Vec<u8> {
    const EM: u16 = 1000;
    const ASCENT: i16 = 880;
    const DESCENT: i16 = -120;
    let count = (chars.len() + 1).min(usize::from(u16::MAX)) as u16;
    // A box: the outer square clockwise, the inner one anticlockwise.
    let (x0, y0, x1, y1, t) = (100i16, -40i16, 900i16, 760i16, 60i16);
    let points = [
        (x0, y0),
        (x0, y1),
        (x1, y1),
        (x1, y0),
        (x0 + t, y0 + t),
        (x1 - t, y0 + t),
        (x1 - t, y1 - t),
        (x0 + t, y1 - t),
    ];
    let mut glyph = Vec::new();
    push16(&mut glyph, &[2, x0 as u16, y0 as u16, x1 as u16, y1 as u16, 3, 7, 0]);
    glyph.extend_from_slice(&[0x01; 8]); // on-curve, 16-bit deltas
    let mut last = (0i16, 0i16);
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for &(x, y) in &points {
        push16(&mut xs, &[(x - last.0) as u16]);
        push16(&mut ys, &[(y - last.1) as u16]);
        last = (x, y);
    }
    glyph.extend_from_slice(&xs);
    glyph.extend_from_slice(&ys);

    let mut outlines = Outlines::default();
    for _ in 0..count {
        outlines.push(&glyph, [EM, x0 as u16]);
    }
    let map: Vec<(char, u16)> = chars.iter().take(usize::from(count) - 1).zip(1..).map(|(&c, g)| (c, g)).collect();

    let mut head = Vec::new();
    push32(&mut head, &[0x0001_0000, 0x0001_0000, 0, 0x5F0F_3CF5]);
    push16(&mut head, &[0x000B, EM]);
    push32(&mut head, &[0, 0, 0, 0]); // created, modified
    push16(&mut head, &[x0 as u16, y0 as u16, x1 as u16, y1 as u16, 0, 8, 2, 1, 0]);
    let mut hhea = Vec::new();
    push32(&mut hhea, &[0x0001_0000]);
    push16(&mut hhea, &[ASCENT as u16, DESCENT as u16, 0, EM, x0 as u16, (EM as i16 - x1) as u16, x1 as u16]);
    push16(&mut hhea, &[1, 0, 0, 0, 0, 0, 0, 0, count]);
    let mut maxp = Vec::new();
    push32(&mut maxp, &[0x0001_0000]);
    push16(&mut maxp, &[count, 8, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut os2 = Vec::new();
    push16(&mut os2, &[4, EM, 400, 5, 0]); // version, avg width, weight, width, fsType
    push16(&mut os2, &[650, 600, 0, 75, 650, 600, 0, 350, 50, 250, 0]); // sub/superscript, strikeout, class
    os2.extend_from_slice(&[0; 10]); // PANOSE
    push32(&mut os2, &[0, 0, 0, 0]); // Unicode ranges
    os2.extend_from_slice(b"NONE");
    let first = map.first().map_or(0, |(c, _)| (*c as u32).min(0xFFFF) as u16);
    let last = map.last().map_or(0, |(c, _)| (*c as u32).min(0xFFFF) as u16);
    push16(&mut os2, &[0x0040, first, last, ASCENT as u16, DESCENT as u16, 0, ASCENT as u16, (-DESCENT) as u16]);
    push32(&mut os2, &[1, 0]); // code pages: Latin 1
    push16(&mut os2, &[500, 700, 0, 32, 1]);
    let mut post = Vec::new();
    push32(&mut post, &[0x0003_0000, 0]);
    push16(&mut post, &[(-100i16) as u16, 50]);
    push32(&mut post, &[0, 0, 0, 0, 0]);

    let mut tables = vec![
        (*b"head", head),
        (*b"hhea", hhea),
        (*b"maxp", maxp),
        (*b"OS/2", os2),
        (*b"cmap", cmap_table(&map)),
        (*b"name", name_table(&[(1, BOXES_FAMILY), (2, "Regular"), (4, BOXES_FAMILY), (6, "kpitree-boxes")])),
        (*b"post", post),
    ];
    tables.extend(outlines.tables());
    font_file(tables)
}

/// A `name` table of `(name id, text)` for Windows (UTF-16, US English).
#[allow(clippy::cast_possible_truncation, reason = "a few short names")]
fn name_table(names: &[(u16, &str)]) -> Vec<u8> {
    let mut strings = Vec::new();
    let mut records = Vec::new();
    for &(id, text) in names {
        let utf16: Vec<u16> = text.encode_utf16().collect();
        push16(&mut records, &[3, 1, 0x0409, id, 2 * utf16.len() as u16, strings.len() as u16]);
        push16(&mut strings, &utf16);
    }
    let mut out = Vec::new();
    push16(&mut out, &[0, names.len() as u16, 6 + records.len() as u16]);
    out.extend_from_slice(&records);
    out.extend_from_slice(&strings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{FONT_FAMILY, FONT_REGULAR};

    #[test]
    fn a_subset_draws_its_characters_with_the_fonts_own_glyphs_and_nothing_else() {
        let full = Face::parse(FONT_REGULAR, 0).unwrap();
        let chars: BTreeSet<char> = "売上 = 顧客数 × 客単価 (A&b) 𠮷".chars().collect();
        let small = subset(FONT_REGULAR, &chars).unwrap();
        assert!(small.len() < FONT_REGULAR.len() / 50, "{} bytes", small.len());
        let face = Face::parse(&small, 0).unwrap();
        assert_eq!(
            face.names().into_iter().find(|n| n.name_id == 1).and_then(|n| n.to_string()).as_deref(),
            Some(FONT_FAMILY)
        );
        for c in chars.iter().copied().filter(|&c| c != '𠮷') {
            let (old, new) = (full.glyph_index(c).unwrap(), face.glyph_index(c).unwrap());
            assert_eq!(face.glyph_hor_advance(new), full.glyph_hor_advance(old), "{c}");
            assert_eq!(face.glyph_bounding_box(new), full.glyph_bounding_box(old), "{c}");
        }
        // Characters not asked for, and one the font lacks, are not there.
        assert!(face.glyph_index('円').is_none());
        assert!(face.glyph_index('𠮷').is_none());
        // .notdef and a glyph per character the font has (𠮷 is not one).
        assert!(usize::from(face.number_of_glyphs()) >= chars.len());
        assert!(usize::from(face.number_of_glyphs()) < chars.len() + 8);
    }

    #[test]
    fn the_face_of_boxes_has_a_glyph_of_its_own_for_each_character() {
        let chars: BTreeSet<char> = "𠮷🎯\u{e000}".chars().collect();
        let data = boxes(&chars);
        let face = Face::parse(&data, 0).unwrap();
        let ids: BTreeSet<u16> = chars.iter().map(|&c| face.glyph_index(c).unwrap().0).collect();
        assert_eq!(ids.len(), 3);
        assert!(!ids.contains(&0));
        assert!(face.glyph_bounding_box(ttf_parser::GlyphId(1)).is_some());
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(data);
        assert!(db.faces().any(|f| f.families.iter().any(|(n, _)| n == BOXES_FAMILY)));
        assert_eq!(checksum(&boxes(&chars)), 0xB1B0_AFBA, "the whole file sums to the magic number");
    }
}
