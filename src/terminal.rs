//! Text bound for a terminal: control characters from an input are shown,
//! never obeyed.
//!
//! A policy line holding `ESC ] 52 ; c ; … BEL` would otherwise write the
//! reader's clipboard, `ESC [ 2 J` clear the screen, `ESC ] 0 ; … BEL` set the
//! window title. Every C0 and C1 control character other than newline and tab
//! (and DEL) is written as a visible escape such as `\x1b` instead.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw.
pub fn is_unsafe_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{7f}'
}

/// `s` with every unsafe control character written visibly (`\x1b`, `\u{9b}`).
pub fn visible_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_control(c) {
            if (c as u32) < 0x100 {
                let _ = write!(out, "\\x{:02x}", c as u32);
            } else {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_controls_keeps_text() {
        assert_eq!(
            visible_controls("a\u{1b}]52;c;eA==\u{7}b\n\tc"),
            "a\\x1b]52;c;eA==\\x07b\n\tc"
        );
        assert_eq!(visible_controls("\u{9b}2J\r"), "\\x9b2J\\x0d");
        assert!(matches!(visible_controls("政策 plain"), Cow::Borrowed(_)));
    }
}
