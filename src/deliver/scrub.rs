//! Scrub addresses out of text that is stored or printed.
//!
//! Servers echo the recipient in their replies (Postfix: `550 5.1.1
//! <alice@example.com>: Recipient address rejected`); the journal and the
//! receipts must never hold a plain address, whatever the server says. Any
//! token with an `@` inside is taken for an address: a false positive costs
//! a word of a reply, a false negative leaks personal data.

/// What stands in for a scrubbed address.
pub const PLACEHOLDER: &str = "[address]";

/// Characters that end an address-like token.
fn delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';')
}

/// `text` with every address-like token (`local@domain`, quoted local parts
/// included) replaced by [`PLACEHOLDER`].
pub fn scrub(text: &str) -> String {
    if !text.contains('@') {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // Find the token around the next '@'.
        let Some(at) = chars[i..].iter().position(|&c| c == '@').map(|p| p + i) else {
            out.extend(&chars[i..]);
            break;
        };
        let mut start = at;
        if start > i && chars[start - 1] == '"' {
            // A quoted local part: back to its opening quote.
            if let Some(open) = chars[i..start - 1].iter().rposition(|&c| c == '"') {
                start = i + open;
            }
        }
        while start > i && !delimiter(chars[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < chars.len() && !delimiter(chars[end]) {
            end += 1;
        }
        // Trailing punctuation is the sentence's, not the address's.
        while end > at + 1 && matches!(chars[end - 1], '.' | ':' | '"' | '!' | '?') {
            end -= 1;
        }
        out.extend(&chars[i..start]);
        if start == at && end == at + 1 {
            out.push('@'); // a lone '@' hides nothing
        } else {
            out.push_str(PLACEHOLDER);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_server_replies_are_scrubbed() {
        for (input, expected) in [
            (
                "550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown",
                "550 5.1.1 <[address]>: Recipient address rejected: User unknown",
            ),
            (
                "550 alice@example.com... User unknown",
                "550 [address]... User unknown",
            ),
            ("250 OK", "250 OK"),
            ("553 \"alice smith\"@example.com: no", "553 [address]: no"),
            (
                "550 mailbox Bob.O'Neil+tag@sub.example.com unavailable",
                "550 mailbox [address] unavailable",
            ),
            ("to=<王小明@例子.中国>;", "to=<[address]>;"),
            ("rcpt=王小明@example.com;", "[address];"),
            ("a@b and c@d", "[address] and [address]"),
            ("user@", "[address]"),
            ("@domain.example", "[address]"),
            ("lone @ sign", "lone @ sign"),
        ] {
            let got = scrub(input);
            assert_eq!(got, expected, "{input}");
            assert!(!got.contains("example.com"), "{got}");
        }
    }
}
