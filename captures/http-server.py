#!/usr/bin/env python3
"""http-server.py — a small HTTP/1.1 (or HTTPS) provisioning server for record.sh (started by lab.sh's lab_http_server).

Serves files from ROOT the way a Polycom boot server does, for the http-boot,
http-auth-failed and https-untrusted captures:

  GET/HEAD /path      200 with the file, 404 when it does not exist
  PUT /path           stores the request body under ROOT (a phone's boot log), 201
  anything under /secure/
                      401 with 'WWW-Authenticate: Basic realm="phones"' unless the
                      request carries Basic credentials USER:PASSWORD

With --tls CERT KEY the listening socket speaks TLS (the highest version both sides
support; the client decides the maximum).  The TLS handshake runs in the connection's
own thread, so that a client that rejects the certificate is logged and does not
disturb the next connection.

Logs one line per request, and handshake failures, to stderr; prints "ready" on
stdout once listening.  Only the standard library is used.

Usage: http-server.py ROOT ADDRESS PORT [--tls CERT KEY] [--user USER] [--password PASSWORD]
"""

import argparse
import base64
import os
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SECURE_PREFIX = "/secure/"
REALM = "phones"


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 with a Content-Length on every answer, like a provisioning server.
    protocol_version = "HTTP/1.1"
    # A fixed Server header (the default names the Python version, which would
    # make captures recorded on different machines differ for no reason).
    server_version = "PhoneBoot-test-http/1"
    sys_version = ""

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))
        sys.stderr.flush()

    # -- TLS ------------------------------------------------------------------

    def setup(self):
        self.tls_failed = False
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError) as error:
                # E.g. the phone did not trust the certificate and sent an alert.
                self.log_message("TLS handshake failed: %s", error)
                self.tls_failed = True
        super().setup()

    def handle(self):
        if not self.tls_failed:
            super().handle()

    # -- helpers --------------------------------------------------------------

    def reply(self, code, body=b"", headers=(), content_type="text/plain"):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def local_path(self):
        """The file under ROOT that the request names, or None if it lies outside."""
        path = unquote(urlsplit(self.path).path)
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        return target

    def authorized(self):
        path = urlsplit(self.path).path
        if not (path + "/").startswith(SECURE_PREFIX):
            return True
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            credentials = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        return credentials == self.server.credentials

    def checked_path(self):
        """The request's local path, or None after answering 400 or 401."""
        if not self.authorized():
            self.reply(401, b"authorization required\n",
                       headers=[("WWW-Authenticate", 'Basic realm="%s"' % REALM)])
            return None
        target = self.local_path()
        if target is None:
            self.reply(400, b"bad path\n")
        return target

    # -- methods --------------------------------------------------------------

    def do_GET(self):
        target = self.checked_path()
        if target is None:
            return
        if not target.is_file():
            self.reply(404, b"not found\n")
            return
        content_type = "application/xml" if target.suffix == ".cfg" else "application/octet-stream"
        self.reply(200, target.read_bytes(), content_type=content_type)

    do_HEAD = do_GET

    def do_PUT(self):
        target = self.checked_path()
        if target is None:
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            # Chunked uploads are not needed for the captures.
            self.reply(411, b"length required\n")
            self.close_connection = True
            return
        body = self.rfile.read(int(length))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        self.reply(201, b"created\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # One line instead of a traceback (e.g. the client closed mid-answer).
        sys.stderr.write("%s error: %s\n" % (client_address[0], sys.exc_info()[1]))
        sys.stderr.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("address")
    parser.add_argument("port", type=int)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--user", default="PlcmSpIp")
    parser.add_argument("--password", default="PlcmSpIp")
    args = parser.parse_args()

    server = Server((args.address, args.port), Handler)
    server.root = args.root.resolve()
    server.credentials = "%s:%s" % (args.user, args.password)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        # The handshake is done in Handler.setup, in the connection's thread.
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
    print("ready", flush=True)
    sys.stderr.write("serving %s on %s:%d%s\n" % (server.root, args.address, args.port,
                                                 " (TLS)" if args.tls else ""))
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
