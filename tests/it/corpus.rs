//! The labelled corpus (tests/corpus): classification accuracy and per-trigger
//! precision and recall, printed as a table; the test fails when a figure falls
//! below its floor (set from the figures measured when the floor was last
//! raised, minus a small margin). Run with `--nocapture` to see the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use policydiff::classify::{Rules, RunFacts, classify};
use policydiff::diff::{DiffOptions, diff};
use policydiff::document::{Document, Format};
use serde_json::Value;

/// Floors, set on 2026-11-29 from the figures then (accuracy 0.988, micro-F1
/// 0.992, every trigger ≥ 0.917) less a margin for honest changes of rules.
/// The detectors were refined against this corpus: the held-out corpus
/// (tests/corpus-holdout) measures them on text they were never tuned on
/// (first measured 2026-11-29: accuracy 0.875, micro-F1 0.800), with its own
/// lower floors. Do not tune detectors on the held-out pairs; add new pairs
/// to tests/corpus instead, or the held-out figures stop meaning anything.
const ACCURACY_FLOOR: f64 = 0.95;
const MICRO_F1_FLOOR: f64 = 0.95;
const TRIGGER_FLOOR: f64 = 0.85;
const HOLDOUT_ACCURACY_FLOOR: f64 = 0.84;
const HOLDOUT_MICRO_F1_FLOOR: f64 = 0.75;
/// Floor for the Chinese pairs built on real-policy structures (`*-zhr-*`:
/// operator in the introduction, SDK lists as blocks or tables, the list of
/// major changes in one paragraph, contact clauses with a deadline); the
/// target set by issue 10.
const ZH_REAL_STRUCTURE_ACCURACY_FLOOR: f64 = 0.95;

struct Case {
    name: String,
    want_class: String,
    want: BTreeSet<String>,
    got_class: String,
    got: BTreeSet<String>,
}

fn run_corpus(folder: &str) -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("labels.json").is_file())
        .collect();
    dirs.sort();
    dirs.iter()
        .map(|dir| {
            let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("pair file");
            let labels: Value = serde_json::from_str(&read("labels.json")).expect("labels.json");
            let old = Document::parse(&read("old.md"), Format::Markdown);
            let new = Document::parse(&read("new.md"), Format::Markdown);
            let set = diff(&old, &new, &DiffOptions::default());
            let verdict = classify(&old, &new, &set, &Rules::default(), RunFacts::default());
            Case {
                name: dir
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                want_class: labels["classification"]
                    .as_str()
                    .expect("classification")
                    .to_owned(),
                want: labels["triggers"]
                    .as_array()
                    .expect("triggers")
                    .iter()
                    .map(|t| t.as_str().expect("id").to_owned())
                    .collect(),
                got_class: verdict.classification.as_str().to_owned(),
                got: verdict
                    .fired
                    .iter()
                    .map(|f| verdict.triggers[f.trigger].id.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Figures of one corpus.
struct Figures {
    accuracy: f64,
    micro_f1: f64,
    per_trigger: BTreeMap<String, (f64, f64)>,
}

/// Score a corpus and print its table.
fn score(title: &str, cases: &[Case]) -> Figures {
    let mut per: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new(); // tp, fp, fn
    let mut correct = 0;
    let mut misses = Vec::new();
    for c in cases {
        if c.want_class == c.got_class {
            correct += 1;
        }
        for t in c.want.union(&c.got) {
            let e = per.entry(t.clone()).or_default();
            match (c.want.contains(t), c.got.contains(t)) {
                (true, true) => e.0 += 1,
                (false, true) => e.1 += 1,
                (true, false) => e.2 += 1,
                (false, false) => {}
            }
        }
        if c.want != c.got || c.want_class != c.got_class {
            misses.push(format!(
                "  {:<48} want {:<5} {:?}  got {:<5} {:?}",
                c.name, c.want_class, c.want, c.got_class, c.got
            ));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let accuracy = ratio(correct, cases.len());
    println!(
        "\n{title}: {} pairs; classification accuracy {accuracy:.3}",
        cases.len()
    );
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "trigger", "tp", "fp", "fn", "precision", "recall"
    );
    let (mut tp, mut fp, mut fnn) = (0, 0, 0);
    let mut per_trigger = BTreeMap::new();
    for (t, &(a, b, c)) in &per {
        let (p, r) = (ratio(a, a + b), ratio(a, a + c));
        println!("{t:<12} {a:>4} {b:>4} {c:>4} {p:>9.3} {r:>7.3}");
        per_trigger.insert(t.clone(), (p, r));
        tp += a;
        fp += b;
        fnn += c;
    }
    let (p, r) = (ratio(tp, tp + fp), ratio(tp, tp + fnn));
    let micro_f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    println!(
        "{:<12} {tp:>4} {fp:>4} {fnn:>4} {p:>9.3} {r:>7.3}  micro-F1 {micro_f1:.3}",
        "all"
    );
    if !misses.is_empty() {
        println!("mismatches:\n{}", misses.join("\n"));
    }
    Figures {
        accuracy,
        micro_f1,
        per_trigger,
    }
}

#[test]
fn corpus_precision_and_recall_stay_above_their_floors() {
    let cases = run_corpus("tests/corpus");
    assert!(
        cases.len() >= 40,
        "the corpus needs at least 40 pairs, found {}",
        cases.len()
    );
    let f = score("corpus (tuning)", &cases);
    assert!(
        f.accuracy >= ACCURACY_FLOOR,
        "classification accuracy {:.3} fell below {ACCURACY_FLOOR}",
        f.accuracy
    );
    assert!(
        f.micro_f1 >= MICRO_F1_FLOOR,
        "trigger micro-F1 {:.3} fell below {MICRO_F1_FLOOR}",
        f.micro_f1
    );
    for (t, (p, r)) in &f.per_trigger {
        assert!(
            *p >= TRIGGER_FLOOR && *r >= TRIGGER_FLOOR,
            "{t}: precision {p:.3} / recall {r:.3} below {TRIGGER_FLOOR}"
        );
    }
}

#[test]
fn chinese_real_structure_pairs_stay_above_their_floor() {
    let cases: Vec<Case> = run_corpus("tests/corpus")
        .into_iter()
        .filter(|c| c.name.contains("-zhr-"))
        .collect();
    assert!(
        cases.len() >= 20,
        "expected at least 20 Chinese real-structure pairs, found {}",
        cases.len()
    );
    let f = score("Chinese real-structure pairs", &cases);
    assert!(
        f.accuracy >= ZH_REAL_STRUCTURE_ACCURACY_FLOOR,
        "Chinese real-structure accuracy {:.3} fell below {ZH_REAL_STRUCTURE_ACCURACY_FLOOR}",
        f.accuracy
    );
}

#[test]
fn holdout_corpus_stays_above_its_floors() {
    let cases = run_corpus("tests/corpus-holdout");
    let f = score("held-out corpus", &cases);
    assert!(
        f.accuracy >= HOLDOUT_ACCURACY_FLOOR,
        "held-out accuracy {:.3} fell below {HOLDOUT_ACCURACY_FLOOR}",
        f.accuracy
    );
    assert!(
        f.micro_f1 >= HOLDOUT_MICRO_F1_FLOOR,
        "held-out micro-F1 {:.3} fell below {HOLDOUT_MICRO_F1_FLOOR}",
        f.micro_f1
    );
}
