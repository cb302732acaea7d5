//! Rooms on the network: a relay on 127.0.0.1 and participants joined to
//! it, in this process and as `kpitree serve` / `kpitree room sync`
//! processes. Every participant's document equals every other's and the
//! relay's once the updates have gone round; a bad update is refused and
//! never reaches the others; a participant cut off keeps its edits and
//! merges them when it comes back; a relay stopped and started again
//! keeps the room.

use std::time::{Duration, Instant};

use crate::collab::{meaning, reparent, sales};
use kpitree::collab::client::{self, Connection, Event};
use kpitree::collab::relay::{Relay, RelayConfig, state_path};
use kpitree::collab::{Room, wire};
use kpitree::model::{Document, Edge, Kind, Node, NodeId, Op};

pub(crate) const CODE: &str = "424242";

pub(crate) fn relay_with(d: &Document, save: Option<std::path::PathBuf>) -> Relay {
    let room = Room::from_document(d, wire::random_u64()).unwrap();
    Relay::start(room, RelayConfig { bind: "127.0.0.1:0".parse().unwrap(), code: CODE.into(), save }).unwrap()
}

/// One participant: its copy of the room and its connection.
struct Peer {
    room: Room,
    conn: Connection,
    refused: Vec<String>,
}

impl Peer {
    fn join(relay: &Relay) -> Peer {
        let (conn, snapshot) = client::join(&relay.addr().to_string(), CODE, "test", || {}).unwrap();
        Peer { room: Room::from_snapshot(&snapshot, wire::random_u64()).unwrap(), conn, refused: Vec::new() }
    }

    fn doc(&self) -> Document {
        self.room.document().unwrap()
    }

    /// Changes this copy's document and sends the change.
    fn edit(&mut self, f: impl FnOnce(&mut Document)) {
        let before = self.room.version();
        let mut d = self.doc();
        f(&mut d);
        self.room.write(&d).unwrap();
        self.conn.send_update(self.room.updates_since(&before).unwrap());
    }

    /// Takes what has arrived, waiting at most `wait` for the first.
    fn pump(&mut self, wait: Duration) {
        let mut next = self.conn.wait_event(wait);
        while let Some(e) = next {
            match e {
                Event::Update(bytes) => self.room.merge(&bytes).unwrap(),
                Event::Refused(why) => self.refused.push(why),
                _ => {}
            }
            next = self.conn.try_event();
        }
    }
}

/// Pumps every participant until each document means what the relay's
/// does (or fails after a few seconds).
fn quiesce(relay: &Relay, peers: &mut [Peer]) -> Document {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for p in peers.iter_mut() {
            p.pump(Duration::from_millis(5));
        }
        let want = meaning(&relay.document().unwrap());
        if peers.iter().all(|p| meaning(&p.doc()) == want) {
            return relay.document().unwrap();
        }
        assert!(Instant::now() < deadline, "the participants did not converge");
    }
}

pub(crate) fn add_under(d: &mut Document, parent: &str, id: &str) {
    let mut n = Node::new(NodeId::from(id), Kind::Kpi, id);
    n.unit = Some("件".into());
    d.nodes.push(n);
    d.edges.make_mut().push(Edge::new(NodeId::from(parent), NodeId::from(id), Op::Link));
}

