//! BERT for masked language modelling: embeddings, a stack of post-norm encoder layers, the MLM
//! head. `visit_params` is the one table between our fields and the names `transformers` uses.

use burn::module::Module;
use burn::nn::{Dropout, DropoutConfig, LayerNorm, LayerNormConfig};
use burn::tensor::{Device, Int, Tensor};

use super::attention::{SelfAttention, SelfAttentionConfig};
use super::embeddings::{Embeddings, EmbeddingsConfig};
use super::feed_forward::{FeedForward, FeedForwardConfig};
use super::heads::{MlmHead, MlmHeadConfig};
use super::{EncoderInput, MaskedLmOutput};
use crate::config::BertConfig;
use crate::weights::bind::{Loader, ParamVisitor};

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

    fn visit_params<V: ParamVisitor>(&mut self, prefix: &str, visitor: &mut V) {
        visitor.linear(
            &format!("{prefix}.attention.self.query"),
            &mut self.attention.query,
        );
        visitor.linear(
            &format!("{prefix}.attention.self.key"),
            &mut self.attention.key,
        );
        visitor.linear(
            &format!("{prefix}.attention.self.value"),
            &mut self.attention.value,
        );
        visitor.linear(
            &format!("{prefix}.attention.output.dense"),
            &mut self.attention.output,
        );
        visitor.layer_norm(
            &format!("{prefix}.attention.output.LayerNorm"),
            &mut self.attention_norm,
        );
        visitor.linear(
            &format!("{prefix}.intermediate.dense"),
            &mut self.feed_forward.intermediate,
        );
        visitor.linear(
            &format!("{prefix}.output.dense"),
            &mut self.feed_forward.output,
        );
        visitor.layer_norm(&format!("{prefix}.output.LayerNorm"), &mut self.output_norm);
    }
}

/// `BertForMaskedLM`.
#[derive(Module, Debug)]
pub struct BertForMaskedLm {
    pub embeddings: Embeddings,
    pub layers: Vec<BertLayer>,
    pub head: MlmHead,
}

impl BertForMaskedLm {
    /// A model with freshly initialised weights (normal, `initializer_range`), lazily allocated.
    pub fn init(config: &BertConfig, device: &Device) -> Self {
        BertForMaskedLm {
            embeddings: EmbeddingsConfig::new(
                config.vocab_size,
                config.hidden_size,
                config.max_position_embeddings,
                config.type_vocab_size,
                config.layer_norm_eps,
                config.hidden_dropout_prob,
                config.initializer_range,
            )
            .init(device),
            layers: (0..config.num_hidden_layers)
                .map(|_| BertLayer::new(config, device))
                .collect(),
            head: MlmHeadConfig::new(
                config.hidden_size,
                config.vocab_size,
                config.hidden_act,
                config.layer_norm_eps,
                config.tie_word_embeddings,
                config.initializer_range,
            )
            .init(device),
        }
    }

    /// The model described by `config`, with every parameter taken from the checkpoint.
    pub fn load(config: &BertConfig, mut loader: Loader) -> crate::error::Result<Self> {
        let mut model = Self::init(config, &loader.device().clone());
        model.visit_params(&mut loader);
        if model.head.decoder.is_none() {
            // Tied: the decoder *is* the word-embedding table, whether or not the file repeats it.
            loader.discard("cls.predictions.decoder.weight");
        }
        loader.finish()?;
        Ok(model)
    }

    /// Every parameter under its Hugging Face `BertForMaskedLM` name.
    pub fn visit_params<V: ParamVisitor>(&mut self, visitor: &mut V) {
        let embeddings = &mut self.embeddings;
        visitor.embedding("bert.embeddings.word_embeddings", &mut embeddings.word);
        visitor.embedding(
            "bert.embeddings.position_embeddings",
            &mut embeddings.position,
        );
        visitor.embedding(
            "bert.embeddings.token_type_embeddings",
            &mut embeddings.token_type,
        );
        visitor.layer_norm("bert.embeddings.LayerNorm", &mut embeddings.norm);
        for (index, layer) in self.layers.iter_mut().enumerate() {
            layer.visit_params(&format!("bert.encoder.layer.{index}"), visitor);
        }
        let head = &mut self.head;
        visitor.linear("cls.predictions.transform.dense", &mut head.transform);
        visitor.layer_norm("cls.predictions.transform.LayerNorm", &mut head.norm);
        if let Some(decoder) = head.decoder.as_mut() {
            visitor.matrix(&["cls.predictions.decoder.weight"], decoder, true);
        }
        visitor.vector(
            &["cls.predictions.bias", "cls.predictions.decoder.bias"],
            &mut head.bias,
        );
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
        let mut attentions = Vec::new();
        for layer in &self.layers {
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
