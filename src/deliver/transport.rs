//! Transports: `.eml` files in a directory (the default; no server needed)
//! or SMTP with STARTTLS required, implicit TLS, or (for localhost tests
//! only, explicitly) no encryption.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, Tls, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::{FileTransport, Message, Transport as _};

/// Errors setting a transport up.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// A transport spec that is not `file:DIR`, `smtp://HOST:PORT` or `smtps://HOST:PORT`.
    #[error("--transport: {0}")]
    Spec(String),
    /// TLS settings that do not work (bad CA file …).
    #[error("TLS: {0}")]
    Tls(String),
    /// No password, or a password file that cannot be read.
    #[error("{0}")]
    Password(String),
    /// The output directory of the file transport.
    #[error("{path}: {source}")]
    Io {
        /// The directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Environment variable holding the SMTP password.
pub const PASSWORD_ENV: &str = "POLICYDIFF_SMTP_PASSWORD";

/// What `--transport` and its companions ask for.
#[derive(Debug, Clone)]
pub struct TransportRequest<'a> {
    /// `file:DIR`, `smtp://[USER@]HOST[:PORT]` or `smtps://…`.
    pub spec: &'a str,
    /// Plain SMTP without TLS (`--insecure`).
    pub insecure: bool,
    /// SMTP user when the spec names none (`[email] smtp_user`).
    pub user: Option<&'a str>,
    /// File holding the password (`--password-file`), else [`PASSWORD_ENV`].
    pub password_file: Option<&'a std::path::Path>,
    /// Extra CA certificate to trust (`--tls-ca`).
    pub ca_file: Option<&'a std::path::Path>,
    /// Connections.
    pub connections: u32,
    /// Wait for each reply.
    pub timeout: Duration,
}

/// How SMTP is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// `smtp://`: STARTTLS, required.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://` with `--insecure`: plaintext (localhost tests only).
    None,
}

/// SMTP settings.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Server host.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Encryption.
    pub tls: TlsMode,
    /// User name, if authenticating.
    pub user: Option<String>,
    /// Password (from the environment or a file; never logged).
    pub password: Option<String>,
    /// Extra CA certificate (PEM) to trust, e.g. a company relay's.
    pub ca_file: Option<PathBuf>,
    /// Connection pool size.
    pub connections: u32,
    /// Timeout of each SMTP command.
    pub timeout: Duration,
}

/// A parsed `--transport`.
#[derive(Debug, Clone)]
pub enum TransportSpec {
    /// Write `.eml` files.
    File(PathBuf),
    /// SMTP.
    Smtp {
        /// `smtps://`.
        implicit_tls: bool,
        /// User from the URL.
        user: Option<String>,
        /// Host.
        host: String,
        /// Port.
        port: u16,
    },
}

impl TransportSpec {
    /// Parse `file:DIR`, `smtp://[USER@]HOST[:PORT]` or `smtps://[USER@]HOST[:PORT]`.
    /// A password in the URL is refused (it would end up in shell history);
    /// the error never repeats the URL.
    pub fn parse(spec: &str) -> Result<TransportSpec, TransportError> {
        if let Some(dir) = spec.strip_prefix("file:") {
            if dir.is_empty() {
                return Err(TransportError::Spec(
                    "file: needs a directory, e.g. file:outbox".into(),
                ));
            }
            return Ok(TransportSpec::File(PathBuf::from(dir)));
        }
        let (implicit_tls, rest) = if let Some(r) = spec.strip_prefix("smtps://") {
            (true, r)
        } else if let Some(r) = spec.strip_prefix("smtp://") {
            (false, r)
        } else {
            return Err(TransportError::Spec(
                "give file:DIR, smtp://HOST:PORT or smtps://HOST:PORT".into(),
            ));
        };
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => {
                if u.contains(':') {
                    return Err(TransportError::Spec(
                        "a password in the URL is not accepted: set POLICYDIFF_SMTP_PASSWORD or use --password-file".into(),
                    ));
                }
                (Some(u.to_owned()), h)
            }
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
                let port = p
                    .parse::<u16>()
                    .map_err(|_| TransportError::Spec(format!("port {p:?} is not a number")))?;
                (h.trim_matches(['[', ']']).to_owned(), port)
            }
            _ => (
                hostport.trim_matches(['[', ']']).to_owned(),
                if implicit_tls { 465 } else { 587 },
            ),
        };
        if host.is_empty() {
            return Err(TransportError::Spec("no host".into()));
        }
        Ok(TransportSpec::Smtp {
            implicit_tls,
            user,
            host,
            port,
        })
    }
}

