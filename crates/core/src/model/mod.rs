//! The networks. Shared blocks (attention with probabilities out, embeddings, feed-forward, the
//! MLM head, rotary positions, the word table) live once; an architecture file composes them and names their
//! weights; `network.rs` is the one type the rest of clozelab runs.

pub mod activation;
pub mod attention;
pub mod bert;
pub mod embeddings;
pub mod feed_forward;
pub mod heads;
pub mod modernbert;
pub mod names;
pub mod network;
pub mod params;
pub mod plan;
pub mod relative;
pub mod rotary;
pub mod word_table;

use burn::nn::{Initializer, LayerNorm, Linear, LinearConfig};
use burn::tensor::{Device, Int, Tensor};

/// A batch of token sequences as the encoder takes them.
pub struct EncoderInput {
    /// `[batch, seq]`
    pub input_ids: Tensor<2, Int>,
    /// `[batch, seq]`
    pub token_type_ids: Tensor<2, Int>,
    /// `[batch, seq]`: 0 for tokens, a large negative number for padding; `None` if unpadded.
    pub key_bias: Option<Tensor<2>>,
}

/// What a forward pass keeps besides the logits at the requested rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Keep {
    /// Every layer's attention probabilities.
    pub attentions: bool,
    /// The MLM head's logits from every hidden state (the layers' input, then each layer's
    /// output) at the requested rows: how the guess forms layer by layer.
    pub layers: bool,
}

/// What a masked-LM forward pass returns.
pub struct MaskedLmOutput {
    /// `[rows, vocab]`: the logits at the requested positions only.
    pub logits: Tensor<2>,
    /// One `[batch, heads, seq, seq]` tensor per layer when asked for, else empty.
    pub attentions: Vec<Tensor<4>>,
    /// One `[rows, vocab]` per hidden state — the first layer's input, then every layer's output
    /// (the last is `logits`) — when asked for, else empty.
    pub layer_logits: Vec<Tensor<2>>,
}

impl MaskedLmOutput {
    /// The pass's output from the last hidden state's `logits`, which end `layer_logits` (the
    /// earlier hidden states') when `keep` asks for them.
    pub fn new(
        logits: Tensor<2>,
        attentions: Vec<Tensor<4>>,
        mut layer_logits: Vec<Tensor<2>>,
        keep: Keep,
    ) -> Self {
        if keep.layers {
            layer_logits.push(logits.clone());
        }
        MaskedLmOutput {
            logits,
            attentions,
            layer_logits,
        }
    }
}

/// `N(0, std)`: how `transformers` initialises weights (`initializer_range`).
pub fn normal(std: f64) -> Initializer {
    Initializer::Normal { mean: 0.0, std }
}

/// A Linear `from → to` initialised `N(0, std)`, with or without a bias.
pub fn normal_linear(from: usize, to: usize, bias: bool, std: f64, device: &Device) -> Linear {
    LinearConfig::new(from, to)
        .with_bias(bias)
        .with_initializer(normal(std))
        .init(device)
}

/// `norm(input)`, `eps` being the norm's epsilon (burn's `LayerNorm` keeps its own private): on
/// the GPU one kernel (`kernels/fused.rs`); elsewhere burn's operations.
pub fn normalize<const D: usize>(norm: &LayerNorm, eps: f64, input: Tensor<D>) -> Tensor<D> {
    crate::kernels::fused::norm(&input, norm, eps).unwrap_or_else(|| norm.forward(input))
}

/// The score added where a query must not look (padding, outside a local window): its
/// probability underflows to exactly zero.
pub const BLOCKED: f32 = -1e30;

/// Two optional tensors (score biases, partial lookups) together: their sum, either one, or none.
pub fn sum_of<const D: usize>(a: Option<Tensor<D>>, b: Option<Tensor<D>>) -> Option<Tensor<D>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// The hidden states `[batch, seq, width]` at `rows`, indices into the flattened `[batch·seq]`
/// positions: `[rows, width]`, all the head needs.
pub fn at_rows(hidden: Tensor<3>, rows: Tensor<1, Int>) -> Tensor<2> {
    let [batch, seq, width] = hidden.dims();
    hidden.reshape([batch * seq, width]).select(0, rows)
}
