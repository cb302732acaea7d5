//! `kpitree merge BASE A B -o OUT` (or `merge A B -o OUT` for two copies
//! synced from one room, each with its room state): two copies of one document edited apart,
//! merged with the rules of a room (the Loro CRDT, `collab`): both sides'
//! changes kept, a node moved on one side and edited on the other both
//! applied, and where both changed one field the second copy's value kept —
//! said on standard error, field by field.

use std::io::Write;
use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::messages::Msg;
use super::{EXIT_MODEL_ERRORS, EXIT_OK, LangArg, is_dash, lang_of, stdio, term};
use crate::collab::Room;
use crate::io;
use crate::lang::Lang;
use crate::model::Document;

/// `kpitree merge`.
#[derive(Debug, ClapArgs)]
pub struct MergeArgs {
    /// BASE A B: the document both copies started from, then the two copies (where both changed one field, B's value is kept). A B alone: two copies synced from one room, each with its room state beside it (A.loro, B.loro).
    #[arg(value_name = "FILE", num_args = 2..=3, required = true)]
    pub files: Vec<PathBuf>,
    /// The merged document (- for standard output).
    #[arg(long, short, value_name = "OUT")]
    pub output: PathBuf,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// Language of the messages (default: from the locale).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

impl MergeArgs {
    /// The language of the messages.
    pub fn lang(&self) -> Lang {
        lang_of(self.lang)
    }
}

/// Runs `kpitree merge`.
pub fn run(args: &MergeArgs, out: &mut impl Write) -> Result<i32, String> {
    let lang = args.lang();
    if !is_dash(&args.output) && args.output.exists() && !args.force {
        return Err(Msg::Exists(args.output.display().to_string()).text(lang));
    }
    let (base, a, b, merged) = match args.files.as_slice() {
        [base, a, b] => {
            let [base, a, b] = [base, a, b].map(|p| stdio::load_document(p, lang));
            let (base, a, b) = (base?, a?, b?);
            let merged = merge(&base, &a, &b).map_err(|e| e.to_string())?;
            (base, a, b, merged)
        }
        [a_path, b_path] => {
            let (a, b) = (stdio::load_document(a_path, lang)?, stdio::load_document(b_path, lang)?);
            let state = |p: &std::path::Path| {
                let s = crate::collab::relay::state_path(p);
                std::fs::read(&s).map_err(|e| match lang {
                    Lang::Ja => format!(
                        "{}: 読めません({e})。2 つのファイルだけで統合するには、両方が同じルームから room sync したもの(横に .loro がある)である必要があります。そうでなければ kpitree merge BASE A B -o OUT",
                        s.display()
                    ),
                    Lang::En => format!(
                        "{}: cannot read it ({e}). Two files alone merge when both were synced from one room (a .loro beside each); otherwise give the copy both started from: kpitree merge BASE A B -o OUT",
                        s.display()
                    ),
                })
            };
            let (sa, sb) = (state(a_path)?, state(b_path)?);
            let (base, merged) = crate::collab::merge_copies((&sa, &a), (&sb, &b)).map_err(|e| e.to_string())?;
            (base, a, b, merged)
        }
        _ => return Err(lang.pick("統合するファイルは 2 つか 3 つです", "merge takes two or three files").to_owned()),
    };
    for m in conflicts(&base, &a, &b, &merged) {
        stdio::warn(&m.text(lang));
    }
    let code = if crate::evaluate(&merged).has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    if is_dash(&args.output) {
        let json = io::json_stream::DocumentJson::new(&merged);
        let _ = io::json_stream::write_json(out, &json, io::json_stream::Form::Pretty);
        return Ok(code);
    }
    io::check_target(&args.output).map_err(|e| io::error_message(&e, lang))?;
    io::save(&args.output, &merged).map_err(|e| io::error_message(&e, lang))?;
    let _ = writeln!(out, "{}", term(&args.output.display().to_string()));
    Ok(code)
}

/// `a` and `b`, both edited from `base`, merged as a room merges them: the
/// base's room, one copy writing `a`, another `b`, each given the other's
/// updates. Where both changed one field, `b`'s value wins (its copy is the
/// later participant).
pub fn merge(base: &Document, a: &Document, b: &Document) -> Result<Document, crate::collab::RoomError> {
    let start = Room::from_document(base, 1)?.snapshot()?;
    let copy = |peer, doc: &Document| -> Result<Room, crate::collab::RoomError> {
        let mut r = Room::new(peer)?;
        r.merge(&start)?;
        r.write(doc)?;
        Ok(r)
    };
    let (mut ra, rb) = (copy(2, a)?, copy(3, b)?);
    ra.merge(&rb.updates_since(&ra.version())?)?;
    ra.document()
}

/// The fields both copies changed to different values, as messages.
fn conflicts(base: &Document, a: &Document, b: &Document, merged: &Document) -> Vec<Msg> {
    crate::collab::both_changed(base, a, b, merged)
        .into_iter()
        .map(|c| Msg::MergeConflict { node: c.node, field: c.field, kept: c.kept, lost: c.lost })
        .collect()
}
