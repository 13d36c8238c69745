# The upstream SignatureCheckIT puts behind Latchkey: appended to the Python check of docs/gateway.md, as printed,
# and run with Debian's python3. It answers every request with the check's verdict on its first line (200 verified,
# 403 refused, 500 and the traceback when the check raised or answered anything but True or False), then the
# request's headers as received, for the test to replay.
import os, traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Upstream(BaseHTTPRequestHandler):

    def answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            verdict = latchkey_verified(os.environ["SIGNING_SECRET"], self.command, self.path, self.headers)
            status, text = {True: (200, "verified"), False: (403, "refused")}.get(verdict, (500, repr(verdict)))
        except Exception:
            status, text = 500, traceback.format_exc()
        body = (text + "\n" + str(self.headers)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")  # http.server closes it; said, so that no client reuses it
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Upstream).serve_forever()
