//! Fill-mask: every mask in the text is predicted from one forward pass, as `transformers`'
//! fill-mask pipeline does — softmax over the vocabulary, top-k tokens with probabilities.

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor, TensorData, Transaction};
use serde::Serialize;

use crate::backend::BackendKind;
use crate::cloze_model::LoadedModel;
use crate::error::{ClozeError, Result};
use crate::model::network::MaskedLm;
use crate::model::{BLOCKED, EncoderInput, Keep};

#[derive(Debug, Clone, Copy)]
pub struct FillMaskOptions {
    pub top_k: usize,
    pub attentions: bool,
    /// Each mask's top-k from every hidden state too (`MaskPredictions::layers`).
    pub layers: bool,
}

impl Default for FillMaskOptions {
    fn default() -> Self {
        FillMaskOptions {
            top_k: 5,
            attentions: false,
            layers: false,
        }
    }
}

/// The result, field for field the CLI's `--json` and the browser's `fillMask` (camelCase, as
/// every result of the API).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct FillMaskResult {
    pub model_type: String,
    /// Where the pass ran: `"cpu"` or `"wgpu"` (WebGPU in the browser).
    #[cfg_attr(feature = "typescript", tsify(type = "\"cpu\" | \"wgpu\""))]
    pub backend: String,
    pub tokens: Vec<String>,
    pub input_ids: Vec<u32>,
    pub masks: Vec<MaskPredictions>,
    /// `[layer][head][row][col]`, only when asked for; in the browser with `attentions: "flat"`,
    /// one `Float32Array` in that order, shaped by `attentionShape`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(type = "number[][][][] | Float32Array"))]
    pub attentions: Option<Vec<Vec<Vec<Vec<f32>>>>>,
    /// `[layers, heads, tokens, tokens]` of flat attentions (the browser's `attentions: "flat"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attention_shape: Option<[usize; 4]>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct MaskPredictions {
    /// The mask's index in `tokens`.
    pub position: usize,
    /// Most probable first.
    pub predictions: Vec<Prediction>,
    /// How the guess formed, when asked: the MLM head applied to every hidden state — the first
    /// layer's input (`layer` 0), then each layer's output (the last is `predictions`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<LayerPredictions>>,
}

/// One hidden state's guesses at a mask.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct LayerPredictions {
    /// 0: the layers' input (the embeddings); `l`: the output of layer `l`.
    pub layer: usize,
    /// Most probable first.
    pub predictions: Vec<Prediction>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Prediction {
    pub token_id: u32,
    pub token: String,
    pub score: f32,
}

/// The raw numbers of one pass: the probability rows at the masks, and the attentions.
pub struct MaskedPass {
    pub mask_positions: Vec<usize>,
    /// One vocabulary-sized probability row per mask.
    pub probs: Vec<Vec<f32>>,
    /// `[layers, heads, seq, seq]` flattened, with its sequence length, when asked for.
    pub attentions: Option<Vec<f32>>,
    /// Per hidden state (the layers' input, then each layer's output), one probability row per
    /// mask, when asked for.
    pub layer_probs: Option<Vec<Vec<Vec<f32>>>>,
}

pub async fn fill_mask(
    model: &LoadedModel,
    text: &str,
    options: FillMaskOptions,
) -> Result<FillMaskResult> {
    let (mut output, flat) = fill_mask_flat(model, text, options).await?;
    let seq = output.tokens.len();
    output.attentions =
        flat.map(|flat| nest_attentions(&flat, model.config.num_attention_heads, seq));
    Ok(output)
}

/// Passes whose answers are thrown away, so that a GPU compiles its kernels while the model loads
/// rather than on the first answer: at the shortest length a GPU pass runs at and at 128 tokens
/// (burn picks other matrix-product kernels for longer inputs: on SwiftShader the first
/// 128-token pass after a 16-token one still compiled 8 pipelines). Other lengths reuse them, or
/// compile one or two (`bench/gpu_counts.mjs` counts them).
pub async fn warm_up(model: &LoadedModel) -> Result<()> {
    let limit = model.config.max_input_tokens();
    for tokens in [16, 128] {
        let tokens = tokens.min(limit);
        let ids = vec![model.tokenizer.mask_id; tokens];
        let types = vec![0; tokens];
        let sequence = Padded {
            input_ids: &ids,
            type_ids: &types,
            pad_to: gpu_bucket(tokens, limit),
            pad_id: model.config.pad_token_id as u32,
        };
        forward_masked(
            &model.network,
            &model.device,
            sequence,
            vec![0],
            Keep::default(),
        )
        .await?;
    }
    Ok(())
}

