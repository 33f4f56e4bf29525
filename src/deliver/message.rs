//! The message for one recipient: headers shared by the run (the envelope,
//! with DKIM signing), a stable Message-ID, text and HTML parts.

use std::path::Path;

use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use super::{EmailContent, Recipient};
use crate::config::EmailConfig;

/// Headers common to every message.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// From.
    pub from: Mailbox,
    /// Reply-To.
    pub reply_to: Option<Mailbox>,
    /// List-Unsubscribe value (`<mailto:…>, <https://…>`).
    pub list_unsubscribe: Option<String>,
    /// Domain of the Message-IDs.
    pub id_domain: String,
    /// Identity of the notice; with the address it makes the Message-ID.
    pub notice: String,
    /// DKIM signing, if configured.
    pub dkim: Option<std::sync::Arc<lettre::message::dkim::DkimConfig>>,
}

/// `List-Unsubscribe` (RFC 2369), which lettre has no type for.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The stable Message-ID of a notice to an address: a resend is recognisable.
pub fn message_id(envelope: &Envelope, address_key: &str) -> String {
    let h = blake3::hash(format!("{}\0{address_key}", envelope.notice).as_bytes());
    format!("<{}.policydiff@{}>", &h.to_hex()[..32], envelope.id_domain)
}

/// A part's body: ASCII as lettre chooses (7bit or quoted-printable); other
/// text in whichever of quoted-printable and base64 is smaller. English
/// with a few curly quotes stays readable and a quarter smaller than in
/// base64; Chinese, where quoted-printable triples every byte, goes base64.
/// Smaller messages are what a disk-bound `file:` run or a busy server
/// gains most from.
fn body(text: &str) -> lettre::message::Body {
    use lettre::message::header::ContentTransferEncoding;
    if text.is_ascii() {
        return lettre::message::Body::new(text.to_owned());
    }
    let encoding = if quoted_printable_len(text) <= base64_len(text.len()) {
        ContentTransferEncoding::QuotedPrintable
    } else {
        ContentTransferEncoding::Base64
    };
    lettre::message::Body::new_with_encoding(text.to_owned(), encoding)
        .unwrap_or_else(|_| lettre::message::Body::new(text.to_owned()))
}

/// About how long `text` is in quoted-printable: each byte outside
/// printable ASCII (and `=`) takes three, and a soft line break of three
/// every 73 characters or so.
fn quoted_printable_len(text: &str) -> usize {
    let escaped = text
        .bytes()
        .filter(|&b| !matches!(b, b'\t' | b' '..=b'~' | b'\n') || b == b'=')
        .count();
    let len = text.len() + 2 * escaped;
    len + 3 * (len / 73)
}

/// Length of `n` bytes in base64 with CRLF every 76 characters.
fn base64_len(n: usize) -> usize {
    let chars = n.div_ceil(3) * 4;
    chars + 2 * (chars / 76)
}

/// Build the message for one recipient.
pub fn build_message(
    envelope: &Envelope,
    to: &Recipient,
    content: &EmailContent,
) -> Result<Message, String> {
    let address = to
        .email
        .parse()
        .map_err(|_| "invalid email address".to_owned())?;
    let name = to
        .fields
        .get("name")
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut builder = Message::builder()
        .from(envelope.from.clone())
        .to(Mailbox::new(name, address))
        // Header values are RFC 2047-encoded by lettre: CR/LF in a subject
        // cannot inject a header (and recipients with them are refused earlier).
        .subject(content.subject.trim())
        .message_id(Some(message_id(envelope, &to.key())))
        .date_now();
    if let Some(r) = &envelope.reply_to {
        builder = builder.reply_to(r.clone());
    }
    if let Some(u) = &envelope.list_unsubscribe {
        builder = builder.header(ListUnsubscribe(u.clone()));
    }
    let mut message = builder
        .multipart(MultiPart::alternative_plain_html(
            body(&content.text),
            body(&content.html),
        ))
        .map_err(|e| format!("cannot build the message: {e}"))?;
    if let Some(dkim) = &envelope.dkim {
        message.sign(dkim);
    }
    Ok(message)
}

