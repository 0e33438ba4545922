//! Rotary position embeddings (RoPE) as `transformers` applies them: each query and key is turned,
//! pair of halves by pair of halves, through angles `position · theta^(-2i/d)`, so attention scores
//! depend on how far apart two tokens are. The angle tables are computed on the host in `f32`, the
//! way PyTorch computes them.

use burn::tensor::{Device, Tensor, TensorData};

/// The `cos` and `sin` tables of one theta for `seq` positions, `[1, 1, seq, head_dim]` each.
pub struct RotaryTables {
    cos: Tensor<4>,
    sin: Tensor<4>,
}

impl RotaryTables {
    pub fn new(theta: f64, head_dim: usize, seq: usize, device: &Device) -> Self {
        let half = head_dim / 2;
        let inverse: Vec<f32> = (0..half)
            .map(|i| 1.0 / (theta as f32).powf((2 * i) as f32 / head_dim as f32))
            .collect();
        let mut cos = Vec::with_capacity(seq * head_dim);
        let mut sin = Vec::with_capacity(seq * head_dim);
        for position in 0..seq {
            // Both halves of a row carry the same angles (`cat(freqs, freqs)`).
            for i in 0..head_dim {
                let angle = position as f32 * inverse[i % half];
                cos.push(angle.cos());
                sin.push(angle.sin());
            }
        }
        let table = |values: Vec<f32>| {
            Tensor::<4>::from_data(TensorData::new(values, [1, 1, seq, head_dim]), device)
        };
        RotaryTables {
            cos: table(cos),
            sin: table(sin),
        }
    }

    /// `x`: `[batch, heads, seq, head_dim]`, rotated: `x·cos + rotate_half(x)·sin`.
    pub fn apply(&self, x: Tensor<4>) -> Tensor<4> {
        let half = x.dims()[3] / 2;
        let first = x.clone().narrow(3, 0, half);
        let second = x.clone().narrow(3, half, half);
        let rotated = Tensor::cat(vec![second.neg(), first], 3);
        x * self.cos.clone() + rotated * self.sin.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::cpu_device;

    #[test]
    fn position_zero_is_unchanged_and_norms_are_kept() {
        let device = cpu_device();
        let tables = RotaryTables::new(10_000.0, 4, 3, &device);
        let x = Tensor::<4>::from_data(
            TensorData::new(
                vec![
                    1.0f32, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0,
                ],
                [1, 1, 3, 4],
            ),
            &device,
        );
        let out: Vec<f32> = tables.apply(x).into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(&out[..4], &[1.0, 2.0, 3.0, 4.0]);
        // Position 1, pair (x0, x2) turned by 1 radian: (1, 3) → (cos1 − 3 sin1, sin1 + 3 cos1).
        let (c, s) = (1f32.cos(), 1f32.sin());
        assert!((out[4] - (c - 3.0 * s)).abs() < 1e-6 && (out[6] - (s + 3.0 * c)).abs() < 1e-6);
        for row in out.chunks(4) {
            let norm: f32 = row.iter().map(|v| v * v).sum();
            assert!((norm - 30.0).abs() < 1e-4, "{row:?}");
        }
    }
}
