//! 8-bit weights (`dtype: "q8"`): each Linear layer's weight quantized as it loads, symmetric int8
//! with one scale per output column (the column's largest magnitude maps to 127). The embeddings,
//! the norms and the biases stay f32, and so does the tied decoder (it is the word table).
//!
//! The weight stays a burn tensor — burn's own quantized kind on the CPU backend — so the model,
//! its parameter walk and its memory are what they were, at a quarter of the bytes per Linear
//! weight. burn keeps a block's extent per axis in a byte, so one column cannot be a single
//! block of `k ≥ 256` values: the column's scale is stored once per block of `block_rows(k)` rows,
//! the same value down the column. `kernels/q8_matmul.rs` runs the product.

use burn::tensor::quantization::{QuantMode, QuantScheme, QuantStore, QuantValue, ScaleDtype};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::backend::BackendKind;
use crate::error::{ClozeError, Result};

/// The weights' number type, as a model is loaded: `fp32` as the checkpoint has them (after any
/// f16/bf16 widening), or `q8`, the Linear layers' weights as int8 (CPU only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightDtype {
    #[default]
    Fp32,
    Q8,
}

impl WeightDtype {
    pub const NAMES: [&str; 2] = ["fp32", "q8"];

    pub fn name(self) -> &'static str {
        match self {
            WeightDtype::Fp32 => "fp32",
            WeightDtype::Q8 => "q8",
        }
    }

    /// Refuses 8-bit weights anywhere but the CPU, saying what to choose instead.
    pub fn runs_on(self, backend: BackendKind) -> Result<()> {
        if self == WeightDtype::Q8 && backend != BackendKind::Cpu {
            return Err(ClozeError::Input(format!(
                "8-bit weights (dtype q8) run on the CPU only, not on {}: choose the CPU, or dtype fp32",
                backend.name()
            )));
        }
        Ok(())
    }

    /// `"fp32"` or `"q8"`; anything else is refused with the choices.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "fp32" => Ok(WeightDtype::Fp32),
            "q8" => Ok(WeightDtype::Q8),
            other => Err(ClozeError::Input(format!(
                "unknown dtype {other:?}: choose {}",
                Self::NAMES.join(" or ")
            ))),
        }
    }
}

/// Rows per block of scales: the largest even divisor of `k` up to 254 (burn's limit is 255 per
/// axis), or `None` when `k` has none of at least 16 — the weight then stays f32 rather than
/// carry more scales than it saves.
pub fn block_rows(k: usize) -> Option<usize> {
    (16..=254)
        .rev()
        .step_by(2)
        .find(|rows| k.is_multiple_of(*rows))
}

/// `values` (`k × n`, row-major: burn's Linear weight, inputs × outputs) as int8 and one scale per
/// column: `values[p][j] ≈ q[p][j] · scales[j]`, `|q| ≤ 127`.
pub fn quantize_columns(values: &[f32], k: usize, n: usize) -> (Vec<i8>, Vec<f32>) {
    let mut peaks = vec![0.0f32; n];
    for row in values.chunks_exact(n).take(k) {
        for (peak, x) in peaks.iter_mut().zip(row) {
            *peak = peak.max(x.abs());
        }
    }
    let scales: Vec<f32> = peaks.iter().map(|peak| peak / 127.0).collect();
    let inverses: Vec<f32> = peaks
        .iter()
        .map(|&peak| if peak > 0.0 { 127.0 / peak } else { 0.0 })
        .collect();
    let mut q = vec![0i8; k * n];
    for (q, row) in q.chunks_exact_mut(n).zip(values.chunks_exact(n)) {
        for ((q, x), inverse) in q.iter_mut().zip(row).zip(&inverses) {
            *q = (x * inverse).round_ties_even().clamp(-127.0, 127.0) as i8;
        }
    }
    (q, scales)
}

/// The scheme of a weight quantized here, for `k` rows split in blocks of `rows`.
pub fn scheme(rows: usize) -> QuantScheme {
    QuantScheme::default()
        .with_value(QuantValue::Q8S)
        .with_mode(QuantMode::Symmetric)
        .with_store(QuantStore::Native)
        .per_block([rows as u8, 1], ScaleDtype::F32)
}

/// A Linear weight (`k × n` f32) as burn's quantized tensor on `device` (the CPU backend), or
/// `None` if its depth cannot be split into blocks (see [`block_rows`]).
pub fn q8_weight(values: &[f32], [k, n]: [usize; 2], device: &Device) -> Option<Tensor<2>> {
    let rows = block_rows(k)?;
    let (q, scales) = quantize_columns(values, k, n);
    let blocks: Vec<f32> = (0..k / rows).flat_map(|_| scales.iter().copied()).collect();
    let data = TensorData::quantized(q, [k, n], scheme(rows), &blocks, None);
    Some(Tensor::from_data(data, device))
}

#[cfg(test)]
mod tests {
    use super::{WeightDtype, block_rows, quantize_columns};

    #[test]
    fn blocks_divide_every_bert_width() {
        for k in [
            128, 256, 312, 384, 512, 768, 1024, 1200, 1536, 2048, 3072, 4096,
        ] {
            let rows = block_rows(k).unwrap();
            assert!(k % rows == 0 && rows % 2 == 0 && rows <= 254, "{k}: {rows}");
        }
        assert_eq!(block_rows(768), Some(192));
        assert_eq!(block_rows(257), None);
    }

    #[test]
    fn columns_keep_their_largest_value_and_round_to_the_nearest_step() {
        // Two rows, three columns: the middle column is all zeros.
        let values = [0.5, 0.0, -2.0, -1.0, 0.0, 1.0];
        let (q, scales) = quantize_columns(&values, 2, 3);
        assert_eq!(scales, vec![1.0 / 127.0, 0.0, 2.0 / 127.0]);
        assert_eq!(q, vec![64, 0, -127, -127, 0, 64]); // 63.5 → 64 (ties to even), 63.5 → 64
    }

    #[test]
    fn a_dtype_is_fp32_or_q8() {
        assert_eq!(WeightDtype::parse("q8").unwrap(), WeightDtype::Q8);
        let error = WeightDtype::parse("int4").unwrap_err().to_string();
        assert!(error.contains("fp32 or q8"), "{error}");
    }
}
