//! Where model files come from in a browser: a URL (fetched by `crates/web/js/fetch_model.js`, with
//! progress, cancelling and the Cache API) or `File` objects from a picker or a drop.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use serde::Deserialize;
use tsify::Tsify;

use crate::convert::{Passed, message};
use clozelab_core::cloze_model::config_fits_memory;
use clozelab_core::config::BertConfig;
use clozelab_core::error::{ClozeError, Result};
use clozelab_core::files::{MODEL_FILE_NAMES, ModelFiles};
use clozelab_core::memory;
use clozelab_core::weights::quantize::WeightDtype;

#[wasm_bindgen(typescript_custom_section)]
const MODEL_STORE: &str = r#"
/** Keeps downloaded model files (www/hub.js's `modelStore` keeps them in the Cache API). */
export interface ModelStore {
  /** The kept bytes, `null` for a file kept as absent, `undefined` when nothing is kept. */
  match(url: string): Promise<Uint8Array | null | undefined>;
  /** Keeps a file, or (`null`) that it does not exist. */
  keep(url: string, bytes: Uint8Array | null): Promise<void>;
}
"#;

/// What `fromUrl` and `fromFiles` take.
#[derive(Deserialize, Default, Tsify)]
#[serde(rename_all = "camelCase", default)]
pub struct LoadOptions {
    /// Where to run: `"auto"` (WebGPU when the browser has a GPU adapter, else the CPU), or
    /// either one forced.
    #[tsify(type = "\"auto\" | \"webgpu\" | \"cpu\"", optional)]
    pub backend: Option<String>,
    /// Which kernels WebGPU runs: `"auto"` (by the adapter: SwiftShader and other software
    /// adapters get kernels written for a CPU), `"hardware"` (the kernels a real GPU gets, on any
    /// adapter: for tests and benches on a machine without one) or `"software"`.
    #[tsify(type = "\"auto\" | \"hardware\" | \"software\"", optional)]
    pub gpu_kernels: Option<String>,
    /// The Linear layers' weights: `"fp32"` (as the checkpoint has them, the default) or `"q8"`
    /// (8-bit integers, one scale per output column: a quarter of their memory, answers a little
    /// different; the CPU only, so `"auto"` then means the CPU).
    #[tsify(type = "\"fp32\" | \"q8\"", optional)]
    pub dtype: Option<String>,
    /// Called as each file downloads (`fromUrl`), then on WebGPU once more with `stage:
    /// "preparing the GPU"` (and no file: `file` empty, `loaded` and `total` 0) while its kernels
    /// compile.
    #[tsify(
        type = "(progress: { file: string; loaded: number; total: number; stage?: \"preparing the GPU\" }) => void",
        optional
    )]
    pub on_progress: Passed,
    /// Cancels the download (`fromUrl`).
    #[tsify(type = "AbortSignal", optional)]
    pub signal: Passed,
    /// Where downloaded files are kept for the next visit (`fromUrl`): `modelStore(name)` from
    /// `www/hub.js` keeps them in a Cache API cache.
    #[tsify(type = "ModelStore", optional)]
    pub cache: Passed,
}

#[wasm_bindgen(module = "/js/fetch_model.js")]
extern "C" {
    #[wasm_bindgen(js_name = fetchModelFiles, catch)]
    async fn fetch_model_files(
        base_url: &str,
        options: &JsValue,
    ) -> std::result::Result<JsValue, JsValue>;
}

/// Downloads a model folder, with the options' `onProgress`, `signal` and `cache`; a config whose
/// weights cannot fit this tab as `dtype` stops it before the weights download.
pub async fn from_url(
    base_url: &str,
    options: &LoadOptions,
    dtype: WeightDtype,
) -> Result<ModelFiles> {
    if options.on_progress.is_given() && !options.on_progress.0.is_function() {
        return Err(ClozeError::Input("onProgress must be a function".into()));
    }
    let store = &options.cache.0;
    if options.cache.is_given()
        && !["match", "keep"]
            .iter()
            .all(|name| js_sys::Reflect::get(store, &(*name).into()).is_ok_and(|f| f.is_function()))
    {
        return Err(ClozeError::Input(
            "cache must be a model store with match and keep (modelStore(name) from www/hub.js)"
                .into(),
        ));
    }
    let fetch_options = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&fetch_options, &key.into(), value);
    let _ = set("onProgress", &options.on_progress.0);
    let _ = set("signal", &options.signal.0);
    let _ = set("cache", store);
    // A config that does not parse is reported by the load, with the whole folder at hand.
    let refused = std::rc::Rc::new(std::cell::RefCell::new(None));
    let keep_refusal = refused.clone();
    let check = Closure::<dyn Fn(String) -> Option<String>>::new(move |text: String| {
        let config = BertConfig::from_json(&text).ok()?;
        let error = config_fits_memory(&config, memory::available(), dtype).err()?;
        let message = error.to_string();
        *keep_refusal.borrow_mut() = Some(error);
        Some(message)
    });
    let _ = set("checkConfig", check.as_ref());
    let list = fetch_model_files(base_url, &fetch_options).await;
    drop(check);
    if let Some(error) = refused.take() {
        return Err(error);
    }
    let list = list.map_err(|e| ClozeError::MissingFile {
        file: base_url.to_string(),
        detail: message(&e),
    })?;
    let mut files = ModelFiles::new(base_url);
    for pair in Array::from(&list).iter() {
        let pair = Array::from(&pair);
        let name = pair.get(0).as_string().unwrap_or_default();
        files.insert(name, Uint8Array::new(&pair.get(1)).to_vec());
    }
    Ok(files)
}

/// Reads `File` objects (an array or a `FileList`); names are taken without their folder, and
/// files that are not part of a model folder are ignored.
pub async fn from_file_objects(list: &JsValue) -> Result<ModelFiles> {
    let items = Array::from(list);
    if items.length() == 0 {
        return Err(ClozeError::Input(
            "no files were given: pick or drop a model folder".into(),
        ));
    }
    let mut files = ModelFiles::new("the chosen folder");
    for item in items.iter() {
        let file: web_sys::File = item.dyn_into().map_err(|_| {
            ClozeError::Input("fromFiles takes File objects (from a file picker or a drop)".into())
        })?;
        let name = file.name();
        let name = name.rsplit('/').next().unwrap_or(&name).to_string();
        if !MODEL_FILE_NAMES.contains(&name.as_str()) {
            continue;
        }
        let buffer =
            JsFuture::from(file.array_buffer())
                .await
                .map_err(|e| ClozeError::MissingFile {
                    file: name.clone(),
                    detail: message(&e),
                })?;
        files.insert(name, Uint8Array::new(&buffer).to_vec());
    }
    if files.names().next().is_none() {
        return Err(ClozeError::Input(format!(
            "none of the files is part of a model folder (expected {})",
            MODEL_FILE_NAMES.join(", ")
        )));
    }
    Ok(files)
}
