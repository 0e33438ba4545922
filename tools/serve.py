"""`make serve`: the repository's files on one address, with the two headers that make the page
cross-origin isolated (COOP/COEP). Isolation gives the page SharedArrayBuffer, which the
multi-threaded CPU build (pkg/threads/) needs; without it the one-thread build runs."""

import http.server
import sys


class IsolatedHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    with http.server.ThreadingHTTPServer((host, port), IsolatedHandler) as server:
        print(f"serving http://{host}:{port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
