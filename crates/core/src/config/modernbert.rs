//! ModernBERT's `config.json` read and translated into the `BertConfig` the rest of clozelab
//! reads (sizes, vocabulary, padding), with what only ModernBERT has kept in [`ModernBertSettings`]:
//! rotary theta per attention kind, the local window, which layers attend globally, which
//! projections and norms carry biases. Both spellings `transformers` has written are read: the
//! current one (`layer_types`, `rope_parameters`) and the first release's (`global_attn_every_n_layers`,
//! `global_rope_theta`, `local_rope_theta`).

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Family;
use super::{
    Activation, BertConfig, check_activation, default_initializer_range, default_true,
    require_fields, typed,
};
use crate::error::{ClozeError, Result};

/// What a ModernBERT network needs beyond the BERT-shaped sizes.
#[derive(Debug, Clone, PartialEq)]
pub struct ModernBertSettings {
    /// Per layer: whether it attends to every token (else to its local window only).
    pub global_layers: Vec<bool>,
    pub global_rope_theta: f64,
    pub local_rope_theta: f64,
    /// The local window in tokens, both sides together: a token sees `local_attention / 2` each way.
    pub local_attention: usize,
    pub norm_bias: bool,
    pub attention_bias: bool,
    pub mlp_bias: bool,
    pub decoder_bias: bool,
    pub classifier_bias: bool,
    pub classifier_activation: Activation,
    pub embedding_dropout: f64,
}

impl ModernBertSettings {
    /// How far either way a token sees in a local layer.
    pub fn half_window(&self) -> usize {
        self.local_attention / 2
    }
}

/// Hugging Face [`ModernBertConfig`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/modernbert/configuration_modernbert.py), the fields that
/// shape the network.
#[derive(Debug, Clone, Deserialize)]
struct ModernBertConfig {
    vocab_size: usize,
    hidden_size: usize,
    intermediate_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    #[serde(default = "default_activation")]
    hidden_activation: Activation,
    #[serde(default = "default_max_positions")]
    max_position_embeddings: usize,
    #[serde(default = "default_initializer_range")]
    initializer_range: f64,
    #[serde(default = "default_norm_eps")]
    norm_eps: f64,
    #[serde(default)]
    norm_bias: bool,
    #[serde(default = "default_pad")]
    pad_token_id: usize,
    #[serde(default)]
    attention_bias: bool,
    #[serde(default)]
    attention_dropout: f64,
    #[serde(default)]
    layer_types: Option<Vec<String>>,
    #[serde(default = "default_every")]
    global_attn_every_n_layers: usize,
    #[serde(default)]
    rope_parameters: Option<Map<String, Value>>,
    #[serde(default)]
    global_rope_theta: Option<f64>,
    #[serde(default)]
    local_rope_theta: Option<f64>,
    #[serde(default = "default_local")]
    local_attention: usize,
    #[serde(default)]
    embedding_dropout: f64,
    #[serde(default)]
    mlp_bias: bool,
    #[serde(default)]
    mlp_dropout: f64,
    #[serde(default = "default_true")]
    decoder_bias: bool,
    #[serde(default)]
    classifier_bias: bool,
    #[serde(default = "default_activation")]
    classifier_activation: Activation,
    #[serde(default = "default_true")]
    tie_word_embeddings: bool,
}

fn default_activation() -> Activation {
    Activation::Gelu
}
fn default_max_positions() -> usize {
    8192
}
fn default_norm_eps() -> f64 {
    1e-5
}
fn default_pad() -> usize {
    50283
}
fn default_every() -> usize {
    3
}
fn default_local() -> usize {
    128
}

const REQUIRED: [&str; 5] = [
    "vocab_size",
    "hidden_size",
    "intermediate_size",
    "num_hidden_layers",
    "num_attention_heads",
];

pub(super) fn from_json(value: Value) -> Result<BertConfig> {
    let object = value.as_object().expect("checked by the caller");
    require_fields(object, &REQUIRED)?;
    check_activation(object, "hidden_activation")?;
    check_activation(object, "classifier_activation")?;
    let m: ModernBertConfig = typed(value.clone())?;
    if object.get("rope_scaling").is_some_and(|v| !v.is_null()) {
        return Err(ClozeError::Config(
            "rope_scaling is not supported (only the default rotary embedding)".into(),
        ));
    }
    let settings = ModernBertSettings {
        global_layers: global_layers(&m)?,
        global_rope_theta: rope_theta(&m, "full_attention", m.global_rope_theta, 160_000.0)?,
        local_rope_theta: rope_theta(&m, "sliding_attention", m.local_rope_theta, 10_000.0)?,
        local_attention: m.local_attention,
        norm_bias: m.norm_bias,
        attention_bias: m.attention_bias,
        mlp_bias: m.mlp_bias,
        decoder_bias: m.decoder_bias,
        classifier_bias: m.classifier_bias,
        classifier_activation: m.classifier_activation,
        embedding_dropout: m.embedding_dropout,
    };
    let config = BertConfig {
        model_type: "modernbert".into(),
        vocab_size: m.vocab_size,
        hidden_size: m.hidden_size,
        num_hidden_layers: m.num_hidden_layers,
        num_attention_heads: m.num_attention_heads,
        intermediate_size: m.intermediate_size,
        max_position_embeddings: m.max_position_embeddings,
        hidden_act: m.hidden_activation,
        type_vocab_size: 0,
        layer_norm_eps: m.norm_eps,
        hidden_dropout_prob: m.mlp_dropout,
        attention_probs_dropout_prob: m.attention_dropout,
        initializer_range: m.initializer_range,
        pad_token_id: m.pad_token_id,
        position_embedding_type: "absolute".into(),
        tie_word_embeddings: m.tie_word_embeddings,
        embedding_size: None,
        num_hidden_groups: None,
        inner_group_num: None,
        extra: Map::new(),
        family: Family::ModernBert(settings),
    };
    config.validate()?;
    if config.head_dim() % 2 != 0 {
        return Err(ClozeError::Config(format!(
            "the head width {} (hidden_size / num_attention_heads) must be even for rotary positions",
            config.head_dim()
        )));
    }
    Ok(config)
}

