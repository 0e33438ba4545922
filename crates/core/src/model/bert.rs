//! BERT for masked language modelling: embeddings, a stack of post-norm encoder layers, the MLM
//! head — and the families shaped like it, DeBERTa's relative attention included (its table is
//! shared by the layers, `relative.rs`). `visit_params` is the one table between our fields and
//! the names `transformers` uses.

use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear};
use burn::tensor::{Device, Int, Tensor};

use super::attention::{ScoreTerms, SelfAttention, SelfAttentionConfig};
use super::embeddings::{Embeddings, EmbeddingsConfig};
use super::feed_forward::{FeedForward, FeedForwardConfig};
use super::heads::{MlmHead, MlmHeadConfig};
use super::names::Names;
use super::params::ParamVisitor;
use super::plan::LoadPlan;
use super::relative::{Relative, RelativeContext, RelativePositions};
use super::{EncoderInput, Keep, MaskedLmOutput, at_rows, normal, normal_linear};
use crate::config::{BertConfig, DebertaSettings, Family};
use crate::kernels::fused;
use crate::kernels::matmul::linear;

/// One encoder layer: attention, add & norm, feed-forward, add & norm.
#[derive(Module, Debug)]
pub struct BertLayer {
    pub attention: SelfAttention,
    /// DeBERTa's own projections of the relative table, when keys are not shared.
    pub position_key: Option<Linear>,
    pub position_query: Option<Linear>,
    pub attention_norm: LayerNorm,
    pub feed_forward: FeedForward,
    pub output_norm: LayerNorm,
    pub dropout: Dropout,
    /// The norms' epsilon, for the fused add & norm kernel (burn's `LayerNorm` keeps its own private).
    #[module(skip)]
    pub layer_norm_eps: f64,
}

impl BertLayer {
    fn new(config: &BertConfig, device: &Device) -> Self {
        let norm = || {
            LayerNormConfig::new(config.hidden_size)
                .with_epsilon(config.layer_norm_eps)
                .init(device)
        };
        let own_projection = |needed: fn(&DebertaSettings) -> bool| {
            config
                .family
                .deberta()
                .filter(|s| s.relative_attention && !s.share_att_key && needed(s))
                .map(|_| {
                    normal_linear(
                        config.hidden_size,
                        config.hidden_size,
                        true,
                        config.initializer_range,
                        device,
                    )
                })
        };
        BertLayer {
            attention: SelfAttentionConfig::new(config.hidden_size, config.num_attention_heads)
                .with_dropout(config.attention_probs_dropout_prob)
                .with_initializer_range(config.initializer_range)
                .init(device),
            position_key: own_projection(|s| s.content_to_position),
            position_query: own_projection(|s| s.position_to_content),
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
            layer_norm_eps: config.layer_norm_eps,
        }
    }

    fn forward(
        &self,
        hidden: Tensor<3>,
        key_bias: Option<Tensor<2>>,
        relative: Option<&RelativeContext>,
        keep_probs: bool,
    ) -> (Tensor<3>, Option<Tensor<4>>) {
        let relative = relative.map(|context| Relative {
            context,
            // Shared keys: the content projections project the table too.
            key_projection: self.position_key.as_ref().unwrap_or(&self.attention.key),
            query_projection: self
                .position_query
                .as_ref()
                .unwrap_or(&self.attention.query),
            dropout: &self.dropout,
        });
        let (context, probs) = self.attention.context(
            hidden.clone(),
            key_bias,
            relative.as_ref().map(|r| r as &dyn ScoreTerms),
            keep_probs,
        );
        let hidden = self.add_norm(
            &self.attention.output,
            context,
            hidden,
            &self.attention_norm,
        );
        let activated = self.feed_forward.activated(hidden.clone());
        let hidden = self.add_norm(
            &self.feed_forward.output,
            activated,
            hidden,
            &self.output_norm,
        );
        (hidden, probs)
    }

    /// `norm(dropout(layer(input)) + residual)`: on the GPU the product, then the bias, the
    /// residual and the norm in one kernel (`kernels/fused.rs`).
    fn add_norm(
        &self,
        layer: &Linear,
        input: Tensor<3>,
        residual: Tensor<3>,
        norm: &LayerNorm,
    ) -> Tensor<3> {
        fused::linear_add_norm(layer, &input, &residual, norm, self.layer_norm_eps)
            .unwrap_or_else(|| norm.forward(self.dropout.forward(linear(layer, input)) + residual))
    }

