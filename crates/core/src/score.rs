//! How natural a sentence is to the model: each word's pseudo-log-likelihood — the word, all its
//! pieces at once, replaced by masks and each piece's log-probability read from the rest of the
//! sentence — and the sentence's, their sum. One sequence per word, all run as one batch (in
//! chunks, so a long text does not ask for one enormous pass), and only the scored pieces'
//! log-probabilities read back. This is what `clozelab score`, the browser's `score` and the
//! page's surprise view show; comparing two sentences compares these sums.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor, TensorData, Transaction};
use serde::Serialize;

use crate::backend::BackendKind;
use crate::cloze_model::LoadedModel;
use crate::error::{ClozeError, Result};
use crate::fill_mask::gpu_bucket;
use crate::model::{BLOCKED, EncoderInput, Keep};

/// Sequences per forward pass: a sentence of up to this many words is one pass.
const BATCH: usize = 32;

/// The result, field for field the CLI's `score --json` and the browser's `score`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct ScoreResult {
    pub model_type: String,
    /// Where the passes ran: `"cpu"` or `"wgpu"`.
    #[cfg_attr(feature = "typescript", tsify(type = "\"cpu\" | \"wgpu\""))]
    pub backend: String,
    pub tokens: Vec<String>,
    pub words: Vec<WordScore>,
    /// The sentence's pseudo-log-likelihood: the sum of its words' (natural logarithms).
    pub total: f32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct WordScore {
    pub text: String,
    /// Character span in the text (UTF-16 units in the browser).
    pub chars: [usize; 2],
    /// Half-open range of its tokens.
    pub tokens: [usize; 2],
    /// `log P(word | the rest)`: the sum of its pieces' log-probabilities, all masked at once.
    pub log_prob: f32,
    /// Each piece's log-probability, in order.
    pub pieces: Vec<f32>,
}

impl ScoreResult {
    /// The same result with the words' character spans in UTF-16 units (the browser's).
    pub fn in_utf16_units(mut self, text: &str) -> ScoreResult {
        let unit = crate::tokenize::utf16_units(text);
        for word in &mut self.words {
            word.chars = [unit(word.chars[0]), unit(word.chars[1])];
        }
        self
    }
}

/// Scores every word of `text` (words that are a mask token are left out: there is nothing to
/// score).
pub async fn score(model: &LoadedModel, text: &str) -> Result<ScoreResult> {
    if text.trim().is_empty() {
        return Err(ClozeError::Input(
            "the text is empty: type a sentence to score".into(),
        ));
    }
    let encoded = model.tokenizer.encode(text)?;
    let limit = model.config.max_input_tokens();
    let seq = encoded.input_ids.len();
    if seq > limit {
        return Err(ClozeError::Input(format!(
            "the text is {seq} tokens long, {} more than this model's limit of {limit}: shorten it",
            seq - limit
        )));
    }
    let mask_id = model.tokenizer.mask_id;
    let words: Vec<_> = encoded
        .words
        .iter()
        .filter(|w| (w.tokens[0]..w.tokens[1]).any(|t| encoded.input_ids[t] != mask_id))
        .collect();
    if words.is_empty() {
        return Err(ClozeError::Input(
            "there is no word to score in the text".into(),
        ));
    }
    let pad_to = match model.backend {
        BackendKind::Wgpu => gpu_bucket(seq, limit),
        BackendKind::Cpu => seq,
    };
    let mut log_probs = Vec::new();
    for chunk in words.chunks(BATCH) {
        let ranges: Vec<[usize; 2]> = chunk.iter().map(|w| w.tokens).collect();
        log_probs.extend(
            masked_log_probs(
                model,
                &encoded.input_ids,
                &encoded.type_ids,
                &ranges,
                pad_to,
            )
            .await?,
        );
    }
    let mut next = log_probs.into_iter();
    let words: Vec<WordScore> = words
        .into_iter()
        .map(|w| {
            let pieces: Vec<f32> = next.by_ref().take(w.tokens[1] - w.tokens[0]).collect();
            WordScore {
                text: w.text.clone(),
                chars: w.chars,
                tokens: w.tokens,
                log_prob: pieces.iter().sum(),
                pieces,
            }
        })
        .collect();
    Ok(ScoreResult {
        model_type: model.config.model_type.clone(),
        backend: model.backend.name().to_string(),
        tokens: encoded.tokens,
        total: words.iter().map(|w| w.log_prob).sum(),
        words,
    })
}

/// One pass over a batch: sequence `b` is `input_ids` with the tokens of `ranges[b]` masked; the
/// answer is each masked token's log-probability of being itself, sequence by sequence.
async fn masked_log_probs(
    model: &LoadedModel,
    input_ids: &[u32],
    type_ids: &[u32],
    ranges: &[[usize; 2]],
    pad_to: usize,
) -> Result<Vec<f32>> {
    let (batch, seq) = (ranges.len(), input_ids.len());
    let padded = pad_to.max(seq);
    let pad_id = model.config.pad_token_id as u32;
    let mut ids = Vec::with_capacity(batch * padded);
    let mut types = Vec::with_capacity(batch * padded);
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for (b, &[start, end]) in ranges.iter().enumerate() {
        for t in 0..padded {
            let id = match t {
                t if t >= seq => pad_id,
                t if (start..end).contains(&t) => model.tokenizer.mask_id,
                t => input_ids[t],
            };
            ids.push(i64::from(id));
            types.push(i64::from(type_ids.get(t).copied().unwrap_or(0)));
        }
        for t in start..end {
            rows.push((b * padded + t) as i64);
            targets.push(i64::from(input_ids[t]));
        }
    }
    let device = &model.device;
    let int = |values: Vec<i64>, shape: [usize; 2]| {
        Tensor::<2, Int>::from_data(TensorData::new(values, shape), device)
    };
    let key_bias = (padded > seq).then(|| {
        let row = (0..padded).map(|i| if i < seq { 0.0 } else { BLOCKED });
        let bias: Vec<f32> = std::iter::repeat_n(row, batch).flatten().collect();
        Tensor::<2>::from_data(TensorData::new(bias, [batch, padded]), device)
    });
    let input = EncoderInput {
        input_ids: int(ids, [batch, padded]),
        token_type_ids: int(types, [batch, padded]),
        key_bias,
    };
    let count = rows.len();
    let rows = Tensor::<1, Int>::from_data(TensorData::new(rows, [count]), device);
    let logits = model.network.forward(input, rows, Keep::default()).logits;
    let chosen = log_softmax(logits, 1).gather(1, int(targets, [count, 1]));
    let data = Transaction::default()
        .register(chosen)
        .execute_async()
        .await
        .map_err(|e| ClozeError::Backend(format!("reading the scores back failed ({e:?})")))?;
    data.into_iter()
        .next()
        .ok_or_else(|| ClozeError::Backend("the scores were not read back".into()))?
        .try_into_vec::<f32>()
        .map_err(|e| ClozeError::Backend(format!("unexpected score type ({e:?})")))
}