/// A way to send messages. Each worker opens its own [`Session`] on it.
#[derive(Clone)]
pub enum Transport {
    /// `.eml` files.
    File(FileTransport, PathBuf),
    /// An SMTP server.
    Smtp(std::sync::Arc<SmtpClient>),
}

/// What the SMTP sessions of a run share: where to connect and how.
pub struct SmtpClient {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    timeout: Duration,
    hello: ClientId,
}

/// What a failed send means for the recipient and for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Worth retrying: a 4xx reply, a refused or dropped connection, a
    /// timeout.
    Retry,
    /// A 5xx reply to RCPT TO or to the end of DATA: this recipient's
    /// message is refused for good.
    Recipient,
    /// The server refused the session, not a recipient (5xx at the greeting,
    /// to EHLO, STARTTLS, AUTH, MAIL FROM or DATA; a TLS certificate it
    /// cannot prove; no STARTTLS): every recipient would fail the same, so
    /// the run stops and nobody is marked failed.
    Stop,
}

/// Why a send failed.
#[derive(Debug, Clone)]
pub struct SendFailure {
    /// What it means.
    pub kind: FailureKind,
    /// The server's reply, or what went wrong, in words (not yet scrubbed
    /// of addresses: the caller does that before storing or printing it).
    pub reply: String,
}

impl Transport {
    /// Files in `dir` (created if needed).
    pub fn file(dir: PathBuf) -> Result<Transport, TransportError> {
        std::fs::create_dir_all(&dir).map_err(|source| TransportError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Transport::File(FileTransport::new(&dir), dir))
    }

