//! ModernBERT for masked language modelling: word embeddings and a norm (no positions: queries and
//! keys are rotated instead, `rotary.rs`), pre-norm layers (the first without an attention norm)
//! with fused query/key/value, GeGLU feed-forward, and attention that alternates between global
//! and a sliding local window; a final norm; the head. Biases and norm biases as the config says
//! (the released models keep only the decoder's). `visit_params` names every weight as
//! `transformers` does.

use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, LayerNorm, LayerNormConfig, Linear};
use burn::tensor::{Device, Int, Tensor, TensorData};

use super::attention::{attend, per_key, split_heads};
use super::feed_forward::{FeedForwardConfig, GatedFeedForward};
use super::heads::{MlmHead, MlmHeadConfig};
use super::params::ParamVisitor;
use super::plan::LoadPlan;
use super::rotary::RotaryTables;
use super::word_table::WordTable;
use super::{BLOCKED, EncoderInput, Keep, MaskedLmOutput, at_rows, normal, normal_linear, sum_of};
use crate::config::{BertConfig, ModernBertSettings};
use crate::kernels::matmul::linear;

/// One pre-norm layer: `x + attention(norm(x))`, then `x + mlp(norm(x))`.
#[derive(Module, Debug)]
pub struct ModernBertLayer {
    /// `None` in the first layer, whose input the embedding norm has just normalised.
    pub attention_norm: Option<LayerNorm>,
    /// Query, key and value in one projection, in that order.
    pub qkv: Linear,
    pub attention_output: Linear,
    pub mlp_norm: LayerNorm,
    pub mlp: GatedFeedForward,
    pub attention_dropout: Dropout,
    pub num_heads: usize,
    /// Attends to every token (else only within the local window).
    #[module(skip)]
    pub global: bool,
}

impl ModernBertLayer {
    fn forward(
        &self,
        hidden: Tensor<3>,
        rotary: &RotaryTables,
        bias: Option<Tensor<4>>,
        keep_probs: bool,
    ) -> (Tensor<3>, Option<Tensor<4>>) {
        let normed = match &self.attention_norm {
            Some(norm) => norm.forward(hidden.clone()),
            None => hidden.clone(),
        };
        let mut qkv = linear(&self.qkv, normed).chunk(3, 2).into_iter();
        let mut next = || split_heads(qkv.next().expect("three chunks"), self.num_heads);
        let (query, key, value) = (next(), next(), next());
        let (context, probs) = attend(
            rotary.apply(query),
            rotary.apply(key),
            value,
            bias,
            &self.attention_dropout,
            keep_probs,
        );
        let attended = self
            .attention_dropout
            .forward(linear(&self.attention_output, context));
        let hidden = hidden + attended;
        let fed = self.mlp.forward(self.mlp_norm.forward(hidden.clone()));
        (hidden + fed, probs)
    }

    fn visit_params<V: ParamVisitor>(&mut self, prefix: &str, visitor: &mut V) {
        if let Some(norm) = self.attention_norm.as_mut() {
            visitor.layer_norm(&format!("{prefix}.attn_norm"), norm);
        }
        visitor.linear(&format!("{prefix}.attn.Wqkv"), &mut self.qkv);
        visitor.linear(&format!("{prefix}.attn.Wo"), &mut self.attention_output);
        visitor.layer_norm(&format!("{prefix}.mlp_norm"), &mut self.mlp_norm);
        visitor.linear(&format!("{prefix}.mlp.Wi"), &mut self.mlp.intermediate);
        visitor.linear(&format!("{prefix}.mlp.Wo"), &mut self.mlp.output);
    }
}

/// `ModernBertForMaskedLM`.
#[derive(Module, Debug)]
pub struct ModernBertForMaskedLm {
    pub word_embeddings: WordTable,
    pub embedding_norm: LayerNorm,
    pub embedding_dropout: Dropout,
    pub layers: Vec<ModernBertLayer>,
    pub final_norm: LayerNorm,
    pub head: MlmHead,
    #[module(skip)]
    pub global_rope_theta: f64,
    #[module(skip)]
    pub local_rope_theta: f64,
    /// How far either way a token sees in a local layer.
    #[module(skip)]
    pub half_window: usize,
}

/// The decoder weight's name: the word-embedding table unless the checkpoint unties them.
pub const DECODER_WEIGHT: &str = "decoder.weight";

