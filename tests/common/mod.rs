//! Builders shared by the integration tests: documents from JSON fragments,
//! and lookups into an evaluation.
#![allow(dead_code)] // each test binary uses a different part of this module

#[cfg(feature = "gui")]
pub mod ui;

use kpitree::Document;
use kpitree::eval::{Diagnostic, EdgeRef, Evaluation, NodeValue};
use kpitree::io::from_str;

/// The file name the builders load from, so that messages can be checked.
pub const FILE: &str = "test.kpitree.json";

/// A version-1 document text with these node and edge objects (comma-separated
/// JSON fragments).
pub fn text(nodes: &str, edges: &str) -> String {
    format!(r#"{{"format":"kpitree","version":1,"nodes":[{nodes}],"edges":[{edges}]}}"#)
}

/// Loads a document built from node and edge fragments.
pub fn doc(nodes: &str, edges: &str) -> Document {
    from_str(&text(nodes, edges), FILE).unwrap_or_else(|e| panic!("test document does not load: {e}"))
}

/// Loads and evaluates a document built from node and edge fragments.
pub fn eval(nodes: &str, edges: &str) -> Evaluation {
    kpitree::evaluate(&doc(nodes, edges))
}

/// A KPI leaf with a unit, a target and an actual (`null` for none).
pub fn kpi(id: &str, unit: &str, target: &str, actual: &str) -> String {
    format!(r#"{{"id":"{id}","kind":"KPI","name":"{id}","unit":"{unit}","target":{target},"actual":{actual}}}"#)
}

/// A KGI with a deadline, a unit, and a target and an actual (`null` for none).
pub fn kgi(id: &str, unit: &str, target: &str, actual: &str) -> String {
    format!(
        r#"{{"id":"{id}","kind":"KGI","name":"{id}","unit":"{unit}","target":{target},"actual":{actual},"deadline":"2027-03-31"}}"#
    )
}

/// An edge object.
pub fn edge(parent: &str, child: &str, op: &str) -> String {
    format!(r#"{{"parent":"{parent}","child":"{child}","op":"{op}"}}"#)
}

/// Joins fragments with commas.
pub fn list(items: &[String]) -> String {
    items.join(",")
}

/// The diagnostics with this code.
pub fn with_code<'a>(ev: &'a Evaluation, code: &str) -> Vec<&'a Diagnostic> {
    ev.diagnostics.iter().filter(|d| d.code.as_str() == code).collect()
}

/// The only diagnostic with this code; fails when there is none or several.
pub fn only<'a>(ev: &'a Evaluation, code: &str) -> &'a Diagnostic {
    let found = with_code(ev, code);
    assert_eq!(found.len(), 1, "expected exactly one {code}, got {:#?}", ev.diagnostics);
    found[0]
}

/// Fails when any diagnostic has this code.
pub fn assert_none(ev: &Evaluation, code: &str) {
    let found = with_code(ev, code);
    assert!(found.is_empty(), "expected no {code}, got {found:#?}");
}

/// Checks a diagnostic's severity, node and edge (`None` = no edge).
pub fn assert_diag(d: &Diagnostic, severity: &str, node: &str, edge: Option<(&str, &str)>) {
    assert_eq!(d.severity().as_str(), severity, "{d:?}");
    assert_eq!(d.node.as_ref().map(|n| n.as_str()), Some(node), "{d:?}");
    let want = edge.map(|(p, c)| EdgeRef { parent: p.into(), child: c.into() });
    assert_eq!(d.edge, want, "{d:?}");
}

/// The values of a node; fails when the evaluation does not know it.
pub fn value<'a>(ev: &'a Evaluation, id: &str) -> &'a NodeValue {
    ev.get_str(id).unwrap_or_else(|| panic!("no value for node {id}"))
}

/// Makes a FIFO (named pipe) at `path` with permissions `mode`.
#[cfg(unix)]
pub fn mkfifo(path: &std::path::Path, mode: u32) {
    mknod(path, rustix::fs::FileType::Fifo, mode, 0).unwrap_or_else(|e| panic!("mkfifo {}: {e}", path.display()));
}

/// Makes a FIFO or a device node at `path` (devices need root).
#[cfg(all(unix, not(target_vendor = "apple")))]
pub fn mknod(path: &std::path::Path, kind: rustix::fs::FileType, mode: u32, dev: u64) -> std::io::Result<()> {
    let mode = rustix::fs::Mode::from_raw_mode(mode);
    Ok(rustix::fs::mknodat(rustix::fs::CWD, path, kind, mode, dev)?)
}

/// Makes a FIFO or a device node at `path` (devices need root).
#[cfg(target_vendor = "apple")]
#[allow(unsafe_code, reason = "mknod: rustix has none on Apple systems")]
pub fn mknod(path: &std::path::Path, kind: rustix::fs::FileType, mode: u32, dev: u64) -> std::io::Result<()> {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())?;
    let kind = if kind == rustix::fs::FileType::Fifo { libc::S_IFIFO } else { libc::S_IFCHR };
    let mode = kind | libc::mode_t::try_from(mode).map_err(std::io::Error::other)?;
    let dev = libc::dev_t::try_from(dev).map_err(std::io::Error::other)?;
    // SAFETY: `c` is a NUL-terminated path that outlives the call.
    if unsafe { libc::mknod(c.as_ptr(), mode, dev) } == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Waits for `child` to end and gives its output, killing it (and failing)
/// if it still runs after `limit` (a hang, not a speed). Its piped stdout
/// and stderr are read meanwhile, so that a child that writes much never
/// stalls on a full pipe; they end when it ends, which is what is waited for.
pub fn output_within(mut child: std::process::Child, limit: std::time::Duration) -> std::process::Output {
    use std::io::Read;
    assert!(child.stdout.is_some() || child.stderr.is_some(), "output_within needs a piped stdout or stderr");
    let (open, closed) = std::sync::mpsc::channel::<()>();
    let reader = |pipe: Option<Box<dyn Read + Send>>, open: std::sync::mpsc::Sender<()>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            drop(open);
            bytes
        })
    };
    let stdout = reader(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>), open.clone());
    let stderr = reader(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>), open);
    // Both readers hold a sender until their pipe ends.
    if closed.recv_timeout(limit) != Err(std::sync::mpsc::RecvTimeoutError::Disconnected) {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the child still runs after {limit:?}");
    }
    let status = child.wait().expect("the child's status");
    std::process::Output { status, stdout: stdout.join().expect("stdout"), stderr: stderr.join().expect("stderr") }
}

/// Fails unless `got` is `want` within a relative 1e-9.
pub fn assert_close(got: Option<f64>, want: f64) {
    let Some(got) = got else { panic!("expected {want}, got none") };
    let tolerance = 1e-9 * want.abs().max(1e-12);
    assert!((got - want).abs() <= tolerance, "expected {want}, got {got}");
}
