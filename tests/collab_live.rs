//! One editor's side of a room (`collab::live`) against a relay on
//! 127.0.0.1: undo of one's own changes only, presence and who changed a
//! field one had just set, distinct colours, a refused change setting the
//! participant back, and a relay stopped and started again while
//! participants go on editing.

use std::time::{Duration, Instant};

use crate::collab::{meaning, sales};
use crate::collab_net::{CODE, add_under, relay_with};
use kpitree::collab::live::{Live, Notice};
use kpitree::collab::relay::{Relay, RelayConfig, state_path};
use kpitree::collab::{Room, wire};
use kpitree::model::{Document, Edge, Op};
use std::sync::Arc;

fn me(name: &str) -> wire::Presence {
    wire::Presence { name: name.into(), color: "#3366cc".into(), ..wire::Presence::default() }
}

/// A host and a participant on loopback.
fn pair(d: &Document) -> (Live, Live) {
    let host = Live::host(d, "127.0.0.1:0".parse().unwrap(), Some(CODE.into()), me("ホスト"), || {}).unwrap();
    let (guest, doc) = Live::join(&host.address().to_string(), CODE, me("ゲスト"), || {}).unwrap();
    assert_eq!(meaning(&doc), meaning(d));
    (host, guest)
}

/// Polls both until `done` holds of them (or fails after a few seconds).
fn until(
    a: &mut Live,
    b: &mut Live,
    docs: &mut [Arc<Document>; 2],
    done: impl Fn(&Live, &Live, &[Arc<Document>; 2]) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(a, b, docs) {
        if let Some(d) = a.poll() {
            docs[0] = d;
        }
        if let Some(d) = b.poll() {
            docs[1] = d;
        }
        assert!(Instant::now() < deadline, "never settled");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn edited(doc: &Arc<Document>, f: impl FnOnce(&mut Document)) -> Arc<Document> {
    let mut d = (**doc).clone();
    f(&mut d);
    Arc::new(d)
}

#[test]
fn undo_in_a_room_undoes_ones_own_change_only() {
    let d = sales();
    let (mut a, mut b) = pair(&d);
    let ids: Vec<String> = d.nodes.iter().map(|n| n.id.as_str().to_owned()).collect();
    let (x, y) = (ids[1].clone(), ids[2].clone());
    let mut docs = [Arc::new(d.clone()), Arc::new(d.clone())];
    docs[0] = edited(&docs[0], |d| d.nodes.get_mut_by_id(&x).unwrap().target = Some(777.0));
    a.local(&docs[0]);
    docs[1] = edited(&docs[1], |d| d.nodes.get_mut_by_id(&y).unwrap().name = "Bの名前".into());
    b.local(&docs[1]);
    let both = |x: &str, y: &str| {
        let (x, y) = (x.to_owned(), y.to_owned());
        move |_: &Live, _: &Live, docs: &[Arc<Document>; 2]| {
            docs.iter().all(|d| {
                d.node(&x.as_str().into()).unwrap().target == Some(777.0)
                    && d.node(&y.as_str().into()).unwrap().name == "Bの名前"
            })
        }
    };
    until(&mut a, &mut b, &mut docs, both(&x, &y));
    assert!(a.can_undo());
    docs[0] = a.undo().expect("A's change undone");
    let x_target = d.node(&x.as_str().into()).unwrap().target;
    assert_eq!(docs[0].node(&x.as_str().into()).unwrap().target, x_target, "A's target back");
    assert_eq!(docs[0].node(&y.as_str().into()).unwrap().name, "Bの名前", "B's rename stays");
    let (xx, yy) = (x.clone(), y.clone());
    until(&mut a, &mut b, &mut docs, move |_, _, docs| {
        docs[1].node(&xx.as_str().into()).unwrap().target == x_target
            && docs[1].node(&yy.as_str().into()).unwrap().name == "Bの名前"
    });
    // B has nothing of A's to undo: its own rename only.
    docs[1] = b.undo().expect("B's rename undone");
    assert_eq!(docs[1].node(&y.as_str().into()).unwrap().name, d.node(&y.as_str().into()).unwrap().name);
    assert!(b.undo().is_none(), "nothing more of B's");
    a.leave();
}

#[test]
fn presence_and_a_field_both_changed_tell_who_and_what() {
    let d = sales();
    let (mut a, mut b) = pair(&d);
    let x = d.nodes[1].id.clone();
    a.select(Some(&x));
    let mut docs = [Arc::new(d.clone()), Arc::new(d.clone())];
    let xs = x.as_str().to_owned();
    until(&mut a, &mut b, &mut docs, move |_, b, _| {
        b.others().any(|p| p.name == "ホスト" && p.selected.as_deref() == Some(xs.as_str()))
    });
    assert!(b.take_notices().contains(&Notice::Joined("ホスト".into())));
    // Both change one target at once: one value holds, the other side is told.
    docs[0] = edited(&docs[0], |d| d.nodes.get_mut_by_id(x.as_str()).unwrap().target = Some(100.0));
    docs[1] = edited(&docs[1], |d| d.nodes.get_mut_by_id(x.as_str()).unwrap().target = Some(120.0));
    a.local(&docs[0]);
    b.local(&docs[1]);
    let xs = x.as_str().to_owned();
    until(&mut a, &mut b, &mut docs, move |_, _, docs| {
        let t = |d: &Arc<Document>| d.node(&xs.as_str().into()).unwrap().target;
        t(&docs[0]) == t(&docs[1])
    });
    std::thread::sleep(Duration::from_millis(50));
    let _ = (a.poll(), b.poll());
    let kept = docs[0].node(&x).unwrap().target.unwrap();
    let told: Vec<Notice> = a.take_notices().into_iter().chain(b.take_notices()).collect();
    let overwritten: Vec<&Notice> = told.iter().filter(|n| matches!(n, Notice::Overwritten { .. })).collect();
    assert_eq!(overwritten.len(), 1, "{told:?}");
    assert!(
        matches!(overwritten[0], Notice::Overwritten { field, value, by: Some(by), .. }
            if field == "target" && *value == kept.to_string() && ["ホスト", "ゲスト"].contains(&by.as_str())),
        "{told:?}"
    );
    a.leave();
}

#[test]
fn a_relay_killed_and_started_again_gets_the_edits_made_meanwhile_from_both() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("served.kpitree.json");
    let d = sales();
    kpitree::io::save(&file, &d).unwrap();
    let relay = relay_with(&d, Some(file.clone()));
    let addr = relay.addr();
    let (mut a, _) = Live::join(&addr.to_string(), CODE, me("A"), || {}).unwrap();
    let (mut b, _) = Live::join(&addr.to_string(), CODE, me("B"), || {}).unwrap();
    relay.stop();
    // Both notice, and go on editing apart.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(a.is_offline() && b.is_offline()) {
        let _ = (a.poll(), b.poll());
        assert!(Instant::now() < deadline, "the end of the connection went unnoticed");
        std::thread::sleep(Duration::from_millis(10));
    }
    let goal = d.nodes[0].id.as_str().to_owned();
    let da = edited(&Arc::new(d.clone()), |x| add_under(x, &goal, "by_a_offline"));
    a.local(&da);
    let db = edited(&Arc::new(d.clone()), |x| add_under(x, &goal, "by_b_offline"));
    b.local(&db);
    // The relay again, on the same port, from the file and its state.
    let room = Room::from_snapshot(&std::fs::read(state_path(&file)).unwrap(), wire::random_u64()).unwrap();
    let relay = Relay::start(room, RelayConfig { bind: addr, code: CODE.into(), save: Some(file.clone()) }).unwrap();
    let mut docs = [da, db];
    until(&mut a, &mut b, &mut docs, |a, b, docs| {
        !a.is_offline()
            && !b.is_offline()
            && docs.iter().all(|d| d.node(&"by_a_offline".into()).is_some() && d.node(&"by_b_offline".into()).is_some())
    });
    assert_eq!(docs[0].nodes.len(), d.nodes.len() + 2, "nothing doubled");
    assert!(a.take_notices().contains(&Notice::Back));
    let deadline = Instant::now() + Duration::from_secs(10);
    while relay.document().unwrap().nodes.len() != d.nodes.len() + 2 {
        assert!(Instant::now() < deadline, "the relay never got both");
        std::thread::sleep(Duration::from_millis(10));
    }
    relay.stop();
}

