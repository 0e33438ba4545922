//! BERT for masked language modelling: embeddings, a stack of post-norm encoder layers, the MLM
//! head. `visit_params` is the one table between our fields and the names `transformers` uses.

use burn::module::Module;
use burn::nn::{
    Dropout, DropoutConfig, Initializer, LayerNorm, LayerNormConfig, Linear, LinearConfig,
};
use burn::tensor::{Device, Int, Tensor};

use super::attention::{SelfAttention, SelfAttentionConfig};
use super::embeddings::{Embeddings, EmbeddingsConfig};
use super::family::{Family, Names};
use super::feed_forward::{FeedForward, FeedForwardConfig};
use super::heads::{MlmHead, MlmHeadConfig};
use super::{EncoderInput, MaskedLmOutput};
use crate::config::BertConfig;
use crate::weights::bind::ParamVisitor;

/// One encoder layer: attention, add & norm, feed-forward, add & norm.
#[derive(Module, Debug)]
pub struct BertLayer {
    pub attention: SelfAttention,
    pub attention_norm: LayerNorm,
    pub feed_forward: FeedForward,
    pub output_norm: LayerNorm,
    pub dropout: Dropout,
}

impl BertLayer {
    fn new(config: &BertConfig, device: &Device) -> Self {
        let norm = || {
            LayerNormConfig::new(config.hidden_size)
                .with_epsilon(config.layer_norm_eps)
                .init(device)
        };
        BertLayer {
            attention: SelfAttentionConfig::new(config.hidden_size, config.num_attention_heads)
                .with_dropout(config.attention_probs_dropout_prob)
                .with_initializer_range(config.initializer_range)
                .init(device),
            attention_norm: norm(),
            feed_forward: FeedForwardConfig::new(
                config.hidden_size,
                config.intermediate_size,
                config.hidden_act,
            )
            .with_initializer_range(config.initializer_range)
            .init(device),
            output_norm: norm(),
            dropout: DropoutConfig::new(config.hidden_dropout_prob).init(),
        }
    }

    fn forward(
        &self,
        hidden: Tensor<3>,
        key_bias: Option<Tensor<2>>,
        keep_probs: bool,
    ) -> (Tensor<3>, Option<Tensor<4>>) {
        let attention = self.attention.forward(hidden.clone(), key_bias, keep_probs);
        let hidden = self
            .attention_norm
            .forward(self.dropout.forward(attention.hidden) + hidden);
        let fed = self.feed_forward.forward(hidden.clone());
        (
            self.output_norm.forward(self.dropout.forward(fed) + hidden),
            attention.probs,
        )
    }

    fn visit_params<V: ParamVisitor>(&mut self, prefix: &str, names: &Names, visitor: &mut V) {
        let name = |part: &str| format!("{prefix}.{part}");
        visitor.linear(&name(names.query), &mut self.attention.query);
        visitor.linear(&name(names.key), &mut self.attention.key);
        visitor.linear(&name(names.value), &mut self.attention.value);
        visitor.linear(&name(names.attention_output), &mut self.attention.output);
        visitor.layer_norm(&name(names.attention_norm), &mut self.attention_norm);
        visitor.linear(
            &name(names.intermediate),
            &mut self.feed_forward.intermediate,
        );
        visitor.linear(&name(names.output), &mut self.feed_forward.output);
        visitor.layer_norm(&name(names.output_norm), &mut self.output_norm);
    }
}

/// `BertForMaskedLM`, and the families shaped like it (`family.rs`).
#[derive(Module, Debug)]
pub struct BertForMaskedLm {
    pub embeddings: Embeddings,
    /// From the embedding width to the hidden width (ELECTRA when they differ, ALBERT always).
    pub projection: Option<Linear>,
    /// The distinct layers; `schedule` says which runs at each depth (ALBERT shares them).
    pub layers: Vec<BertLayer>,
    pub head: MlmHead,
    #[module(skip)]
    pub family: Family,
    #[module(skip)]
    pub schedule: Vec<usize>,
    #[module(skip)]
    pub inner_group_num: usize,
}