#[test]
fn three_participants_converge_on_concurrent_moves_and_adds() {
    let d = sales();
    let relay = relay_with(&d, None);
    let mut peers = [Peer::join(&relay), Peer::join(&relay), Peer::join(&relay)];
    assert_eq!(relay.participants(), 3);
    let ids: Vec<String> = d.nodes.iter().map(|n| n.id.as_str().to_owned()).collect();
    let goal = ids[0].clone();
    // At once: two KPIs moved under each other (a cycle if both won), and
    // two new KPIs under the goal.
    let (x, y) = (ids[1].clone(), ids[2].clone());
    peers[0].edit(|d| reparent(d, &x, &y));
    peers[1].edit(|d| reparent(d, &y, &x));
    peers[2].edit(|d| add_under(d, &goal, "new_c"));
    peers[0].edit(|d| add_under(d, &goal, "new_a"));
    let end = quiesce(&relay, &mut peers);
    assert!(end.node(&"new_a".into()).is_some() && end.node(&"new_c".into()).is_some(), "both adds kept");
    let eval = kpitree::evaluate(&end);
    assert!(eval.diagnostics.iter().all(|d| d.code.as_str() != "cycle"), "{:?}", eval.diagnostics);
    assert!(peers.iter().all(|p| p.refused.is_empty()));
}

#[test]
fn one_node_moved_to_three_parents_at_once_ends_under_one_of_them_everywhere() {
    let d = sales();
    let relay = relay_with(&d, None);
    let mut peers = [Peer::join(&relay), Peer::join(&relay), Peer::join(&relay)];
    // A leaf (nothing below it: no move of it can make a cycle) and three
    // other nodes to move it under.
    let leaf = d.nodes.iter().find(|n| !d.edges.iter().any(|e| e.parent == n.id)).unwrap().id.as_str().to_owned();
    let targets: Vec<String> =
        d.nodes.iter().map(|n| n.id.as_str().to_owned()).filter(|id| *id != leaf).take(3).collect();
    for (p, t) in peers.iter_mut().zip(&targets) {
        p.edit(|d| reparent(d, &leaf, t));
    }
    let end = quiesce(&relay, &mut peers);
    let parents: Vec<&str> = end.edges.iter().filter(|e| e.child.as_str() == leaf).map(|e| e.parent.as_str()).collect();
    assert_eq!(parents.len(), 1, "one parent, not three: {parents:?}");
    assert!(targets.iter().any(|t| t == parents[0]), "one of the moves holds");
    assert!(peers.iter().all(|p| p.refused.is_empty()));
}

#[test]
fn a_wrong_code_is_refused_and_repeated_ones_must_wait() {
    let relay = relay_with(&sales(), None);
    let addr = relay.addr().to_string();
    for _ in 0..5 {
        let e = client::join(&addr, "000000", "x", || {}).err().expect("refused");
        assert!(matches!(&e, client::JoinError::Refused(why) if why.contains("wrong room code")), "{e}");
    }
    // The sixth try, even with the right code, waits.
    let e = client::join(&addr, CODE, "x", || {}).err().expect("refused");
    assert!(matches!(&e, client::JoinError::Refused(why) if why.contains("too many")), "{e}");
    assert_eq!(relay.participants(), 0);
}