#[test]
fn two_people_asking_for_one_colour_are_given_two() {
    let d = sales();
    // Both ask for the same colour (one machine's settings, say).
    let (mut a, mut b) = pair(&d);
    let mut docs = [Arc::new(d.clone()), Arc::new(d.clone())];
    until(&mut a, &mut b, &mut docs, |a, b, _| {
        let theirs = |l: &Live| l.others().next().map(|p| p.color.clone());
        theirs(a).as_deref() == Some(b.me().color.as_str()) && theirs(b).as_deref() == Some(a.me().color.as_str())
    });
    assert_ne!(a.me().color, b.me().color);
    a.leave();
}

#[test]
fn a_refused_change_sets_the_participant_back_to_the_room_and_it_goes_on() {
    let d = sales();
    let (mut a, mut b) = pair(&d);
    let below = d.edges.iter().find(|e| d.edges.iter().any(|f| f.parent == e.child)).unwrap().child.clone();
    let grand = d.edges.iter().find(|e| e.parent == below).unwrap().child.clone();
    let mut docs = [Arc::new(d.clone()), Arc::new(d.clone())];
    docs[1] = edited(&docs[1], |d| d.edges.make_mut().push(Edge::new(grand.clone(), below.clone(), Op::Add)));
    b.local(&docs[1]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let back = loop {
        if let Some(doc) = b.poll() {
            break doc;
        }
        assert!(Instant::now() < deadline, "never refused");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(meaning(&back), meaning(&d), "set back to the room's document");
    assert!(b.take_notices().iter().any(|n| matches!(n, Notice::Refused(why) if why.contains("cycle"))));
    docs[1] = edited(&back, |d| add_under(d, d.nodes[0].id.clone().as_str(), "after_refusal"));
    b.local(&docs[1]);
    until(&mut a, &mut b, &mut docs, |_, _, docs| docs[0].node(&"after_refusal".into()).is_some());
    a.leave();
}
