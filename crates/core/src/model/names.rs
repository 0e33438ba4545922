//! Where each BERT-shaped family keeps its parameters: the Hugging Face names, as a table that
//! reads like them (DistilBERT's `q_lin`, ALBERT's grouped layers, RoBERTa's `lm_head`, …).
//! `visit_params` in `bert.rs` asks this file for every name.

use crate::config::Family;

/// Where a family keeps each parameter: `embeddings` and `layer` are prefixes (see
/// [`Names::layer`]), the rest are the names under a layer or at the top.
pub struct Names {
    pub embeddings: String,
    layer: String,
    /// ALBERT: layers live in groups (`albert_layer_groups.{g}.albert_layers.{i}`).
    grouped_layers: bool,
    /// The Linear from the embedding width to the hidden width, where the family has one.
    pub projection: Option<&'static str>,
    pub query: &'static str,
    pub key: &'static str,
    pub value: &'static str,
    /// DeBERTa's own projections of the relative table (when keys are not shared).
    pub position_key: &'static str,
    pub position_query: &'static str,
    pub attention_output: &'static str,
    pub attention_norm: &'static str,
    pub intermediate: &'static str,
    pub output: &'static str,
    pub output_norm: &'static str,
    pub head_transform: &'static str,
    pub head_norm: &'static str,
    /// The decoder `Linear` (its `.weight` is the tied word-embedding table unless untied).
    pub decoder: &'static str,
    pub head_bias: &'static str,
}

impl Names {
    /// The parameter names of a BERT-shaped family (ModernBERT, which is not, gets BERT's table
    /// and never reads it: `modernbert.rs` names its own).
    pub fn of(family: &Family) -> Names {
        let base = family.base_prefix();
        let bert_layer = Names {
            embeddings: format!("{base}embeddings"),
            layer: format!("{base}encoder.layer"),
            grouped_layers: false,
            projection: None,
            query: "attention.self.query",
            key: "attention.self.key",
            value: "attention.self.value",
            position_key: "attention.self.pos_key_proj",
            position_query: "attention.self.pos_query_proj",
            attention_output: "attention.output.dense",
            attention_norm: "attention.output.LayerNorm",
            intermediate: "intermediate.dense",
            output: "output.dense",
            output_norm: "output.LayerNorm",
            head_transform: "cls.predictions.transform.dense",
            head_norm: "cls.predictions.transform.LayerNorm",
            decoder: "cls.predictions.decoder",
            head_bias: "cls.predictions.bias",
        };
        match family {
            Family::Bert | Family::ModernBert(_) => bert_layer,
            Family::DebertaV2(_) => Names {
                projection: Some("deberta.embeddings.embed_proj"),
                query: "attention.self.query_proj",
                key: "attention.self.key_proj",
                value: "attention.self.value_proj",
                ..bert_layer
            },
            Family::Roberta => Names {
                head_transform: "lm_head.dense",
                head_norm: "lm_head.layer_norm",
                decoder: "lm_head.decoder",
                head_bias: "lm_head.bias",
                ..bert_layer
            },
            Family::Electra => Names {
                projection: Some("electra.embeddings_project"),
                head_transform: "generator_predictions.dense",
                head_norm: "generator_predictions.LayerNorm",
                decoder: "generator_lm_head",
                // A plain Linear: its bias has no second name.
                head_bias: "generator_lm_head.bias",
                ..bert_layer
            },
            Family::Albert => Names {
                layer: format!("{base}encoder.albert_layer_groups"),
                grouped_layers: true,
                projection: Some("albert.encoder.embedding_hidden_mapping_in"),
                query: "attention.query",
                key: "attention.key",
                value: "attention.value",
                attention_output: "attention.dense",
                attention_norm: "attention.LayerNorm",
                intermediate: "ffn",
                output: "ffn_output",
                output_norm: "full_layer_layer_norm",
                head_transform: "predictions.dense",
                head_norm: "predictions.LayerNorm",
                decoder: "predictions.decoder",
                head_bias: "predictions.bias",
                ..bert_layer
            },
            Family::DistilBert => Names {
                layer: format!("{base}transformer.layer"),
                query: "attention.q_lin",
                key: "attention.k_lin",
                value: "attention.v_lin",
                attention_output: "attention.out_lin",
                attention_norm: "sa_layer_norm",
                intermediate: "ffn.lin1",
                output: "ffn.lin2",
                output_norm: "output_layer_norm",
                head_transform: "vocab_transform",
                head_norm: "vocab_layer_norm",
                decoder: "vocab_projector",
                head_bias: "vocab_projector.bias",
                ..bert_layer
            },
        }
    }

    /// DeBERTa's newer head (`legacy: false`): `lm_predictions.lm_head`, always tied.
    pub fn with_lm_predictions_head(self) -> Names {
        Names {
            head_transform: "lm_predictions.lm_head.dense",
            head_norm: "lm_predictions.lm_head.LayerNorm",
            decoder: "lm_predictions.lm_head.decoder",
            head_bias: "lm_predictions.lm_head.bias",
            ..self
        }
    }

    /// The prefix of distinct layer `index` (`inner`: layers per group, for ALBERT).
    pub fn layer(&self, index: usize, inner: usize) -> String {
        if self.grouped_layers {
            format!(
                "{}.{}.albert_layers.{}",
                self.layer,
                index / inner,
                index % inner
            )
        } else {
            format!("{}.{index}", self.layer)
        }
    }
}
