//! Binding checkpoint tensors to model parameters by their Hugging Face names.
//!
//! A model describes its parameters once, by walking them with a [`ParamVisitor`]
//! (`model/params.rs`) and the names `transformers` gives them. [`Loader`] is the visitor that
//! fills them from a [`TensorMap`]; the same walk serves saving (`collect.rs`). The loader never
//! leaves a parameter silently random: every missing, unexpected or wrongly shaped tensor becomes
//! a problem, and any problem fails the load.

use burn::module::{Param, ParamId};
use burn::tensor::{Device, Tensor, TensorData};

use super::quantize::{WeightDtype, q8_weight};
use super::{RawTensor, TensorMap};
use crate::config::BertConfig;
use crate::error::{ClozeError, Result};
use crate::model::network::MaskedLm;
use crate::model::params::ParamVisitor;
use crate::model::plan::LoadPlan;
use crate::model::word_table::WordTable;

/// The network `config` describes, laid out as `plan` says, with every parameter taken from the
/// checkpoint in `loader`: any missing, unexpected or misshapen tensor fails the load.
pub fn load_network(config: &BertConfig, plan: &LoadPlan, mut loader: Loader) -> Result<MaskedLm> {
    let mut network = MaskedLm::init(config, plan, &loader.device().clone());
    network.visit_params(&mut loader);
    for name in network.set_aside() {
        loader.discard(&name);
    }
    loader.finish()?;
    Ok(network)
}

/// Fills parameters from a checkpoint. Names may carry the architecture's base prefix
/// (`bert.`) or not, as `BertModel` and `BertForMaskedLM` checkpoints differ there.
pub struct Loader {
    map: TensorMap,
    base_prefix: &'static str,
    device: Device,
    dtype: WeightDtype,
    problems: Vec<String>,
}

/// Tensors that checkpoints carry and a masked-LM does not use (pooler, next-sentence head,
/// buffers). They are set aside without complaint; anything else left over is a problem.
const UNUSED_BY_MASKED_LM: [&str; 5] = [
    "pooler.",
    // DeBERTa-v3's replaced-token-detection head, which transformers' masked LM ignores too.
    "mask_predictions.",
    "cls.seq_relationship.",
    "position_ids",
    "token_type_ids",
];

/// Whether a checkpoint tensor is one a masked LM does not read (see `UNUSED_BY_MASKED_LM`).
pub fn unused_by_masked_lm(name: &str) -> bool {
    UNUSED_BY_MASKED_LM
        .iter()
        .any(|unused| name.contains(unused))
}

impl Loader {
    pub fn new(map: TensorMap, base_prefix: &'static str, device: &Device) -> Self {
        Loader {
            map,
            base_prefix,
            device: device.clone(),
            dtype: WeightDtype::Fp32,
            problems: Vec::new(),
        }
    }

    /// Loads the Linear layers' weights as `dtype` says (`q8`: int8, see `weights/quantize.rs`).
    pub fn with_dtype(mut self, dtype: WeightDtype) -> Self {
        self.dtype = dtype;
        self
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Removes a tensor the model does not need (e.g. a tied decoder stored anyway).
    pub fn discard(&mut self, name: &str) {
        for candidate in self.candidates(name) {
            self.map.tensors.remove(&candidate);
        }
    }

    /// Ends the load: fails with every problem found, including tensors nobody asked for.
    pub fn finish(mut self) -> Result<()> {
        let leftovers: Vec<String> = self
            .map
            .tensors
            .keys()
            .filter(|name| !unused_by_masked_lm(name))
            .cloned()
            .collect();
        for name in leftovers {
            self.problems.push(format!("unexpected tensor {name}"));
        }
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ClozeError::Checkpoint(self.problems))
        }
    }

    fn candidates(&self, name: &str) -> Vec<String> {
        let mut names = vec![name.to_string()];
        if let Some(bare) = name.strip_prefix(self.base_prefix) {
            names.push(bare.to_string());
        }
        names
    }

    /// Takes the first tensor found under any accepted name; further aliases are consumed too
    /// (`cls.predictions.bias` and `cls.predictions.decoder.bias` are one tensor saved twice).
    fn take(&mut self, names: &[&str], expected: &[usize], transposed: bool) -> Option<RawTensor> {
        let mut found: Option<(String, RawTensor)> = None;
        for name in names {
            for candidate in self.candidates(name) {
                if let Some(tensor) = self.map.tensors.remove(&candidate)
                    && found.is_none()
                {
                    found = Some((candidate, tensor));
                }
            }
        }
        let Some((name, tensor)) = found else {
            self.problems.push(format!("missing tensor {}", names[0]));
            return None;
        };
        let stored_expected: Vec<usize> = if transposed {
            expected.iter().rev().copied().collect()
        } else {
            expected.to_vec()
        };
        if tensor.shape != stored_expected {
            self.problems.push(format!(
                "tensor {name} has shape {:?}, config.json implies {stored_expected:?}",
                tensor.shape
            ));
            return None;
        }
        Some(if transposed {
            transpose(tensor)
        } else {
            tensor
        })
    }

    /// As `take`, but the tensor as the file stores it (`expected` reversed if `transposed`).
    fn take_stored(
        &mut self,
        names: &[&str],
        expected: &[usize],
        transposed: bool,
    ) -> Option<RawTensor> {
        let reversed: Vec<usize> = expected.iter().rev().copied().collect();
        self.take(names, if transposed { &reversed } else { expected }, false)
    }
}