/// `[layers, heads, seq, seq]` flattened → `[layer][head][from][to]`.
pub fn nest_attentions(flat: &[f32], heads: usize, seq: usize) -> Vec<Vec<Vec<Vec<f32>>>> {
    flat.chunks(heads * seq * seq)
        .map(|layer| {
            layer
                .chunks(seq * seq)
                .map(|head| head.chunks(seq).map(<[f32]>::to_vec).collect())
                .collect()
        })
        .collect()
}

/// [`fill_mask`] with the attentions left as they were read back: `[layers, heads, seq, seq]`
/// flattened (the output's own `attentions` stays `None`), for callers that hand them on whole.
pub async fn fill_mask_flat(
    model: &LoadedModel,
    text: &str,
    options: FillMaskOptions,
) -> Result<(FillMaskResult, Option<Vec<f32>>)> {
    if text.trim().is_empty() {
        return Err(ClozeError::Input(
            "the text is empty: type a sentence with a mask in it".into(),
        ));
    }
    let encoded = model.tokenizer.encode(text)?;
    let keep = Keep {
        attentions: options.attentions,
        layers: options.layers,
    };
    let pass = run_masked(model, &encoded.input_ids, &encoded.type_ids, keep).await?;
    let top_k = options.top_k.clamp(1, model.config.vocab_size);
    let ranked = |row: &[f32]| -> Vec<Prediction> {
        top_k_of(row, top_k)
            .into_iter()
            .map(|(id, score)| Prediction {
                token_id: id,
                token: model.tokenizer.id_to_token(id),
                score,
            })
            .collect()
    };
    let masks = pass
        .mask_positions
        .iter()
        .zip(&pass.probs)
        .enumerate()
        .map(|(m, (&position, row))| MaskPredictions {
            position,
            predictions: ranked(row),
            layers: pass.layer_probs.as_ref().map(|states| {
                states
                    .iter()
                    .enumerate()
                    .map(|(layer, rows)| LayerPredictions {
                        layer,
                        predictions: ranked(&rows[m]),
                    })
                    .collect()
            }),
        })
        .collect();
    let output = FillMaskResult {
        model_type: model.config.model_type.clone(),
        backend: model.backend.name().to_string(),
        tokens: encoded.tokens,
        input_ids: encoded.input_ids,
        masks,
        attentions: None,
        attention_shape: None,
    };
    Ok((output, pass.attentions))
}

/// Checks the input, runs one forward pass and reads back the mask rows (and what `keep` asks).
pub async fn run_masked(
    model: &LoadedModel,
    input_ids: &[u32],
    type_ids: &[u32],
    keep: Keep,
) -> Result<MaskedPass> {
    let mask_id = model.tokenizer.mask_id;
    let mask_positions: Vec<usize> = input_ids
        .iter()
        .enumerate()
        .filter(|(_, id)| **id == mask_id)
        .map(|(i, _)| i)
        .collect();
    if mask_positions.is_empty() {
        return Err(ClozeError::Input(format!(
            "there is no {} in the text: put {} where a word should be guessed",
            model.tokenizer.mask_token, model.tokenizer.mask_token
        )));
    }
    let limit = model.config.max_input_tokens();
    if input_ids.len() > limit {
        return Err(ClozeError::Input(format!(
            "the text is {} tokens long, {} more than this model's limit of {limit}: shorten it",
            input_ids.len(),
            input_ids.len() - limit
        )));
    }
    if let Some(bad) = type_ids
        .iter()
        // A family without token types (DistilBERT) ignores them.
        .find(|&&t| model.config.type_vocab_size > 0 && t as usize >= model.config.type_vocab_size)
    {
        return Err(ClozeError::Input(format!(
            "token type {bad} is beyond this model's type_vocab_size {}",
            model.config.type_vocab_size
        )));
    }

    let pad_to = match model.backend {
        BackendKind::Wgpu => gpu_bucket(input_ids.len(), limit),
        BackendKind::Cpu => input_ids.len(),
    };
    forward_masked(
        &model.network,
        &model.device,
        Padded {
            input_ids,
            type_ids,
            pad_to,
            pad_id: model.config.pad_token_id as u32,
        },
        mask_positions,
        keep,
    )
    .await
}

/// The length a GPU pass runs at: the next power of two from 16 (at most the model's limit). A
/// GPU compiles its kernels for the shapes it meets — on SwiftShader a new length cost 1–11
/// pipelines, up to 7 s (`bench/gpu_counts.mjs`) — so sentences share a handful of lengths, and
/// the padding is masked out of every score (its keys get [`BLOCKED`]).
pub fn gpu_bucket(tokens: usize, limit: usize) -> usize {
    tokens.next_power_of_two().max(16).min(limit).max(tokens)
}

/// One sequence, and the length to pad it to with `pad_id` (the padding is never looked at).
pub struct Padded<'a> {
    pub input_ids: &'a [u32],
    pub type_ids: &'a [u32],
    pub pad_to: usize,
    pub pad_id: u32,
}

