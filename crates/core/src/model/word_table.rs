//! The word-embedding table, looked up for the input and (tied) multiplied for the output. A GPU
//! binds at most so many bytes of one buffer to a kernel (128 MiB on lavapipe, SwiftShader and many
//! browsers' defaults), and RoBERTa's, DeBERTa-v3's, ModernBERT's or XLM-R's table is larger; so
//! the table can be held as consecutive row chunks that each fit. One chunk (the usual case) is
//! exactly an `nn.Embedding`. Checkpoints always see one `[vocab, width]` tensor.

use super::sum_of;
use crate::kernels::matmul::matmul;
use burn::module::{Module, Param};
use burn::nn::Initializer;
use burn::tensor::module::embedding;
use burn::tensor::{Device, Int, Tensor};

#[derive(Module, Debug)]
pub struct WordTable {
    /// Consecutive row ranges of the `[vocab, width]` table.
    pub chunks: Vec<Param<Tensor<2>>>,
}

impl WordTable {
    /// A `rows × width` table initialised by `initializer`, in chunks of at most `chunk_rows` rows
    /// (`None`: one chunk).
    pub fn new(
        rows: usize,
        width: usize,
        chunk_rows: Option<usize>,
        initializer: &Initializer,
        device: &Device,
    ) -> Self {
        let chunk_rows = chunk_rows.unwrap_or(rows).clamp(1, rows.max(1));
        let chunks = (0..rows)
            .step_by(chunk_rows)
            .map(|start| initializer.init([chunk_rows.min(rows - start), width], device))
            .collect();
        WordTable { chunks }
    }

    /// The row count of each chunk, in order.
    pub fn chunk_rows(&self) -> Vec<usize> {
        self.chunks.iter().map(|c| c.lazy_shape()[0]).collect()
    }

    pub fn rows(&self) -> usize {
        self.chunk_rows().iter().sum()
    }

    pub fn width(&self) -> usize {
        self.chunks.first().map_or(0, |c| c.lazy_shape()[1])
    }

    /// `ids`: `[batch, seq]` → `[batch, seq, width]`. With several chunks, every chunk looks up
    /// the ids it holds (the others read its row 0 and are zeroed), and the lookups are summed.
    pub fn lookup(&self, ids: Tensor<2, Int>) -> Tensor<3> {
        if let [table] = self.chunks.as_slice() {
            return embedding(table.val(), ids);
        }
        let mut start = 0i64;
        let mut sum: Option<Tensor<3>> = None;
        for chunk in &self.chunks {
            let rows = chunk.lazy_shape()[0] as i64;
            let local = ids.clone().sub_scalar(start);
            let inside = local
                .clone()
                .greater_equal_elem(0)
                .bool_and(local.clone().lower_elem(rows));
            let rows_found = embedding(chunk.val(), local.clamp(0, rows - 1));
            let kept = rows_found * inside.float().unsqueeze_dim::<3>(2);
            sum = sum_of(sum, Some(kept));
            start += rows;
        }
        sum.expect("a table has at least one chunk")
    }

    /// `hidden`: `[rows, width]` times the table transposed: `[rows, vocab]` (the tied decoder).
    pub fn times_transposed(&self, hidden: Tensor<2>) -> Tensor<2> {
        let parts: Vec<Tensor<2>> = self
            .chunks
            .iter()
            .map(|chunk| matmul(hidden.clone(), chunk.val().transpose()))
            .collect();
        if parts.len() == 1 {
            parts.into_iter().next().expect("one part")
        } else {
            Tensor::cat(parts, 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu_device;
    use burn::tensor::TensorData;

    /// The same values as one table and as chunks of 2 rows: identical lookups and products.
    #[test]
    fn chunks_behave_as_one_table() {
        let device = cpu_device();
        let values: Vec<f32> = (0..15).map(|v| v as f32 * 0.5 - 3.0).collect();
        let whole = WordTable {
            chunks: vec![Param::from_data(
                TensorData::new(values.clone(), [5, 3]),
                &device,
            )],
        };
        let chunked = WordTable {
            chunks: [0..6, 6..12, 12..15]
                .into_iter()
                .map(|range| {
                    let rows = range.len() / 3;
                    Param::from_data(TensorData::new(values[range].to_vec(), [rows, 3]), &device)
                })
                .collect(),
        };
        assert_eq!(chunked.chunk_rows(), vec![2, 2, 1]);
        let ids = Tensor::<2, Int>::from_data(
            TensorData::new(vec![4i64, 0, 2, 3, 1, 4], [2, 3]),
            &device,
        );
        let read = |t: Tensor<3>| t.into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(read(whole.lookup(ids.clone())), read(chunked.lookup(ids)));
        let hidden =
            Tensor::<2>::from_data(TensorData::new(vec![1.0f32, -2.0, 0.5], [1, 3]), &device);
        let product = |t: &WordTable| {
            t.times_transposed(hidden.clone())
                .into_data()
                .try_to_vec::<f32>()
                .unwrap()
        };
        assert_eq!(product(&whole), product(&chunked));
    }
}