#[test]
fn an_update_that_closes_a_cycle_is_refused_and_never_reaches_the_others() {
    let d = sales();
    let relay = relay_with(&d, None);
    let mut peers = [Peer::join(&relay), Peer::join(&relay)];
    let before = meaning(&relay.document().unwrap());
    // A term made a term of its own term as well: a second parent, which
    // the tree holds as a field and cannot refuse; the relay must.
    let below = d.edges.iter().find(|e| d.edges.iter().any(|f| f.parent == e.child)).unwrap().child.clone();
    let grand = d.edges.iter().find(|e| e.parent == below).unwrap().child.clone();
    peers[0].edit(|d| d.edges.make_mut().push(Edge::new(grand.clone(), below.clone(), Op::Add)));
    assert!(
        kpitree::evaluate(&peers[0].doc()).diagnostics.iter().any(|x| x.code.as_str() == "cycle"),
        "the participant's own copy has the cycle"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while peers[0].refused.is_empty() {
        peers[0].pump(Duration::from_millis(20));
        assert!(Instant::now() < deadline, "no refusal");
    }
    assert!(peers[0].refused[0].contains("cycle"), "{:?}", peers[0].refused);
    peers[1].pump(Duration::from_millis(200));
    assert_eq!(meaning(&peers[1].doc()), before, "the other participant never saw it");
    assert_eq!(meaning(&relay.document().unwrap()), before);
}

#[test]
fn a_participant_cut_off_keeps_editing_and_merges_when_it_comes_back() {
    let d = sales();
    let relay = relay_with(&d, None);
    let goal = d.nodes[0].id.as_str().to_owned();
    let mut a = Peer::join(&relay);
    let b = Peer::join(&relay);
    // B loses the network; both go on editing.
    let mut offline = b.room;
    drop(b.conn);
    let last_seen = offline.version();
    let mut d_off = offline.document().unwrap();
    add_under(&mut d_off, &goal, "offline_kpi");
    offline.write(&d_off).unwrap();
    a.edit(|d| add_under(d, &goal, "online_kpi"));
    quiesce(&relay, std::slice::from_mut(&mut a));
    // Back: the room as it is now, then what B did meanwhile.
    let (conn, snapshot) = client::join(&relay.addr().to_string(), CODE, "b", || {}).unwrap();
    offline.merge(&snapshot).unwrap();
    conn.send_update(offline.updates_since(&last_seen).unwrap());
    let mut b = Peer { room: offline, conn, refused: Vec::new() };
    let mut peers = [a, b];
    let end = quiesce(&relay, &mut peers);
    assert!(end.node(&"offline_kpi".into()).is_some() && end.node(&"online_kpi".into()).is_some());
    b = peers.into_iter().nth(1).unwrap();
    assert!(b.refused.is_empty());
}

#[test]
fn a_participant_killed_mid_update_leaves_the_others_consistent() {
    use std::io::Write;
    let d = sales();
    let relay = relay_with(&d, None);
    let mut a = Peer::join(&relay);
    // A raw participant says hello, then sends half a frame and dies.
    let mut raw = std::net::TcpStream::connect(relay.addr()).unwrap();
    let hello = serde_json::json!({ "protocol": wire::PROTOCOL, "code": CODE, "name": "dies" });
    wire::write_frame(&mut raw, wire::Kind::Hello, hello.to_string().as_bytes()).unwrap();
    raw.write_all(&[0, 0, 1, 0, wire::Kind::Update as u8, 1, 2, 3]).unwrap();
    drop(raw);
    let goal = d.nodes[0].id.as_str().to_owned();
    a.edit(|d| add_under(d, &goal, "after"));
    let end = quiesce(&relay, std::slice::from_mut(&mut a));
    assert!(end.node(&"after".into()).is_some());
    let deadline = Instant::now() + Duration::from_secs(5);
    while relay.participants() != 1 {
        assert!(Instant::now() < deadline, "the dead participant was not let go");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_relay_stopped_and_started_again_keeps_the_room_and_saves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("room.kpitree.json");
    let d = sales();
    kpitree::io::save(&file, &d).unwrap();
    let relay = relay_with(&d, Some(file.clone()));
    let goal = d.nodes[0].id.as_str().to_owned();
    let mut a = Peer::join(&relay);
    a.edit(|d| add_under(d, &goal, "before_restart"));
    quiesce(&relay, std::slice::from_mut(&mut a));
    relay.stop();
    let saved = kpitree::io::load(&file).unwrap();
    assert!(saved.node(&"before_restart".into()).is_some(), "saved when the room closed");
    assert!(state_path(&file).exists());
    // A's edit made while the relay was down.
    let last_seen = a.room.version();
    let mut offline = a.doc();
    add_under(&mut offline, &goal, "while_down");
    a.room.write(&offline).unwrap();
    // Started again from the file and its saved state: the same history,
    // so A's changes merge instead of doubling the tree.
    let bytes = std::fs::read(state_path(&file)).unwrap();
    let room = Room::from_snapshot(&bytes, wire::random_u64()).unwrap();
    let relay = Relay::start(
        room,
        RelayConfig { bind: "127.0.0.1:0".parse().unwrap(), code: CODE.into(), save: Some(file.clone()) },
    )
    .unwrap();
    let (conn, snapshot) = client::join(&relay.addr().to_string(), CODE, "a", || {}).unwrap();
    a.room.merge(&snapshot).unwrap();
    conn.send_update(a.room.updates_since(&last_seen).unwrap());
    let mut a = Peer { room: a.room, conn, refused: Vec::new() };
    let end = quiesce(&relay, std::slice::from_mut(&mut a));
    assert_eq!(end.nodes.len(), d.nodes.len() + 2, "no node doubled");
    relay.stop();
    assert_eq!(meaning(&kpitree::io::load(&file).unwrap()), meaning(&end));
}

/// A small generator of numbers from a seed (the same run every time).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn random_edits_from_three_participants_with_random_delays_converge() {
    for seed in 1..=4u64 {
        let d = sales();
        let relay = relay_with(&d, None);
        let mut peers = [Peer::join(&relay), Peer::join(&relay), Peer::join(&relay)];
        let mut rng = Lcg(seed);
        for step in 0..30 {
            let who = rng.below(3);
            let doc = peers[who].doc();
            let ids: Vec<String> = doc.nodes.iter().map(|n| n.id.as_str().to_owned()).collect();
            let pick = ids[rng.below(ids.len())].clone();
            let other = ids[rng.below(ids.len())].clone();
            match rng.below(4) {
                0 => peers[who].edit(|d| add_under(d, &pick, &format!("n{seed}_{step}"))),
                1 => peers[who].edit(|d| {
                    d.nodes.get_mut_by_id(&pick).unwrap().target = Some(step as f64);
                }),
                2 if pick != other && pick != ids[0] => {
                    let mut moved = doc.clone();
                    if moved.edges.iter().any(|e| e.child.as_str() == pick) {
                        reparent(&mut moved, &pick, &other);
                        // A move under its own descendant is a cycle: the
                        // editor refuses it before it is sent.
                        if kpitree::evaluate(&moved).diagnostics.iter().all(|x| x.code.as_str() != "cycle") {
                            peers[who].edit(|d| *d = moved);
                        }
                    }
                }
                _ => {}
            }
            // Random delays: some participants take what has arrived now,
            // some later.
            for p in &mut peers {
                if rng.below(2) == 0 {
                    p.pump(Duration::from_millis(1));
                }
            }
        }
        let end = quiesce(&relay, &mut peers);
        let eval = kpitree::evaluate(&end);
        assert!(eval.diagnostics.iter().all(|d| d.code.as_str() != "cycle"), "seed {seed}");
    }
}

/// `kpitree serve` on a free port of 127.0.0.1: the process and the
/// address it printed.
fn serve(file: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["serve", "--port", "0", "--bind", "127.0.0.1", "--code", CODE, "--lang", "en"])
        .arg(file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.contains(&format!("code {CODE}")), "{line}");
    let addr = line.split("at ").nth(1).and_then(|r| r.split(',').next()).unwrap().to_owned();
    (child, addr)
}

