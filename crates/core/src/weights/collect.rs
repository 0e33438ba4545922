//! The reverse of loading: walk a model's parameters under their Hugging Face names and read
//! them back into a [`TensorMap`] (for saving as safetensors). One asynchronous read for all.

use burn::module::Param;
use burn::tensor::DType;
use burn::tensor::{Tensor, Transaction};

use super::{RawTensor, TensorMap};
use crate::error::{ClozeError, Result};
use crate::model::network::MaskedLm;
use crate::model::params::ParamVisitor;
use crate::model::word_table::WordTable;

/// A [`ParamVisitor`] that gathers every parameter, laid out as the checkpoint stores it.
#[derive(Default)]
pub struct Collector {
    names: Vec<String>,
    shapes: Vec<Vec<usize>>,
    values: Vec<Tensor<1>>,
}

impl ParamVisitor for Collector {
    fn vector(&mut self, names: &[&str], param: &mut Param<Tensor<1>>) {
        let value = param.val();
        self.push(names[0], value.dims().to_vec(), value);
    }

    fn matrix(&mut self, names: &[&str], param: &mut Param<Tensor<2>>, transposed: bool) {
        // A Linear weight loaded as 8-bit (`dtype: "q8"`) is saved as the f32 it stands for.
        let value = match param.val() {
            value if matches!(value.dtype(), DType::QFloat(_)) => value.dequantize(),
            value => value,
        };
        let value = if transposed { value.transpose() } else { value };
        let shape = value.dims().to_vec();
        self.push(names[0], shape, value.reshape([-1]));
    }

    /// Each chunk under the table's name; `read` joins them back into one tensor.
    fn table(&mut self, name: &str, table: &mut WordTable) {
        for chunk in &mut table.chunks {
            self.matrix(&[name], chunk, false);
        }
    }
}

impl Collector {
    fn push(&mut self, name: &str, shape: Vec<usize>, flat: Tensor<1>) {
        self.names.push(name.to_string());
        self.shapes.push(shape);
        self.values.push(flat);
    }

    /// Reads every gathered parameter back from the device.
    pub async fn read(self, file: &str) -> Result<TensorMap> {
        let transaction = self
            .values
            .into_iter()
            .fold(Transaction::default(), Transaction::register);
        let data = transaction
            .execute_async()
            .await
            .map_err(|e| ClozeError::Backend(format!("reading the weights back failed ({e:?})")))?;
        let mut map = TensorMap {
            file: file.to_string(),
            ..TensorMap::default()
        };
        for ((name, shape), data) in self.names.into_iter().zip(self.shapes).zip(data) {
            let values = data
                .try_into_vec::<f32>()
                .map_err(|e| ClozeError::Backend(format!("parameter {name} is not f32 ({e:?})")))?;
            match map.tensors.get_mut(&name) {
                // A further chunk of the word table: its rows follow the ones before.
                Some(earlier) => {
                    earlier.shape[0] += shape[0];
                    earlier.values.extend(values);
                }
                None => {
                    map.tensors.insert(name, RawTensor { shape, values });
                }
            }
        }
        Ok(map)
    }
}

/// Every parameter of `network`, read back under its Hugging Face name.
pub async fn collect_weights(network: &MaskedLm) -> Result<TensorMap> {
    let mut collector = Collector::default();
    network.clone().visit_params(&mut collector);
    collector.read("model.safetensors").await
}
