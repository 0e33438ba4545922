// Downloads the files of a Hugging Face-layout model folder for the wasm loader: config.json, a
// tokenizer (tokenizer.json, else vocab.txt, vocab.json + merges.txt or DeBERTa's spm.model, with
// tokenizer_config.json), weights (model.safetensors, else pytorch_model.bin). Reports progress,
// can be cancelled, and can keep every answer — including "this file does not exist" — in a model
// store (www/hub.js's `modelStore`: the one writer of the model cache) so a second load needs no
// network. Imported by the wasm module itself (a wasm-bindgen snippet) and usable on its own.

const OPTIONAL = Symbol("optional");

/**
 * @param {string} baseUrl folder URL, absolute or relative to the page; a trailing slash is added if missing
 * @param {{onProgress?: (p: {file: string, loaded: number, total: number}) => void,
 *          signal?: AbortSignal, cache?: {match: (url: string) => Promise<Uint8Array | null | undefined>,
 *          keep: (url: string, bytes: Uint8Array | null) => Promise<void>}}} options
 * @returns {Promise<Array<[string, Uint8Array]>>}
 */
export async function fetchModelFiles(baseUrl, options = {}) {
  // Relative folders ("./models/x") resolve against the page or worker that asks.
  const base = new URL(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/", globalThis.location?.href).href;
  const get = (file, required) => getFile(base, file, required, options.cache, options);
  const files = [];
  const keep = (name, bytes) => bytes && files.push([name, bytes]);

  const config = await get("config.json", true);
  keep("config.json", config);
  // A model too large for this tab is refused now, before its weights download.
  const tooLarge = options.checkConfig?.(new TextDecoder().decode(config));
  if (tooLarge) throw new Error(tooLarge);
  const tokenizer = await get("tokenizer.json", OPTIONAL);
  keep("tokenizer.json", tokenizer);
  const tokenizerConfig = await get("tokenizer_config.json", OPTIONAL);
  keep("tokenizer_config.json", tokenizerConfig);
  // special_tokens_map.json only names the mask token when tokenizer_config.json does not: asked
  // for only then, so a folder without it (the bundled model's) costs no 404 in the console.
  if (!namesMaskToken(tokenizerConfig)) keep("special_tokens_map.json", await get("special_tokens_map.json", OPTIONAL));
  if (!tokenizer) {
    // WordPiece's vocab.txt, else byte-level BPE's vocab.json + merges.txt (RoBERTa's older
    // folders), else a SentencePiece spm.model (DeBERTa-v3's).
    const vocab = await get("vocab.txt", OPTIONAL);
    keep("vocab.txt", vocab);
    const bpe = vocab ? null : await get("vocab.json", OPTIONAL);
    if (bpe) {
      keep("vocab.json", bpe);
      keep("merges.txt", await get("merges.txt", true));
    } else if (!vocab) {
      keep("spm.model", await get("spm.model", "tokenizer.json, vocab.txt, vocab.json or spm.model"));
    }
  }
  const safetensors = await get("model.safetensors", OPTIONAL);
  keep("model.safetensors", safetensors);
  if (!safetensors) keep("pytorch_model.bin", await get("pytorch_model.bin", "model.safetensors or pytorch_model.bin"));
  return files;
}

/** Whether a tokenizer_config.json names its mask token (a string, or `{content}` as newer ones write it). */
function namesMaskToken(bytes) {
  if (!bytes) return false;
  try {
    const mask = JSON.parse(new TextDecoder().decode(bytes)).mask_token;
    return typeof mask === "string" || typeof mask?.content === "string";
  } catch {
    return false; // the loader reports the broken file by name
  }
}

async function getFile(base, file, required, cache, { onProgress, signal }) {
  const url = new URL(file, base).href;
  const kept = cache ? await cache.match(url) : undefined;
  const absent = () => {
    if (required === OPTIONAL) return null;
    throw new Error(required === true ? `${file} was not found at ${base}` : `neither ${required} was found at ${base}`);
  };
  if (kept === null) return absent();
  if (kept !== undefined) {
    onProgress?.({ file, loaded: kept.length, total: kept.length });
    return kept;
  }
  let response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (error.name === "AbortError") throw new Error("download cancelled");
    throw new Error(`cannot reach ${url} (${error.message})`);
  }
  if (response.status === 404 || response.status === 410) {
    await cache?.keep(url, null);
    return absent();
  }
  if (!response.ok) throw new Error(`${file}: the server answered HTTP ${response.status} for ${url}`);
  const bytes = await readWithProgress(response, file, onProgress, signal);
  await cache?.keep(url, bytes);
  return bytes;
}

async function readWithProgress(response, file, onProgress, signal) {
  const total = Number(response.headers.get("content-length")) || 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let loaded = 0;
  onProgress?.({ file, loaded, total });
  for (;;) {
    if (signal?.aborted) {
      await reader.cancel();
      throw new Error("download cancelled");
    }
    let step;
    try {
      step = await reader.read();
    } catch (error) {
      if (error.name === "AbortError") throw new Error("download cancelled");
      throw new Error(`${file}: the download broke off (${error.message})`);
    }
    if (step.done) break;
    chunks.push(step.value);
    loaded += step.value.length;
    onProgress?.({ file, loaded, total: Math.max(total, loaded) });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
