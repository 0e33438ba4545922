//! A training run that advances a few steps at a time, so a caller can report progress, pause,
//! resume or stop between calls (the browser's worker does exactly that). Reads the loss back
//! only at the end of each call; a NaN or infinite loss or gradient norm stops the run with the last
//! good weights.

use burn::module::Module;
use burn::tensor::{Device, Tensor};
use serde::Serialize;

use super::batch::TrainBatch;
use super::data::{Corpus, draw_batch};
use super::schedule::LinearSchedule;
use super::step::{AdamWSettings, Learner};
use crate::cloze_model::LoadedModel;
use crate::error::{ClozeError, Result};
use crate::fill_mask::top_k_of;
use crate::masking::{MaskingConfig, Rng};
use crate::model::Keep;
use crate::model::network::MaskedLm;
use crate::tokenize::ClozeTokenizer;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    pub steps: usize,
    pub batch_size: usize,
    pub learning_rate: f64,
    pub warmup_steps: usize,
    pub adamw: AdamWSettings,
    pub masking: MaskingConfig,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            steps: 200,
            batch_size: 8,
            learning_rate: 5e-4,
            warmup_steps: 20,
            adamw: AdamWSettings::default(),
            masking: MaskingConfig::default(),
            seed: 0,
        }
    }
}

/// Where a run stands after a call to [`TrainingRun::advance`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "TrainProgress")
)]
pub struct Progress {
    pub step: usize,
    pub steps: usize,
    /// Mean loss of the steps this call ran.
    pub loss: f32,
    pub learning_rate: f64,
    pub tokens: usize,
    /// The largest global gradient norm (before clipping) of the steps this call ran.
    pub grad_norm: f32,
}

/// Loss and masked-token accuracy on the held-out sequences (fixed corruption, no dropout).
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "TrainEvaluation")
)]
pub struct Evaluation {
    pub loss: f32,
    pub accuracy: f32,
}

pub struct TrainingRun {
    trainer: Learner,
    last_good: MaskedLm,
    corpus: Corpus,
    options: TrainOptions,
    schedule: LinearSchedule,
    rng: Rng,
    mask_id: u32,
    vocab_size: usize,
    never_random: Vec<u32>,
    device: Device,
    pub step: usize,
    pub tokens_seen: usize,
}

impl TrainingRun {
    /// `network` must be on an autodiff device. `never_random`: ids never used as random
    /// replacements (the special tokens).
    /// A run fine-tuning `model`'s network (a copy: `model` keeps its weights) on `corpus`, on the
    /// device `model` was loaded on, which must track gradients (`device.autodiff()`).
    pub fn of(model: &LoadedModel, corpus: Corpus, options: TrainOptions) -> Self {
        Self::new(
            model.network.clone(),
            model.device.clone(),
            &model.tokenizer,
            model.config.vocab_size,
            model.config.pad_token_id as u32,
            corpus,
            options,
        )
    }

    pub fn new(
        network: MaskedLm,
        device: Device,
        tokenizer: &ClozeTokenizer,
        vocab_size: usize,
        pad_id: u32,
        corpus: Corpus,
        options: TrainOptions,
    ) -> Self {
        let never_random = tokenizer.special_ids();
        TrainingRun {
            last_good: network.clone(),
            trainer: Learner::new(network, device.clone(), pad_id, options.adamw),
            schedule: LinearSchedule {
                peak: options.learning_rate,
                warmup_steps: options.warmup_steps,
                total_steps: options.steps,
            },
            rng: Rng::new(options.seed),
            mask_id: tokenizer.mask_id,
            vocab_size,
            never_random,
            corpus,
            options,
            device,
            step: 0,
            tokens_seen: 0,
        }
    }

    pub fn finished(&self) -> bool {
        self.step >= self.options.steps
    }

