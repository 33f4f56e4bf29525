//! Ids of the built-in detectors and of the two pseudo-triggers, as one enum:
//! the strings are spelt once, here, and appear only at the edges (reports,
//! config, `policydiff triggers`).

use std::fmt;

/// A built-in detector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DetectorId {
    /// The purpose, categories or way of processing.
    Processing,
    /// Ownership, controller or operator.
    Ownership,
    /// Recipients of sharing, transfer or disclosure.
    Recipients,
    /// Users' rights and how they exercise them.
    Rights,
    /// The responsible department, contact details, complaint channels.
    Contact,
    /// An impact assessment reporting high risk.
    HighRisk,
}

/// Id of the trigger that fires when the list of major changes itself changes.
pub const TRIGGERS_ID: &str = "triggers";
/// Id given to a listed trigger that no detector understands.
pub const MANUAL_ID: &str = "manual";

impl DetectorId {
    /// Every built-in detector, in catalogue order.
    pub const ALL: [DetectorId; 6] = [
        DetectorId::Processing,
        DetectorId::Ownership,
        DetectorId::Recipients,
        DetectorId::Rights,
        DetectorId::Contact,
        DetectorId::HighRisk,
    ];

    /// The stable id as written in reports and config.
    pub const fn as_str(self) -> &'static str {
        match self {
            DetectorId::Processing => "processing",
            DetectorId::Ownership => "ownership",
            DetectorId::Recipients => "recipients",
            DetectorId::Rights => "rights",
            DetectorId::Contact => "contact",
            DetectorId::HighRisk => "high-risk",
        }
    }

    /// The detector with this stable id.
    pub fn parse(id: &str) -> Option<DetectorId> {
        DetectorId::ALL.into_iter().find(|d| d.as_str() == id)
    }

    /// True for ids reserved by the tool: built-in detectors, `triggers`, `manual`.
    pub fn is_reserved(id: &str) -> bool {
        DetectorId::parse(id).is_some() || id == TRIGGERS_ID || id == MANUAL_ID
    }
}

impl fmt::Display for DetectorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for d in DetectorId::ALL {
            assert_eq!(DetectorId::parse(d.as_str()), Some(d));
        }
        assert_eq!(DetectorId::parse("triggers"), None);
        assert!(DetectorId::is_reserved("manual"));
        assert!(!DetectorId::is_reserved("retention"));
    }
}
