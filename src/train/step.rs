//! One optimisation step: forward at the targets only, mean cross-entropy over every target in
//! the batch (as `transformers` computes the MLM loss), backward, AdamW (decoupled weight decay,
//! as `torch.optim.AdamW`).

use burn::optim::{AdamWConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor};

use super::batch::TrainBatch;
use crate::error::{ClozeError, Result};
use crate::model::bert::BertForMaskedLm;

/// AdamW's settings, named as in `torch.optim.AdamW`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamWSettings {
    pub beta_1: f32,
    pub beta_2: f32,
    pub eps: f32,
    pub weight_decay: f32,
}

impl Default for AdamWSettings {
    fn default() -> Self {
        AdamWSettings {
            beta_1: 0.9,
            beta_2: 0.999,
            eps: 1e-8,
            weight_decay: 0.01,
        }
    }
}

/// A network on an autodiff device with its optimiser state.
pub struct Trainer {
    pub network: BertForMaskedLm,
    optimizer: ModuleOptimizer,
    device: Device,
    pad_id: u32,
}

impl Trainer {
    /// `network` must live on an autodiff device (`device.autodiff()`).
    pub fn new(
        network: BertForMaskedLm,
        device: Device,
        pad_id: u32,
        settings: AdamWSettings,
    ) -> Self {
        let optimizer = AdamWConfig::new()
            .with_beta_1(settings.beta_1)
            .with_beta_2(settings.beta_2)
            .with_epsilon(settings.eps)
            .with_weight_decay(settings.weight_decay)
            .init();
        Trainer {
            network,
            optimizer,
            device,
            pad_id,
        }
    }

    pub fn pad_id(&self) -> u32 {
        self.pad_id
    }

    /// One step at learning rate `lr`; returns the batch's loss before the update, on the device
    /// (read it when convenient: reading every step would stall a GPU).
    pub fn step(&mut self, batch: &TrainBatch, lr: f64) -> Result<Tensor<1>> {
        if batch.target_count() == 0 {
            return Err(ClozeError::Input("the batch has nothing to predict".into()));
        }
        let (input, rows, labels) = batch.tensors(self.pad_id, &self.device);
        let logits = self.network.forward(input, rows, false).logits;
        let count = labels.dims()[0];
        let picked = log_softmax(logits, 1).gather(1, labels.reshape([count, 1]));
        let loss = picked.mean().neg();
        let gradients = GradientsParams::from_grads(loss.backward(), &self.network);
        self.network = self.optimizer.step(lr, self.network.clone(), gradients);
        Ok(loss.detach())
    }
}
