//! The `ClozeTrainer` class of the JS API: masked-LM fine-tuning of a loaded model on the user's
//! text, in steps the caller asks for (so the worker can report, pause and resume between them),
//! with the same `TrainingRun` the native trainer and the bundled-model pretraining use.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use crate::convert::{self, to_js, to_js_error};
use clozelab_core::cloze_model::LoadedModel;
use clozelab_core::error::{ClozeError, Result};
use clozelab_core::export::export_folder;
use clozelab_core::files::ModelFiles;
use clozelab_core::fill_mask::{FillMaskOptions, fill_mask};
use clozelab_core::masking::MaskingConfig;
use clozelab_core::train::{self, AdamWSettings, Corpus, TrainingRun, check_step_fits};
use clozelab_core::weights::quantize::WeightDtype;

/// Everything a run needs between calls; taken out while a call awaits, so a second call made
/// meanwhile is refused in words instead of tripping a borrow.
struct Session {
    run: TrainingRun,
    /// The model being trained (config, tokenizer, the inference device).
    base: Rc<LoadedModel>,
    files: Rc<ModelFiles>,
}

#[wasm_bindgen(js_name = ClozeTrainer)]
pub struct WebTrainer {
    session: Rc<RefCell<Option<Session>>>,
    info: TrainInfo,
}

/// What `startTraining` takes; every field has a default.
#[derive(Deserialize, Default, Tsify)]
#[serde(rename_all = "camelCase", default)]
pub struct TrainOptions {
    /// Optimiser steps (200).
    #[tsify(optional)]
    steps: Option<f64>,
    /// Sequences per step (8).
    #[tsify(optional)]
    batch_size: Option<f64>,
    /// AdamW's peak learning rate (5e-4), reached after the warm-up and decayed linearly to 0.
    #[tsify(optional)]
    learning_rate: Option<f64>,
    /// Steps of linear warm-up (a tenth of `steps`).
    #[tsify(optional)]
    warmup_steps: Option<f64>,
    /// Tokens per training sequence (64, at most the model's positions).
    #[tsify(optional)]
    seq_len: Option<f64>,
    /// The share of tokens hidden for prediction (0.15).
    #[tsify(optional)]
    mask_rate: Option<f64>,
    /// The seed of the masking and of the order of sequences (1).
    #[tsify(optional)]
    seed: Option<f64>,
    /// Gradient clipping by global norm (1.0); 0 turns it off.
    #[tsify(optional)]
    max_grad_norm: Option<f64>,
}

/// What the trainer's `fillMask` takes.
#[derive(Deserialize, Default, Tsify)]
#[serde(rename_all = "camelCase", default)]
struct TrainerFillMaskOptions {
    /// Predictions per mask (5 when absent).
    #[tsify(optional)]
    top_k: Option<f64>,
}

/// What the text gave and what is planned.
#[derive(Serialize, Clone, Copy, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TrainInfo {
    tokens: usize,
    train_sequences: usize,
    held_out_sequences: usize,
    steps: usize,
}

/// Checks the options and fills in the defaults: the library's training options, and the
/// sequence length.
fn read_options(
    options: Option<JsValue>,
    max_positions: usize,
) -> Result<(train::TrainOptions, usize)> {
    let given: TrainOptions = convert::options(options, "startTraining")?;
    let defaults = train::TrainOptions::default();
    let whole = |name: &str, given: Option<f64>, default: usize, least: usize| -> Result<usize> {
        match given {
            None => Ok(default),
            Some(v) if v.fract() == 0.0 && v >= least as f64 && v <= 1e7 => Ok(v as usize),
            Some(v) => Err(ClozeError::Input(format!(
                "{name} must be a whole number of at least {least}, not {v}"
            ))),
        }
    };
    let steps = whole("steps", given.steps, defaults.steps, 1)?;
    let learning_rate = given.learning_rate.unwrap_or(defaults.learning_rate);
    if !(learning_rate > 0.0 && learning_rate.is_finite()) {
        return Err(ClozeError::Input(format!(
            "learningRate must be a positive number, not {learning_rate}"
        )));
    }
    let mask_rate = given
        .mask_rate
        .unwrap_or(MaskingConfig::default().mask_rate);
    if !(mask_rate > 0.0 && mask_rate < 1.0) {
        return Err(ClozeError::Input(format!(
            "maskRate must be between 0 and 1, not {mask_rate}"
        )));
    }
    let max_grad_norm = match given.max_grad_norm {
        None => defaults.adamw.max_grad_norm,
        Some(v) if v == 0.0 => None,
        Some(v) if v > 0.0 && v.is_finite() => Some(v as f32),
        Some(v) => {
            return Err(ClozeError::Input(format!(
                "maxGradNorm must be a positive number (or 0 for no clipping), not {v}"
            )));
        }
    };
    let train = train::TrainOptions {
        steps,
        batch_size: whole("batchSize", given.batch_size, defaults.batch_size, 1)?,
        learning_rate,
        warmup_steps: whole("warmupSteps", given.warmup_steps, steps / 10, 0)?.min(steps),
        masking: MaskingConfig {
            mask_rate,
            ..MaskingConfig::default()
        },
        seed: whole("seed", given.seed, 1, 0)? as u64,
        adamw: AdamWSettings {
            max_grad_norm,
            ..defaults.adamw
        },
        ..defaults
    };
    let seq_len = whole("seqLen", given.seq_len, 64, 4)?.min(max_positions);
    Ok((train, seq_len))
}

