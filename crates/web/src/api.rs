//! The `ClozeModel` class of the JS API. Every method that runs the model returns a promise;
//! errors reject it with an `Error` whose message is the same sentence the CLI prints.

use std::cell::RefCell;
use std::rc::Rc;

use burn::module::Module;
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use crate::convert::{self, Passed, to_js, to_js_error};
use crate::device::{Chosen, Requested, choose, cpu};
use crate::sources::{self, LoadOptions};
use crate::threads::cpu_threads;
use clozelab_core::backend::{
    BackendKind, GpuKernels, gpu_description, gpu_lost, lose_gpu_for_testing, set_gpu_kernels,
    software_kernels,
};
use clozelab_core::cloze_model::{LoadedModel, gpu_misfit};
use clozelab_core::config::BertConfig;
use clozelab_core::error::{ClozeError, Result};
use clozelab_core::files::ModelFiles;
use clozelab_core::fill_mask::{self as core_fill_mask, fill_mask_flat, nest_attentions, warm_up};
use clozelab_core::score::score as core_score;
use clozelab_core::weights::quantize::WeightDtype;

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

/// What `fillMask` takes.
#[derive(Deserialize, Default, Tsify)]
#[serde(rename_all = "camelCase", default)]
struct FillMaskOptions {
    /// Predictions per mask (5 when absent).
    #[tsify(optional)]
    top_k: Option<f64>,
    /// Every layer's attention probabilities too: `true` as nested arrays
    /// `[layer][head][from][to]`, `"flat"` as one `Float32Array` with `attentionShape`.
    #[tsify(type = "boolean | \"flat\"", optional)]
    attentions: Attentions,
    /// Each mask's top predictions from every hidden state too (`masks[i].layers`): the MLM head
    /// applied to the layers' input and to every layer's output.
    #[tsify(optional)]
    layers: bool,
}

/// `fillMask`'s `attentions` option.
#[derive(Clone, Copy, Default, PartialEq)]
enum Attentions {
    #[default]
    No,
    Nested,
    Flat,
}

impl<'de> Deserialize<'de> for Attentions {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Choice;
        impl serde::de::Visitor<'_> for Choice {
            type Value = Attentions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or \"flat\"")
            }
            fn visit_bool<E>(self, nested: bool) -> std::result::Result<Attentions, E> {
                Ok(if nested {
                    Attentions::Nested
                } else {
                    Attentions::No
                })
            }
            fn visit_str<E: serde::de::Error>(
                self,
                word: &str,
            ) -> std::result::Result<Attentions, E> {
                match word {
                    "flat" => Ok(Attentions::Flat),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(word), &self)),
                }
            }
            fn visit_unit<E>(self) -> std::result::Result<Attentions, E> {
                Ok(Attentions::No)
            }
        }
        deserializer.deserialize_any(Choice)
    }
}

/// The load options' `dtype`, refused before any download where it cannot run (`q8` asked for
/// with `backend: "webgpu"`).
fn dtype_of(options: &LoadOptions, requested: Requested) -> Result<WeightDtype> {
    let dtype = WeightDtype::parse(options.dtype.as_deref().unwrap_or("fp32"))?;
    if requested == Requested::WebGpu {
        dtype.runs_on(BackendKind::Wgpu)?;
    }
    Ok(dtype)
}

/// What `info` says about the loaded model.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    model_type: String,
    layers: usize,
    heads: usize,
    hidden: usize,
    vocab_size: usize,
    mask_token: String,
    /// The longest input in tokens, special tokens included.
    max_positions: usize,
    param_count: usize,
    /// How the Linear layers' weights are held: `"fp32"` or `"q8"`.
    dtype: String,
}

/// What `memoryUsage` reports, in bytes.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct MemoryUsage {
    /// The wasm instance's linear memory.
    wasm_bytes: f64,
    /// GPU buffers holding tensors now (0 on the CPU).
    gpu_bytes_in_use: f64,
    /// GPU buffers allocated by the pool, in use or kept for reuse (0 on the CPU).
    gpu_bytes_reserved: f64,
}

#[wasm_bindgen(js_class = ClozeModel)]
impl WebModel {
    /// Downloads `config.json`, the tokenizer and the weights from `baseUrl` and loads them.
    #[wasm_bindgen(js_name = fromUrl)]
    pub async fn from_url(
        #[wasm_bindgen(js_name = baseUrl)] base_url: String,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: Option<JsValue>,
    ) -> std::result::Result<WebModel, JsError> {
        let options: LoadOptions = convert::options(options, "fromUrl")?;
        let requested = Requested::parse(options.backend.as_deref())?;
        let kernels = GpuKernels::parse(options.gpu_kernels.as_deref().unwrap_or("auto"))?;
        let dtype = dtype_of(&options, requested)?;
        let files = sources::from_url(&base_url, &options, dtype).await?;
        Ok(Self::build(files, requested, kernels, dtype, &options.on_progress).await?)
    }