/// Whether Linear weights stay in the checkpoint's layout: on the CPU in wasm, whose product
/// reads them so (natively gemm packs either layout; a GPU's kernels take burn's), for inference
/// (a model loaded to train runs burn's products, which gain nothing from it).
fn keeps_file_layout(device: &Device) -> bool {
    cfg!(target_family = "wasm") && *device == Device::flex() && !device.is_autodiff()
}

impl ParamVisitor for Loader {
    fn vector(&mut self, names: &[&str], param: &mut Param<Tensor<1>>) {
        let expected = param.lazy_shape().to_vec();
        if let Some(tensor) = self.take(names, &expected, false) {
            *param = Param::from_data(TensorData::new(tensor.values, tensor.shape), &self.device);
        }
    }

    fn matrix(&mut self, names: &[&str], param: &mut Param<Tensor<2>>, transposed: bool) {
        let expected = param.lazy_shape().to_vec();
        if let Some(tensor) = self.take(names, &expected, transposed) {
            *param = Param::from_data(TensorData::new(tensor.values, tensor.shape), &self.device);
        }
    }

    fn linear_weight(&mut self, name: &str, param: &mut Param<Tensor<2>>) {
        if self.dtype == WeightDtype::Fp32 && !keeps_file_layout(&self.device) {
            return self.matrix(&[name], param, true);
        }
        if self.dtype == WeightDtype::Fp32 {
            // Left as the file holds it (`n × k`) and seen by burn through a transposed view, so
            // the browser's CPU product reads each output's weights in order
            // (`kernels/cpu_matmul.rs`, `product_transposed`); every other operation sees the
            // same `k × n` values.
            let expected = param.lazy_shape().to_vec();
            if let Some(tensor) = self.take_stored(&[name], &expected, true) {
                let stored = TensorData::new(tensor.values, tensor.shape);
                *param = Param::from_tensor(Tensor::from_data(stored, &self.device).transpose());
            }
            return;
        }
        let shape = param.lazy_shape();
        let shape = [shape[0], shape[1]];
        if let Some(tensor) = self.take(&[name], &shape, true) {
            let value = q8_weight(&tensor.values, shape, &self.device).unwrap_or_else(|| {
                Tensor::from_data(TensorData::new(tensor.values, shape), &self.device)
            });
            // Inference only: a quantized weight takes no gradient.
            *param = Param::initialized(ParamId::new(), value);
        }
    }

    fn table(&mut self, name: &str, table: &mut WordTable) {
        let width = table.width();
        let Some(tensor) = self.take(&[name], &[table.rows(), width], false) else {
            return;
        };
        let mut start = 0;
        let chunk_rows = table.chunk_rows();
        for (chunk, rows) in table.chunks.iter_mut().zip(chunk_rows) {
            let values = tensor.values[start * width..(start + rows) * width].to_vec();
            *chunk = Param::from_data(TensorData::new(values, [rows, width]), &self.device);
            start += rows;
        }
    }
}

/// Transposes a 2-D tensor on the host.
pub fn transpose(tensor: RawTensor) -> RawTensor {
    let [rows, cols] = [tensor.shape[0], tensor.shape[1]];
    let mut values = vec![0.0; tensor.values.len()];
    for row in 0..rows {
        for col in 0..cols {
            values[col * rows + row] = tensor.values[row * cols + col];
        }
    }
    RawTensor {
        shape: vec![cols, rows],
        values,
    }
}
