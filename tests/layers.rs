//! The layers of the crate, enforced: a module may use only the modules
//! below it (ARCHITECTURE.md draws them). Read from the source, every
//! `crate::` path (in `use` lines and inline) and every `super::` path that
//! climbs out of its top-level module, test modules included.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers from the bottom up; modules on one line are peers that may
/// not use each other.
const LAYERS: &[&[&str]] = &[
    &["platform"],
    &["lang"],
    &["model"],
    &["format"],
    &["io"],
    &["templates"],
    &["eval"],
    &["collab"],
    &["layout"],
    &["export"],
    &["pipeline"],
    &["cli", "ui"],
    // The binaries wire the two front ends.
    &["main", "bin"],
];

/// What the crate root re-exports, by the module it comes from; `exit` is
/// defined at the root for everyone.
const ROOT_ITEMS: &[(&str, &str)] =
    &[("evaluate", "eval"), ("Evaluation", "eval"), ("Lang", "lang"), ("Document", "model"), ("exit", "")];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
}

/// The module path of a source file below `src/`: `src/io/load/direct.rs`
/// is `["io", "load", "direct"]`, `src/io/mod.rs` is `["io"]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The code of a line, without its comment (strings holding `//` are rare
/// enough in `use` paths not to matter).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// The first path segment after each `crate::` in `line`, the items of a
/// braced group (`crate::{io, eval::x}`) included.
fn crate_roots(line: &str) -> Vec<String> {
    let mut roots = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        // `kpitree::crate::` never happens; `$crate::` in macros is the
        // crate too.
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        roots.push(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            roots.push(first_segment(&item));
        } else {
            roots.push(first_segment(after));
        }
        rest = after;
    }
    roots.retain(|r| !r.is_empty());
    roots
}

fn first_segment(path: &str) -> String {
    path.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Where a `super::super::…` path lands, when it climbs to the crate root.
fn super_roots(line: &str, depth: usize) -> Vec<String> {
    let mut roots = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("super::") {
        let mut after = &rest[at..];
        let mut climbs = 0;
        while let Some(next) = after.strip_prefix("super::") {
            climbs += 1;
            after = next;
        }
        // A file's own items count as one level (a `mod tests` inside it
        // adds one more, which only makes the check stricter).
        if climbs >= depth {
            roots.push(first_segment(after));
        }
        rest = after;
    }
    roots
}

/// The inline modules (`mod tests { … }`) a line is in, by counting braces
/// outside string literals.
#[derive(Default)]
struct Nesting {
    braces: usize,
    /// The brace depth inside each open inline module.
    modules: Vec<usize>,
}

impl Nesting {
    fn depth(&self) -> usize {
        self.modules.len()
    }

    fn read(&mut self, line: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let opens_module = words.iter().position(|w| *w == "mod").is_some_and(|i| {
            words[..i].iter().all(|w| w.starts_with("pub") || w.starts_with("#[")) && words.get(i + 2) == Some(&"{")
        });
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' => {
                    self.braces += 1;
                    if opens_module && !self.modules.contains(&self.braces) {
                        self.modules.push(self.braces);
                    }
                }
                '}' => {
                    if self.modules.last() == Some(&self.braces) {
                        self.modules.pop();
                    }
                    self.braces = self.braces.saturating_sub(1);
                }
                _ => {}
            }
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut modules = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let path = module_path(relative);
        let Some(own) = path.first().cloned() else { continue }; // lib.rs
        modules.insert(own.clone());
        let Some(own_rank) = rank(&own) else {
            violations.push(format!("{}: module `{own}` is in no layer of tests/layers.rs", relative.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let mut nesting = Nesting::default();
        for (n, line) in text.lines().enumerate() {
            let line = code(line);
            let mut used = crate_roots(line);
            used.extend(super_roots(line, path.len() + nesting.depth()));
            nesting.read(line);
            for root in used {
                let target = match ROOT_ITEMS.iter().find(|(item, _)| *item == root) {
                    Some((_, "")) => continue,
                    Some((_, module)) => (*module).to_owned(),
                    None => root,
                };
                if target == own {
                    continue;
                }
                let allowed = rank(&target).is_some_and(|r| r < own_rank);
                if !allowed {
                    violations.push(format!(
                        "{}:{}: `{own}` uses `{target}`, which is not below it: {}",
                        relative.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "imports against the layers:\n{}", violations.join("\n"));
    // The check saw the whole crate, not an empty directory.
    for module in ["model", "io", "eval", "export", "pipeline", "cli"] {
        assert!(modules.contains(module), "no module {module} under {}", src.display());
    }
}

#[test]
fn the_reader_finds_what_a_use_line_imports() {
    assert_eq!(crate_roots("use crate::{eval::derived::Mark, export::Diagram};"), ["eval", "export"]);
    assert_eq!(crate_roots("let x = crate::io::json_number(1.0);"), ["io"]);
    assert_eq!(crate_roots("use crate::{model::{Node, Kind}, format};"), ["model", "format"]);
    assert_eq!(super_roots("use super::super::export::Diagram;", 2), ["export"]);
    assert!(super_roots("use super::Card;", 2).is_empty());
    assert_eq!(module_path(Path::new("io/load/direct.rs")), ["io", "load", "direct"]);
    assert_eq!(module_path(Path::new("io/mod.rs")), ["io"]);
    let mut nesting = Nesting::default();
    for (line, depth) in [
        ("fn f() { let s = \"}\"; }", 0),
        ("#[cfg(test)]", 0),
        ("mod tests {", 1),
        ("    use super::*;", 1),
        ("    fn g() {", 1),
        ("    }", 1),
        ("}", 0),
    ] {
        nesting.read(line);
        assert_eq!(nesting.depth(), depth, "after {line}");
    }
}