fn sync(addr: &str, file: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["room", "sync", addr, "--code", CODE, "--lang", "en"])
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn serve_and_room_sync_as_processes_bring_files_and_the_room_level() {
    let dir = tempfile::tempdir().unwrap();
    let hosted = dir.path().join("hosted.kpitree.json");
    let d = sales();
    kpitree::io::save(&hosted, &d).unwrap();
    let (mut server, addr) = serve(&hosted);
    // The first sync writes the file from the room, with the state beside it.
    let mine = dir.path().join("mine.kpitree.json");
    let out = sync(&addr, &mine);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(meaning(&kpitree::io::load(&mine).unwrap()), meaning(&d));
    assert!(state_path(&mine).exists());
    // Edited here, synced: the room (and so the hosted file) has it.
    let mut edited = kpitree::io::load(&mine).unwrap();
    let goal = edited.nodes[0].id.as_str().to_owned();
    add_under(&mut edited, &goal, "from_script");
    kpitree::io::save(&mine, &edited).unwrap();
    let out = sync(&addr, &mine);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if kpitree::io::load(&hosted).is_ok_and(|h| h.node(&"from_script".into()).is_some()) {
            break;
        }
        assert!(Instant::now() < deadline, "the hosted file never got the change");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A file never synced with the room is not overwritten.
    let stranger = dir.path().join("stranger.kpitree.json");
    kpitree::io::save(&stranger, &kpitree::templates::find("sales-meetings").unwrap().document().unwrap()).unwrap();
    let before = std::fs::read(&stranger).unwrap();
    let out = sync(&addr, &stranger);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("never synced"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&stranger).unwrap(), before);
    // A wrong code: a clear error, nothing written.
    let other = dir.path().join("other.kpitree.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["room", "sync", &addr, "--code", "111111", "--lang", "en"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong room code"));
    assert!(!other.exists());
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn two_copies_synced_from_one_room_merge_without_a_base() {
    let dir = tempfile::tempdir().unwrap();
    let hosted = dir.path().join("hosted.kpitree.json");
    let d = sales();
    kpitree::io::save(&hosted, &d).unwrap();
    let (mut server, addr) = serve(&hosted);
    let (a, b) = (dir.path().join("a.kpitree.json"), dir.path().join("b.kpitree.json"));
    for f in [&a, &b] {
        assert!(sync(&addr, f).status.success());
    }
    server.kill().unwrap();
    server.wait().unwrap();
    // Edited apart, offline: each adds a node, both change one target.
    let x = d.nodes[1].id.as_str().to_owned();
    let goal = d.nodes[0].id.as_str().to_owned();
    for (f, added, target) in [(&a, "from_a", 1.0), (&b, "from_b", 2.0)] {
        let mut doc = kpitree::io::load(f).unwrap();
        add_under(&mut doc, &goal, added);
        doc.nodes.get_mut_by_id(&x).unwrap().target = Some(target);
        kpitree::io::save(f, &doc).unwrap();
    }
    let out = dir.path().join("merged.kpitree.json");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["merge", "--lang", "en", "-o"])
        .arg(&out)
        .args([&a, &b])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.code().is_some_and(|c| c < 2), "{stderr}");
    let merged = kpitree::io::load(&out).unwrap();
    assert!(merged.node(&"from_a".into()).is_some() && merged.node(&"from_b".into()).is_some());
    assert_eq!(merged.nodes.len(), d.nodes.len() + 2, "nothing doubled");
    assert_eq!(merged.node(&x.as_str().into()).unwrap().target, Some(2.0), "B's value kept");
    assert!(stderr.contains("target was changed in both copies"), "{stderr}");
    // A copy without its room state: said how to merge it instead.
    let lone = dir.path().join("lone.kpitree.json");
    kpitree::io::save(&lone, &d).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["merge", "--lang", "en", "-o"])
        .arg(dir.path().join("nope.kpitree.json"))
        .args([&a, &lone])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("merge BASE A B"));
}

#[test]
fn a_flood_of_silent_connections_fills_the_room_and_frees_it_when_they_go() {
    let relay = relay_with(&sales(), None);
    let addr = relay.addr();
    let silent: Vec<std::net::TcpStream> = (0..128).map(|_| std::net::TcpStream::connect(addr).unwrap()).collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match client::join(&addr.to_string(), CODE, "late", || {}) {
            Err(client::JoinError::Refused(why)) if why.contains("full") => break,
            _ => assert!(Instant::now() < deadline, "never full"),
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(silent);
    let deadline = Instant::now() + Duration::from_secs(10);
    while client::join(&addr.to_string(), CODE, "late", || {}).is_err() {
        assert!(Instant::now() < deadline, "never freed");
        std::thread::sleep(Duration::from_millis(20));
    }
}
