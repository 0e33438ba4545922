// Hugging Face hub layout and the model cache. A model id resolves to
// `<hubBase>/<id>/resolve/main/<file>`; `hubBase` is configurable so tests (and mirrors) can
// serve the same layout locally. Downloaded and trained files live in the Cache API under
// MODEL_CACHE, and every write to it goes through `modelStore` here: the downloader
// (crates/web/js/fetch_model.js, inside the wasm package) is handed a store, never a cache.

export const DEFAULT_HUB = "https://huggingface.co";
export const MODEL_CACHE = "clozelab-models-v1";

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/** The folder URL of a hub model, e.g. "google-bert/bert-base-uncased". */
export function hubModelUrl(id, hubBase = DEFAULT_HUB) {
  const trimmed = id.trim();
  if (!MODEL_ID.test(trimmed) || trimmed.includes("..")) {
    throw new Error(`"${id}" is not a model id (expected a name like "google-bert/bert-base-uncased")`);
  }
  return `${hubBase.replace(/\/+$/, "")}/${trimmed}/resolve/main/`;
}

/** Where trained models are kept: folder URLs under the page's own `trained/`, answered from the cache. */
export const TRAINED_PREFIX = "trained/";

/** Whether a folder URL is a model kept from the Train panel (it lives only in the Cache API). */
export function isTrainedUrl(url, page = location.href) {
  return new URL(url, page).href.startsWith(new URL(TRAINED_PREFIX, page).href);
}

/**
 * The model files kept in a Cache API cache, as the downloader uses them (the `cache` option of
 * the wasm `ClozeModel.fromUrl`): `match(url)` → the bytes, `null` for a file remembered as absent
 * (so a second load asks the server nothing), or `undefined` when nothing is kept;
 * `keep(url, bytes | null)` keeps a file, or its absence. Without the Cache API nothing is kept.
 */
export function modelStore(name = MODEL_CACHE) {
  const opened = globalThis.caches ? caches.open(name) : null;
  return {
    async match(url) {
      const response = await (await opened)?.match(url);
      if (!response) return undefined;
      return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    async keep(url, bytes, keptAt = new Date().toISOString()) {
      const cache = await opened;
      if (!cache) return;
      const response = bytes
        ? new Response(bytes, { headers: { "content-type": "application/octet-stream", "content-length": String(bytes.length), "x-kept-at": keptAt } })
        : new Response(null, { status: 404 });
      await cache.put(url, response);
    },
  };
}

/** Keeps a trained folder in the model cache under a URL of its own; returns the folder URL. */
export async function keepTrainedModel(files, page = location.href) {
  const keptAt = new Date().toISOString();
  const base = new URL(`${TRAINED_PREFIX}${keptAt.replace(/[:.]/g, "-")}/`, page).href;
  if (!globalThis.caches) throw new Error("this browser cannot keep models (no Cache API): download the .zip instead");
  const store = modelStore();
  await Promise.all(files.map(([name, bytes]) => store.keep(base + name, bytes, keptAt)));
  return base;
}

/** The cached model folders: [{ baseUrl, files: [{ name, bytes }], bytes, keptAt }] (keptAt: an ISO date, or null). */
export async function listCachedModels() {
  if (!globalThis.caches) return [];
  const cache = await caches.open(MODEL_CACHE);
  const folders = new Map();
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response || !response.ok) continue; // remembered absences take no space
    const url = new URL(request.url);
    const name = url.pathname.split("/").pop();
    const baseUrl = url.href.slice(0, url.href.length - name.length);
    const bytes = Number(response.headers.get("content-length")) || (await response.clone().arrayBuffer()).byteLength;
    const folder = folders.get(baseUrl) ?? { baseUrl, files: [], bytes: 0, keptAt: null };
    folder.keptAt ??= response.headers.get("x-kept-at");
    folder.files.push({ name, bytes });
    folder.bytes += bytes;
    folders.set(baseUrl, folder);
  }
  return [...folders.values()];
}

/** Forgets one cached model folder (every file under its URL). */
export async function deleteCachedModel(baseUrl) {
  const cache = await caches.open(MODEL_CACHE);
  let removed = 0;
  for (const request of await cache.keys()) {
    if (request.url.startsWith(baseUrl) && (await cache.delete(request))) removed++;
  }
  return removed;
}

/** Forgets every cached model. */
export function clearModelCache() {
  return caches.delete(MODEL_CACHE);
}
