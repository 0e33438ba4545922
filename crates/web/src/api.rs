//! The `ClozeModel` class of the JS API. Every method that runs the model returns a promise;
//! errors reject it with an `Error` whose message is the same sentence the CLI prints.

use std::cell::RefCell;
use std::rc::Rc;

use burn::module::Module;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{self, to_js, to_js_error};
use crate::device::{Chosen, Requested, choose, cpu};
use crate::sources;
use crate::threads::cpu_threads;
use clozelab_core::backend::{BackendKind, gpu_description, gpu_lost, lose_gpu_for_testing};
use clozelab_core::cloze_model::{LoadedModel, gpu_misfit};
use clozelab_core::config::BertConfig;
use clozelab_core::error::{ClozeError, Result};
use clozelab_core::files::ModelFiles;
use clozelab_core::fill_mask::{FillMaskOptions, fill_mask_flat, nest_attentions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface LoadOptions {
  backend?: "auto" | "webgpu" | "cpu";
  onProgress?: (progress: { file: string; loaded: number; total: number }) => void;
  signal?: AbortSignal;
  cache?: string;
}
export interface ModelInfo {
  modelType: string; layers: number; heads: number; hidden: number; vocabSize: number;
  maskToken: string; maxPositions: number; paramCount: number;
}
export interface Prediction { token_id: number; token: string; score: number }
export interface FillMaskResult {
  model_type: string; backend: "cpu" | "wgpu"; tokens: string[]; input_ids: number[];
  masks: { position: number; predictions: Prediction[] }[];
  attentions?: number[][][][] | Float32Array;
  attentionShape?: [number, number, number, number];
}
"#;

/// What one model holds: the loaded network, and the files it came from, kept so the model can
/// be rebuilt on the CPU if the GPU goes away.
struct Loaded {
    model: Rc<LoadedModel>,
    files: Rc<ModelFiles>,
    reason: Option<String>,
}

#[wasm_bindgen(js_name = ClozeModel)]
pub struct WebModel {
    state: Rc<RefCell<Loaded>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info {
    model_type: String,
    layers: usize,
    heads: usize,
    hidden: usize,
    vocab_size: usize,
    mask_token: String,
    max_positions: usize,
    param_count: usize,
}

/// What `fromUrl` and `fromFiles` take (`LoadOptions`).
const LOAD_OPTIONS: [&str; 4] = ["backend", "onProgress", "signal", "cache"];

#[wasm_bindgen(js_class = ClozeModel)]
impl WebModel {
    /// Downloads `config.json`, the tokenizer and the weights from `baseUrl` and loads them.
    #[wasm_bindgen(js_name = fromUrl, unchecked_return_type = "Promise<ClozeModel>")]
    pub async fn from_url(
        #[wasm_bindgen(js_name = baseUrl)] base_url: String,
        #[wasm_bindgen(unchecked_param_type = "LoadOptions")] options: JsValue,
    ) -> std::result::Result<WebModel, JsError> {
        convert::only_fields(&options, &LOAD_OPTIONS, "fromUrl")?;
        let requested = Requested::parse(convert::string(&options, "backend")?.as_deref())?;
        let files = sources::from_url(&base_url, &options).await?;
        Ok(Self::build(files, requested).await?)
    }

    /// Loads a model folder from `File` objects (a file picker, a dropped folder).
    #[wasm_bindgen(js_name = fromFiles, unchecked_return_type = "Promise<ClozeModel>")]
    pub async fn from_files(
        #[wasm_bindgen(unchecked_param_type = "FileList | File[]")] files: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LoadOptions")] options: JsValue,
    ) -> std::result::Result<WebModel, JsError> {
        convert::only_fields(&options, &LOAD_OPTIONS, "fromFiles")?;
        let requested = Requested::parse(convert::string(&options, "backend")?.as_deref())?;
        let files = sources::from_file_objects(&files).await?;
        Ok(Self::build(files, requested).await?)
    }

    /// What actually runs: `"webgpu"` or `"cpu"`.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        match self.state.borrow().model.backend {
            BackendKind::Wgpu => "webgpu".into(),
            BackendKind::Cpu => "cpu".into(),
        }
    }

    /// Why the CPU runs (no WebGPU, no adapter, the GPU was lost, or it was asked for).
    #[wasm_bindgen(getter, js_name = backendReason)]
    pub fn backend_reason(&self) -> Option<String> {
        self.state.borrow().reason.clone()
    }

    /// The threads the CPU backend's kernels share, when the CPU runs (more than one in the
    /// threaded build).
    #[wasm_bindgen(getter)]
    pub fn threads(&self) -> Option<usize> {
        (self.state.borrow().model.backend == BackendKind::Cpu).then(cpu_threads)
    }

    /// The GPU adapter's name, when WebGPU runs.
    #[wasm_bindgen(getter)]
    pub fn adapter(&self) -> Option<String> {
        (self.state.borrow().model.backend == BackendKind::Wgpu)
            .then(gpu_description)
            .flatten()
    }

    #[wasm_bindgen(getter, unchecked_return_type = "ModelInfo")]
    pub fn info(&self) -> JsValue {
        let state = self.state.borrow();
        let (config, model) = (&state.model.config, &state.model);
        to_js(&Info {
            model_type: config.model_type.clone(),
            layers: config.num_hidden_layers,
            heads: config.num_attention_heads,
            hidden: config.hidden_size,
            vocab_size: config.vocab_size,
            mask_token: model.tokenizer.mask_token.clone(),
            max_positions: config.max_input_tokens(),
            param_count: model.network.num_params(),
        })
        .unwrap_or(JsValue::NULL)
    }

    /// Tokens, ids, offsets and word spans of `text`, the spans in UTF-16 units (as the page's
    /// strings index them).
    #[wasm_bindgen(unchecked_return_type = "Promise<any>")]
    pub fn tokenize(&self, text: String) -> js_sys::Promise {
        let model = self.state.borrow().model.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let encoded = model
                .tokenizer
                .encode(&text)
                .map_err(to_js_error)?
                .in_utf16_units(&text);
            to_js(&encoded).map_err(to_js_error)
        })
    }

    /// Predicts every mask in `text` from one forward pass: `{ topK = 5, attentions = false }`.
    #[wasm_bindgen(js_name = fillMask, unchecked_return_type = "Promise<FillMaskResult>")]
    pub fn fill_mask(
        &self,
        text: String,
        #[wasm_bindgen(
            unchecked_param_type = "{ topK?: number; attentions?: boolean | \"flat\" }"
        )]
        options: JsValue,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            convert::only_fields(&options, &["topK", "attentions"], "fillMask")
                .map_err(to_js_error)?;
            let top_k = convert::number(&options, "topK")
                .map_err(to_js_error)?
                .unwrap_or(5.0);
            if !(top_k >= 1.0) {
                return Err(to_js_error(ClozeError::Input(
                    "topK must be at least 1".into(),
                )));
            }
            // `attentions: "flat"` hands them over as one Float32Array plus `attentionShape`
            // (cheap to build and to post between threads); `true` as nested arrays.
            let asked = convert::field(&options, "attentions");
            let flat = asked.as_string().as_deref() == Some("flat");
            let fill_options = FillMaskOptions {
                top_k: top_k as usize,
                attentions: flat || asked.as_bool().unwrap_or(false),
            };
            if gpu_lost() {
                fall_back_to_cpu(&state).map_err(to_js_error)?;
            }
            let model = state.borrow().model.clone();
            let result = match fill_mask_flat(&model, &text, fill_options).await {
                Err(ClozeError::Backend(_)) if gpu_lost() => {
                    let model = fall_back_to_cpu(&state).map_err(to_js_error)?;
                    fill_mask_flat(&model, &text, fill_options).await
                }
                other => other,
            };
            let (mut output, attentions) = result.map_err(to_js_error)?;
            let (heads, seq) = (model.config.num_attention_heads, output.tokens.len());
            let attentions = match attentions {
                Some(values) if !flat => {
                    output.attentions = Some(nest_attentions(&values, heads, seq));
                    None
                }
                other => other,
            };
            let value = to_js(&output).map_err(to_js_error)?;
            if let Some(values) = attentions {
                let shape = [values.len() / (heads * seq * seq), heads, seq, seq];
                let set = |key: &str, v: &JsValue| js_sys::Reflect::set(&value, &key.into(), v);
                let _ = set(
                    "attentions",
                    &js_sys::Float32Array::from(values.as_slice()).into(),
                );
                let _ = set("attentionShape", &to_js(&shape).map_err(to_js_error)?);
            }
            Ok(value)
        })
    }

    /// Bytes of wasm memory and of the GPU memory pool (for leak checks and the status badge).
    #[wasm_bindgen(js_name = memoryUsage, unchecked_return_type = "{ wasmBytes: number; gpuBytesInUse: number; gpuBytesReserved: number }")]
    pub fn memory_usage(&self) -> JsValue {
        let wasm_bytes = wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|memory| js_sys::ArrayBuffer::from(memory.buffer()).byte_length())
            .unwrap_or(0);
        let pool = self.state.borrow().model.device.memory_pool_usage();
        let object = js_sys::Object::new();
        let set = |key: &str, value: f64| js_sys::Reflect::set(&object, &key.into(), &value.into());
        let _ = set("wasmBytes", wasm_bytes as f64);
        let _ = set(
            "gpuBytesInUse",
            pool.as_ref().map_or(0, |p| p.bytes_in_use) as f64,
        );
        let _ = set(
            "gpuBytesReserved",
            pool.as_ref().map_or(0, |p| p.bytes_reserved) as f64,
        );
        object.into()
    }

    /// A trainer fine-tuning a copy of this model with masked-LM on `text` (paragraphs separated
    /// by blank lines): `{ steps, batchSize, learningRate, warmupSteps, seqLen, maskRate, seed }`.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(
        &self,
        text: String,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
    ) -> std::result::Result<crate::training::WebTrainer, JsError> {
        let state = self.state.borrow();
        Ok(crate::training::WebTrainer::start(
            state.model.clone(),
            state.files.clone(),
            &text,
            &options,
        )?)
    }

    /// Destroys the GPU device as a driver reset would, to exercise the CPU fall-back.
    #[wasm_bindgen(js_name = simulateGpuLoss)]
    pub fn simulate_gpu_loss(&self) {
        lose_gpu_for_testing();
    }
}

