//! DeBERTa-v2/v3's `config.json` (`model_type` "deberta-v2", both versions): BERT's field names
//! with DeBERTa's defaults, plus what shapes its disentangled attention, kept in
//! [`DebertaSettings`]. `transformers` reads several of these with `getattr` defaults
//! (`share_att_key`, `position_buckets`, `norm_rel_ebd`, `conv_kernel_size`, `embedding_size`);
//! the same defaults apply here.

use serde::Deserialize;
use serde_json::Value;

use super::Family;
use super::{BertConfig, check_activation, require_fields, typed};
use crate::error::{ClozeError, Result};

/// How a DeBERTa model attends by relative position, and which head it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DebertaSettings {
    /// Relative positions are added to attention at all (`relative_attention`).
    pub relative_attention: bool,
    /// Distances beyond which positions share log-spaced buckets (`position_buckets`; 0 = none).
    pub position_buckets: usize,
    /// The largest distance told apart (`max_relative_positions`, else `max_position_embeddings`).
    pub max_relative_positions: usize,
    /// Content-to-position (`c2p`) and position-to-content (`p2c`) terms (`pos_att_type`).
    pub content_to_position: bool,
    pub position_to_content: bool,
    /// The relative table is projected by the content query/key projections (`share_att_key`)
    /// rather than by its own `pos_key_proj` / `pos_query_proj`.
    pub share_att_key: bool,
    /// The relative table goes through a LayerNorm first (`norm_rel_ebd` "layer_norm").
    pub norm_relative_embeddings: bool,
    /// Absolute position embeddings are added to the input (`position_biased_input`).
    pub position_biased_input: bool,
    /// The head: `cls.predictions` (legacy, `transformers`' default) or `lm_predictions.lm_head`.
    pub legacy_head: bool,
}

impl DebertaSettings {
    /// Half the rows of the relative table: the bucket count, or the largest distance.
    pub fn attention_span(&self) -> usize {
        if self.position_buckets > 0 {
            self.position_buckets
        } else {
            self.max_relative_positions
        }
    }

    /// How many score terms share the softmax scale (content, plus c2p and p2c when on).
    pub fn scale_factor(&self) -> usize {
        1 + usize::from(self.relative_attention && self.content_to_position)
            + usize::from(self.relative_attention && self.position_to_content)
    }
}

/// [`DebertaV2Config`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/deberta_v2/configuration_deberta_v2.py)'s own fields (the BERT-named
/// ones are read by `BertConfig`).
#[derive(Debug, Clone, Deserialize)]
struct DebertaFields {
    #[serde(default)]
    relative_attention: bool,
    #[serde(default = "minus_one")]
    max_relative_positions: i64,
    #[serde(default = "minus_one")]
    position_buckets: i64,
    #[serde(default)]
    pos_att_type: Option<Value>,
    #[serde(default)]
    share_att_key: bool,
    #[serde(default)]
    norm_rel_ebd: Option<String>,
    #[serde(default = "yes")]
    position_biased_input: bool,
    #[serde(default = "yes")]
    legacy: bool,
    #[serde(default)]
    conv_kernel_size: usize,
    #[serde(default)]
    max_position_embeddings: Option<usize>,
}

fn minus_one() -> i64 {
    -1
}
fn yes() -> bool {
    true
}

const REQUIRED: [&str; 5] = [
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
];