impl Envelope {
    /// Headers shared by every message, from `[email]` (paths relative to
    /// `config_dir`). The error names the key at fault.
    pub fn from_config(
        config_dir: &Path,
        email: &EmailConfig,
        notice_id: &str,
    ) -> Result<Envelope, String> {
        let invalid = |message: String| message;
        let from: lettre::message::Mailbox = email
            .from
            .parse()
            .map_err(|_| invalid("email.from is not an address".into()))?;
        let reply_to = email
            .reply_to
            .as_deref()
            .map(|r| {
                r.parse()
                    .map_err(|_| invalid("email.reply_to is not an address".into()))
            })
            .transpose()?;
        let id_domain = from.email.domain().to_owned();
        let dkim = match (&email.dkim_key, &email.dkim_selector) {
            (Some(key_file), Some(selector)) => {
                let path = config_dir.join(key_file);
                let pem = std::fs::read_to_string(&path)
                    .map_err(|e| invalid(format!("email.dkim_key: {}: {e}", path.display())))?;
                let key = lettre::message::dkim::DkimSigningKey::new(
                    &pem,
                    lettre::message::dkim::DkimSigningAlgorithm::Rsa,
                )
                .map_err(|e| invalid(format!("email.dkim_key: {}: {e}", path.display())))?;
                let domain = email
                    .dkim_domain
                    .clone()
                    .unwrap_or_else(|| id_domain.clone());
                Some(std::sync::Arc::new(dkim_config(
                    selector.clone(),
                    domain,
                    key,
                )))
            }
            _ => None,
        };
        Ok(Envelope {
            from,
            reply_to,
            list_unsubscribe: email.list_unsubscribe.clone(),
            id_domain,
            notice: notice_id.to_owned(),
            dkim,
        })
    }
}

/// DKIM settings: relaxed/relaxed canonicalisation over the headers a
/// receiver judges a notice by, `List-Unsubscribe` among them (bulk-mail
/// rules want it signed). lettre 0.11's default (simple header
/// canonicalisation of From/Subject/To/Date) and a signed `Content-Type`
/// both failed an independent verifier (dkimpy) on what the server
/// received: lettre signs some header values as it holds them, not as it
/// writes them (the multipart boundary parameter, for one).
fn dkim_config(
    selector: String,
    domain: String,
    key: lettre::message::dkim::DkimSigningKey,
) -> lettre::message::dkim::DkimConfig {
    use lettre::message::dkim::{DkimCanonicalization, DkimCanonicalizationType, DkimConfig};
    use lettre::message::header::HeaderName;
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "Reply-To",
        "List-Unsubscribe",
        "MIME-Version",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    DkimConfig::new(
        selector,
        domain,
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lettre::message::header::ContentTransferEncoding as Cte;

    #[test]
    fn english_with_a_few_curly_quotes_is_quoted_printable_and_smaller_than_base64() {
        let text = "We changed “how we share” your personal information with partners, as section 3 of the policy explains.\n".repeat(40);
        let b = body(&text);
        assert_eq!(b.encoding(), Cte::QuotedPrintable);
        assert!(b.len() < base64_len(text.len()), "{} bytes", b.len());
    }

    #[test]
    fn chinese_is_base64_where_quoted_printable_would_triple_it() {
        let text = "我们更新了隐私政策，新增了位置信息的收集。\n".repeat(40);
        let b = body(&text);
        assert_eq!(b.encoding(), Cte::Base64);
        assert!(b.len() < quoted_printable_len(&text));
    }

    #[test]
    fn ascii_stays_seven_bit() {
        assert_eq!(body("Plain text.\n").encoding(), Cte::SevenBit);
    }
}
