//! The fast way to read an ordinary document: JSON straight into the model,
//! without a `serde_json::Value` of the whole file in between (which for a
//! 100,000-node file costs millions of short-lived allocations).
//!
//! This path only *accepts*; it never explains. Anything unusual — a syntax
//! or schema error, a field it does not know, a field given twice — makes it
//! give up, and the caller reads the text again the careful way, which finds
//! the same document or the precise error. So the careful path alone defines
//! what a document means, and this one must only ever agree with it (the
//! tests compare both on every template and on generated trees).
//!
//! It also lets each edge share the `Arc` of its node's id, which saves two
//! allocations per edge and lets the evaluator find ends by address.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::header;
use crate::io::fields::{self, give_up};
use crate::model::{Document, Edge, Extra, Kind, Node, NodeId, Nodes, Op};

/// Reads `text` if it is an ordinary, valid document; `None` otherwise.
pub(super) fn read(text: &str) -> Option<Document> {
    let mut de = serde_json::Deserializer::from_str(text);
    let top = (&mut de).deserialize_map(TopVisitor).ok()?;
    de.end().ok()?;
    let (mut doc, None, None) = header(top.rest).ok()? else {
        return None;
    };
    doc.nodes = top.nodes?;
    doc.edges = top.edges?.into();
    Some(doc)
}

/// Text, borrowed from the input when it has no escapes.
pub(crate) struct Text<'de>(Cow<'de, str>);

impl Text<'_> {
    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The top level: `nodes` and `edges` read here, everything else kept as
/// JSON for [`header`], exactly as the careful path sees it.
struct Top {
    rest: Map<String, Value>,
    nodes: Option<Nodes>,
    edges: Option<Vec<Edge>>,
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a kpitree document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Top { rest: Map::new(), nodes: None, edges: None };
        // Edges find their nodes by id: before the nodes, in none.
        let none = Nodes::new();
        while let Some(Text(key)) = map.next_key()? {
            match &*key {
                "nodes" if top.nodes.is_none() => top.nodes = Some(map.next_value_seed(NodesSeed)?),
                "edges" if top.edges.is_none() => {
                    top.edges = Some(map.next_value_seed(EdgesSeed(top.nodes.as_ref().unwrap_or(&none)))?);
                }
                "nodes" | "edges" => return Err(give_up()),
                // A repeated key, here or inside the value, goes the careful
                // way, which names it.
                _ if top.rest.contains_key(&*key) => return Err(give_up()),
                _ => {
                    let value = map.next_value_seed(super::Unique::quiet())?;
                    top.rest.insert(key.into_owned(), value);
                }
            }
        }
        Ok(top)
    }
}

struct NodesSeed;

