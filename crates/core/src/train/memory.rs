//! How much memory one training step needs, estimated before the first step runs, so a batch that
//! cannot fit is refused with both numbers instead of failing deep inside the backend (a WebGPU
//! buffer it cannot allocate, or the process killed for memory).

use crate::config::BertConfig;
use crate::error::{ClozeError, Result};

/// Bytes of the activations one training step keeps for its backward pass (f32), per token:
/// every layer's projections, normalisations and feed-forward, its attention scores over the
/// sequence for every head, and the logits of the masked rows. On the high side, within a small
/// factor; the weights, gradients and AdamW's moments come on top.
pub fn step_activation_bytes(
    config: &BertConfig,
    batch_size: usize,
    seq_len: usize,
    mask_rate: f64,
) -> u64 {
    let (hidden, inner) = (config.hidden_size as f64, config.intermediate_size as f64);
    let heads = config.num_attention_heads as f64;
    let per_layer = 14.0 * hidden + 3.0 * inner + 4.0 * heads * seq_len as f64;
    let per_token = config.num_hidden_layers as f64 * per_layer
        + 6.0 * hidden
        + 3.0 * mask_rate * config.vocab_size as f64;
    (4.0 * per_token * (batch_size * seq_len) as f64) as u64
}

/// The memory a training step may use here: half of what the process can have (2 GiB in a tab,
/// whose 4 GiB also hold the model, its gradients and AdamW's moments), the rest left to them.
pub fn step_memory_budget() -> (u64, &'static str) {
    let (available, place) = crate::memory::available();
    (available / 2, place)
}

/// Refuses a batch whose step would not fit, saying how large a batch would.
pub fn check_step_fits(
    config: &BertConfig,
    batch_size: usize,
    seq_len: usize,
    mask_rate: f64,
) -> Result<()> {
    let needed = step_activation_bytes(config, batch_size, seq_len, mask_rate);
    let (budget, place) = step_memory_budget();
    if needed <= budget {
        return Ok(());
    }
    let per_sequence = step_activation_bytes(config, 1, seq_len, mask_rate).max(1);
    let largest = (budget / per_sequence).max(1);
    Err(ClozeError::Input(format!(
        "a batch of {batch_size} sequences of {seq_len} tokens needs about {:.1} GB for one training step, more than the {:.1} GB {place} can give: use a batch size of at most {largest}",
        needed as f64 / 1e9,
        budget as f64 / 1e9
    )))
}