impl<'a> Padded<'a> {
    /// The sequence as it is.
    pub fn none(input_ids: &'a [u32], type_ids: &'a [u32]) -> Self {
        Padded {
            input_ids,
            type_ids,
            pad_to: input_ids.len(),
            pad_id: 0,
        }
    }
}

/// One forward pass of `network` over one sequence, reading back the probability rows at
/// `mask_positions` and, on request, every attention map and every hidden state's rows — in a
/// single asynchronous read. The padding, if any, is cut from the attention maps before they are
/// read.
pub async fn forward_masked(
    network: &MaskedLm,
    device: &Device,
    sequence: Padded<'_>,
    mask_positions: Vec<usize>,
    keep: Keep,
) -> Result<MaskedPass> {
    let seq = sequence.input_ids.len();
    let padded = sequence.pad_to.max(seq);
    let ids = |values: &[u32], fill: u32| {
        let values = values.iter().copied().chain(std::iter::repeat(fill));
        let data = TensorData::new(
            values.take(padded).map(i64::from).collect::<Vec<_>>(),
            [1, padded],
        );
        Tensor::<2, Int>::from_data(data, device)
    };
    let key_bias = (padded > seq).then(|| {
        let bias = (0..padded).map(|i| if i < seq { 0.0 } else { BLOCKED });
        Tensor::<2>::from_data(
            TensorData::new(bias.collect::<Vec<f32>>(), [1, padded]),
            device,
        )
    });
    let input = EncoderInput {
        input_ids: ids(sequence.input_ids, sequence.pad_id),
        token_type_ids: ids(sequence.type_ids, 0),
        key_bias,
    };
    let rows = TensorData::new(
        mask_positions.iter().map(|&p| p as i64).collect::<Vec<_>>(),
        [mask_positions.len()],
    );
    let output = network.forward(input, Tensor::<1, Int>::from_data(rows, device), keep);
    let vocab = output.logits.dims()[1];
    let probs = softmax(output.logits, 1);

    let mut transaction = Transaction::default().register(probs);
    if keep.layers {
        // Every hidden state's rows in one tensor: `[states · masks, vocab]`.
        transaction = transaction.register(softmax(Tensor::cat(output.layer_logits, 0), 1));
    }
    if keep.attentions {
        let maps = Tensor::cat(output.attentions, 0);
        let maps = if padded > seq {
            let [layers, heads, _, _] = maps.dims();
            maps.slice([0..layers, 0..heads, 0..seq, 0..seq])
        } else {
            maps
        };
        transaction = transaction.register(maps);
    }
    let mut data = transaction
        .execute_async()
        .await
        .map_err(|e| ClozeError::Backend(format!("reading the results back failed ({e:?})")))?
        .into_iter();
    let probs_flat = to_f32(data.next())?;
    let layer_probs = if keep.layers {
        let rows: Vec<Vec<f32>> = to_f32(data.next())?
            .chunks(vocab)
            .map(<[f32]>::to_vec)
            .collect();
        // `[states · masks]` rows, hidden state by hidden state.
        Some(
            rows.chunks(mask_positions.len().max(1))
                .map(<[Vec<f32>]>::to_vec)
                .collect(),
        )
    } else {
        None
    };
    let attentions = if keep.attentions {
        Some(to_f32(data.next())?)
    } else {
        None
    };
    Ok(MaskedPass {
        mask_positions,
        probs: probs_flat.chunks(vocab).map(<[f32]>::to_vec).collect(),
        attentions,
        layer_probs,
    })
}

fn to_f32(data: Option<TensorData>) -> Result<Vec<f32>> {
    data.ok_or_else(|| ClozeError::Backend("a result was not read back".into()))?
        .try_into_vec::<f32>()
        .map_err(|e| ClozeError::Backend(format!("unexpected result type ({e:?})")))
}

/// The `k` largest entries, highest first; ties keep the lower id first.
pub fn top_k_of(row: &[f32], k: usize) -> Vec<(u32, f32)> {
    let mut indexed: Vec<(u32, f32)> = row
        .iter()
        .enumerate()
        .map(|(i, &p)| (i as u32, p))
        .collect();
    let k = k.min(indexed.len());
    let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if k < indexed.len() {
        indexed.select_nth_unstable_by(k, by_score);
        indexed.truncate(k);
    }
    indexed.sort_by(by_score);
    indexed
}

#[cfg(test)]
mod tests {
    use super::top_k_of;

    #[test]
    fn top_k_is_sorted_and_stable_on_ties() {
        let row = [0.1, 0.4, 0.05, 0.4, 0.05];
        assert_eq!(top_k_of(&row, 3), vec![(1, 0.4), (3, 0.4), (0, 0.1)]);
        assert_eq!(top_k_of(&row, 10).len(), 5);
    }
}