/// Which layers attend globally: `layer_types` when given, else every `global_attn_every_n_layers`-th
/// layer from the first.
fn global_layers(m: &ModernBertConfig) -> Result<Vec<bool>> {
    let Some(types) = &m.layer_types else {
        let every = m.global_attn_every_n_layers.max(1);
        return Ok((0..m.num_hidden_layers).map(|i| i % every == 0).collect());
    };
    if types.len() != m.num_hidden_layers {
        return Err(ClozeError::Config(format!(
            "layer_types names {} layers but num_hidden_layers is {}",
            types.len(),
            m.num_hidden_layers
        )));
    }
    types
        .iter()
        .map(|kind| match kind.as_str() {
            "full_attention" => Ok(true),
            "sliding_attention" => Ok(false),
            other => Err(ClozeError::Config(format!(
                "layer type \"{other}\" is not supported; supported: full_attention, sliding_attention"
            ))),
        })
        .collect()
}

/// The rotary theta of one attention kind: `rope_parameters[kind].rope_theta`, else the older
/// top-level field, else `transformers`' default. Only the default rotary type runs here.
fn rope_theta(m: &ModernBertConfig, kind: &str, older: Option<f64>, default: f64) -> Result<f64> {
    let Some(parameters) = m.rope_parameters.as_ref().and_then(|p| p.get(kind)) else {
        return Ok(older.unwrap_or(default));
    };
    if let Some(rope_type) = parameters.get("rope_type").and_then(Value::as_str)
        && rope_type != "default"
    {
        return Err(ClozeError::Config(format!(
            "rope_type \"{rope_type}\" ({kind}) is not supported (only \"default\")"
        )));
    }
    Ok(parameters
        .get("rope_theta")
        .and_then(Value::as_f64)
        .or(older)
        .unwrap_or(default))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"model_type": "modernbert", "vocab_size": 100, "hidden_size": 32,
        "intermediate_size": 48, "num_hidden_layers": 4, "num_attention_heads": 4}"#;

    fn settings(text: &str) -> ModernBertSettings {
        BertConfig::from_json(text)
            .unwrap()
            .family
            .modern_bert()
            .unwrap()
            .clone()
    }

    #[test]
    fn defaults_are_transformers_defaults() {
        let config = BertConfig::from_json(MINIMAL).unwrap();
        assert!(matches!(config.family, Family::ModernBert(_)));
        assert_eq!((config.layer_norm_eps, config.pad_token_id), (1e-5, 50283));
        let s = config.family.modern_bert().unwrap();
        assert_eq!(s.global_layers, vec![true, false, false, true]);
        assert_eq!(
            (s.global_rope_theta, s.local_rope_theta),
            (160_000.0, 10_000.0)
        );
        assert_eq!(s.half_window(), 64);
        assert!(s.decoder_bias && !s.norm_bias && !s.attention_bias && !s.mlp_bias);
    }

    #[test]
    fn first_release_fields_are_read() {
        let text = MINIMAL.replace(
            "{",
            r#"{"global_attn_every_n_layers": 2, "global_rope_theta": 5.0, "local_rope_theta": 7.0, "#,
        );
        let s = settings(&text);
        assert_eq!(s.global_layers, vec![true, false, true, false]);
        assert_eq!((s.global_rope_theta, s.local_rope_theta), (5.0, 7.0));
    }

    #[test]
    fn current_fields_are_read() {
        let text = MINIMAL.replace(
            "{",
            r#"{"layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
                "rope_parameters": {"full_attention": {"rope_type": "default", "rope_theta": 11.0},
                                    "sliding_attention": {"rope_type": "default", "rope_theta": 3.0}}, "#,
        );
        let s = settings(&text);
        assert_eq!(s.global_layers, vec![false, true, false, true]);
        assert_eq!((s.global_rope_theta, s.local_rope_theta), (11.0, 3.0));
    }

    #[test]
    fn what_cannot_run_is_named() {
        for (field, expected) in [
            (
                r#""rope_parameters": {"full_attention": {"rope_type": "yarn"}}"#,
                "yarn",
            ),
            (r#""layer_types": ["full_attention"]"#, "names 1 layers"),
            (r#""rope_scaling": {"factor": 2.0}"#, "rope_scaling"),
            (r#""hidden_activation": "swishy""#, "swishy"),
        ] {
            let text = MINIMAL.replace("{", &format!("{{{field}, "));
            let message = BertConfig::from_json(&text).unwrap_err().to_string();
            assert!(message.contains(expected), "{field}: {message}");
        }
        let message = BertConfig::from_json(r#"{"model_type": "modernbert", "vocab_size": 10}"#)
            .unwrap_err()
            .to_string();
        assert!(message.contains("intermediate_size"), "{message}");
    }
}
