//! The built-in templates: example trees from the KPI-tree method, compiled
//! into the binary (`assets/templates/`).

use crate::io::{LoadError, from_str};
use crate::model::Document;

/// A built-in template.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// The name used on the command line (`kpitree new --template NAME`).
    pub name: &'static str,
    /// The document as JSON.
    pub json: &'static str,
}

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        /// Every built-in template, the welcome tree first.
        pub const ALL: &[Template] = &[
            $(Template {
                name: $name,
                json: include_str!(concat!("../assets/templates/", $name, ".kpitree.json")),
            },)*
        ];
    };
}

templates![
    "sales-basic",
    "sales-meetings",
    "b2b-growth",
    "customer-journey",
    "customer-story",
    "customer-experience",
    "contract-dev",
    "restaurant",
    "recruiting",
    "cost",
    "cash-flow",
];

/// The template the editor opens when started without a file.
pub const WELCOME: &str = "sales-basic";

impl Template {
    /// The template as a document.
    pub fn document(&self) -> Result<Document, LoadError> {
        from_str(self.json, &format!("template {}", self.name))
    }

    /// The one-line description (from the document's `description`).
    pub fn description(&self) -> String {
        self.document().ok().and_then(|d| d.description).unwrap_or_default()
    }

    /// The title of the document.
    pub fn title(&self) -> String {
        self.document().ok().and_then(|d| d.title).unwrap_or_default()
    }
}

/// The template with this name.
pub fn find(name: &str) -> Option<&'static Template> {
    ALL.iter().find(|t| t.name == name)
}