impl<'de> DeserializeSeed<'de> for NodesSeed {
    type Value = Nodes;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Nodes, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for NodesSeed {
    type Value = Nodes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nodes, A::Error> {
        // Each node shared as it is read (a growing list moves pointers, not
        // nodes). The id index is built once the list is whole, at its size.
        let mut nodes = Nodes::new();
        while let Some(node) = seq.next_element_seed(NodeSeed)? {
            nodes.push(node);
        }
        Ok(nodes)
    }
}

struct NodeSeed;

impl<'de> DeserializeSeed<'de> for NodeSeed {
    type Value = Node;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a node")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        // The id is set below; an empty one meanwhile costs no allocation.
        static NO_ID: std::sync::LazyLock<NodeId> = std::sync::LazyLock::new(|| NodeId::from(""));
        let mut node = Node::new(NO_ID.clone(), Kind::Kpi, String::new());
        let (mut id, mut kind, mut name) = (None, None, None);
        let mut seen = 0u64;
        while let Some(Text(key)) = map.next_key()? {
            if fields::read_fast(&mut node, &key, &mut map, &mut seen)? {
                continue;
            }
            let bit = match &*key {
                "id" => 1,
                "kind" => 2,
                "name" => 4,
                // Unknown fields go the careful way, which keeps them.
                _ => return Err(give_up()),
            };
            if seen & bit != 0 {
                return Err(give_up());
            }
            seen |= bit;
            match bit {
                1 => id = Some(map.next_value::<Text<'de>>()?.0),
                2 => kind = Some(Kind::parse(&map.next_value::<Text<'de>>()?.0).ok_or_else(give_up)?),
                _ => name = Some(map.next_value::<String>()?),
            }
        }
        let (Some(id), Some(kind), Some(name)) = (id, kind, name) else {
            return Err(give_up());
        };
        if id.is_empty() {
            return Err(give_up());
        }
        node.id = NodeId::from(&*id);
        node.kind = kind;
        node.name = name;
        Ok(node)
    }
}

struct EdgesSeed<'a>(&'a Nodes);

impl<'de> DeserializeSeed<'de> for EdgesSeed<'_> {
    type Value = Vec<Edge>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<Edge>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EdgesSeed<'_> {
    type Value = Vec<Edge>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of edges")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Edge>, A::Error> {
        let mut edges = Vec::new();
        let mut ids = Ids { nodes: self.0, unique: self.0.ids_unique(), parent: 0, child: 0 };
        while let Some(edge) = seq.next_element_seed(EdgeSeed(&mut ids))? {
            edges.push(edge);
        }
        Ok(edges)
    }
}

/// The ids edges resolve to, with where the last parent and the last child
/// were found: files list a parent's edges together and children near each
/// other, so a few neighbours compared by text usually find the node without
/// hashing its id.
struct Ids<'a> {
    nodes: &'a Nodes,
    /// No two nodes share an id, so a node found by its text is the first
    /// with it.
    unique: bool,
    parent: usize,
    child: usize,
}

impl Ids<'_> {
    /// How many nodes from the hint on are compared.
    const WINDOW: usize = 4;

    /// The id of the node `text` names (the first node with it), shared;
    /// a new id when no node has it (the evaluator reports it).
    fn resolve(&mut self, text: &str, child: bool) -> NodeId {
        let nodes = self.nodes.as_slice();
        let hint = if child { &mut self.child } else { &mut self.parent };
        // A repeated id stands for its first node, which only the index knows.
        let near = self
            .unique
            .then(|| (*hint..(*hint + Self::WINDOW).min(nodes.len())).find(|&k| nodes[k].id.as_str() == text))
            .flatten();
        let found = near.or_else(|| self.nodes.position(text));
        match found {
            Some(k) => {
                *hint = k;
                nodes[k].id.clone()
            }
            None => NodeId::from(text),
        }
    }
}

struct EdgeSeed<'a, 'b>(&'a mut Ids<'b>);

