//! Recovery copies (issue 21, items 2, 3 and 5): the start reads their small
//! headers only, newest first; at most five copies per document are kept;
//! each records what its file was when the work began; only regular files
//! are read in the recovery folder, headers size-capped, FIFOs never opened.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use kpitree::io::{FileIdentity, KEPT_PER_DOCUMENT, RecoveryStore};
use kpitree::model::{Document, generate};

/// Process ids no running process can have.
const DEAD: u32 = 4_294_001_000;

fn titled(title: &str) -> Document {
    let mut doc = generate::tree(4, 1);
    doc.title = Some(title.to_owned());
    doc
}

/// A copy written by dead process `DEAD + k`, its time set `age` ago.
fn crashed(dir: &Path, k: u32, doc: &Document, origin: Option<&Path>, age: Duration) -> PathBuf {
    let store = RecoveryStore::in_dir_as(dir.to_owned(), DEAD + k);
    store.write(doc, origin, None).unwrap();
    let file = store.file();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(SystemTime::now() - age).unwrap();
    file
}

fn me(dir: &Path) -> RecoveryStore {
    RecoveryStore::in_dir(dir.to_owned())
}

#[test]
fn copies_are_offered_newest_first_from_their_headers_alone() {
    let data = tempfile::tempdir().unwrap();
    let a = Path::new("/work/a.kpitree.json");
    let b = Path::new("/work/b.kpitree.json");
    crashed(data.path(), 1, &titled("older"), Some(a), Duration::from_secs(300));
    let newest = crashed(data.path(), 2, &titled("newest"), Some(b), Duration::from_secs(10));
    crashed(data.path(), 3, &titled("middle"), None, Duration::from_secs(100));
    // The newest copy's document is unreadable now: it is offered all the
    // same, since only its header is read at start.
    std::fs::write(&newest, "not JSON").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&newest)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(10))
        .unwrap();
    let found = me(data.path()).find_orphans();
    let titles: Vec<Option<&str>> = found.iter().map(|r| r.title.as_deref()).collect();
    assert_eq!(titles, [Some("newest"), Some("middle"), Some("older")]);
    assert_eq!(found[0].name().as_deref(), Some("b.kpitree.json"), "named after its file");
    assert_eq!(found[1].name().as_deref(), Some("middle"), "or its title when it has none");
    assert_eq!(found[0].nodes, Some(4));
    assert!(found[0].load().is_err(), "the document is read on restore, and said to be unreadable then");
    assert_eq!(found[2].load().unwrap().title.as_deref(), Some("older"));
}

#[test]
fn at_most_five_copies_of_one_document_are_kept_the_oldest_removed() {
    let data = tempfile::tempdir().unwrap();
    let a = Path::new("/work/a.kpitree.json");
    let mut files = Vec::new();
    for k in 0..7 {
        files.push(crashed(
            data.path(),
            k,
            &titled(&format!("a{k}")),
            Some(a),
            Duration::from_secs(60 * (k + 1) as u64),
        ));
    }
    crashed(data.path(), 20, &titled("b"), Some(Path::new("/work/b.kpitree.json")), Duration::from_secs(1));
    crashed(data.path(), 21, &titled("untitled"), None, Duration::from_secs(1));
    let found = me(data.path()).find_orphans();
    let of_a = found.iter().filter(|r| r.origin.as_deref() == Some(a)).count();
    assert_eq!(of_a, KEPT_PER_DOCUMENT);
    assert_eq!(found.len(), KEPT_PER_DOCUMENT + 2);
    // The two oldest of a's (k = 5, 6) are gone from disk, header and all.
    assert!(files[..5].iter().all(|f| f.exists()));
    assert!(files[5..].iter().all(|f| !f.exists()));
    let left = std::fs::read_dir(data.path()).unwrap().count();
    assert_eq!(left, 2 * (KEPT_PER_DOCUMENT + 2), "a copy and a header each");
}

#[test]
fn a_copy_records_what_its_file_was_when_the_work_began() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.kpitree.json");
    kpitree::io::save(&file, &titled("saved")).unwrap();
    let base = FileIdentity::read(&file).unwrap();
    RecoveryStore::in_dir_as(data.path().to_owned(), DEAD).write(&titled("edited"), Some(&file), Some(&base)).unwrap();
    let found = me(data.path()).find_orphans();
    assert_eq!(found[0].base, Some(base));
    assert_eq!(found[0].origin.as_deref(), Some(file.as_path()));
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read_in_the_recovery_folder_and_headers_are_capped() {
    let data = tempfile::tempdir().unwrap();
    let good = crashed(data.path(), 1, &titled("good"), None, Duration::from_secs(5));
    // A FIFO and a link to /dev/zero with the names of copies, and a copy
    // whose header is a FIFO, and one whose header is far too large.
    let fifo = data.path().join(format!("recovery-{}-fifofifo.kpitree.json", DEAD + 2));
    crate::common::mkfifo(&fifo, 0o600);
    let zero = data.path().join(format!("recovery-{}-zerozero.kpitree.json", DEAD + 3));
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let fifo_header = crashed(data.path(), 4, &titled("fifo header"), None, Duration::from_secs(6));
    let header =
        |f: &Path| f.with_file_name(f.file_name().unwrap().to_str().unwrap().replace(".kpitree.json", ".header.json"));
    std::fs::remove_file(header(&fifo_header)).unwrap();
    crate::common::mkfifo(&header(&fifo_header), 0o600);
    let huge_header = crashed(data.path(), 5, &titled("huge header"), None, Duration::from_secs(7));
    std::fs::File::create(header(&huge_header)).unwrap().set_len(1 << 30).unwrap();
    // Returns at once (a FIFO opened for reading would wait for a writer).
    let found = me(data.path()).find_orphans();
    let files: Vec<&Path> = found.iter().map(|r| r.file.as_path()).collect();
    assert_eq!(files, [good.as_path(), fifo_header.as_path(), huge_header.as_path()]);
    assert_eq!(found[0].title.as_deref(), Some("good"));
    assert_eq!(found[1].title, None, "its header was not read");
    assert_eq!(found[2].title, None, "nor this one's");
}

#[cfg(unix)]
#[test]
fn a_copy_is_never_written_through_a_link_to_nothing() {
    let data = tempfile::tempdir().unwrap();
    let store = RecoveryStore::in_dir(data.path().to_owned());
    std::fs::create_dir_all(data.path()).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("planted.kpitree.json");
    std::os::unix::fs::symlink(&target, store.file()).unwrap();
    assert!(store.write(&titled("x"), None, None).is_err());
    assert!(!target.exists());
}
