//! What classification reads from one version alone, computed at most once
//! per version: a history walk compares each version twice (as the newer
//! side of one change, then as the older side of the next), and both
//! comparisons share it.

use std::sync::OnceLock;

use super::extract::{TriggerList, trigger_list};
use super::signals::DocText;
use crate::document::Document;

/// Lazily computed facts about one [`Document`]. Pair it with the document
/// it was made for, and only that one: nothing checks.
#[derive(Debug, Default)]
pub struct Analysis {
    /// The version's own list of major changes.
    list: OnceLock<Option<TriggerList>>,
    /// Its whole text, lower case, for "mentioned anywhere" questions.
    text: OnceLock<DocText>,
}

impl Analysis {
    /// The document's list of major changes, read once.
    pub fn list(&self, doc: &Document) -> Option<&TriggerList> {
        self.list.get_or_init(|| trigger_list(doc)).as_ref()
    }

    /// The document's text as "mentions" questions read it, built once.
    pub(super) fn text(&self, doc: &Document) -> &DocText {
        self.text.get_or_init(|| DocText::of(doc))
    }
}
