//! Transports: `.eml` files in a directory (the default; no server needed)
//! or SMTP with STARTTLS required, implicit TLS, or (for localhost tests
//! only, explicitly) no encryption.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

/// Errors setting a transport up.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// A transport spec that is not `file:DIR`, `smtp://HOST:PORT` or `smtps://HOST:PORT`.
    #[error("--transport: {0}")]
    Spec(String),
    /// TLS settings that do not work (bad CA file …).
    #[error("TLS: {0}")]
    Tls(String),
    /// The output directory of the file transport.
    #[error("{path}: {source}")]
    Io {
        /// The directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
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

/// A way to send messages.
#[derive(Clone)]
pub enum Transport {
    /// `.eml` files.
    File(FileTransport, PathBuf),
    /// An SMTP server (pooled connections), and a count of sends.
    Smtp(
        SmtpTransport,
        std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ),
}

/// Why a send failed.
#[derive(Debug, Clone)]
pub struct SendFailure {
    /// Worth retrying (4xx, connection or TLS trouble, timeouts).
    pub transient: bool,
    /// Not about this recipient but about the account or the server's
    /// terms (authentication refused): every recipient would fail the same,
    /// so the run stops instead of marking them all failed.
    pub fatal: bool,
    /// The server's reply, or what went wrong.
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

    /// An SMTP transport.
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
        let mut builder = SmtpTransport::builder_dangerous(s.host.clone())
            .port(s.port)
            .tls(tls)
            .timeout(Some(s.timeout))
            .pool_config(PoolConfig::new().max_size(s.connections.max(1)));
        if let (Some(user), Some(password)) = (&s.user, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Transport::Smtp(builder.build(), Default::default()))
    }

    /// Send one message: the server's reply, or why not.
    pub fn send(&self, message: &Message) -> Result<String, SendFailure> {
        match self {
            Transport::File(t, dir) => t
                .send(message)
                .map(|id| format!("written {}/{id}.eml", dir.display()))
                .map_err(|e| SendFailure {
                    transient: true,
                    fatal: false,
                    reply: format!("file transport: {e}"),
                }),
            Transport::Smtp(t, sends) => {
                // The pool opens its connections in the first sends, and
                // reopens them after failures: look for new sockets then,
                // and now and again.
                let n = sends.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n < 64 || n % 32 == 0 {
                    set_nodelay_on_sockets();
                }
                let result = t.send(message);
                if result.is_err() {
                    sends.store(0, std::sync::atomic::Ordering::Relaxed);
                }
                smtp_outcome(result)
            }
        }
    }
}

/// The reply of an SMTP send, or why it failed and whether to retry.
fn smtp_outcome(
    result: Result<lettre::transport::smtp::response::Response, lettre::transport::smtp::Error>,
) -> Result<String, SendFailure> {
    match result {
        Ok(r) => Ok(format!(
            "{} {}",
            r.code(),
            r.message().collect::<Vec<_>>().join(" ")
        )),
        Err(e) => {
            // 5xx is permanent for this recipient; 4xx, refused or
            // dropped connections, TLS trouble and timeouts may pass.
            let reply = match e.status() {
                Some(code) => format!("{code} {e}"),
                None => e.to_string(),
            };
            // 530/534/535/538: authentication required or refused.
            let code = e.status().map(|c| c.to_string()).unwrap_or_default();
            let fatal = ["530", "534", "535", "538"].contains(&code.as_str());
            Err(SendFailure {
                transient: !e.is_permanent(),
                fatal,
                reply: reply.replace(['\r', '\n'], " "),
            })
        }
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
