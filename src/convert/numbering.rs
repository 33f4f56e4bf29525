//! Word's automatic numbering, evaluated: the number label a paragraph shows
//! (`1.`, `(a)`, `iv.`, `一、`, `（一）`), computed from `word/numbering.xml`.
//!
//! The label is not in the document's text runs: Word draws it from the
//! paragraph's list instance (`w:num`), the abstract definition it points at
//! (`w:abstractNum`: per level a start value, a number format and a
//! `lvlText` pattern such as `%1.%2`), the instance's overrides
//! (`w:lvlOverride`/`w:startOverride`: a restart) and the counters of the
//! paragraphs before it. docx-rs reads these definitions but does not
//! evaluate them; this module does.

use std::collections::HashMap;

/// One level of a list definition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Level {
    /// First value (`w:start`, default 1; Word allows 0).
    pub start: u32,
    /// Number format (`w:numFmt`): `decimal`, `lowerLetter`, `bullet`, …
    pub format: String,
    /// The label pattern (`w:lvlText`): `%1.`, `(%2)`, `%1.%2.`, or a bullet.
    pub text: String,
    /// `w:lvlRestart`: this level restarts after a number at a level before
    /// this 1-based one; `Some(0)` never restarts; `None` after any lower level.
    pub restart: Option<u32>,
    /// `w:isLgl`: every `%n` of the label in decimal (legal numbering).
    pub legal: bool,
    /// `w:pStyle`: the paragraph style linked to this level.
    pub style: Option<String>,
}

impl Level {
    /// A level with Word's defaults for what a definition leaves out.
    pub fn new() -> Level {
        Level {
            start: 1,
            format: "decimal".into(),
            ..Level::default()
        }
    }
}

/// An abstract list definition: up to nine levels.
#[derive(Debug, Clone, Default)]
pub struct Abstract {
    /// Levels by `w:ilvl` (0–8).
    pub levels: HashMap<u8, Level>,
    /// `w:styleLink`: the list style this definition defines.
    pub style_link: Option<String>,
    /// `w:numStyleLink`: this definition is a reference to the list style
    /// of that name, whose levels are those of the definition with the
    /// matching `styleLink` (Word's multi-level gallery styles).
    pub num_style_link: Option<String>,
}

/// A list instance (`w:num`): an abstract definition and its overrides.
#[derive(Debug, Clone, Default)]
pub struct Num {
    /// `w:abstractNumId`.
    pub abstract_id: String,
    /// `w:startOverride` by level: the instance restarts there.
    pub start_overrides: HashMap<u8, u32>,
    /// Whole levels redefined by `w:lvlOverride/w:lvl`.
    pub level_overrides: HashMap<u8, Level>,
}

/// The numbering definitions of a document.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// Abstract definitions by id.
    pub abstracts: HashMap<String, Abstract>,
    /// Instances by `w:numId`.
    pub nums: HashMap<String, Num>,
}

/// The label a numbered paragraph shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// A number label such as `1.`, `(a)`, `1.2.`, `（一）`.
    Number(String),
    /// A bullet (its symbol is not part of the text).
    Bullet,
}

impl Definitions {
    /// The abstract definition whose levels `abstract_id` uses: itself, or
    /// the one its `numStyleLink` leads to (a few hops at most; a cycle or
    /// a dangling link ends at the last definition found).
    pub fn resolve(&self, abstract_id: &str) -> Option<&Abstract> {
        let mut abs = self.abstracts.get(abstract_id)?;
        for _ in 0..8 {
            let Some(link) = abs.num_style_link.as_deref() else {
                break;
            };
            match self
                .abstracts
                .values()
                .find(|a| a.style_link.as_deref() == Some(link))
            {
                Some(next) if !std::ptr::eq(next, abs) => abs = next,
                _ => break,
            }
        }
        Some(abs)
    }

