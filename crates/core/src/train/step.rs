//! One optimisation step: forward at the targets only, mean cross-entropy over every target in
//! the batch (as `transformers` computes the MLM loss; on the CPU one operation,
//! `kernels/cross_entropy.rs`), backward, gradients clipped by their global norm (as
//! `torch.nn.utils.clip_grad_norm_`), AdamW (decoupled weight decay, as `torch.optim.AdamW`).

use burn::optim::{AdamWConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};

use super::batch::TrainBatch;
use super::clip::clip_by_global_norm;
use crate::error::{ClozeError, Result};
use crate::kernels::cross_entropy::mean_nll;
use crate::model::Keep;
use crate::model::network::MaskedLm;

/// AdamW's settings, named as in `torch.optim.AdamW`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamWSettings {
    pub beta_1: f32,
    pub beta_2: f32,
    pub eps: f32,
    pub weight_decay: f32,
    /// The largest global gradient norm let through (`max_grad_norm` in `transformers`);
    /// `None` does not clip.
    pub max_grad_norm: Option<f32>,
}

impl Default for AdamWSettings {
    fn default() -> Self {
        AdamWSettings {
            beta_1: 0.9,
            beta_2: 0.999,
            eps: 1e-8,
            weight_decay: 0.01,
            max_grad_norm: Some(1.0),
        }
    }
}

/// A network on an autodiff device with its optimiser state.
pub struct Learner {
    pub network: MaskedLm,
    optimizer: ModuleOptimizer,
    device: Device,
    pad_id: u32,
    max_grad_norm: Option<f32>,
}

/// What one step leaves on the device, to be read when convenient (reading every step would
/// stall a GPU).
pub struct StepResult {
    /// The batch's loss before the update.
    pub loss: Tensor<1>,
    /// The gradients' global norm before clipping.
    pub grad_norm: Tensor<1>,
}

impl Learner {
    /// `network` must live on an autodiff device (`device.autodiff()`).
    pub fn new(network: MaskedLm, device: Device, pad_id: u32, settings: AdamWSettings) -> Self {
        let optimizer = AdamWConfig::new()
            .with_beta_1(settings.beta_1)
            .with_beta_2(settings.beta_2)
            .with_epsilon(settings.eps)
            .with_weight_decay(settings.weight_decay)
            .init();
        Learner {
            network,
            optimizer,
            device,
            pad_id,
            max_grad_norm: settings.max_grad_norm,
        }
    }

    pub fn pad_id(&self) -> u32 {
        self.pad_id
    }

    /// One step at learning rate `lr`.
    pub fn step(&mut self, batch: &TrainBatch, lr: f64) -> Result<StepResult> {
        if batch.target_count() == 0 {
            return Err(ClozeError::Input("the batch has nothing to predict".into()));
        }
        let (input, rows) = batch.tensors(self.pad_id, &self.device);
        let logits = self.network.forward(input, rows, Keep::default()).logits;
        let loss = mean_nll(logits, &batch.labels.concat());
        let mut gradients = GradientsParams::from_grads(loss.backward(), &self.network);
        let grad_norm = match self.max_grad_norm {
            Some(max_norm) => clip_by_global_norm(&self.network, &mut gradients, max_norm),
            None => super::clip::global_norm(&self.network, &gradients),
        };
        self.network = self.optimizer.step(lr, self.network.clone(), gradients);
        Ok(StepResult {
            loss: loss.detach(),
            grad_norm,
        })
    }
}