    /// Check that `file:DIR` could be used, creating nothing: DIR is a
    /// directory, or its nearest existing ancestor is one (for `--dry-run`).
    pub fn check_file_dir(dir: &std::path::Path) -> Result<(), TransportError> {
        let io = |source| TransportError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut at = Some(dir);
        while let Some(p) = at.filter(|p| !p.as_os_str().is_empty()) {
            match std::fs::metadata(p) {
                Ok(m) if m.is_dir() => return Ok(()),
                Ok(_) => {
                    return Err(io(std::io::Error::new(
                        std::io::ErrorKind::NotADirectory,
                        format!("{} is not a directory", p.display()),
                    )));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => at = p.parent(),
                Err(e) => return Err(io(e)),
            }
        }
        Ok(())
    }

    /// An SMTP transport. Nothing connects until the first send.
    pub fn smtp(s: &SmtpSettings) -> Result<Transport, TransportError> {
        let mut params = TlsParameters::builder(s.host.clone());
        if let Some(ca) = &s.ca_file {
            let pem = std::fs::read(ca)
                .map_err(|e| TransportError::Tls(format!("{}: {e}", ca.display())))?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|e| TransportError::Tls(format!("{}: {e}", ca.display())))?;
            params = params.add_root_certificate(cert);
        }
        let tls = match s.tls {
            TlsMode::None => Tls::None,
            mode => {
                let params = params
                    .build_rustls()
                    .map_err(|e| TransportError::Tls(e.to_string()))?;
                if mode == TlsMode::Implicit {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let credentials = match (&s.user, &s.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            _ => None,
        };
        Ok(Transport::Smtp(std::sync::Arc::new(SmtpClient {
            host: s.host.clone(),
            port: s.port,
            tls,
            credentials,
            timeout: s.timeout,
            hello: ClientId::default(),
        })))
    }

    /// The pre-flight of a real run: connect, read the greeting, EHLO,
    /// STARTTLS and AUTH as a worker would, then QUIT, sending no message.
    /// A server that is down, refuses the session, cannot prove its
    /// certificate or refuses the password fails here, before the journal
    /// (or its key) is created. Nothing to check for `file:` transports.
    pub fn preflight(&self) -> Result<(), SendFailure> {
        match self {
            Transport::File(..) => Ok(()),
            Transport::Smtp(client) => {
                let mut conn = client
                    .connect()
                    .map_err(|(stage, e)| failure(client, stage, &e))?;
                let _ = conn.quit();
                Ok(())
            }
        }
    }

    /// A session for one worker: SMTP keeps its connection open between
    /// messages, and closes it politely when the session is dropped.
    pub fn session(&self) -> Session<'_> {
        Session {
            transport: self,
            conn: None,
        }
    }
}

/// One worker's way to send: its own SMTP connection, opened on demand.
///
/// lettre's pooled `SmtpTransport` does not say which command a reply
/// answered, yet a 5xx to MAIL FROM refuses the session while a 5xx to RCPT
/// TO refuses one recipient. So the session speaks the commands itself,
/// through lettre's `SmtpConnection`, and knows the stage of every reply.
pub struct Session<'a> {
    transport: &'a Transport,
    conn: Option<SmtpConnection>,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if let Some(mut c) = self.conn.take() {
            let _ = c.quit();
        }
    }
}

/// The SMTP stages, named in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Connect,
    Greeting,
    StartTls,
    Auth,
    MailFrom,
    RcptTo,
    Data,
    EndOfData,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Connect => "connecting",
            Stage::Greeting => "the greeting or EHLO",
            Stage::StartTls => "STARTTLS",
            Stage::Auth => "AUTH",
            Stage::MailFrom => "MAIL FROM",
            Stage::RcptTo => "RCPT TO",
            Stage::Data => "DATA",
            Stage::EndOfData => "the end of DATA",
        }
    }
}

