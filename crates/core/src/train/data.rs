//! Text → training sequences: tokenize, cut into chunks that fit the model (leaving room for
//! [CLS] and [SEP]), hold out a slice for evaluation, and draw corrupted batches.

use crate::error::{ClozeError, Result};
use crate::masking::{MaskingConfig, Rng, corrupt};
use crate::tokenize::ClozeTokenizer;

use super::batch::TrainBatch;

/// Token sequences (with their special-token flags) split into training and held-out parts.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub train: Vec<Sequence>,
    pub held_out: Vec<Sequence>,
    pub token_count: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub ids: Vec<u32>,
    pub special: Vec<bool>,
}

impl Sequence {
    /// `inner` tokens between `cls` and `sep`, flagged so only the inner ones are ever masked.
    pub fn wrap(cls: u32, inner: &[u32], sep: u32) -> Self {
        let mut ids = Vec::with_capacity(inner.len() + 2);
        ids.push(cls);
        ids.extend_from_slice(inner);
        ids.push(sep);
        let mut special = vec![false; ids.len()];
        special[0] = true;
        special[ids.len() - 1] = true;
        Sequence { ids, special }
    }
}

/// A text's ordinary tokens, with the ids of the [CLS] and [SEP] the tokenizer put around them.
pub fn inner_tokens(tokenizer: &ClozeTokenizer, text: &str) -> Result<(u32, Vec<u32>, u32)> {
    let encoded = tokenizer.encode(text)?;
    let (cls, sep) = (encoded.input_ids[0], *encoded.input_ids.last().unwrap());
    let inner = encoded
        .input_ids
        .iter()
        .zip(&encoded.special)
        .filter(|(_, special)| !**special)
        .map(|(id, _)| *id)
        .collect();
    Ok((cls, inner, sep))
}

impl Corpus {
    /// Tokenizes `text` paragraph by paragraph into sequences of at most `seq_len` tokens; every
    /// `held_out_every`-th sequence is held out (none when the text yields fewer than two).
    pub fn from_text(
        tokenizer: &ClozeTokenizer,
        text: &str,
        seq_len: usize,
        held_out_every: usize,
    ) -> Result<Self> {
        if seq_len < 4 {
            return Err(ClozeError::Input(format!(
                "sequence length {seq_len} is too short: use at least 4 tokens"
            )));
        }
        let mut sequences = Vec::new();
        let mut token_count = 0;
        for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            // The [CLS]/[SEP] the tokenizer added are put back around each chunk.
            let (cls, inner, sep) = inner_tokens(tokenizer, paragraph)?;
            token_count += inner.len();
            for chunk in inner.chunks(seq_len - 2) {
                sequences.push(Sequence::wrap(cls, chunk, sep));
            }
        }
        if sequences.is_empty() {
            return Err(ClozeError::Input("the training text is empty".into()));
        }
        let (mut train, mut held_out) = (Vec::new(), Vec::new());
        for (index, sequence) in sequences.into_iter().enumerate() {
            if held_out_every > 0 && index % held_out_every == held_out_every - 1 {
                held_out.push(sequence);
            } else {
                train.push(sequence);
            }
        }
        if train.is_empty() {
            train = std::mem::take(&mut held_out);
        }
        Ok(Corpus {
            train,
            held_out,
            token_count,
        })
    }
}

/// Draws `batch_size` random training sequences and corrupts them.
pub fn draw_batch(
    sequences: &[Sequence],
    batch_size: usize,
    mask_id: u32,
    vocab_size: usize,
    never_random: &[u32],
    masking: MaskingConfig,
    rng: &mut Rng,
) -> TrainBatch {
    let mut batch = TrainBatch {
        input_ids: Vec::new(),
        positions: Vec::new(),
        labels: Vec::new(),
    };
    for _ in 0..batch_size {
        let sequence = &sequences[rng.below(sequences.len())];
        let masked = corrupt(
            &sequence.ids,
            &sequence.special,
            mask_id,
            vocab_size,
            never_random,
            masking,
            rng,
        );
        batch.input_ids.push(masked.input_ids);
        batch.positions.push(masked.positions);
        batch.labels.push(masked.labels);
    }
    batch
}
