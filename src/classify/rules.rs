//! Config-defined triggers and mapping overrides, compiled from policydiff.toml.

use regex::Regex;

use super::catalogue::{self, BUILTIN_IDS};
use super::ids::{DetectorId, MANUAL_ID};
use super::signals::Context;
use super::{Detection, Finding, ListedItem};
use crate::config::Config;

/// A config error, naming the key.
#[derive(Debug, thiserror::Error)]
#[error("{key}: {message}")]
pub struct RulesError {
    /// The key at fault (`trigger[0].regex[1]`).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// A trigger defined in policydiff.toml.
#[derive(Debug, Clone)]
pub struct CustomTrigger {
    /// Its id.
    pub id: String,
    /// Its wording.
    pub title: String,
    /// Section selectors: a clause must sit under a heading containing one (case-insensitive); empty = anywhere.
    pub sections: Vec<String>,
    /// Terms (lower case) whose arrival or removal fires it.
    pub terms: Vec<String>,
    /// Patterns whose matches arriving or leaving fire it.
    pub regex: Vec<Regex>,
}

impl CustomTrigger {
    /// What it looks for, for `policydiff triggers`.
    pub fn looks_for(&self) -> String {
        let mut parts = Vec::new();
        if !self.terms.is_empty() {
            parts.push(format!("terms {}", self.terms.join(", ")));
        }
        if !self.regex.is_empty() {
            parts.push(format!(
                "patterns {}",
                self.regex
                    .iter()
                    .map(Regex::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut s = format!("{} added or removed", parts.join("; "));
        if !self.sections.is_empty() {
            s.push_str(&format!(
                ", in sections containing {}",
                self.sections.join(" or ")
            ));
        }
        s
    }

    /// Fire on one change, if its terms or patterns arrive or leave.
    pub(super) fn detect(&self, ctx: &Context<'_>) -> Option<Finding> {
        if !self.sections.is_empty()
            && !self
                .sections
                .iter()
                .any(|s| ctx.section.contains(s.as_str()))
        {
            return None;
        }
        let (o, n) = (ctx.old_lower.as_str(), ctx.new_lower.as_str());
        let mut matched = Vec::new();
        for t in &self.terms {
            match (o.contains(t.as_str()), n.contains(t.as_str())) {
                (false, true) => matched.push(format!("+{t}")),
                (true, false) => matched.push(format!("-{t}")),
                _ => {}
            }
        }
        for r in &self.regex {
            let found = |text: &str| {
                r.find_iter(text)
                    .map(|m| m.as_str().to_owned())
                    .collect::<Vec<_>>()
            };
            let (a, b) = (found(o), found(n));
            matched.extend(b.iter().filter(|m| !a.contains(m)).map(|m| format!("+{m}")));
            matched.extend(a.iter().filter(|m| !b.contains(m)).map(|m| format!("-{m}")));
        }
        (!matched.is_empty()).then(|| Finding {
            change: None,
            signal: format!("{} changed", self.id),
            matched,
        })
    }
}

/// Map a listed item to a trigger id.
#[derive(Debug, Clone)]
pub struct MapRule {
    /// The item's label as written (`( 5 )`), or words of its wording.
    pub item: String,
    /// A built-in id, a config trigger id, or `manual`.
    pub id: String,
}

/// Everything config adds to classification.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Config-defined triggers.
    pub custom: Vec<CustomTrigger>,
    /// Mapping overrides, first match wins.
    pub map: Vec<MapRule>,
}

impl Rules {
    /// Compile and check the `[[trigger]]` and `[[map]]` tables.
    pub fn from_config(config: &Config) -> Result<Rules, RulesError> {
        let err = |key: String, message: String| RulesError { key, message };
        let mut custom: Vec<CustomTrigger> = Vec::new();
        for (i, t) in config.triggers.iter().enumerate() {
            let key = format!("trigger[{i}]");
            let valid_id = !t.id.is_empty()
                && t.id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid_id {
                return Err(err(
                    format!("{key}.id"),
                    format!("{:?}: use letters, digits, '-' or '_'", t.id),
                ));
            }
            if DetectorId::is_reserved(&t.id) {
                return Err(err(
                    format!("{key}.id"),
                    format!("{:?} is a built-in id; choose another", t.id),
                ));
            }
            if custom.iter().any(|c| c.id == t.id) {
                return Err(err(
                    format!("{key}.id"),
                    format!("{:?} is used twice", t.id),
                ));
            }
            if t.terms.iter().all(|s| s.trim().is_empty()) && t.regex.is_empty() {
                return Err(err(key, "give at least one of terms or regex".into()));
            }
            let mut regex = Vec::new();
            for (j, r) in t.regex.iter().enumerate() {
                let compiled = Regex::new(&format!("(?i){r}")).map_err(|e| {
                    err(format!("{key}.regex[{j}]"), format!("invalid pattern: {e}"))
                })?;
                regex.push(compiled);
            }
            custom.push(CustomTrigger {
                id: t.id.clone(),
                title: t.title.clone().unwrap_or_else(|| t.id.clone()),
                sections: t.sections.iter().map(|s| s.to_lowercase()).collect(),
                terms: t
                    .terms
                    .iter()
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect(),
                regex,
            });
        }
        let mut map = Vec::new();
        for (i, m) in config.maps.iter().enumerate() {
            let known = DetectorId::parse(&m.id).is_some()
                || m.id == MANUAL_ID
                || custom.iter().any(|c| c.id == m.id);
            if !known {
                return Err(err(
                    format!("map[{i}].id"),
                    format!(
                        "{:?} is not a trigger id (built-in: {}; or a [[trigger]] id; or manual)",
                        m.id,
                        BUILTIN_IDS.join(", ")
                    ),
                ));
            }
            if m.item.trim().is_empty() {
                return Err(err(format!("map[{i}].item"), "is empty".into()));
            }
            map.push(MapRule {
                item: m.item.trim().to_owned(),
                id: m.id.clone(),
            });
        }
        Ok(Rules { custom, map })
    }

    /// The id a mapping rule assigns to a listed item.
    pub(super) fn mapped(&self, item: &ListedItem) -> Option<String> {
        self.map
            .iter()
            .find(|m| {
                item.label.as_deref().map(str::trim) == Some(m.item.as_str())
                    || item.text.contains(&m.item)
            })
            .map(|m| m.id.clone())
    }

    /// How an id is detected.
    pub(super) fn detection(&self, id: &str) -> Detection {
        if let Some(d) = catalogue::detector(id) {
            return Detection::Builtin(d);
        }
        match self.custom.iter().position(|c| c.id == id) {
            Some(k) => Detection::Custom(k),
            None => Detection::Manual(Vec::new()),
        }
    }
}