impl Session<'_> {
    /// Send one message: the server's reply, or why not.
    pub fn send(&mut self, message: &Message) -> Result<String, SendFailure> {
        match self.transport {
            Transport::File(t, dir) => t
                .send(message)
                .map(|id| format!("written {}/{id}.eml", dir.display()))
                .map_err(|e| SendFailure {
                    kind: FailureKind::Retry,
                    reply: format!("file transport: {e}"),
                }),
            Transport::Smtp(client) => {
                let reused = self.conn.is_some();
                match self.smtp_send(client, message) {
                    // A kept connection the server has since closed (idle
                    // timeout): not this message's fault; once more on a
                    // fresh connection.
                    Err((Stage::MailFrom, Step::Smtp(e)))
                        if reused && e.status().is_none() && !timed_out(&e) =>
                    {
                        self.smtp_send(client, message)
                            .map_err(|(stage, e)| failure(client, stage, &e))
                    }
                    r => r.map_err(|(stage, e)| failure(client, stage, &e)),
                }
            }
        }
    }

    fn smtp_send(
        &mut self,
        client: &SmtpClient,
        message: &Message,
    ) -> Result<String, (Stage, Step)> {
        let conn = match &mut self.conn {
            Some(c) => c,
            None => self.conn.insert(client.connect()?),
        };
        let envelope = message.envelope();
        let body = message.formatted();
        let mut options = Vec::new();
        if !body.is_ascii() {
            if !conn.server_info().supports_feature(Extension::EightBitMime) {
                self.drop_connection();
                return Err((
                    Stage::MailFrom,
                    Step::Local(
                        FailureKind::Stop,
                        "the message is not ASCII and the server does not offer 8BITMIME".into(),
                    ),
                ));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let non_ascii = envelope
            .to()
            .iter()
            .any(|a| !AsRef::<str>::as_ref(a).is_ascii());
        if non_ascii {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err((
                    Stage::RcptTo,
                    Step::Local(
                        FailureKind::Recipient,
                        "the address is not ASCII and the server does not offer SMTPUTF8".into(),
                    ),
                ));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        let steps = (|| {
            conn.command(Mail::new(envelope.from().cloned(), options))
                .map_err(|e| (Stage::MailFrom, e))?;
            for to in envelope.to() {
                conn.command(Rcpt::new(to.clone(), vec![]))
                    .map_err(|e| (Stage::RcptTo, e))?;
            }
            conn.command(Data).map_err(|e| (Stage::Data, e))?;
            conn.message(&body).map_err(|e| (Stage::EndOfData, e))
        })();
        match steps {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.message().collect::<Vec<_>>().join(" ")
            )),
            Err((stage, e)) => {
                let e = Step::Smtp(e);
                // A reply leaves the session usable once reset; anything
                // else (cut, timeout) leaves it in an unknown state.
                let status = match &e {
                    Step::Smtp(e) => e.status().map(|c| c.to_string()),
                    Step::Local(..) => None,
                };
                let keep = match status.as_deref() {
                    None | Some("421") => false,
                    // After the end of DATA the transaction is over.
                    Some(_) if stage == Stage::EndOfData => true,
                    Some(_) => conn.command(Rset).is_ok(),
                };
                if !keep {
                    self.drop_connection();
                }
                Err((stage, e))
            }
        }
    }

    fn drop_connection(&mut self) {
        if let Some(mut c) = self.conn.take() {
            c.abort();
        }
    }
}

type SmtpError = lettre::transport::smtp::Error;

/// A failed step: lettre's error, or a check of ours (lettre's error type
/// has no public constructor).
enum Step {
    Smtp(SmtpError),
    Local(FailureKind, String),
}

impl From<SmtpError> for Step {
    fn from(e: SmtpError) -> Step {
        Step::Smtp(e)
    }
}

impl SmtpClient {
    /// Connect, read the greeting, EHLO, STARTTLS, AUTH: a session ready for
    /// MAIL FROM.
    fn connect(&self) -> Result<SmtpConnection, (Stage, Step)> {
        let wrapper = match &self.tls {
            Tls::Wrapper(p) => Some(p),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &self.hello,
            wrapper,
            None,
        )
        .map_err(|e| {
            // A reply means the TCP (and TLS) part went through.
            let stage = if e.status().is_some() || e.is_response() {
                Stage::Greeting
            } else {
                Stage::Connect
            };
            (stage, Step::Smtp(e))
        })?;
        set_nodelay_on_sockets();
        if let Tls::Required(p) = &self.tls {
            if !conn.can_starttls() {
                conn.abort();
                return Err((
                    Stage::StartTls,
                    Step::Local(FailureKind::Stop, NO_STARTTLS.into()),
                ));
            }
            conn.starttls(p, &self.hello)
                .map_err(|e| (Stage::StartTls, Step::Smtp(e)))?;
        }
        if let Some(c) = &self.credentials
            && let Err(e) = conn.auth(DEFAULT_MECHANISMS, c)
        {
            conn.abort();
            return Err((Stage::Auth, Step::Smtp(e)));
        }
        Ok(conn)
    }
}

const NO_STARTTLS: &str = "the server does not offer STARTTLS, which smtp:// requires";

/// An I/O error somewhere in `e`, and its kind.
fn io_kind(e: &SmtpError) -> Option<std::io::ErrorKind> {
    use std::error::Error as _;
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// A socket timeout: Linux reports an expired read timeout as WouldBlock
/// (EAGAIN, "os error 11"), not TimedOut.
fn timed_out(e: &SmtpError) -> bool {
    matches!(
        io_kind(e),
        Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock)
    )
}