    /// Loads a model folder from `File` objects (a file picker, a dropped folder).
    #[wasm_bindgen(js_name = fromFiles)]
    pub async fn from_files(
        #[wasm_bindgen(unchecked_param_type = "FileList | File[]")] files: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: Option<JsValue>,
    ) -> std::result::Result<WebModel, JsError> {
        let options: LoadOptions = convert::options(options, "fromFiles")?;
        let requested = Requested::parse(options.backend.as_deref())?;
        let kernels = GpuKernels::parse(options.gpu_kernels.as_deref().unwrap_or("auto"))?;
        let dtype = dtype_of(&options, requested)?;
        let files = sources::from_file_objects(&files).await?;
        Ok(Self::build(files, requested, kernels, dtype, &options.on_progress).await?)
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

    /// Which kernels the GPU runs (`"software"`: written for a software adapter such as
    /// SwiftShader; `"hardware"`: burn's, as a real GPU gets them), when WebGPU runs.
    #[wasm_bindgen(getter, js_name = gpuKernels)]
    pub fn gpu_kernels(&self) -> Option<String> {
        let on_gpu = self.state.borrow().model.backend == BackendKind::Wgpu;
        on_gpu.then(|| {
            if software_kernels() {
                "software"
            } else {
                "hardware"
            }
            .into()
        })
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
        to_js(&ModelInfo {
            model_type: config.model_type.clone(),
            layers: config.num_hidden_layers,
            heads: config.num_attention_heads,
            hidden: config.hidden_size,
            vocab_size: config.vocab_size,
            mask_token: model.tokenizer.mask_token.clone(),
            max_positions: config.max_input_tokens(),
            param_count: model.network.num_params(),
            dtype: model.dtype.name().into(),
        })
        .unwrap_or(JsValue::NULL)
    }

    /// Tokens, ids, offsets and word spans of `text`, the spans in UTF-16 units (as the page's
    /// strings index them).
    #[wasm_bindgen(unchecked_return_type = "Promise<Encoded>")]
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
        #[wasm_bindgen(unchecked_optional_param_type = "FillMaskOptions")] options: Option<JsValue>,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let options: FillMaskOptions =
                convert::options(options, "fillMask").map_err(to_js_error)?;
            let top_k = options.top_k.unwrap_or(5.0);
            if !(top_k >= 1.0) {
                return Err(to_js_error(ClozeError::Input(
                    "topK must be at least 1".into(),
                )));
            }
            // `attentions: "flat"` hands them over as one Float32Array plus `attentionShape`
            // (cheap to build and to post between threads); `true` as nested arrays.
            let flat = options.attentions == Attentions::Flat;
            let fill_options = core_fill_mask::FillMaskOptions {
                top_k: top_k as usize,
                attentions: options.attentions != Attentions::No,
                layers: options.layers,
            };
            let (model, (mut output, attentions)) = on_a_working_device(&state, async |model| {
                fill_mask_flat(&model, &text, fill_options).await
            })
            .await
            .map_err(to_js_error)?;
            let (heads, seq) = (model.config.num_attention_heads, output.tokens.len());
            let attentions = match attentions {
                Some(values) if !flat => {
                    output.attentions = Some(nest_attentions(&values, heads, seq));
                    None
                }
                other => other,
            };
            if let Some(values) = &attentions {
                output.attention_shape =
                    Some([values.len() / (heads * seq * seq), heads, seq, seq]);
            }
            let value = to_js(&output).map_err(to_js_error)?;
            if let Some(values) = attentions {
                let array = js_sys::Float32Array::from(values.as_slice());
                let _ = js_sys::Reflect::set(&value, &"attentions".into(), &array);
            }
            Ok(value)
        })
    }

    /// How natural `text` is to the model: each word's pseudo-log-likelihood (the word masked,
    /// all its pieces at once, read from the rest) and the sentence's, their sum; word spans in
    /// UTF-16 units.
    #[wasm_bindgen(unchecked_return_type = "Promise<ScoreResult>")]
    pub fn score(&self, text: String) -> js_sys::Promise {
        let state = self.state.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let (_, output) =
                on_a_working_device(&state, async |model| core_score(&model, &text).await)
                    .await
                    .map_err(to_js_error)?;
            to_js(&output.in_utf16_units(&text)).map_err(to_js_error)
        })
    }

    /// Bytes of wasm memory and of the GPU memory pool (for leak checks and the status badge).
    #[wasm_bindgen(js_name = memoryUsage, unchecked_return_type = "MemoryUsage")]
    pub fn memory_usage(&self) -> JsValue {
        let wasm_bytes = wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .map(|memory| js_sys::ArrayBuffer::from(memory.buffer()).byte_length())
            .unwrap_or(0);
        let pool = self.state.borrow().model.device.memory_pool_usage();
        to_js(&MemoryUsage {
            wasm_bytes: wasm_bytes as f64,
            gpu_bytes_in_use: pool.as_ref().map_or(0, |p| p.bytes_in_use) as f64,
            gpu_bytes_reserved: pool.as_ref().map_or(0, |p| p.bytes_reserved) as f64,
        })
        .unwrap_or(JsValue::NULL)
    }

    /// A trainer fine-tuning a copy of this model with masked-LM on `text` (paragraphs separated
    /// by blank lines): `{ steps, batchSize, learningRate, warmupSteps, seqLen, maskRate, seed }`.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(
        &self,
        text: String,
        #[wasm_bindgen(unchecked_optional_param_type = "TrainOptions")] options: Option<JsValue>,
    ) -> std::result::Result<crate::training::WebTrainer, JsError> {
        let state = self.state.borrow();
        Ok(crate::training::WebTrainer::start(
            state.model.clone(),
            state.files.clone(),
            &text,
            options,
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

    async fn build(
        files: ModelFiles,
        requested: Requested,
        kernels: GpuKernels,
        dtype: WeightDtype,
        on_progress: &Passed,
    ) -> Result<WebModel> {
        set_gpu_kernels(kernels);
        let mut chosen = if dtype == WeightDtype::Q8 {
            cpu("as 8-bit weights need".into())
        } else {
            choose(requested).await?
        };
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
        let model = LoadedModel::load_as(&files, device, kind, dtype)?;
        let state = Rc::new(RefCell::new(Loaded {
            model: Rc::new(model),
            files: Rc::new(files),
            reason,
        }));
        if kind == BackendKind::Wgpu {
            // Kernels compiled now, inside the load, so the first answer is as quick as the rest;
            // a GPU that cannot run them (a kernel that fails to compile, a buffer refused)
            // leaves the model on the CPU, saying why.
            if let Ok(report) = on_progress.0.clone().dyn_into::<js_sys::Function>() {
                let stage = js_sys::Object::new();
                let set =
                    |key: &str, value: JsValue| js_sys::Reflect::set(&stage, &key.into(), &value);
                let _ = set("file", "".into());
                let _ = set("loaded", 0.into());
                let _ = set("total", 0.into());
                let _ = set("stage", "preparing the GPU".into());
                let _ = report.call1(&JsValue::NULL, &stage);
            }
            let model = state.borrow().model.clone();
            if let Err(ClozeError::Backend(error)) = warm_up(&model).await {
                let why =
                    format!("the GPU could not run the model ({error}), so it runs on the CPU");
                fall_back_to_cpu(&state, why)?;
            }
        }
        Ok(WebModel { state })
    }
}

const LOST: &str = "the GPU device was lost, so the model was moved to the CPU";

/// Runs `task` with the model, first moving it to the CPU if the GPU is gone. A GPU that fails
/// mid-task — its device lost (the lost callback may come only after the failed readback), a
/// buffer it cannot allocate, a kernel it cannot compile — hands the model to the CPU, which runs
/// the same task. Answers the model that ran it, with the task's result.
async fn on_a_working_device<T>(
    state: &Rc<RefCell<Loaded>>,
    task: impl AsyncFn(Rc<LoadedModel>) -> Result<T>,
) -> Result<(Rc<LoadedModel>, T)> {
    if gpu_lost() {
        fall_back_to_cpu(state, LOST.into())?;
    }
    let model = state.borrow().model.clone();
    match task(model.clone()).await {
        Err(ClozeError::Backend(error)) if model.backend == BackendKind::Wgpu => {
            let why = if gpu_lost() {
                LOST.to_string()
            } else {
                format!("the GPU failed mid-answer ({error}), so the model was moved to the CPU")
            };
            let model = fall_back_to_cpu(state, why)?;
            let output = task(model.clone()).await?;
            Ok((model, output))
        }
        other => Ok((model, other?)),
    }
}

/// Rebuilds the model on the CPU from the files already in memory, once the GPU is gone; `why`
/// becomes the backend's reason.
fn fall_back_to_cpu(state: &Rc<RefCell<Loaded>>, why: String) -> Result<Rc<LoadedModel>> {
    if state.borrow().model.backend == BackendKind::Cpu {
        return Ok(state.borrow().model.clone());
    }
    let files = state.borrow().files.clone();
    let chosen = cpu(why);
    let model = Rc::new(LoadedModel::load(&files, chosen.device, chosen.kind)?);
    let mut loaded = state.borrow_mut();
    loaded.model = model.clone();
    loaded.reason = chosen.reason;
    Ok(model)
}
