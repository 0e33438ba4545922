//! Multi-head self-attention that hands back its probabilities, so the attention views come from
//! the very pass that made the predictions. [`attend`] is the part every family shares (ModernBERT
//! projects and rotates its queries and keys its own way, then calls it). What a family adds to
//! the scores comes in as an input — a per-key bias, and [`ScoreTerms`] computed from the
//! projected queries and keys (DeBERTa's relative positions, `relative.rs`) — as burn's
//! `MhaInput` takes its masks: this file knows no family.

use burn::config::Config;
use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::{Device, Tensor};

use super::{normal_linear, sum_of};
use crate::kernels::fused;
use crate::kernels::matmul::{linear, matmul};
use crate::kernels::softmax::softmax;

#[derive(Config, Debug)]
pub struct SelfAttentionConfig {
    pub hidden_size: usize,
    pub num_heads: usize,
    #[config(default = 0.0)]
    pub dropout: f64,
    #[config(default = true)]
    pub bias: bool,
    #[config(default = 0.02)]
    pub initializer_range: f64,
}

/// Query/key/value projections, scaled dot-product attention per head, output projection.
#[derive(Module, Debug)]
pub struct SelfAttention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    pub dropout: Dropout,
    pub num_heads: usize,
}

impl SelfAttentionConfig {
    pub fn init(&self, device: &Device) -> SelfAttention {
        let linear = || {
            normal_linear(
                self.hidden_size,
                self.hidden_size,
                self.bias,
                self.initializer_range,
                device,
            )
        };
        SelfAttention {
            query: linear(),
            key: linear(),
            value: linear(),
            output: linear(),
            dropout: DropoutConfig::new(self.dropout).init(),
            num_heads: self.num_heads,
        }
    }
}

/// Terms a family adds to every attention score, computed from the projected heads.
pub trait ScoreTerms {
    /// How many score terms share the softmax's scale: the scores are divided by
    /// `sqrt(head_dim · scale_factor)` (1 for plain attention).
    fn scale_factor(&self) -> f64;

    /// The extra terms `[batch, heads, query, key]`, not yet scaled, from `query` and `key`
    /// (`[batch, heads, seq, head_dim]`), or `None` if there are none.
    fn scores(&self, query: &Tensor<4>, key: &Tensor<4>, num_heads: usize) -> Option<Tensor<4>>;
}

impl SelfAttention {
    /// The heads' context merged, `[batch, seq, hidden]`, before the output projection (the
    /// caller adds it with the residual and norm), and the probabilities on request. `hidden`:
    /// `[batch, seq, hidden]`. `key_bias`: `[batch, seq]` additive scores per key (0 for real
    /// tokens, a large negative number for padding), or `None` when nothing is padded. `extra`:
    /// terms added to the scores under one shared scale. Without extra terms, on the GPU, one kernel after the
    /// projections (`kernels/fused.rs`).
    pub fn context(
        &self,
        hidden: Tensor<3>,
        key_bias: Option<Tensor<2>>,
        extra: Option<&dyn ScoreTerms>,
        keep_probs: bool,
    ) -> (Tensor<3>, Option<Tensor<4>>) {
        if extra.is_none()
            && let Some(fused) = fused::project_and_attend(
                [&self.query, &self.key, &self.value],
                &hidden,
                key_bias.as_ref(),
                self.num_heads,
                keep_probs,
            )
        {
            return fused;
        }
        let heads = |x: Tensor<3>| split_heads(x, self.num_heads);
        let mut query = heads(linear(&self.query, hidden.clone()));
        let key = heads(linear(&self.key, hidden.clone()));
        let value = heads(linear(&self.value, hidden));
        let mut bias = key_bias.map(per_key);
        if let Some(extra) = extra {
            // Every term is divided by sqrt(head_dim · terms): the query carries the extra factor
            // into `attend`, the extra terms are divided here.
            let factor = extra.scale_factor();
            let head_dim = query.dims()[3] as f64;
            let terms = extra.scores(&query, &key, self.num_heads);
            bias = sum_of(
                bias,
                terms.map(|terms| terms.div_scalar((head_dim * factor).sqrt())),
            );
            query = query.div_scalar(factor.sqrt());
        }
        attend(query, key, value, bias, &self.dropout, keep_probs)
    }
}

/// `[batch, seq, heads·head_dim]` → `[batch, heads, seq, head_dim]`.
pub fn split_heads(x: Tensor<3>, num_heads: usize) -> Tensor<4> {
    let [batch, seq, width] = x.dims();
    x.reshape([batch, seq, num_heads, width / num_heads])
        .swap_dims(1, 2)
}

/// A per-key bias `[batch, seq]` shaped to add to scores `[batch, heads, query, key]`.
pub fn per_key(bias: Tensor<2>) -> Tensor<4> {
    let [batch, seq] = bias.dims();
    bias.reshape([batch, 1, 1, seq])
}

/// Scaled dot-product attention over heads. `query`, `key`, `value`: `[batch, heads, seq,
/// head_dim]`; `bias` is added to the scores (broadcast to `[batch, heads, query, key]`). Returns
/// the context with the heads merged, `[batch, seq, heads·head_dim]`, and the probabilities on
/// request. With a per-key bias (or none), on the GPU, one kernel (`kernels/fused.rs`).
pub fn attend(
    query: Tensor<4>,
    key: Tensor<4>,
    value: Tensor<4>,
    bias: Option<Tensor<4>>,
    dropout: &Dropout,
    keep_probs: bool,
) -> (Tensor<3>, Option<Tensor<4>>) {
    if let Some(fused) = fused::attend(&query, &key, &value, bias.as_ref(), keep_probs) {
        return fused;
    }
    let [batch, heads, seq, head_dim] = query.dims();
    // On the CPU in the browser's threaded build, for inference, with nothing added to the scores
    // and no probabilities asked for: burn-flex's attention, every head's scores, softmax and
    // context in one operation, the heads shared among the threads (burn's separate softmax
    // passes ran on one). On one thread its scalar `exp` made it no faster (bert-base/512 in the
    // browser), and natively it was slower than burn's operations (bert-base/16: 69 against 53 ms).
    if cfg!(target_family = "wasm")
        && rayon::current_num_threads() > 1
        && !keep_probs
        && bias.is_none()
        && cpu_inference(&query)
    {
        let context =
            burn::tensor::module::attention(query, key, value, None, None, Default::default());
        let context = context
            .swap_dims(1, 2)
            .reshape([batch, seq, heads * head_dim]);
        return (context, None);
    }
    let mut scores = matmul(query, key.swap_dims(2, 3)).div_scalar((head_dim as f64).sqrt());
    if let Some(bias) = bias {
        scores = scores + bias;
    }
    // While training on the CPU, one tracked operation (`kernels/softmax.rs`).
    let probs = softmax(scores, 3);
    let context = matmul(dropout.forward(probs.clone()), value);
    let context = context
        .swap_dims(1, 2)
        .reshape([batch, seq, heads * head_dim]);
    (context, keep_probs.then_some(probs))
}

/// Whether `tensor` is a plain CPU tensor (burn-flex, not tracked for gradients).
fn cpu_inference(tensor: &Tensor<4>) -> bool {
    tensor
        .clone()
        .try_into_primitive::<burn::backend::Flex>()
        .is_ok()
}