impl ModernBertForMaskedLm {
    /// A model with freshly initialised weights (normal, `initializer_range`), lazily allocated.
    pub fn init(
        config: &BertConfig,
        settings: &ModernBertSettings,
        plan: &LoadPlan,
        device: &Device,
    ) -> Self {
        let std = config.initializer_range;
        let width = config.hidden_size;
        let norm = || {
            LayerNormConfig::new(width)
                .with_epsilon(config.layer_norm_eps)
                .with_bias(settings.norm_bias)
                .init(device)
        };
        let layers = settings
            .global_layers
            .iter()
            .enumerate()
            .map(|(index, &global)| ModernBertLayer {
                attention_norm: (index > 0).then(norm),
                qkv: normal_linear(width, 3 * width, settings.attention_bias, std, device),
                attention_output: normal_linear(width, width, settings.attention_bias, std, device),
                mlp_norm: norm(),
                mlp: FeedForwardConfig::new(width, config.intermediate_size, config.hidden_act)
                    .with_bias(settings.mlp_bias)
                    .with_dropout(config.hidden_dropout_prob)
                    .with_initializer_range(std)
                    .init_gated(device),
                attention_dropout: DropoutConfig::new(config.attention_probs_dropout_prob).init(),
                num_heads: config.num_attention_heads,
                global,
            })
            .collect();
        ModernBertForMaskedLm {
            word_embeddings: WordTable::new(
                config.vocab_size,
                width,
                plan.word_chunk_rows,
                &normal(std),
                device,
            ),
            embedding_norm: norm(),
            embedding_dropout: DropoutConfig::new(settings.embedding_dropout).init(),
            layers,
            final_norm: norm(),
            head: MlmHeadConfig::new(
                width,
                config.vocab_size,
                settings.classifier_activation,
                config.layer_norm_eps,
                config.tie_word_embeddings,
                config.initializer_range,
            )
            .with_transform_bias(settings.classifier_bias)
            .with_norm_bias(settings.norm_bias)
            .with_decoder_bias(settings.decoder_bias)
            .init(device),
            global_rope_theta: settings.global_rope_theta,
            local_rope_theta: settings.local_rope_theta,
            half_window: settings.half_window(),
        }
    }

    /// Every parameter under its Hugging Face name.
    pub fn visit_params<V: ParamVisitor>(&mut self, visitor: &mut V) {
        visitor.table(
            "model.embeddings.tok_embeddings.weight",
            &mut self.word_embeddings,
        );
        visitor.layer_norm("model.embeddings.norm", &mut self.embedding_norm);
        for (index, layer) in self.layers.iter_mut().enumerate() {
            layer.visit_params(&format!("model.layers.{index}"), visitor);
        }
        visitor.layer_norm("model.final_norm", &mut self.final_norm);
        let head = &mut self.head;
        visitor.linear("head.dense", &mut head.transform);
        visitor.layer_norm("head.norm", &mut head.norm);
        if let Some(decoder) = head.decoder.as_mut() {
            visitor.matrix(&[DECODER_WEIGHT], decoder, true);
        }
        if let Some(bias) = head.bias.as_mut() {
            visitor.vector(&["decoder.bias"], bias);
        }
    }

    /// Runs the encoder and the head at `predict_rows` (indices into the flattened `[batch·seq]`
    /// positions); attention probabilities of every layer (a local layer's are zero outside its
    /// window) and the head's logits from every hidden state — through the final norm, as the
    /// head always reads them — as `keep` asks.
    pub fn forward(
        &self,
        input: EncoderInput,
        predict_rows: Tensor<1, Int>,
        keep: Keep,
    ) -> MaskedLmOutput {
        let seq = input.input_ids.dims()[1];
        let device = input.input_ids.device();
        let embedded = self.word_embeddings.lookup(input.input_ids);
        let mut hidden = self
            .embedding_dropout
            .forward(self.embedding_norm.forward(embedded));
        let width = hidden.dims()[2];
        let head_dim = width / self.layers.first().map_or(1, |layer| layer.num_heads);
        let global_rotary = RotaryTables::new(self.global_rope_theta, head_dim, seq, &device);
        let local_rotary = RotaryTables::new(self.local_rope_theta, head_dim, seq, &device);
        let global_bias = input.key_bias.map(per_key);
        let local_bias = sum_of(
            global_bias.clone(),
            window_bias(seq, self.half_window, &device),
        );
        let head = |hidden: Tensor<3>| {
            let normed = self.final_norm.forward(hidden);
            self.head
                .forward(at_rows(normed, predict_rows.clone()), &self.word_embeddings)
        };
        let mut attentions = Vec::new();
        let mut layer_logits = Vec::new();
        for layer in &self.layers {
            if keep.layers {
                layer_logits.push(head(hidden.clone()));
            }
            let (rotary, bias) = if layer.global {
                (&global_rotary, global_bias.clone())
            } else {
                (&local_rotary, local_bias.clone())
            };
            let (next, probs) = layer.forward(hidden, rotary, bias, keep.attentions);
            hidden = next;
            attentions.extend(probs);
        }
        MaskedLmOutput::new(head(hidden), attentions, layer_logits, keep)
    }
}

/// `[1, 1, seq, seq]`: 0 where the key is at most `half_window` tokens from the query, blocked
/// elsewhere; `None` when every key is that close.
fn window_bias(seq: usize, half_window: usize, device: &Device) -> Option<Tensor<4>> {
    if seq <= half_window + 1 {
        return None;
    }
    let values: Vec<f32> = (0..seq * seq)
        .map(|i| {
            let (query, key) = (i / seq, i % seq);
            if query.abs_diff(key) <= half_window {
                0.0
            } else {
                BLOCKED
            }
        })
        .collect();
    Some(Tensor::from_data(
        TensorData::new(values, [1, 1, seq, seq]),
        device,
    ))
}
