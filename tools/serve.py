"""`make serve`: a static site on one address, served as a good static host serves it.

    python3 tools/serve.py [--root DIR] [--no-headers] HOST PORT

- Precompressed files: a request whose Accept-Encoding allows it gets `FILE.br` (else `FILE.gz`)
  in place of FILE where `make dist` wrote one, with `Content-Encoding` and `Vary: Accept-Encoding`.
- Headers: the rules of DIR/_headers (the file `make dist` writes for hosts that read one: COOP/COEP,
  caching, content types) are applied; a folder without one (the repository itself) gets COOP/COEP.
  Isolation gives the page SharedArrayBuffer, which the multi-threaded CPU build (pkg/threads/)
  needs. `--no-headers` sends none of them, as a host that cannot (GitHub Pages) does: then the
  service worker adds COOP/COEP itself (sw.js).
"""

import argparse
import email.utils
import http.server
import os
import re
import sys

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".ts": "text/plain; charset=utf-8",
}
ISOLATION = [("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Embedder-Policy", "require-corp")]
# Content codings in the order they are preferred, with the suffix of their precompressed file.
CODINGS = [("br", ".br"), ("gzip", ".gz")]


def read_header_rules(path):
    """`_headers` as Netlify and Cloudflare Pages read it: a path pattern (`*` matches anything) on a
    line of its own, then its headers indented as `Name: value`. Returns [(regex, [(name, value)])]."""
    rules = []
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                pattern = "^" + ".*".join(re.escape(part) for part in line.strip().split("*")) + "$"
                rules.append((re.compile(pattern), []))
            elif rules and ":" in line:
                name, value = line.strip().split(":", 1)
                rules[-1][1].append((name.strip(), value.strip()))
            else:
                raise SystemExit(f"{path}:{number}: a header outside a path rule: {line.strip()}")
    return rules


def accepted_codings(header):
    """The content codings an Accept-Encoding header allows (q=0 refuses one)."""
    accepted = set()
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        q = re.search(r"q\s*=\s*([0-9.]+)", params)
        if name and not (q and float(q.group(1)) == 0):
            accepted.add(name.strip().lower())
    return accepted


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    rules = None  # None: no _headers file, so COOP/COEP; [] with --no-headers: nothing

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path) or os.path.basename(path) == "_headers":
            self.send_error(404, "not found")
            return None
        served, coding = path, None
        accepted = accepted_codings(self.headers.get("Accept-Encoding"))
        for name, suffix in CODINGS:
            if name in accepted and os.path.isfile(path + suffix):
                served, coding = path + suffix, name
                break
        stat = os.stat(served)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(304)
                    self.send_site_headers(path, coding)
                    self.end_headers()
                    return None
            except (TypeError, ValueError, OverflowError):
                pass
        file = open(served, "rb")
        self.send_response(200)
        self.send_site_headers(path, coding)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return file

    def send_site_headers(self, path, coding):
        headers = {"Content-Type": TYPES.get(os.path.splitext(path)[1], "application/octet-stream")}
        if any(os.path.isfile(path + suffix) for _, suffix in CODINGS):
            headers["Vary"] = "Accept-Encoding"
        if coding:
            headers["Content-Encoding"] = coding
        if self.rules is None:
            headers.update(ISOLATION)
        else:
            url_path = self.path.split("?", 1)[0].split("#", 1)[0]
            for pattern, rule_headers in self.rules:
                if pattern.match(url_path):
                    headers.update(rule_headers)
        for name, value in headers.items():
            self.send_header(name, value)

    def log_message(self, format, *args):
        if os.environ.get("CLOZELAB_SERVE_LOG"):
            super().log_message(format, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="the folder to serve (make serve: dist/)")
    parser.add_argument("--no-headers", action="store_true", help="send no COOP/COEP or _headers rules, as a host that cannot")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    headers_file = os.path.join(root, "_headers")
    if args.no_headers:
        SiteHandler.rules = []
    elif os.path.isfile(headers_file):
        SiteHandler.rules = read_header_rules(headers_file)

    def handler(*handler_args, **kwargs):
        return SiteHandler(*handler_args, directory=root, **kwargs)

    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        where = "without COOP/COEP" if args.no_headers else "cross-origin isolated"
        print(f"serving {root} at http://{args.host}:{server.server_address[1]}/ ({where})", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
