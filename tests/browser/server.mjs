// A static server on 127.0.0.1 for the browser tests: the repository root (index.html, www/,
// pkg/, tests/), plus a Hugging Face hub layout — /hub/<org>/<name>/resolve/main/<file> serves
// tests/fixtures/<name>/<file> — a /slow/ prefix that answers late, and a log of every request;
// cross-origin isolated (COOP/COEP), as `make serve` is, unless asked not to be; readable from other
// origins (CORS), as the hub is.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

function resolvePath(pathname, root) {
  const hub = pathname.match(/^\/hub\/[^/]+\/([^/]+)\/resolve\/main\/([^/]+)$/);
  if (hub) return join(ROOT, "tests/fixtures", hub[1], hub[2]);
  const local = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, "");
  const path = join(root, local);
  return path.startsWith(root) ? path : null;
}

/**
 * Starts the server on a free port; resolves to { url, requests, close, cut }. `isolated`: send the
 * COOP/COEP headers `make serve` sends (the multi-threaded CPU build needs them); `root`: another
 * folder to serve in place of the repository.
 */
export function startServer({ isolated = true, root = ROOT } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    let { pathname } = new URL(req.url, "http://127.0.0.1");
    requests.push(pathname);
    // /slow/<path> answers <path> after a pause, so a test can cancel a download in flight.
    if (pathname.startsWith("/slow/")) {
      pathname = pathname.slice("/slow".length);
      await new Promise((done) => setTimeout(done, 1500));
    }
    let path = resolvePath(pathname, root);
    try {
      if (!path) throw new Error("outside the root");
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-store",
        // As the hub sends it: a page on another origin (the site from make dist) may download.
        "access-control-allow-origin": "*",
        ...(isolated && { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" }),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain", "access-control-allow-origin": "*" });
      res.end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      const close = () => new Promise((done) => server.close(done));
      // cut(): the network is gone — no new connections and the open ones dropped.
      const cut = () => {
        const closed = close();
        server.closeAllConnections();
        return closed;
      };
      resolve({ url: `http://127.0.0.1:${port}`, requests, close, cut });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startServer().then(({ url }) => console.log(`serving ${ROOT} at ${url}`));
}
