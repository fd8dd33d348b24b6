#!/usr/bin/python3
"""A Connect client of schakeld's HTTPS port written with the standard
library only (urllib + ssl), as a partner's script would be.

usage: connect_client.py BASE_URL IDENTITY_DIR

Creates a signal (twice, with one request id), reads it back and lists the
caller's signals, then calls GetSignal with an unknown id. Prints one JSON
object per line, {"step": ..., "status": HTTP status, "body": answer}, for
connect_clients_test.cc to assert.
"""
import json
import os
import ssl
import sys
import urllib.error
import urllib.request
import uuid


def main():
    base, identity = sys.argv[1].rstrip("/"), sys.argv[2]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_cert_chain(os.path.join(identity, "cert.pem"),
                            os.path.join(identity, "key.pem"))
    context.load_verify_locations(os.path.join(identity, "ca.pem"))

    def call(step, method, request):
        http = urllib.request.Request(
            base + "/schakel.v1." + method,
            data=json.dumps(request).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST")
        try:
            with urllib.request.urlopen(http, context=context, timeout=20) as answer:
                status, body = answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            status, body = error.code, json.loads(error.read())
        print(json.dumps({"step": step, "status": status, "body": body}), flush=True)
        return body

    request = {
        "requestId": str(uuid.uuid4()),
        "category": "FZ-SCHULDEN",
        "wijk": "prinsenhof",
        "place": "Winkelcentrum",
        "description": "vanuit een Python-script",
    }
    created = call("create", "SignalService/CreateSignal", request)
    call("retry", "SignalService/CreateSignal", request)
    call("get", "SignalService/GetSignal", {"id": created.get("id", "")})
    call("list", "SignalService/ListSignals", {"pageSize": 100})
    # Well-formed (s and 16 characters of base32) but never issued.
    call("unknown", "SignalService/GetSignal", {"id": "s" + "a" * 16})


if __name__ == "__main__":
    main()
