//! Telling another program's write apart from the file the editor knows
//! (issue 21, item 4): equal size and time are no proof of equal bytes when
//! the file was read within the file system's time resolution of its last
//! write, and never before an overwrite.

use std::time::{Duration, SystemTime};

use kpitree::io::identity::TIME_RESOLUTION;
use kpitree::io::{Change, FileIdentity};

fn set_time(path: &std::path::Path, time: SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

#[test]
fn a_same_size_write_with_the_time_put_back_is_a_change_when_read_within_the_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.kpitree.json");
    std::fs::write(&path, "one").unwrap();
    let id = FileIdentity::read(&path).unwrap();
    assert!(id.recent, "read right after it was written");
    let time = id.modified.unwrap();
    std::fs::write(&path, "two").unwrap();
    set_time(&path, time);
    assert!(matches!(id.compare(&path).unwrap(), Change::Modified(_)), "the bytes tell");
}

#[test]
fn before_an_overwrite_the_bytes_are_compared_whatever_the_times_say() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.kpitree.json");
    std::fs::write(&path, "one").unwrap();
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    set_time(&path, an_hour_ago);
    let id = FileIdentity::read(&path).unwrap();
    assert!(!id.recent, "read long after its last write");
    std::fs::write(&path, "two").unwrap();
    set_time(&path, an_hour_ago);
    // Watching is cheap: the metadata is trusted…
    assert_eq!(id.compare(&path).unwrap(), Change::Unchanged);
    // …an overwrite is not.
    assert!(matches!(id.compare_content(&path).unwrap(), Change::Modified(_)));
    // The same bytes are no change, also when compared.
    std::fs::write(&path, "one").unwrap();
    set_time(&path, an_hour_ago);
    assert_eq!(id.compare_content(&path).unwrap(), Change::Unchanged);
}

#[test]
fn a_recent_identity_confirmed_by_its_bytes_becomes_one_the_times_can_vouch_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.kpitree.json");
    std::fs::write(&path, "one").unwrap();
    // Written "just now" as far as the identity knows: the time is in the future.
    set_time(&path, SystemTime::now() + TIME_RESOLUTION * 10);
    let id = FileIdentity::read(&path).unwrap();
    assert!(id.recent);
    set_time(&path, SystemTime::now() - TIME_RESOLUTION * 10);
    match id.compare(&path).unwrap() {
        Change::Touched(now) => assert!(!now.recent && now.hash == id.hash),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_unknown_identity_differs_from_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.kpitree.json");
    std::fs::write(&path, "").unwrap();
    assert!(FileIdentity::unknown().changed(&path).unwrap());
}