impl<'de> DeserializeSeed<'de> for EdgeSeed<'_, '_> {
    type Value = Edge;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Edge, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EdgeSeed<'_, '_> {
    type Value = Edge;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an edge")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Edge, A::Error> {
        let (mut parent, mut child, mut op) = (None, None, None);
        while let Some(Text(key)) = map.next_key()? {
            match &*key {
                "parent" if parent.is_none() => parent = Some(self.0.resolve(&map.next_value::<Text<'de>>()?.0, false)),
                "child" if child.is_none() => child = Some(self.0.resolve(&map.next_value::<Text<'de>>()?.0, true)),
                "op" if op.is_none() => op = Some(Op::parse(&map.next_value::<Text<'de>>()?.0).ok_or_else(give_up)?),
                _ => return Err(give_up()),
            }
        }
        let (Some(parent), Some(child), Some(op)) = (parent, child, op) else {
            return Err(give_up());
        };
        Ok(Edge { parent, child, op, extra: Extra::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::to_json_string;
    use crate::model::generate;

    /// The document the careful path reads from `text`.
    fn careful(text: &str) -> Option<Document> {
        super::super::document_from_value(serde_json::from_str(text).ok()?).ok()
    }

    fn assert_agrees(text: &str) {
        let fast = read(text);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), careful(text).as_ref(), "{text}");
        }
    }

    #[test]
    fn every_template_reads_the_same_both_ways() {
        // The files the templates are built from (templates sit above io).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/templates");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let fast = read(&text);
            assert!(fast.is_some(), "the fast path gives up on template {}", path.display());
            assert_eq!(fast, careful(&text), "{}", path.display());
            seen += 1;
        }
        assert!(seen >= 5, "only {seen} templates in {}", dir.display());
    }

    #[test]
    fn generated_trees_read_the_same_both_ways() {
        for (n, seed) in [(0, 1), (1, 1), (50, 2), (2000, 3)] {
            let text = to_json_string(&generate::tree(n, seed));
            assert!(read(&text).is_some());
            assert_agrees(&text);
        }
    }

    #[test]
    fn edges_share_the_id_of_the_first_node_with_that_id() {
        let text = r#"{"format":"kpitree","version":1,"nodes":[
            {"id":"a","kind":"KGI","name":"A"},{"id":"b","kind":"KPI","name":"B"},{"id":"a","kind":"KPI","name":"A2"}],
            "edges":[{"parent":"a","child":"b","op":"+"}]}"#;
        let doc = read(text).expect("an ordinary document");
        assert!(std::sync::Arc::ptr_eq(&doc.edges[0].parent.0, &doc.nodes[0].id.0));
        assert!(std::sync::Arc::ptr_eq(&doc.edges[0].child.0, &doc.nodes[1].id.0));
    }

    #[test]
    fn unusual_documents_read_the_same_or_go_the_careful_way() {
        let node = |fields: &str| {
            format!(
                r#"{{"format":"kpitree","version":1,"nodes":[{{"id":"a","kind":"KPI","name":"A"{fields}}}],"edges":[]}}"#
            )
        };
        let edge = |fields: &str| {
            format!(
                r#"{{"format":"kpitree","version":1,"nodes":[{{"id":"a","kind":"KGI","name":"A"}},{{"id":"b","kind":"KPI","name":"B"}}],"edges":[{{"parent":"a","child":"b"{fields}}}]}}"#
            )
        };
        let cases = [
            node(r#","unit":null,"target":null,"actual":-0,"direction":"down","deadline":"2027-03-31""#),
            node(r#","owner":"営業\n本部","indicator":"lagging","source":"\u0043RM","note":"","pos":[1.5,-2]"#),
            node(r#","pos":null,"target":12e3,"actual":18446744073709551616"#),
            node(r#","unit":"万円","unit":"件""#),
            node(r#","color":"red""#),
            node(r#","target":"12""#),
            node(r#","pos":[1]"#),
            node(r#","kind":"KGI""#),
            node(r#","direction":"sideways""#),
            node(r#","deadline":"2027-02-30""#),
            edge(r#","op":"×""#),
            edge(r#","op":"÷","weight":2"#),
            edge(r#","op":"+","op":"-""#),
            edge(r#","op":"plus""#),
            edge(""),
            r#"{"format":"kpitree","version":1,"title":"t","period":{"start":"2026-04-01","x":1},"extra":[1,{"a":null}],"nodes":[],"edges":[]}"#.to_owned(),
            r#"{"edges":[],"nodes":[],"version":1,"format":"kpitree","description":7}"#.to_owned(),
            r#"{"format":"kpitree","version":1,"nodes":[],"nodes":[],"edges":[]}"#.to_owned(),
            r#"{"format":"kpitree","version":1.0,"nodes":[],"edges":[]}"#.to_owned(),
            r#"{"format":"kpitree","version":1,"nodes":[]}"#.to_owned(),
            r#"{"format":"kpitree","version":1,"nodes":[],"edges":[]} x"#.to_owned(),
            r#"[]"#.to_owned(),
        ];
        for text in &cases {
            assert_agrees(text);
        }
        for ordinary in [0, 1, 2, 10, 15, 16] {
            assert!(read(&cases[ordinary]).is_some(), "{}", cases[ordinary]);
        }
    }
}