/// Classify a failed step and say what happened, in words.
fn failure(client: &SmtpClient, stage: Stage, e: &Step) -> SendFailure {
    use std::error::Error as _;
    let server = format!("{}:{}", client.host, client.port);
    let e = match e {
        Step::Smtp(e) => e,
        Step::Local(kind, why) if why == NO_STARTTLS => {
            return SendFailure {
                kind: *kind,
                reply: format!(
                    "{server}: {NO_STARTTLS}; use smtps:// if it speaks TLS from the first byte, or --insecure for a test server on localhost"
                ),
            };
        }
        Step::Local(kind, why) => {
            return SendFailure {
                kind: *kind,
                reply: format!("{server}: {why}"),
            };
        }
    };
    let detail = e.source().map(ToString::to_string).unwrap_or_default();
    let io_kind = io_kind(e);
    let at = stage.name();
    if let Some(code) = e.status() {
        let reply = format!("{code} {detail}").replace(['\r', '\n'], " ");
        let permanent = e.is_permanent();
        let kind = match stage {
            _ if !permanent => FailureKind::Retry,
            Stage::RcptTo | Stage::EndOfData => FailureKind::Recipient,
            _ => FailureKind::Stop,
        };
        let reply = if kind == FailureKind::Stop {
            format!("{server} refused {at}: {reply}")
        } else {
            reply
        };
        return SendFailure { kind, reply };
    }
    if timed_out(e) {
        return SendFailure {
            kind: FailureKind::Retry,
            reply: format!(
                "timed out: {server} did not answer within {} s at {at}",
                client.timeout.as_secs_f64()
            ),
        };
    }
    let lower = detail.to_lowercase();
    // A handshake failure reaches us as an I/O error of kind InvalidData
    // carrying rustls' error (`InvalidCertificate(UnknownIssuer)`).
    let tls_trouble = e.is_tls()
        || (io_kind == Some(std::io::ErrorKind::InvalidData)
            && (stage == Stage::StartTls
                || ["certificate", "tls", "handshake", "alert"]
                    .iter()
                    .any(|w| lower.contains(w))));
    if tls_trouble {
        let reply = if lower.contains("certificate") || lower.contains("issuer") {
            format!(
                "TLS: the certificate of {server} was not accepted ({detail}); if it is signed by a private CA, trust that CA with --tls-ca FILE"
            )
        } else {
            format!("TLS with {server} failed at {at}: {detail}")
        };
        return SendFailure {
            kind: FailureKind::Stop,
            reply,
        };
    }
    let what = if detail.is_empty() {
        e.to_string()
    } else {
        detail
    };
    let reply = match stage {
        // Said the same way for every recipient, so the summary can group
        // the deferred under it ("deferred 3: connection refused by …").
        Stage::Connect if io_kind == Some(std::io::ErrorKind::ConnectionRefused) => {
            format!("connection refused by {server}")
        }
        Stage::Connect => format!("cannot connect to {server}: {what}"),
        _ => format!("connection to {server} lost at {at}: {what}"),
    };
    SendFailure {
        kind: FailureKind::Retry,
        reply: reply.replace(['\r', '\n'], " "),
    }
}

/// Turn off Nagle's algorithm on this process's TCP sockets.
///
/// lettre writes a message's body and its end-of-data marker (`.`) in two
/// writes and does not set TCP_NODELAY: the small second write then waits
/// for the server's delayed ACK, about 40 ms per message (90 messages per
/// second on four connections instead of thousands). lettre's pool gives no
/// access to its sockets, so set the option on every socket we own before
/// each send; it fails harmlessly (ENOTSOCK) on files and is cheap.
fn set_nodelay_on_sockets() {
    #[cfg(target_os = "linux")]
    {
        let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
            return;
        };
        let one: libc::c_int = 1;
        for entry in dir.flatten() {
            if let Some(fd) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<libc::c_int>().ok())
            {
                // SAFETY: setsockopt only reads the option value we pass and
                // fails with ENOTSOCK/EBADF on anything that is not a TCP
                // socket; no memory is handed over.
                unsafe {
                    libc::setsockopt(
                        fd,
                        libc::IPPROTO_TCP,
                        libc::TCP_NODELAY,
                        (&raw const one).cast(),
                        std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                    );
                }
            }
        }
    }
}

