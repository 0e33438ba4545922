//! DistilBERT's `config.json` (its own field names: `dim`, `n_layers`, `n_heads`, `hidden_dim`,
//! `activation`, `dropout`, ...) read and translated into the `BertConfig` the network is built
//! from: no token types, LayerNorm epsilon 1e-12 throughout. `sinusoidal_pos_embds` needs nothing
//! here: the fixed table is saved in the checkpoint like a learned one.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Family;
use super::{
    Activation, BertConfig, check_activation, default_dropout, default_initializer_range,
    default_true, require_fields, typed,
};
use crate::error::Result;

/// Hugging Face [`DistilBertConfig`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/distilbert/configuration_distilbert.py), the fields that
/// shape the network, under its own names.
#[derive(Debug, Clone, Deserialize)]
struct DistilBertConfig {
    vocab_size: usize,
    dim: usize,
    n_layers: usize,
    n_heads: usize,
    hidden_dim: usize,
    max_position_embeddings: usize,
    #[serde(default = "default_activation")]
    activation: Activation,
    #[serde(default = "default_dropout")]
    dropout: f64,
    #[serde(default = "default_dropout")]
    attention_dropout: f64,
    #[serde(default = "default_initializer_range")]
    initializer_range: f64,
    #[serde(default)]
    pad_token_id: usize,
    #[serde(default = "default_true")]
    tie_word_embeddings: bool,
}

fn default_activation() -> Activation {
    Activation::Gelu
}

const REQUIRED: [&str; 6] = [
    "vocab_size",
    "dim",
    "n_layers",
    "n_heads",
    "hidden_dim",
    "max_position_embeddings",
];

pub(super) fn from_json(value: Value) -> Result<BertConfig> {
    let object = value.as_object().expect("checked by the caller");
    require_fields(object, &REQUIRED)?;
    check_activation(object, "activation")?;
    let d: DistilBertConfig = typed(value.clone())?;
    let config = BertConfig {
        model_type: "distilbert".into(),
        vocab_size: d.vocab_size,
        hidden_size: d.dim,
        num_hidden_layers: d.n_layers,
        num_attention_heads: d.n_heads,
        intermediate_size: d.hidden_dim,
        max_position_embeddings: d.max_position_embeddings,
        hidden_act: d.activation,
        type_vocab_size: 0,
        layer_norm_eps: 1e-12,
        hidden_dropout_prob: d.dropout,
        attention_probs_dropout_prob: d.attention_dropout,
        initializer_range: d.initializer_range,
        pad_token_id: d.pad_token_id,
        position_embedding_type: "absolute".into(),
        tie_word_embeddings: d.tie_word_embeddings,
        embedding_size: None,
        num_hidden_groups: None,
        inner_group_num: None,
        extra: Map::new(),
        family: Family::DistilBert,
    };
    config.validate()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"model_type": "distilbert", "vocab_size": 100, "dim": 32, "n_layers": 2,
        "n_heads": 4, "hidden_dim": 64, "max_position_embeddings": 64, "activation": "relu"}"#;

    #[test]
    fn distilbert_names_become_the_network_shape() {
        let config = BertConfig::from_json(MINIMAL).unwrap();
        assert_eq!(config.family, Family::DistilBert);
        assert_eq!(
            (
                config.hidden_size,
                config.num_hidden_layers,
                config.num_attention_heads
            ),
            (32, 2, 4)
        );
        assert_eq!((config.intermediate_size, config.type_vocab_size), (64, 0));
        assert_eq!(config.hidden_act, Activation::Relu);
    }

    #[test]
    fn missing_distilbert_fields_are_named_in_distilbert_terms() {
        let message = BertConfig::from_json(r#"{"model_type": "distilbert", "vocab_size": 10}"#)
            .unwrap_err()
            .to_string();
        for field in ["dim", "n_layers", "n_heads", "hidden_dim"] {
            assert!(message.contains(field), "{message}");
        }
    }
}
