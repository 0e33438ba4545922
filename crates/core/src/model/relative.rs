//! DeBERTa's disentangled attention by relative position. A table of `2·span` relative-position
//! embeddings (optionally normalised) is projected like keys and queries; every score then gains
//! a content-to-position term (the query against the embedding of its distance to the key) and a
//! position-to-content term (the key against the embedding of the distance back). Distances past
//! half the bucket count share log-spaced buckets, as `transformers` computes them (in `f32`).

use burn::module::Module;
use burn::nn::{Dropout, Embedding, LayerNorm, Linear};
use burn::tensor::{Device, Int, Tensor, TensorData};

use super::attention::{ScoreTerms, split_heads};
use super::sum_of;
use crate::config::DebertaSettings;
use crate::kernels::matmul::{linear, matmul};

/// The relative-position table shared by every layer, and how it is used.
#[derive(Module, Debug)]
pub struct RelativePositions {
    /// `rel_embeddings`: `[2·span, hidden]`.
    pub table: Embedding,
    /// Applied to the table first when `norm_rel_ebd` says `layer_norm`.
    pub norm: Option<LayerNorm>,
    #[module(skip)]
    pub settings: DebertaSettings,
}

/// What one forward pass of length `seq` needs from the table: the (normalised) embeddings and,
/// for every query–key pair, the table row of their distance each way.
pub struct RelativeContext {
    table: Tensor<2>,
    /// `[seq, seq]`: row of the table for query `i` and key `j` (c2p).
    to_key: Tensor<2, Int>,
    /// `[seq, seq]`: row of the table for key `i` seen from query `j` (p2c, before the transpose).
    from_key: Tensor<2, Int>,
    settings: DebertaSettings,
}

impl RelativePositions {
    /// Only the table rows some pair of `seq` tokens reaches are normalised and projected (a
    /// 128-token input reaches 255 of DeBERTa-v3's 512); the others could not change a score.
    pub fn context(&self, seq: usize, device: &Device) -> RelativeContext {
        let s = self.settings;
        let span = s.attention_span() as i64;
        let row = |sign: i64, i: usize, j: usize| {
            let distance = bucket(
                i as i64 - j as i64,
                s.position_buckets,
                s.max_relative_positions,
            );
            (sign * distance + span).clamp(0, 2 * span - 1)
        };
        // Distances are symmetric, so both directions reach the same rows.
        let (first, last) = (0..seq)
            .flat_map(|i| [row(1, i, 0), row(1, 0, i)])
            .fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)));
        let index = |sign: i64| {
            let values: Vec<i64> = (0..seq * seq)
                .map(|at| row(sign, at / seq, at % seq) - first)
                .collect();
            Tensor::<2, Int>::from_data(TensorData::new(values, [seq, seq]), device)
        };
        let rows = (last - first + 1) as usize;
        let table = self.table.weight.val().narrow(0, first as usize, rows);
        let table = match &self.norm {
            Some(norm) => norm.forward(table),
            None => table,
        };
        RelativeContext {
            table,
            to_key: index(1),
            from_key: index(-1),
            settings: s,
        }
    }
}

/// DeBERTa's relative terms for one layer: the pass's table context and that layer's projections
/// of it — the score terms its attention adds.
pub struct Relative<'a> {
    pub context: &'a RelativeContext,
    /// Projects the table for c2p (the key projection itself when keys are shared).
    pub key_projection: &'a Linear,
    /// Projects the table for p2c (the query projection itself when keys are shared).
    pub query_projection: &'a Linear,
    pub dropout: &'a Dropout,
}

impl ScoreTerms for Relative<'_> {
    fn scale_factor(&self) -> f64 {
        self.context.settings.scale_factor() as f64
    }

    /// The c2p and p2c terms `[batch, heads, seq, seq]` (not yet scaled); the table is projected
    /// by `key_projection` (c2p) and `query_projection` (p2c), after `dropout`.
    fn scores(&self, query: &Tensor<4>, key: &Tensor<4>, num_heads: usize) -> Option<Tensor<4>> {
        let (context, key_projection, query_projection) =
            (self.context, self.key_projection, self.query_projection);
        let [batch, heads, seq, head_dim] = query.dims();
        let table = self
            .dropout
            .forward(context.table.clone())
            .unsqueeze_dim::<3>(0);
        let rows = table.dims()[1];
        let project = |projection: &Linear| {
            split_heads(linear(projection, table.clone()), num_heads)
                .expand([batch, heads, rows, head_dim])
        };
        let expand = |index: &Tensor<2, Int>| {
            index
                .clone()
                .reshape([1, 1, seq, seq])
                .expand([batch, heads, seq, seq])
        };
        let content_to_position = context.settings.content_to_position.then(|| {
            matmul(query.clone(), project(key_projection).swap_dims(2, 3))
                .gather(3, expand(&context.to_key))
        });
        let position_to_content = context.settings.position_to_content.then(|| {
            matmul(key.clone(), project(query_projection).swap_dims(2, 3))
                .gather(3, expand(&context.from_key))
                .swap_dims(2, 3)
        });
        sum_of(content_to_position, position_to_content)
    }
}

/// The relative position `distance` (query minus key) as DeBERTa indexes it: exact up to half
/// the bucket count, log-spaced beyond, up to `max_position`; exact everywhere without buckets.
pub fn bucket(distance: i64, buckets: usize, max_position: usize) -> i64 {
    if buckets == 0 {
        return distance;
    }
    let mid = (buckets / 2) as i64;
    let magnitude = if distance < mid && distance > -mid {
        mid - 1
    } else {
        distance.abs()
    };
    if magnitude <= mid {
        return distance;
    }
    let ratio = ((max_position as f64 - 1.0) / mid as f64) as f32;
    let log_position =
        ((magnitude as f32 / mid as f32).ln() / ratio.ln() * (mid - 1) as f32).ceil() + mid as f32;
    log_position as i64 * distance.signum()
}

#[cfg(test)]
mod tests {
    use super::bucket;

    #[test]
    fn near_distances_are_exact_and_far_ones_share_log_buckets() {
        // DeBERTa-v3: 256 buckets over 512 positions.
        for d in -128..=128 {
            assert_eq!(bucket(d, 256, 512), d);
        }
        assert_eq!(bucket(129, 256, 512), 129);
        assert_eq!(bucket(511, 256, 512), 255);
        assert_eq!(bucket(-511, 256, 512), -255);
        let far: Vec<i64> = (129..512).map(|d| bucket(d, 256, 512)).collect();
        assert!(far.windows(2).all(|w| w[0] <= w[1]), "monotone");
        assert_eq!(bucket(300, 0, 512), 300, "no buckets: exact");
    }
}
