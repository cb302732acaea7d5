//! Saves interrupted by SIGKILL leave the file complete: always one of the
//! two documents being saved, byte for byte, and loadable. (The same test,
//! 100 rounds against a release build: `scripts/kill-test.sh`.)
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD: &str = "KPITREE_KILL_TEST_FILE";

fn documents() -> [kpitree::Document; 2] {
    [kpitree::model::generate::tree(40, 1), kpitree::model::generate::tree(2000, 2)]
}

/// Not a test by itself: when the parent test starts this binary with the
/// file in the environment, this saves the two documents there alternately
/// until it is killed.
#[test]
fn save_loop_child() {
    let Some(path) = std::env::var_os(CHILD) else { return };
    let docs = documents();
    for k in 0.. {
        kpitree::io::save(Path::new(&path), &docs[k % 2]).expect("saves");
    }
}

#[test]
fn a_save_killed_at_any_moment_leaves_one_whole_document() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.kpitree.json");
    let docs = documents();
    let expected = [kpitree::io::to_json_string(&docs[0]), kpitree::io::to_json_string(&docs[1])];
    std::fs::write(&file, &expected[0]).unwrap();
    let mut seen = [0; 2];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..30 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "save_loop_child", "--nocapture", "--test-threads=1"])
            .env(CHILD, &file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        std::thread::sleep(Duration::from_millis(5 + (seed >> 33) % 120));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let which = expected.iter().position(|e| *e == text);
        let Some(which) = which else { panic!("round {round}: the file is neither document ({} bytes)", text.len()) };
        seen[which] += 1;
        kpitree::io::load(&file).unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
    assert_eq!(seen[0] + seen[1], 30);
}