impl WebTrainer {
    pub(crate) fn start(
        base: Rc<LoadedModel>,
        files: Rc<ModelFiles>,
        text: &str,
        options: Option<JsValue>,
    ) -> Result<WebTrainer> {
        let (train, seq_len) = read_options(options, base.config.max_input_tokens())?;
        let corpus = Corpus::from_text(&base.tokenizer, text, seq_len, 10)?;
        let info = TrainInfo {
            tokens: corpus.token_count,
            train_sequences: corpus.train.len(),
            held_out_sequences: corpus.held_out.len(),
            steps: train.steps,
        };
        check_step_fits(
            &base.config,
            train.batch_size,
            seq_len,
            train.masking.mask_rate,
        )?;
        // The trained copy lives on the same device with autodiff; the loaded model stays as it was.
        let device = base.device.clone().autodiff();
        let trainable = LoadedModel::load(&files, device.clone(), base.backend)?;
        let run = TrainingRun::of(&trainable, corpus, train);
        Ok(WebTrainer {
            session: Rc::new(RefCell::new(Some(Session { run, base, files }))),
            info,
        })
    }
}

fn take(session: &Rc<RefCell<Option<Session>>>) -> Result<Session> {
    session.borrow_mut().take().ok_or_else(|| {
        ClozeError::Input("the trainer is busy with another request (or was closed)".into())
    })
}

/// Runs `work` on the session and puts it back whatever happens.
async fn with_session<T, F>(
    cell: Rc<RefCell<Option<Session>>>,
    work: impl FnOnce(Session) -> F,
) -> std::result::Result<JsValue, JsValue>
where
    F: std::future::Future<Output = (Session, Result<T>)>,
    T: Serialize,
{
    let session = take(&cell).map_err(to_js_error)?;
    let (session, result) = work(session).await;
    *cell.borrow_mut() = Some(session);
    to_js(&result.map_err(to_js_error)?).map_err(to_js_error)
}

/// The network as trained so far, as a model for inference on the base model's device.
fn snapshot(session: &Session) -> LoadedModel {
    LoadedModel {
        config: session.base.config.clone(),
        tokenizer: session.base.tokenizer.clone(),
        network: session.run.network(),
        device: session.base.device.clone(),
        backend: session.base.backend,
        // Training loads its own f32 copy of the weights, whatever the base model holds.
        dtype: WeightDtype::Fp32,
    }
}

#[wasm_bindgen(js_class = ClozeTrainer)]
impl WebTrainer {
    /// Token and sequence counts of the text, and the planned steps.
    #[wasm_bindgen(getter, unchecked_return_type = "TrainInfo")]
    pub fn info(&self) -> JsValue {
        to_js(&self.info).unwrap_or(JsValue::NULL)
    }

    /// Runs up to `count` more steps; resolves to the mean loss of those steps and where the run is.
    #[wasm_bindgen(unchecked_return_type = "Promise<TrainProgress>")]
    pub fn advance(&self, count: usize) -> js_sys::Promise {
        let cell = self.session.clone();
        wasm_bindgen_futures::future_to_promise(with_session(cell, move |mut s| async move {
            let result = s.run.advance(count.max(1)).await;
            (s, result)
        }))
    }

    /// Loss and masked-token accuracy on the held-out slice of the text (null if it has none).
    #[wasm_bindgen(unchecked_return_type = "Promise<TrainEvaluation | null>")]
    pub fn evaluate(&self) -> js_sys::Promise {
        let cell = self.session.clone();
        wasm_bindgen_futures::future_to_promise(with_session(cell, |s| async move {
            let result = s.run.evaluate().await;
            (s, result)
        }))
    }

    /// Fill-mask with the weights as trained so far (for before/after probes).
    #[wasm_bindgen(js_name = fillMask, unchecked_return_type = "Promise<FillMaskResult>")]
    pub fn fill_mask(
        &self,
        text: String,
        #[wasm_bindgen(unchecked_optional_param_type = "TrainerFillMaskOptions")] options: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let cell = self.session.clone();
        wasm_bindgen_futures::future_to_promise(with_session(cell, move |s| async move {
            let top_k = match convert::options::<TrainerFillMaskOptions>(
                options,
                "ClozeTrainer.fillMask",
            ) {
                Ok(given) => given.top_k.unwrap_or(5.0).max(1.0) as usize,
                Err(e) => return (s, Err(e)),
            };
            let model = snapshot(&s);
            let result = fill_mask(
                &model,
                &text,
                FillMaskOptions {
                    top_k,
                    attentions: false,
                    layers: false,
                },
            )
            .await;
            (s, result)
        }))
    }

    /// The trained model as the files of a Hugging Face folder: `[[name, Uint8Array], …]`.
    #[wasm_bindgen(js_name = exportFiles, unchecked_return_type = "Promise<[string, Uint8Array][]>")]
    pub fn export_files(&self) -> js_sys::Promise {
        let cell = self.session.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let session = take(&cell).map_err(to_js_error)?;
            let network = session.run.network();
            let result = export_folder(&network, &session.base.config, &session.files).await;
            *cell.borrow_mut() = Some(session);
            let folder = result.map_err(to_js_error)?;
            let list = js_sys::Array::new();
            for name in folder.names() {
                let pair = js_sys::Array::new();
                pair.push(&JsValue::from_str(name));
                pair.push(&js_sys::Uint8Array::from(folder.get(name).unwrap_or_default()).into());
                list.push(&pair);
            }
            Ok(list.into())
        })
    }
}
