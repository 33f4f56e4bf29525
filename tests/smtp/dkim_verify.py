#!/usr/bin/env python3
"""Verify the DKIM signature of a message as received, with dkimpy: an
independent implementation, not the signer's (lettre).

Usage: dkim_verify.py MESSAGE.eml SELECTOR DOMAIN PUBLIC_KEY_B64_FILE

The DNS lookup of SELECTOR._domainkey.DOMAIN is answered from the given
public key (base64 DER), so no network is used. Prints `PASS` or `FAIL: …`
and exits 0 or 1.
"""

import sys

import dkim


def main():
    eml, selector, domain, pub = sys.argv[1:5]
    with open(eml, "rb") as f:
        message = f.read()
    with open(pub, encoding="ascii") as f:
        key = f.read().strip()
    record = f"v=DKIM1; k=rsa; p={key}".encode()
    wanted = f"{selector}._domainkey.{domain}."

    def dnsfunc(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        if name.rstrip(".") + "." == wanted:
            return record
        return None

    ok = dkim.verify(message, dnsfunc=dnsfunc)
    if ok:
        print("PASS")
        return 0
    d = dkim.DKIM(message)
    try:
        d.verify(dnsfunc=dnsfunc)
    except Exception as e:  # noqa: BLE001 - report why
        print(f"FAIL: {e}")
        return 1
    print("FAIL")
    return 1


if __name__ == "__main__":
    sys.exit(main())