    /// The level definition of `num_id` at `ilvl`, if there is one.
    pub fn level(&self, num_id: &str, ilvl: u8) -> Option<&Level> {
        let num = self.nums.get(num_id)?;
        num.level_overrides
            .get(&ilvl)
            .or_else(|| self.resolve(&num.abstract_id)?.levels.get(&ilvl))
    }

    /// The level of `num_id` linked to paragraph style `style` (a heading
    /// style numbered through its definition), if any.
    pub fn level_of_style(&self, num_id: &str, style: &str) -> Option<u8> {
        let num = self.nums.get(num_id)?;
        let abs = self.resolve(&num.abstract_id)?;
        abs.levels
            .iter()
            .filter(|(_, l)| l.style.as_deref() == Some(style))
            .map(|(&i, _)| i)
            .min()
    }
}

/// Evaluates labels paragraph by paragraph, in document order. Instances
/// of one abstract definition share its counters (as in Word); an instance
/// with a `w:startOverride` restarts the levels it overrides where its
/// first paragraph is, and keeps the values of the levels above them. A
/// level redefined by `w:lvlOverride/w:lvl` without a `startOverride` does
/// not restart (LibreOffice's rendering, checked in tests/it/docx_input.rs).
#[derive(Debug)]
pub struct Counter<'a> {
    defs: &'a Definitions,
    /// Current value per level and abstract definition (None: not used
    /// since the last restart).
    counts: HashMap<String, [Option<u32>; 9]>,
    /// Instances whose overrides have taken effect.
    restarted: std::collections::HashSet<String>,
}

impl<'a> Counter<'a> {
    /// Counters at the start of a document.
    pub fn new(defs: &'a Definitions) -> Counter<'a> {
        Counter {
            defs,
            counts: HashMap::new(),
            restarted: std::collections::HashSet::new(),
        }
    }

    /// Advance the counters for a paragraph numbered `num_id` at `ilvl` and
    /// return the label it shows. `None`: no numbering (numId 0, an unknown
    /// instance or level, or a label that renders empty).
    pub fn next(&mut self, num_id: &str, ilvl: u8) -> Option<Label> {
        let ilvl = ilvl.min(8);
        let num = self.defs.nums.get(num_id)?;
        let level = self.defs.level(num_id, ilvl)?;
        let start_of = |i: u8| -> u32 {
            num.start_overrides
                .get(&i)
                .copied()
                .or_else(|| self.defs.level(num_id, i).map(|l| l.start))
                .unwrap_or(1)
        };
        let counts = self
            .counts
            .entry(num.abstract_id.clone())
            .or_insert([None; 9]);
        // Only a `startOverride` restarts: a level redefined without one
        // continues the count, as LibreOffice draws it.
        let first_overridden = num.start_overrides.keys().min().copied();
        if let Some(from) = first_overridden
            && !self.restarted.contains(num_id)
        {
            self.restarted.insert(num_id.to_owned());
            // The overridden levels start again (and so the levels under
            // them); the levels above keep counting.
            for slot in counts.iter_mut().skip(usize::from(from.min(8))) {
                *slot = None;
            }
        }
        let i = usize::from(ilvl);
        counts[i] = Some(match counts[i] {
            Some(n) => n.saturating_add(1),
            None => start_of(ilvl),
        });
        // Levels below restart when this one advances, as each defines.
        for (j, slot) in counts.iter_mut().enumerate().skip(i + 1) {
            let restart = self
                .defs
                .level(num_id, j as u8)
                .and_then(|l| l.restart)
                .is_none_or(|r| r != 0 && (i as u32) < r);
            if restart {
                *slot = None;
            }
        }
        if level.format == "bullet" {
            return Some(Label::Bullet);
        }
        let values: Vec<u32> = (0..=ilvl)
            .map(|k| counts[usize::from(k)].unwrap_or_else(|| start_of(k)))
            .collect();
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let k = (d - 1) as u8;
                    if let Some(&v) = values.get(usize::from(k)) {
                        let format = if level.legal {
                            "decimal"
                        } else {
                            self.defs
                                .level(num_id, k)
                                .map_or("decimal", |l| l.format.as_str())
                        };
                        out.push_str(&format_number(v, format));
                    }
                }
                _ => out.push(c),
            }
        }
        let out = out.trim();
        (!out.is_empty()).then(|| Label::Number(out.to_owned()))
    }
}

