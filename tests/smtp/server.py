#!/usr/bin/env python3
"""A real SMTP server for the `policydiff send` tests (tests/it/smtp.rs).

aiosmtpd speaks SMTP; trustme makes a throwaway CA and a certificate for
localhost/127.0.0.1, so the client can verify the server with --tls-ca.
It listens on 127.0.0.1 only and prints `READY <port>` on stdout once it
accepts connections.

Options:
  --port N            port to listen on (0: pick a free one; see READY)
  --tls MODE          starttls (STARTTLS required), implicit (TLS from the
                      first byte, like smtps://) or none (plain)
  --auth USER:PASS    require AUTH (PLAIN or LOGIN); bad credentials get 535
  --ca-out PATH       write the CA certificate (PEM) here
  --mailbox DIR       store accepted messages: DIR/NNNNNN.eml, DIR/NNNNNN.json
                      (decoded headers and parts) and one line per message in
                      DIR/index.jsonl; every RCPT/AUTH/drop in DIR/events.jsonl
  --no-store          only the index lines (for load tests)
  --down-until-file P do not listen until P exists (a server down at start)
  --watch-stdin       exit when stdin closes (the test process went away)
  --max-seconds S     exit after S seconds whatever happens (default 600)
  --refuse STAGE      refuse the session with a 5xx at STAGE, for everyone:
                      greeting (554 instead of 220), ehlo, mail (MAIL FROM,
                      echoing the sender like Postfix) or data (the DATA
                      command)
  --hang STAGE        never answer at STAGE (greeting or mail): timeouts
  --stop-listening-after N
                      stop listening once N sessions have connected (those
                      go on): later connections are refused, as when a
                      server goes down after the client's pre-flight

Behaviours keyed by the recipient's local part:
  tempfail-N-*  451 at RCPT for the first N attempts to that address, then OK
  reject-*      550 at RCPT, always, echoing the address as Postfix does:
                `550 5.1.1 <reject-x@example.com>: Recipient address rejected`
  rejectdata-*  550 at the end of DATA, echoing the address
  dropdata-*    the first time, the connection is cut in the middle of DATA
                (after the 354 and one line of the message); later accepted
"""

import argparse
import asyncio
import collections
import email
import email.policy
import json
import logging
import os
import re
import socket
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

TEMPFAIL = re.compile(r"^tempfail-(\d+)-")
MAX_MESSAGE = 64 << 20


def local_part(address):
    return address.rsplit("@", 1)[0].lower()