impl BertForMaskedLm {
    /// A model with freshly initialised weights (normal, `initializer_range`), lazily allocated.
    pub fn init(config: &BertConfig, device: &Device) -> Self {
        BertForMaskedLm {
            embeddings: EmbeddingsConfig::new(
                config.vocab_size,
                config.embedding_dim(),
                config.max_position_embeddings,
                config.type_vocab_size,
                config.layer_norm_eps,
                config.hidden_dropout_prob,
                config.initializer_range,
            )
            .with_position_offset(config.position_offset())
            .init(device),
            projection: config.projects_embeddings().then(|| {
                LinearConfig::new(config.embedding_dim(), config.hidden_size)
                    .with_initializer(Initializer::Normal {
                        mean: 0.0,
                        std: config.initializer_range,
                    })
                    .init(device)
            }),
            layers: (0..config.distinct_layers())
                .map(|_| BertLayer::new(config, device))
                .collect(),
            family: config.family,
            schedule: config.layer_schedule(),
            inner_group_num: config.inner_groups(),
            head: MlmHeadConfig::new(
                config.hidden_size,
                config.vocab_size,
                config.head_activation(),
                config.layer_norm_eps,
                config.tie_word_embeddings,
                config.initializer_range,
            )
            .with_output_size(config.embedding_dim())
            .init(device),
        }
    }

    /// Every parameter under its Hugging Face name in this model's family.
    pub fn visit_params<V: ParamVisitor>(&mut self, visitor: &mut V) {
        let names = self.family.names();
        let embeddings = &mut self.embeddings;
        let at = |part: &str| format!("{}.{part}", names.embeddings);
        visitor.embedding(&at("word_embeddings"), &mut embeddings.word);
        visitor.embedding(&at("position_embeddings"), &mut embeddings.position);
        if let Some(token_type) = embeddings.token_type.as_mut() {
            visitor.embedding(&at("token_type_embeddings"), token_type);
        }
        visitor.layer_norm(&at("LayerNorm"), &mut embeddings.norm);
        if let (Some(projection), Some(name)) = (self.projection.as_mut(), names.projection) {
            visitor.linear(name, projection);
        }
        for (index, layer) in self.layers.iter_mut().enumerate() {
            layer.visit_params(&names.layer(index, self.inner_group_num), &names, visitor);
        }
        let head = &mut self.head;
        visitor.linear(names.head_transform, &mut head.transform);
        visitor.layer_norm(names.head_norm, &mut head.norm);
        let decoder_weight = format!("{}.weight", names.decoder);
        if let Some(decoder) = head.decoder.as_mut() {
            visitor.matrix(&[&decoder_weight], decoder, true);
        }
        let decoder_bias = format!("{}.bias", names.decoder);
        if let Some(bias) = head.bias.as_mut() {
            visitor.vector(&[names.head_bias, &decoder_bias], bias);
        }
    }

    /// Runs the encoder and the MLM head at `predict_rows` (indices into the flattened
    /// `[batch·seq]` positions); attention probabilities of every layer on request.
    pub fn forward(
        &self,
        input: EncoderInput,
        predict_rows: Tensor<1, Int>,
        keep_attentions: bool,
    ) -> MaskedLmOutput {
        let [batch, seq] = input.input_ids.dims();
        let mut hidden = self
            .embeddings
            .forward(input.input_ids, input.token_type_ids);
        if let Some(projection) = &self.projection {
            hidden = projection.forward(hidden);
        }
        let mut attentions = Vec::new();
        for &index in &self.schedule {
            let layer = &self.layers[index];
            let (next, probs) = layer.forward(hidden, input.key_bias.clone(), keep_attentions);
            hidden = next;
            attentions.extend(probs);
        }
        let width = hidden.dims()[2];
        let rows = hidden.reshape([batch * seq, width]).select(0, predict_rows);
        let logits = self.head.forward(rows, self.embeddings.word.weight.val());
        MaskedLmOutput { logits, attentions }
    }
}