impl WebModel {
    /// The model as loaded now (it may have moved to the CPU).
    pub(crate) fn model(&self) -> std::rc::Rc<LoadedModel> {
        self.state.borrow().model.clone()
    }

    async fn build(files: ModelFiles, requested: Requested) -> Result<WebModel> {
        let mut chosen = choose(requested).await?;
        // "auto" moves a model too large for the GPU's buffers to the CPU, and says why.
        if requested == Requested::Auto
            && let Ok(config) = BertConfig::from_json(files.require_text("config.json")?)
            && let Some(why) = gpu_misfit(&config, chosen.kind)
        {
            chosen = cpu(format!("the model does not fit the GPU: {why}"));
        }
        let Chosen {
            device,
            kind,
            reason,
        } = chosen;
        let model = LoadedModel::load(&files, device, kind)?;
        let loaded = Loaded {
            model: Rc::new(model),
            files: Rc::new(files),
            reason,
        };
        Ok(WebModel {
            state: Rc::new(RefCell::new(loaded)),
        })
    }
}

/// Rebuilds the model on the CPU from the files already in memory, once the GPU is gone.
fn fall_back_to_cpu(state: &Rc<RefCell<Loaded>>) -> Result<Rc<LoadedModel>> {
    if state.borrow().model.backend == BackendKind::Cpu {
        return Ok(state.borrow().model.clone());
    }
    let files = state.borrow().files.clone();
    let chosen = cpu("the GPU device was lost, so the model was moved to the CPU".into());
    let model = Rc::new(LoadedModel::load(&files, chosen.device, chosen.kind)?);
    let mut loaded = state.borrow_mut();
    loaded.model = model.clone();
    loaded.reason = chosen.reason;
    Ok(model)
}