impl Transport {
    /// The transport a request names, with the password from a file or
    /// [`PASSWORD_ENV`] (never from the command line, never printed). With
    /// `check` (a dry run), every check is made but no directory is created.
    /// The second value is a warning for the user (plain SMTP to another
    /// host).
    pub fn open(
        req: &TransportRequest<'_>,
        check: bool,
    ) -> Result<(Transport, Option<String>), TransportError> {
        match TransportSpec::parse(req.spec)? {
            TransportSpec::File(dir) if check => {
                Transport::check_file_dir(&dir)?;
                Ok((Transport::File(lettre::FileTransport::new(&dir), dir), None))
            }
            TransportSpec::File(dir) => Ok((Transport::file(dir)?, None)),
            TransportSpec::Smtp {
                implicit_tls,
                user,
                host,
                port,
            } => {
                let mut warning = None;
                let tls = match (implicit_tls, req.insecure) {
                    (true, _) => TlsMode::Implicit,
                    (false, true) => {
                        let local =
                            host == "localhost" || host.starts_with("127.") || host == "::1";
                        if !local {
                            warning = Some(format!(
                                "--insecure sends mail and credentials unencrypted to {host}"
                            ));
                        }
                        TlsMode::None
                    }
                    (false, false) => TlsMode::StartTls,
                };
                let user = user.or_else(|| req.user.map(str::to_owned));
                let password = password(req.password_file)?;
                if user.is_some() && password.is_none() {
                    return Err(TransportError::Password(format!(
                        "SMTP user given but no password: set {PASSWORD_ENV} or use --password-file"
                    )));
                }
                let settings = SmtpSettings {
                    host,
                    port,
                    tls,
                    user,
                    password,
                    ca_file: req.ca_file.map(std::path::Path::to_path_buf),
                    connections: req.connections,
                    timeout: req.timeout,
                };
                Ok((Transport::smtp(&settings)?, warning))
            }
        }
    }
}

/// The SMTP password: the first line of `file`, else [`PASSWORD_ENV`].
fn password(file: Option<&std::path::Path>) -> Result<Option<String>, TransportError> {
    let Some(f) = file else {
        return Ok(std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()));
    };
    let f = if f.is_absolute() {
        f.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(f))
            .unwrap_or_else(|_| f.to_path_buf())
    };
    let text = std::fs::read_to_string(&f)
        .map_err(|e| TransportError::Password(format!("--password-file {}: {e}", f.display())))?;
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_specs() {
        assert!(matches!(
            TransportSpec::parse("file:out").unwrap(),
            TransportSpec::File(_)
        ));
        match TransportSpec::parse("smtp://mailer@relay.example.com:2525").unwrap() {
            TransportSpec::Smtp {
                implicit_tls,
                user,
                host,
                port,
            } => {
                assert!(!implicit_tls);
                assert_eq!(user.as_deref(), Some("mailer"));
                assert_eq!((host.as_str(), port), ("relay.example.com", 2525));
            }
            TransportSpec::File(_) => panic!(),
        }
        match TransportSpec::parse("smtps://relay.example.com").unwrap() {
            TransportSpec::Smtp { port, .. } => assert_eq!(port, 465),
            TransportSpec::File(_) => panic!(),
        }
        let e = TransportSpec::parse("smtp://u:secret@host:25")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret"), "{e}");
        assert!(TransportSpec::parse("http://x").is_err());
        assert!(TransportSpec::parse("smtp://host:notaport").is_err());
    }
}
