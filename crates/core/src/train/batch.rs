//! A training batch: sequences padded to one length, with the positions to predict and the
//! original tokens there, laid out as the encoder and the loss take them.

use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::model::EncoderInput;

/// Sequences (already corrupted) with their prediction targets.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainBatch {
    pub input_ids: Vec<Vec<u32>>,
    /// Per sequence: positions to predict, ascending.
    pub positions: Vec<Vec<usize>>,
    /// Per sequence: the original token at each position.
    pub labels: Vec<Vec<u32>>,
}

impl TrainBatch {
    pub fn len(&self) -> usize {
        self.input_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.input_ids.is_empty()
    }

    pub fn longest(&self) -> usize {
        self.input_ids.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Targets in the batch.
    pub fn target_count(&self) -> usize {
        self.labels.iter().map(Vec::len).sum()
    }

    /// The encoder input (padded with `pad_id`, padding hidden from attention) and the flattened
    /// rows to predict (their labels are `labels`, flattened in the same order).
    pub fn tensors(&self, pad_id: u32, device: &Device) -> (EncoderInput, Tensor<1, Int>) {
        let (batch, seq) = (self.len(), self.longest());
        let mut ids = Vec::with_capacity(batch * seq);
        let mut bias = Vec::with_capacity(batch * seq);
        for sequence in &self.input_ids {
            ids.extend(sequence.iter().map(|&id| id as i64));
            ids.extend(std::iter::repeat_n(pad_id as i64, seq - sequence.len()));
            bias.extend(std::iter::repeat_n(0.0f32, sequence.len()));
            bias.extend(std::iter::repeat_n(
                crate::model::BLOCKED,
                seq - sequence.len(),
            ));
        }
        let padded = self.input_ids.iter().any(|s| s.len() < seq);
        let rows: Vec<i64> = self
            .positions
            .iter()
            .enumerate()
            .flat_map(|(b, positions)| positions.iter().map(move |&p| (b * seq + p) as i64))
            .collect();
        let count = rows.len();
        let input = EncoderInput {
            input_ids: Tensor::from_data(TensorData::new(ids, [batch, seq]), device),
            token_type_ids: Tensor::zeros([batch, seq], device),
            key_bias: padded
                .then(|| Tensor::from_data(TensorData::new(bias, [batch, seq]), device)),
        };
        (
            input,
            Tensor::from_data(TensorData::new(rows, [count]), device),
        )
    }
}
