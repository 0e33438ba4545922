// The service worker: the app (both pages, their scripts, the wasm package) and the bundled model
// are stored at install, so the site works offline after the first visit. Online, files still come
// from the network first (and refresh the stored copy); offline, the stored copy answers. Requests
// outside the app (hub downloads, anything else) are not touched.
//
// It also makes the pages cross-origin isolated on hosts that cannot send headers (GitHub Pages):
// every app response it answers carries COOP/COEP, so once it controls a page (www/offline.js
// reloads the first visit) SharedArrayBuffer and the multi-threaded CPU build are there.

// `make dist` stamps the release (a hash of what it ships) here and the hashed wasm names below,
// so a new release is stored apart from an old one and the old one is deleted when it activates.
const RELEASE = "dev";
const CACHE = `clozelab-offline-${RELEASE}`;
const BUNDLED = "www/models/clozelab-tiny-bert/";

// Every file the pages load (tests/js/classroom.test.mjs checks that none is missing).
const APP_FILES = [
  "./",
  "index.html",
  "classroom.html",
  "www/style.css",
  "www/classroom/classroom.css",
  "www/app.js",
  "www/attention_math.js",
  "www/attention_panel.js",
  "www/blanks.js",
  "www/calibrate.js",
  "www/cloze_client.js",
  "www/cloze_worker.js",
  "www/compare_panel.js",
  "www/dom.js",
  "www/format.js",
  "www/drop_folder.js",
  "www/head_view.js",
  "www/heatmap.js",
  "www/hub.js",
  "www/loss_curve.js",
  "www/offline.js",
  "www/presets.js",
  "www/sentence.js",
  "www/snapshot.js",
  "www/surprise_panel.js",
  "www/theme.js",
  "www/train_panel.js",
  "www/url_state.js",
  "www/vocabulary.js",
  "www/wasm_builds.js",
  "www/zip.js",
  "www/classroom/classroom.js",
  "www/classroom/deck_store.js",
  "www/classroom/decks.js",
  "www/classroom/dice.js",
  "www/classroom/pairs.js",
  "www/classroom/pairs_view.js",
  "www/classroom/presentation.js",
  "www/classroom/quiz.js",
  "www/classroom/quiz_view.js",
  "www/classroom/round.js",
  "www/classroom/worksheet.js",
  "www/classroom/writing.js",
  "www/classroom/writing_view.js",
  "pkg/clozelab.js",
  "pkg/clozelab_bg.wasm",
  "pkg/threads/clozelab.js",
  "pkg/threads/clozelab_bg.wasm",
  // The loader asks for these in turn (crates/web/js/fetch_model.js).
  `${BUNDLED}config.json`,
  `${BUNDLED}tokenizer.json`,
  `${BUNDLED}tokenizer_config.json`,
  `${BUNDLED}model.safetensors`,
];

const scope = () => self.registration.scope;
// A request's URL keeps the page's #fragment (the pages keep their state there): compare without it.
const isApp = (url) => url.startsWith(scope()) && /^($|[?#]|index\.html|classroom\.html|www\/|pkg\/)/.test(url.slice(scope().length));

async function store(cache, path) {
  const response = await fetch(new URL(path, scope()), { cache: "no-cache" });
  if (response.ok || response.status === 404) await cache.put(new URL(path, scope()), response.clone());
  return response;
}

async function install() {
  const cache = await caches.open(CACHE);
  await Promise.all(APP_FILES.map((path) => store(cache, path)));
  // wasm-bindgen's JS snippets live under a hashed folder: read their paths from each build's glue.
  for (const build of ["pkg/", "pkg/threads/"]) {
    const glue = await (await cache.match(new URL(`${build}clozelab.js`, scope()))).text();
    const snippets = [...glue.matchAll(/['"]\.\/(snippets\/[^'"]+)['"]/g)].map((m) => `${build}${m[1]}`);
    await Promise.all(snippets.map((path) => store(cache, path)));
  }
}

self.addEventListener("install", (event) => event.waitUntil(install().then(() => self.skipWaiting())));

self.addEventListener("activate", (event) =>
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("clozelab-offline-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  ),
);

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !isApp(request.url)) return;
  event.respondWith(networkFirst(request, event).then(isolated));
});

const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The response with COOP/COEP added where the server sent none (the same bytes, streamed on). */
function isolated(response) {
  if (response.type === "opaque" || response.status === 0) return response;
  if (Object.keys(ISOLATION).every((name) => response.headers.has(name))) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) if (!headers.has(name)) headers.set(name, value);
  const body = NULL_BODY.has(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The network's answer (stored as it streams to the page), else the stored one. */
async function networkFirst(request, event) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok || response.status === 404) event.waitUntil(cache.put(request, response.clone()));
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}