    fn visit_params<V: ParamVisitor>(&mut self, prefix: &str, names: &Names, visitor: &mut V) {
        let name = |part: &str| format!("{prefix}.{part}");
        visitor.linear(&name(names.query), &mut self.attention.query);
        visitor.linear(&name(names.key), &mut self.attention.key);
        visitor.linear(&name(names.value), &mut self.attention.value);
        if let Some(linear) = self.position_key.as_mut() {
            visitor.linear(&name(names.position_key), linear);
        }
        if let Some(linear) = self.position_query.as_mut() {
            visitor.linear(&name(names.position_query), linear);
        }
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

/// `BertForMaskedLM`, and the families shaped like it (`Family` in `config.rs`, `names.rs`).
#[derive(Module, Debug)]
pub struct BertForMaskedLm {
    pub embeddings: Embeddings,
    /// From the embedding width to the hidden width (ELECTRA when they differ, ALBERT always).
    pub projection: Option<Linear>,
    /// The distinct layers; `schedule` says which runs at each depth (ALBERT shares them).
    pub layers: Vec<BertLayer>,
    /// DeBERTa's relative-position table, shared by every layer.
    pub relative: Option<RelativePositions>,
    pub head: MlmHead,
    #[module(skip)]
    pub family: Family,
    #[module(skip)]
    pub schedule: Vec<usize>,
    #[module(skip)]
    pub inner_group_num: usize,
    /// DeBERTa's newer head names (`lm_predictions.lm_head`).
    #[module(skip)]
    pub lm_predictions_head: bool,
}

impl BertForMaskedLm {
    /// A model with freshly initialised weights (normal, `initializer_range`), lazily allocated.
    pub fn init(config: &BertConfig, plan: &LoadPlan, device: &Device) -> Self {
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
            .with_word_chunk_rows(plan.word_chunk_rows)
            .with_positions(
                config
                    .family
                    .deberta()
                    .is_none_or(|s| s.position_biased_input),
            )
            .with_projected_size(if config.projects_before_norm() {
                config.hidden_size
            } else {
                0
            })
            .init(device),
            projection: config.projects_embeddings().then(|| {
                normal_linear(
                    config.embedding_dim(),
                    config.hidden_size,
                    true,
                    config.initializer_range,
                    device,
                )
            }),
            layers: (0..config.distinct_layers())
                .map(|_| BertLayer::new(config, device))
                .collect(),
            relative: config
                .family
                .deberta()
                .filter(|s| s.relative_attention)
                .map(|settings| RelativePositions {
                    table: EmbeddingConfig::new(2 * settings.attention_span(), config.hidden_size)
                        .with_initializer(normal(config.initializer_range))
                        .init(device),
                    norm: settings.norm_relative_embeddings.then(|| {
                        LayerNormConfig::new(config.hidden_size)
                            .with_epsilon(config.layer_norm_eps)
                            .init(device)
                    }),
                    settings: *settings,
                }),
            lm_predictions_head: plan.lm_predictions_head,
            family: config.family.clone(),
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
        let names = self.names();
        let embeddings = &mut self.embeddings;
        let at = |part: &str| format!("{}.{part}", names.embeddings);
        visitor.table(
            &format!("{}.weight", at("word_embeddings")),
            &mut embeddings.word,
        );
        if let Some(position) = embeddings.position.as_mut() {
            visitor.embedding(&at("position_embeddings"), position);
        }
        if let Some(token_type) = embeddings.token_type.as_mut() {
            visitor.embedding(&at("token_type_embeddings"), token_type);
        }
        if let (Some(projection), Some(name)) = (embeddings.projection.as_mut(), names.projection) {
            visitor.linear(name, projection);
        }
        visitor.layer_norm(&at("LayerNorm"), &mut embeddings.norm);
        if let (Some(projection), Some(name)) = (self.projection.as_mut(), names.projection) {
            visitor.linear(name, projection);
        }
        if let Some(relative) = self.relative.as_mut() {
            let encoder = format!("{}encoder", self.family.base_prefix());
            visitor.embedding(&format!("{encoder}.rel_embeddings"), &mut relative.table);
            if let Some(norm) = relative.norm.as_mut() {
                visitor.layer_norm(&format!("{encoder}.LayerNorm"), norm);
            }
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

    /// The parameter names of this model's family (and head).
    pub fn names(&self) -> Names {
        let names = Names::of(&self.family);
        if self.lm_predictions_head {
            names.with_lm_predictions_head()
        } else {
            names
        }
    }

    /// Runs the encoder and the MLM head at `predict_rows` (indices into the flattened
    /// `[batch·seq]` positions); attention probabilities, and the head's logits from every
    /// hidden state, as `keep` asks.
    pub fn forward(
        &self,
        input: EncoderInput,
        predict_rows: Tensor<1, Int>,
        keep: Keep,
    ) -> MaskedLmOutput {
        let seq = input.input_ids.dims()[1];
        let mut hidden = self
            .embeddings
            .forward(input.input_ids, input.token_type_ids);
        if let Some(projection) = &self.projection {
            hidden = linear(projection, hidden);
        }
        let relative = self
            .relative
            .as_ref()
            .map(|relative| relative.context(seq, &hidden.device()));
        let head = |hidden: &Tensor<3>| {
            self.head.forward(
                at_rows(hidden.clone(), predict_rows.clone()),
                &self.embeddings.word,
            )
        };
        let mut attentions = Vec::new();
        let mut layer_logits = Vec::new();
        for &index in &self.schedule {
            if keep.layers {
                layer_logits.push(head(&hidden));
            }
            let layer = &self.layers[index];
            let (next, probs) = layer.forward(
                hidden,
                input.key_bias.clone(),
                relative.as_ref(),
                keep.attentions,
            );
            hidden = next;
            attentions.extend(probs);
        }
        MaskedLmOutput::new(head(&hidden), attentions, layer_logits, keep)
    }
}
