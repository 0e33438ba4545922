//! Reading checkpoint files into named f32 tensors, and fitting them onto a model.
//!
//! `safetensors.rs` and `torch.rs` (with `pickle.rs`) turn the bytes of a weights file into a
//! [`TensorMap`]; `bind.rs` walks a model's parameters by their Hugging Face names and takes each
//! one from the map, collecting every missing, unexpected or wrongly shaped tensor.

pub mod bind;
pub mod collect;
mod dtype;
pub mod pickle;
pub mod quantize;
pub mod safetensors;
pub mod torch;

use std::collections::BTreeMap;

use crate::error::{ClozeError, Result};

/// A tensor read from a checkpoint, already converted to f32, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTensor {
    pub shape: Vec<usize>,
    pub values: Vec<f32>,
}

/// The tensors of one checkpoint by their names in the file, plus the file name for messages.
#[derive(Debug, Clone, Default)]
pub struct TensorMap {
    pub file: String,
    pub tensors: BTreeMap<String, RawTensor>,
}

/// The weight files we read, in the order we look for them.
pub const WEIGHT_FILES: [&str; 2] = ["model.safetensors", "pytorch_model.bin"];

/// Reads a weights file by its name: `*.safetensors`, or a PyTorch zip checkpoint (`*.bin`, `*.pt`).
pub fn read_weights(file: &str, bytes: &[u8]) -> Result<TensorMap> {
    if file.ends_with(".safetensors") {
        safetensors::read(file, bytes)
    } else if file.ends_with(".bin") || file.ends_with(".pt") || file.ends_with(".pth") {
        torch::read(file, bytes)
    } else {
        Err(ClozeError::weights(
            file,
            "unknown weights format: expected .safetensors or a PyTorch .bin",
        ))
    }
}