class Mailbox:
    """Where accepted messages and events go; lines are flushed at once so a
    test polling index.jsonl sees each message as soon as it is accepted."""

    def __init__(self, directory, store):
        self.dir = directory
        self.store = store
        self.count = 0
        os.makedirs(directory, exist_ok=True)
        self.index = open(os.path.join(directory, "index.jsonl"), "a", encoding="utf-8")
        self.events = open(os.path.join(directory, "events.jsonl"), "a", encoding="utf-8")

    def event(self, **fields):
        self.events.write(json.dumps(fields, ensure_ascii=False) + "\n")
        self.events.flush()

    def accept(self, mail_from, rcpt_tos, raw):
        self.count += 1
        n = self.count
        line = {"n": n, "mail_from": mail_from, "rcpt_tos": list(rcpt_tos), "size": len(raw)}
        if self.store:
            name = f"{n:06d}"
            with open(os.path.join(self.dir, name + ".eml"), "wb") as f:
                f.write(raw)
            decoded = decode(raw)
            decoded.update(line)
            with open(os.path.join(self.dir, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(decoded, f, ensure_ascii=False, indent=1)
            line["file"] = name + ".eml"
            line["message_id"] = decoded["headers"].get("message-id")
        else:
            headers = email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n")
            line["message_id"] = headers.get("Message-ID")
        self.index.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.index.flush()
        return n


def decode(raw):
    """Headers (decoded, lower-case names; repeated ones as lists, and how
    many of each), and every leaf part's content type and decoded text."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for name, value in msg.items():
        key = name.lower()
        value = str(value)
        if key in headers:
            prev = headers[key]
            headers[key] = (prev if isinstance(prev, list) else [prev]) + [value]
        else:
            headers[key] = value
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except Exception as e:  # noqa: BLE001 - keep storing what we can
            content = f"<undecodable: {e}>"
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(), "content": content})
    return {
        "headers": headers,
        "content_type": msg.get_content_type(),
        "parts": parts,
        "header_count": dict(collections.Counter(k.lower() for k in msg.keys())),
    }


class Handler:
    def __init__(self, mailbox):
        self.mailbox = mailbox
        self.attempts = {}  # address -> RCPT count
        self.dropped = set()  # addresses whose DATA was cut once

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        self.attempts[key] = self.attempts.get(key, 0) + 1
        local = local_part(key)
        m = TEMPFAIL.match(local)
        if local.startswith("reject-"):
            reply = f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in local recipient table"
        elif m and self.attempts[key] <= int(m.group(1)):
            reply = "451 4.3.0 Temporary failure, try again later (test)"
        else:
            envelope.rcpt_tos.append(address)
            reply = "250 OK"
        self.mailbox.event(event="rcpt", rcpt=address, attempt=self.attempts[key], reply=reply)
        return reply

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or b""
        refused = [a for a in envelope.rcpt_tos if local_part(a).startswith("rejectdata-")]
        if refused:
            self.mailbox.event(event="data-refused", rcpt=refused)
            return f"550 5.7.1 <{refused[0]}>: message content rejected (test)"
        n = self.mailbox.accept(envelope.mail_from, envelope.rcpt_tos, raw)
        return f"250 2.0.0 OK queued as {n:06d}"


class TestSMTP(SMTP):
    """aiosmtpd's server, with the `dropdata-*` fault in DATA, and quick ACKs.

    Quick ACKs: the client writes a message's body and then the closing
    `.` line in two writes; with Nagle's algorithm on its side and delayed
    ACKs on ours, each message would wait ~40 ms for our ACK on Linux.
    """

    _sock = None
    refuse = None
    hang = None

    async def _handle_client(self):
        if self.refuse == "greeting" or self.hang == "greeting":
            if self.refuse == "greeting":
                self.event_handler.mailbox.event(event="refused", stage="greeting")
                await self.push("554 5.3.2 No SMTP service here (test)")
            # Wait for QUIT (or anything), then close.
            try:
                await asyncio.wait_for(self._reader.readuntil(), 60)
                await self.push("221 Bye")
            except Exception:  # noqa: BLE001 - the client went away
                pass
            self.transport.close()
            return
        await super()._handle_client()

    async def smtp_EHLO(self, hostname):
        if self.refuse == "ehlo":
            self.event_handler.mailbox.event(event="refused", stage="ehlo")
            await self.push("550 5.7.1 Client host rejected: Access denied (test)")
            return
        await super().smtp_EHLO(hostname)

    async def smtp_MAIL(self, arg):
        if self.hang == "mail":
            await asyncio.sleep(3600)
            return
        if self.refuse == "mail":
            sender = (arg or "").partition(":")[2].strip().split(" ")[0]
            self.event_handler.mailbox.event(event="refused", stage="mail")
            await self.push(f"553 5.7.1 {sender}: Sender address rejected: not owned by user (test)")
            return
        await super().smtp_MAIL(arg)

    def connection_made(self, transport):
        if self._sock is None:
            self._sock = transport.get_extra_info("socket")
        super().connection_made(transport)

    def data_received(self, data):
        if self._sock is not None and hasattr(socket, "TCP_QUICKACK"):
            try:
                self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            except OSError:
                pass
        super().data_received(data)

    async def smtp_DATA(self, arg):
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        if self.refuse == "data":
            self.event_handler.mailbox.event(event="refused", stage="data")
            await self.push("554 5.5.1 Error: no valid recipients (test)")
            return
        env = self.envelope
        if not env.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        handler = self.event_handler
        fresh = [
            a for a in env.rcpt_tos if local_part(a).startswith("dropdata-") and a.lower() not in handler.dropped
        ]
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        if fresh:
            # Cut the connection in the middle of the message, once.
            handler.dropped.update(a.lower() for a in fresh)
            try:
                await asyncio.wait_for(self._reader.readuntil(b"\r\n"), 5)
            except Exception:  # noqa: BLE001 - the cut is what we want anyway
                pass
            handler.mailbox.event(event="drop", rcpt=fresh)
            self.transport.abort()
            return
        # Read up to the lone dot in big steps, not line by line as aiosmtpd
        # does (four times the CPU for 10,000 messages).
        reader = self._reader
        limit = reader._limit
        reader._limit = MAX_MESSAGE
        buf = bytearray()
        try:
            while not (buf == b".\r\n" or buf.endswith(b"\r\n.\r\n")):
                buf += await reader.readuntil(b".\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            self.transport.abort()
            return
        finally:
            reader._limit = limit
        content = bytes(buf[:-3])
        # Transparency (RFC 5321 4.5.2): a leading dot was doubled.
        if content.startswith(b"."):
            content = content[1:]
        content = content.replace(b"\r\n..", b"\r\n.")
        env.content = env.original_content = content
        status = await handler.handle_DATA(self, self.session, env)
        self._set_post_data_state()
        await self.push(status)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tls", choices=["starttls", "implicit", "none"], default="none")
    ap.add_argument("--auth", metavar="USER:PASS")
    ap.add_argument("--ca-out", metavar="PATH")
    ap.add_argument("--mailbox", metavar="DIR", required=True)
    ap.add_argument("--no-store", action="store_true")
    ap.add_argument("--down-until-file", metavar="PATH")
    ap.add_argument("--watch-stdin", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=600)
    ap.add_argument("--refuse", choices=["greeting", "ehlo", "mail", "data"])
    ap.add_argument("--hang", choices=["greeting", "mail"])
    ap.add_argument("--stop-listening-after", type=int, metavar="N")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    if args.watch_stdin:
        def watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                os._exit(0)

        threading.Thread(target=watch, daemon=True).start()

    context = None
    if args.tls != "none" or args.ca_out:
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("localhost", "127.0.0.1", "::1")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        if args.ca_out:
            tmp = args.ca_out + ".tmp"
            ca.cert_pem.write_to_path(tmp)
            os.replace(tmp, args.ca_out)

    user = password = None
    if args.auth:
        user, _, password = args.auth.partition(":")

    mailbox = Mailbox(args.mailbox, store=not args.no_store)
    handler = Handler(mailbox)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode("utf-8", "replace") == user
            and auth_data.password.decode("utf-8", "replace") == password
        )
        login = auth_data.login.decode("utf-8", "replace") if isinstance(auth_data, LoginPassword) else None
        mailbox.event(event="auth", mechanism=mechanism, user=login, ok=ok)
        return AuthResult(success=ok, handled=False)

    smtp_kwargs = {"hostname": "localhost", "data_size_limit": 0}
    if args.auth:
        smtp_kwargs.update(
            authenticator=authenticator,
            auth_required=True,
            # AUTH only over TLS with STARTTLS; implicit TLS is TLS already.
            auth_require_tls=args.tls == "starttls",
        )
    if args.tls == "starttls":
        smtp_kwargs.update(tls_context=context, require_starttls=True)

    listening = {}
    sessions = [0]

    def factory():
        sessions[0] += 1
        if args.stop_listening_after and sessions[0] == args.stop_listening_after:
            mailbox.event(event="stop-listening", after=sessions[0])
            asyncio.get_running_loop().call_soon(listening["server"].close)
        server = TestSMTP(handler, **smtp_kwargs)
        server.refuse = args.refuse
        server.hang = args.hang
        return server

    async def serve():
        if args.down_until_file:
            while not os.path.exists(args.down_until_file):
                await asyncio.sleep(0.05)
        server = await asyncio.get_running_loop().create_server(
            factory,
            host="127.0.0.1",
            port=args.port,
            ssl=context if args.tls == "implicit" else None,
            reuse_address=True,
            backlog=128,
        )
        listening["server"] = server
        port = server.sockets[0].getsockname()[1]
        print(f"READY {port}", flush=True)
        async with server:
            await asyncio.sleep(args.max_seconds)

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
