#!/usr/bin/python3
"""An SMTP relay for tests: receives on 127.0.0.1, port 0, and keeps what it gets.

Run with Debian's /usr/bin/python3 (python3-aiosmtpd). The first line on stdout
is the chosen port. Each accepted message becomes a file NNNN.msg in OUT_DIR,
written whole (a temporary name, then a rename):

    from <envelope sender>
    to <envelope recipient>        (one line per recipient)
    tls yes|no                     (whether STARTTLS had been done)
    auth <login>|-                 (the AUTH login, if any)
    <empty line>
    <the message's bytes exactly as received, CRLF line ends, dot-stuffing undone>

Options:
  --cert PEM --key PEM   offer STARTTLS with this certificate (else no STARTTLS)
  --require-starttls     refuse MAIL before STARTTLS (530)
  --tempfail-first K     answer 451 to the DATA of the first K messages
  --reject RCPT          answer 550 to RCPT TO of this address
  --auth USER:PASSWORD   offer AUTH (after STARTTLS) and require it
  --starttls-tempfail    offer STARTTLS but answer it with 454 (TLS not available now)
"""

import argparse
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class TempfailStartTls(SMTP):
    """Offers STARTTLS and refuses it for now, as a relay whose TLS is broken."""

    async def smtp_STARTTLS(self, arg):
        await self.push("454 4.7.0 TLS not available due to temporary reason")


class Sink:
    def __init__(self, out_dir, tempfail_first, reject):
        self.out_dir = out_dir
        self.tempfail_left = tempfail_first
        self.reject = reject
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and address == self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail_left > 0:
            self.tempfail_left -= 1
            return "451 4.3.0 try again later"
        self.count += 1
        login = session.auth_data if session.authenticated else "-"
        head = ["from " + envelope.mail_from]
        head += ["to " + r for r in envelope.rcpt_tos]
        head += ["tls " + ("yes" if session.ssl is not None else "no"), "auth " + login, ""]
        name = os.path.join(self.out_dir, "%04d.msg" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write("\n".join(head).encode() + b"\n")
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 2.0.0 queued"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out_dir")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--tempfail-first", type=int, default=0)
    p.add_argument("--reject")
    p.add_argument("--auth")
    p.add_argument("--starttls-tempfail", action="store_true")
    a = p.parse_args()

    tls = None
    if a.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.cert, a.key)
    authenticator = None
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword) and data.login.decode() == user
                  and data.password.decode() == password)
            return AuthResult(success=ok, handled=False,
                              auth_data=data.login.decode() if ok else None)

    handler = Sink(a.out_dir, a.tempfail_first, a.reject)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        cls = TempfailStartTls if a.starttls_tempfail else SMTP
        return cls(handler, hostname="sink.test", tls_context=tls,
                   require_starttls=a.require_starttls, authenticator=authenticator,
                   auth_required=bool(a.auth), auth_require_tls=True, loop=loop)

    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    print(server.sockets[0].getsockname()[1], flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
