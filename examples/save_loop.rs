//! The writer of the kill test (`scripts/kill-test.sh`, `tests/kill.rs`):
//! saves two different documents to one path, alternately, with the editor's
//! own atomic save, until killed.
//!
//! `save_loop PATH` loops; `save_loop --expected DIR` writes the exact bytes of
//! both documents to DIR/a.json and DIR/b.json.

fn documents() -> [kpitree::Document; 2] {
    // A small one and a large one (about 1 MB), so that kills land mid-write.
    [kpitree::model::generate::tree(40, 1), kpitree::model::generate::tree(4000, 2)]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let docs = documents();
    match args.as_slice() {
        [flag, dir] if flag == "--expected" => {
            for (doc, name) in docs.iter().zip(["a.json", "b.json"]) {
                std::fs::write(std::path::Path::new(dir).join(name), kpitree::io::to_json_string(doc))
                    .expect("writes the expected document");
            }
        }
        [path] => {
            let path = std::path::Path::new(path);
            for k in 0.. {
                kpitree::io::save(path, &docs[k % 2]).expect("saves");
            }
        }
        _ => {
            eprintln!("usage: save_loop PATH | save_loop --expected DIR");
            std::process::exit(2);
        }
    }
}