/// A number in one of Word's formats (`w:numFmt`). Unknown formats fall back
/// to decimal, as Word does.
pub fn format_number(n: u32, format: &str) -> String {
    match format {
        "none" => String::new(),
        "decimalZero" if n < 10 => format!("0{n}"),
        "lowerLetter" => letters(n, b'a'),
        "upperLetter" => letters(n, b'A'),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => {
            char::from_u32(0x2474 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => {
            char::from_u32(0x2488 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "koreanCounting" => chinese(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "ideographTraditional" if (1..=10).contains(&n) => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(n as usize - 1)
            .map_or_else(String::new, String::from),
        "ideographZodiac" if (1..=12).contains(&n) => "子丑寅卯辰巳午未申酉戌亥"
            .chars()
            .nth(n as usize - 1)
            .map_or_else(String::new, String::from),
        _ => n.to_string(),
    }
}

/// Chinese digits, zero to nine.
const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// `a`…`z`, then `aa`…`zz`, `aaa`…: Word repeats the letter.
fn letters(n: u32, base: u8) -> String {
    if n == 0 {
        return "0".into();
    }
    let letter = (base + ((n - 1) % 26) as u8) as char;
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1).min(64) as usize).collect()
}

/// Upper-case Roman numerals (Word writes 4000 and up in decimal).
fn roman(n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Chinese counting numerals: 一 … 十, 十一, 二十, 一百零五, 一千.
fn chinese(n: u32) -> String {
    if n == 0 {
        return "〇".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let mut zero = false;
    for (k, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('〇');
            zero = false;
        }
        // 十一, not 一十一, when ten is the leading unit.
        if !(k == 2 && d == 1 && out.is_empty()) {
            out.push(DIGITS[d as usize]);
        }
        out.push_str(units[k]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(format: &str, text: &str) -> Level {
        Level {
            format: format.into(),
            text: text.into(),
            ..Level::new()
        }
    }

    fn defs(levels: &[Level], nums: &[(&str, &[(u8, u32)])]) -> Definitions {
        let mut d = Definitions::default();
        d.abstracts.insert(
            "0".into(),
            Abstract {
                levels: levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (i as u8, l.clone()))
                    .collect(),
                ..Abstract::default()
            },
        );
        for (id, overrides) in nums {
            d.nums.insert(
                (*id).into(),
                Num {
                    abstract_id: "0".into(),
                    start_overrides: overrides.iter().copied().collect(),
                    level_overrides: HashMap::new(),
                },
            );
        }
        d
    }

    fn label(l: Option<Label>) -> String {
        match l {
            Some(Label::Number(s)) => s,
            Some(Label::Bullet) => "•".into(),
            None => String::new(),
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_number(4, "lowerLetter"), "d");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(1994, "lowerRoman"), "mcmxciv");
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(11, "chineseCounting"), "十一");
        assert_eq!(format_number(20, "chineseCounting"), "二十");
        assert_eq!(format_number(105, "chineseCountingThousand"), "一百〇五");
        assert_eq!(format_number(3, "ideographTraditional"), "丙");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(5, "none"), "");
        assert_eq!(format_number(5, "somethingNew"), "5");
    }

    #[test]
    fn three_levels_reset_when_a_higher_level_advances_and_restart_by_override() {
        let d = defs(
            &[
                level("decimal", "%1."),
                level("lowerLetter", "(%2)"),
                level("lowerRoman", "%3."),
            ],
            &[("1", &[]), ("2", &[(0, 1)])],
        );
        let mut c = Counter::new(&d);
        let got: Vec<String> = [
            ("1", 0),
            ("1", 1),
            ("1", 2),
            ("1", 2),
            ("1", 1),
            ("1", 0),
            ("1", 1),
            ("2", 0),
            ("2", 0),
            ("2", 1),
        ]
        .iter()
        .map(|&(n, l)| label(c.next(n, l)))
        .collect();
        assert_eq!(
            got,
            [
                "1.", "(a)", "i.", "ii.", "(b)", "2.", "(a)", "1.", "2.", "(a)"
            ]
        );
    }

    #[test]
    fn instances_of_one_definition_continue_without_an_override() {
        let d = defs(&[level("decimal", "%1.")], &[("1", &[]), ("2", &[])]);
        let mut c = Counter::new(&d);
        assert_eq!(label(c.next("1", 0)), "1.");
        assert_eq!(label(c.next("2", 0)), "2.");
        assert_eq!(label(c.next("1", 0)), "3.");
    }

    #[test]
    fn chinese_labels_multi_level_patterns_and_legal_numbering() {
        let mut l2 = level("decimal", "%1.%2");
        let d = defs(
            &[level("chineseCounting", "%1、"), l2.clone()],
            &[("1", &[])],
        );
        let mut c = Counter::new(&d);
        assert_eq!(label(c.next("1", 0)), "一、");
        assert_eq!(label(c.next("1", 1)), "一.1");
        l2.legal = true;
        let d = defs(
            &[level("chineseCounting", "（%1）"), l2],
            &[("1", &[(0, 3)])],
        );
        let mut c = Counter::new(&d);
        assert_eq!(label(c.next("1", 0)), "（三）");
        assert_eq!(label(c.next("1", 1)), "3.1", "isLgl: decimal everywhere");
    }

    #[test]
    fn a_restart_keeps_the_parent_levels_and_a_redefined_level_continues_as_libreoffice_draws_it() {
        let d = defs(
            &[level("decimal", "%1."), level("decimal", "%1.%2")],
            &[("1", &[]), ("2", &[(1, 1)])],
        );
        let mut c = Counter::new(&d);
        let got: Vec<String> = [("1", 0), ("1", 1), ("1", 1), ("1", 0), ("2", 1), ("2", 1)]
            .iter()
            .map(|&(n, l)| label(c.next(n, l)))
            .collect();
        assert_eq!(got, ["1.", "1.1", "1.2", "2.", "2.1", "2.2"]);
        // A level redefined without a startOverride continues the count.
        let mut d = defs(&[level("decimal", "%1.")], &[("1", &[]), ("2", &[])]);
        let mut redefined = level("decimal", "%1.");
        redefined.start = 5;
        d.nums
            .get_mut("2")
            .unwrap()
            .level_overrides
            .insert(0, redefined);
        let mut c = Counter::new(&d);
        assert_eq!(label(c.next("1", 0)), "1.");
        assert_eq!(label(c.next("1", 0)), "2.");
        assert_eq!(label(c.next("2", 0)), "3.");
        assert_eq!(label(c.next("2", 0)), "4.");
    }

    #[test]
    fn lvl_restart_zero_keeps_counting_and_bullets_and_unknowns() {
        let mut second = level("decimal", "%2)");
        second.restart = Some(0);
        let d = defs(&[level("decimal", "%1."), second], &[("1", &[])]);
        let mut c = Counter::new(&d);
        c.next("1", 1);
        c.next("1", 0);
        assert_eq!(label(c.next("1", 1)), "2)");
        let d = defs(&[level("bullet", "•")], &[("1", &[])]);
        let mut c = Counter::new(&d);
        assert_eq!(c.next("1", 0), Some(Label::Bullet));
        assert_eq!(c.next("9", 0), None);
        assert_eq!(c.next("1", 5), None);
    }
}