    /// Runs up to `count` more steps.
    pub async fn advance(&mut self, count: usize) -> Result<Progress> {
        let (mut losses, mut norms) = (Vec::new(), Vec::new());
        let mut rate = 0.0;
        while losses.len() < count && !self.finished() {
            let batch = self.next_batch();
            rate = self.schedule.at(self.step);
            let result = self.trainer.step(&batch, rate)?;
            losses.push(result.loss);
            norms.push(result.grad_norm);
            self.tokens_seen += batch.input_ids.iter().map(Vec::len).sum::<usize>();
            self.step += 1;
        }
        if losses.is_empty() {
            return Err(ClozeError::Input("the run has already finished".into()));
        }
        let count = losses.len();
        let (loss, grad_norm) = read_loss_and_norm(losses, norms).await?;
        if !loss.is_finite() || !grad_norm.is_finite() {
            self.trainer.network = self.last_good.clone();
            let what = if loss.is_finite() {
                format!("the gradients exploded (their norm became {grad_norm})")
            } else {
                format!("the loss became {loss}")
            };
            return Err(ClozeError::Input(format!(
                "training diverged at step {} ({what}); the weights from before those {count} steps were kept — lower the learning rate",
                self.step
            )));
        }
        self.last_good = self.trainer.network.clone();
        Ok(Progress {
            step: self.step,
            steps: self.options.steps,
            loss,
            learning_rate: rate,
            tokens: self.tokens_seen,
            grad_norm,
        })
    }

    fn next_batch(&mut self) -> TrainBatch {
        draw_batch(
            &self.corpus.train,
            self.options.batch_size,
            self.mask_id,
            self.vocab_size,
            &self.never_random,
            self.options.masking,
            &mut self.rng,
        )
    }

    /// Held-out loss and accuracy with a fixed corruption (the same every time it is asked).
    pub async fn evaluate(&self) -> Result<Option<Evaluation>> {
        if self.corpus.held_out.is_empty() {
            return Ok(None);
        }
        let network = self.trainer.network.valid();
        let device = self.device.clone().without_autodiff();
        let mut rng = Rng::new(0x5EED);
        let batch = draw_batch(
            &self.corpus.held_out,
            self.corpus.held_out.len(),
            self.mask_id,
            self.vocab_size,
            &self.never_random,
            self.options.masking,
            &mut rng,
        );
        let (input, rows) = batch.tensors(self.trainer.pad_id(), &device);
        let logits = network.forward(input, rows, Keep::default()).logits;
        let probs = burn::tensor::activation::softmax(logits, 1)
            .into_data_async()
            .await
            .map_err(|e| ClozeError::Backend(format!("reading the evaluation failed ({e:?})")))?
            .try_into_vec::<f32>()
            .map_err(|e| ClozeError::Backend(format!("{e:?}")))?;
        let labels: Vec<u32> = batch.labels.into_iter().flatten().collect();
        let vocab = probs.len() / labels.len();
        let (mut loss, mut correct) = (0.0f64, 0usize);
        for (row, &label) in probs.chunks(vocab).zip(&labels) {
            loss -= (row[label as usize].max(f32::MIN_POSITIVE) as f64).ln();
            correct += usize::from(top_k_of(row, 1)[0].0 == label);
        }
        Ok(Some(Evaluation {
            loss: (loss / labels.len() as f64) as f32,
            accuracy: correct as f32 / labels.len() as f32,
        }))
    }

    /// The trained network for inference or saving (no autodiff graph).
    pub fn network(&self) -> MaskedLm {
        self.trainer.network.valid()
    }
}

/// The mean loss and the largest gradient norm of some steps, in one read from the device. A NaN or
/// infinite norm in any step makes the returned norm non-finite.
async fn read_loss_and_norm(losses: Vec<Tensor<1>>, norms: Vec<Tensor<1>>) -> Result<(f32, f32)> {
    let mean_loss = Tensor::cat(losses, 0).mean();
    let norms = Tensor::cat(norms, 0);
    // A max may skip NaN on some backends; a sum does not, and times zero it adds nothing else.
    let worst = norms.clone().max() + norms.sum().mul_scalar(0.0);
    let values = Tensor::cat(vec![mean_loss, worst], 0)
        .into_data_async()
        .await
        .map_err(|e| ClozeError::Backend(format!("reading the loss failed ({e:?})")))?
        .try_into_vec::<f32>()
        .map_err(|e| ClozeError::Backend(format!("{e:?}")))?;
    Ok((values[0], values[1]))
}