pub(super) fn from_json(mut value: Value) -> Result<BertConfig> {
    let object = value.as_object_mut().expect("checked by the caller");
    require_fields(object, &REQUIRED)?;
    check_activation(object, "hidden_act")?;
    // DeBERTa's defaults where BERT's differ.
    for (field, default) in [
        ("type_vocab_size", Value::from(0)),
        ("layer_norm_eps", Value::from(1e-7)),
        ("max_position_embeddings", Value::from(512)),
    ] {
        object.entry(field).or_insert(default);
    }
    let fields: DebertaFields = typed(value.clone())?;
    if fields.conv_kernel_size > 0 {
        return Err(ClozeError::Config(format!(
            "conv_kernel_size {} (the convolution of DeBERTa-v2 xlarge and xxlarge) is not supported",
            fields.conv_kernel_size
        )));
    }
    let (content_to_position, position_to_content) = attention_terms(fields.pos_att_type.as_ref())?;
    let max_positions = fields.max_position_embeddings.unwrap_or(512);
    let settings = DebertaSettings {
        relative_attention: fields.relative_attention,
        position_buckets: fields.position_buckets.max(0) as usize,
        max_relative_positions: if fields.max_relative_positions < 1 {
            max_positions
        } else {
            fields.max_relative_positions as usize
        },
        content_to_position,
        position_to_content,
        share_att_key: fields.share_att_key,
        norm_relative_embeddings: fields.norm_rel_ebd.as_deref().is_some_and(|kinds| {
            kinds
                .to_lowercase()
                .split('|')
                .any(|k| k.trim() == "layer_norm")
        }),
        position_biased_input: fields.position_biased_input,
        legacy_head: fields.legacy,
    };
    let mut config: BertConfig = typed(value)?;
    config.family = Family::DebertaV2(settings);
    config.validate()?;
    if !settings.legacy_head && config.embedding_dim() != config.hidden_size {
        return Err(ClozeError::Config(format!(
            "legacy: false needs embedding_size ({}) equal to hidden_size ({}): its head multiplies by the word embeddings",
            config.embedding_dim(),
            config.hidden_size
        )));
    }
    Ok(config)
}

/// `pos_att_type`: a list (`["p2c", "c2p"]`) or a string (`"p2c|c2p"`); anything else is named.
fn attention_terms(value: Option<&Value>) -> Result<(bool, bool)> {
    let kinds: Vec<String> = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => text.split('|').map(|k| k.trim().to_lowercase()).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(|k| k.trim().to_lowercase()))
            .collect::<Option<_>>()
            .ok_or_else(|| ClozeError::Config("pos_att_type must list strings".into()))?,
        Some(other) => {
            return Err(ClozeError::Config(format!(
                "pos_att_type {other} is neither a list nor a string"
            )));
        }
    };
    for kind in &kinds {
        if kind != "c2p" && kind != "p2c" && !kind.is_empty() {
            return Err(ClozeError::Config(format!(
                "pos_att_type \"{kind}\" is not supported; supported: c2p, p2c"
            )));
        }
    }
    Ok((
        kinds.iter().any(|k| k == "c2p"),
        kinds.iter().any(|k| k == "p2c"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = r#"{"model_type": "deberta-v2", "vocab_size": 100, "hidden_size": 32,
        "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
        "relative_attention": true, "position_buckets": 256, "max_relative_positions": -1,
        "pos_att_type": "p2c|c2p", "share_att_key": true, "norm_rel_ebd": "layer_norm",
        "position_biased_input": false}"#;

    #[test]
    fn a_v3_config_reads_as_transformers_reads_it() {
        let config = BertConfig::from_json(V3).unwrap();
        assert!(matches!(config.family, Family::DebertaV2(_)));
        assert_eq!(
            (
                config.type_vocab_size,
                config.layer_norm_eps,
                config.max_position_embeddings
            ),
            (0, 1e-7, 512)
        );
        let s = *config.family.deberta().unwrap();
        assert!(s.content_to_position && s.position_to_content && s.share_att_key);
        assert!(s.norm_relative_embeddings && !s.position_biased_input && s.legacy_head);
        assert_eq!((s.attention_span(), s.max_relative_positions), (256, 512));
        assert_eq!(s.scale_factor(), 3);
    }

    #[test]
    fn older_defaults_and_list_spelling() {
        let config = BertConfig::from_json(
            r#"{"model_type": "deberta-v2", "vocab_size": 100, "hidden_size": 32,
            "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
            "relative_attention": true, "max_relative_positions": 16, "pos_att_type": ["c2p"]}"#,
        )
        .unwrap();
        let s = *config.family.deberta().unwrap();
        assert!(s.content_to_position && !s.position_to_content && !s.share_att_key);
        assert!(s.position_biased_input && !s.norm_relative_embeddings);
        assert_eq!((s.attention_span(), s.scale_factor()), (16, 2));
    }

    #[test]
    fn what_cannot_run_is_named() {
        for (text, expected) in [
            (
                V3.replace("{", r#"{"conv_kernel_size": 3, "#),
                "conv_kernel_size",
            ),
            (V3.replace("p2c|c2p", "p2p"), "p2p"),
            (
                V3.replace("{", r#"{"legacy": false, "embedding_size": 16, "#),
                "legacy",
            ),
        ] {
            let message = BertConfig::from_json(&text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }
}
