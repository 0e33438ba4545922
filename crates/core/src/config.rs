//! `config.json` → typed configuration. The structs mirror the Hugging Face field names, so a
//! reader can put one beside the JSON; optional fields take the defaults `transformers` uses.
//! `BertConfig` is also what the network is built from: RoBERTa's JSON has BERT's fields;
//! DistilBERT's (`config/distilbert.rs`, its own names) is translated into it, and so is
//! ModernBERT's (`config/modernbert.rs`), which keeps what only it has beside the sizes; DeBERTa's
//! (`config/deberta.rs`) has BERT's names with its own defaults and relative-attention settings.

mod deberta;
mod distilbert;
mod modernbert;

pub use deberta::DebertaSettings;
pub use modernbert::ModernBertSettings;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ClozeError, Result};

/// The activation named by `hidden_act`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activation {
    /// Exact GELU, `x·Φ(x)` with the error function.
    #[serde(rename = "gelu")]
    Gelu,
    /// The tanh approximation of GELU (`gelu_new`, `gelu_pytorch_tanh`, `gelu_fast`).
    #[serde(rename = "gelu_new", alias = "gelu_pytorch_tanh", alias = "gelu_fast")]
    GeluTanh,
    #[serde(rename = "relu")]
    Relu,
    #[serde(rename = "silu", alias = "swish")]
    Silu,
    #[serde(rename = "tanh")]
    Tanh,
}

impl Activation {
    pub const NAMES: &'static str =
        "gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, silu, swish, tanh";
}

/// Which `transformers` masked-LM class a checkpoint belongs to.
///
/// The BERT-shaped masked-LM families: the same network (embeddings, post-norm layers, an MLM head
/// with a transform), each with its own parameter names, base prefix and small differences
/// (DistilBERT has no token types; RoBERTa counts positions from `padding_idx + 1` and its head
/// always uses exact GELU; ELECTRA's generator and ALBERT embed narrower than their hidden width
/// and project up, and ALBERT shares one group of layers across the depth; DeBERTa adds relative
/// attention and has no absolute positions in v3; ModernBERT is another network). The family
/// carries the settings only it has, so a config cannot hold DeBERTa's settings and say BERT.
/// The parameter names of each family are the model's business (`model/names.rs`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Family {
    #[default]
    Bert,
    DistilBert,
    /// RoBERTa and XLM-RoBERTa (one architecture; XLM-R differs in its tokenizer).
    Roberta,
    /// ELECTRA's generator (`ElectraForMaskedLM`).
    Electra,
    Albert,
    /// DeBERTa-v2 and v3: BERT's layers with disentangled relative attention
    /// (`model/relative.rs`), set up by its settings (`config/deberta.rs`).
    DebertaV2(DebertaSettings),
    /// Not BERT-shaped: `model/modernbert.rs` builds and names it (`config/modernbert.rs`).
    ModernBert(ModernBertSettings),
}

impl Family {
    /// Every `model_type` this build runs.
    pub const MODEL_TYPES: [&'static str; 8] = [
        "bert",
        "distilbert",
        "roberta",
        "xlm-roberta",
        "electra",
        "albert",
        "deberta-v2",
        "modernbert",
    ];

    /// DeBERTa's relative-attention settings, if this is DeBERTa.
    pub fn deberta(&self) -> Option<&DebertaSettings> {
        match self {
            Family::DebertaV2(settings) => Some(settings),
            _ => None,
        }
    }

    /// ModernBERT's rotary, windowing and bias settings, if this is ModernBERT.
    pub fn modern_bert(&self) -> Option<&ModernBertSettings> {
        match self {
            Family::ModernBert(settings) => Some(settings),
            _ => None,
        }
    }

    /// The prefix of the base model's tensors (checkpoints of the bare base model omit it).
    pub fn base_prefix(&self) -> &'static str {
        match self {
            Family::Bert => "bert.",
            Family::DistilBert => "distilbert.",
            Family::Roberta => "roberta.",
            Family::Electra => "electra.",
            Family::Albert => "albert.",
            Family::DebertaV2(_) => "deberta.",
            Family::ModernBert(_) => "model.",
        }
    }

    /// The `architectures` entry of a saved masked-LM of this family.
    pub fn architecture(&self, model_type: &str) -> &'static str {
        match (self, model_type) {
            (Family::Bert, _) => "BertForMaskedLM",
            (Family::DistilBert, _) => "DistilBertForMaskedLM",
            (Family::Roberta, "xlm-roberta") => "XLMRobertaForMaskedLM",
            (Family::Roberta, _) => "RobertaForMaskedLM",
            (Family::Electra, _) => "ElectraForMaskedLM",
            (Family::Albert, _) => "AlbertForMaskedLM",
            (Family::DebertaV2(_), _) => "DebertaV2ForMaskedLM",
            (Family::ModernBert(_), _) => "ModernBertForMaskedLM",
        }
    }
}

/// Hugging Face `BertConfig`, the fields that shape the network: each field is the one of the same
/// name in `transformers`' [`BertConfig`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/bert/configuration_bert.py), with its default
/// (RoBERTa's, ELECTRA's and ALBERT's configs have the same names:
/// [`RobertaConfig`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/roberta/configuration_roberta.py),
/// [`ElectraConfig`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/electra/configuration_electra.py),
/// [`AlbertConfig`](https://github.com/huggingface/transformers/blob/main/src/transformers/models/albert/configuration_albert.py)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BertConfig {
    /// Which architecture the file describes ("bert", "roberta", …); `Family` is read from it.
    #[serde(default = "default_model_type")]
    pub model_type: String,
    /// Rows of the word-embedding table (and columns of the MLM head's output).
    pub vocab_size: usize,
    /// The width of every hidden state.
    pub hidden_size: usize,
    /// Encoder layers run, in depth (ALBERT shares fewer distinct ones across them).
    pub num_hidden_layers: usize,
    /// Attention heads per layer; `hidden_size` must be a multiple of it.
    pub num_attention_heads: usize,
    /// The feed-forward block's inner width.
    pub intermediate_size: usize,
    /// Rows of the position table: the longest input, with RoBERTa's offset counted.
    pub max_position_embeddings: usize,
    /// The feed-forward activation (and the MLM head's, except where a family fixes it).
    #[serde(default = "default_hidden_act")]
    pub hidden_act: Activation,
    /// Rows of the token-type table (segment A/B); 0 where a family has none.
    #[serde(default = "default_type_vocab_size")]
    pub type_vocab_size: usize,
    /// Every LayerNorm's epsilon.
    #[serde(default = "default_layer_norm_eps")]
    pub layer_norm_eps: f64,
    /// Dropout on embeddings and on each block's output (training only).
    #[serde(default = "default_dropout")]
    pub hidden_dropout_prob: f64,
    /// Dropout on the attention probabilities (training only).
    #[serde(default = "default_dropout")]
    pub attention_probs_dropout_prob: f64,
    /// The standard deviation of fresh weights.
    #[serde(default = "default_initializer_range")]
    pub initializer_range: f64,
    /// The padding token (RoBERTa counts positions from it).
    #[serde(default)]
    pub pad_token_id: usize,
    /// "absolute" is the only kind run here (relative kinds are refused by name).
    #[serde(default = "default_position_embedding_type")]
    pub position_embedding_type: String,
    /// The MLM head's output layer is the word-embedding table (one tensor, not two).
    #[serde(default = "default_true")]
    pub tie_word_embeddings: bool,
    /// ALBERT and ELECTRA: the width of the embeddings, projected up to `hidden_size`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding_size: Option<usize>,
    /// ALBERT: how many distinct groups of layers the depth shares, and layers per group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_hidden_groups: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inner_group_num: Option<usize>,
    /// Every other field of the file (`architectures`, `transformers_version`, `torch_dtype`, ...):
    /// metadata that does not change the network. Kept so a saved model writes it back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// The architecture `model_type` names, with the settings only it has (not a field of the
    /// file: read from it by the family's own parser).
    #[serde(skip)]
    pub family: Family,
}

fn default_model_type() -> String {
    "bert".into()
}
fn default_hidden_act() -> Activation {
    Activation::Gelu
}
fn default_type_vocab_size() -> usize {
    2
}
fn default_layer_norm_eps() -> f64 {
    1e-12
}
pub(crate) fn default_dropout() -> f64 {
    0.1
}
pub(crate) fn default_initializer_range() -> f64 {
    0.02
}
fn default_position_embedding_type() -> String {
    "absolute".into()
}
pub(crate) fn default_true() -> bool {
    true
}

/// The fields a BERT config must state: without them the shapes of the weights are unknown.
const BERT_REQUIRED: [&str; 6] = [
    "vocab_size",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "intermediate_size",
    "max_position_embeddings",
];

/// Names every field of `required` that `object` lacks, all in one error.
pub(crate) fn require_fields(object: &Map<String, Value>, required: &[&str]) -> Result<()> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|field| !object.contains_key(*field))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ClozeError::Config(format!(
        "missing required field{} {}",
        if missing.len() == 1 { "" } else { "s" },
        missing.join(", ")
    )))
}

/// `value` read as the config struct `T`, a field of the wrong type named in the error. serde's
/// error from a `Value` carries no position, so the value is read again as pretty-printed text
/// (each top-level field on a line of its own), whose error gives the line of the culprit.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T> {
    T::deserialize(&value).map_err(|error| {
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        let culprit = serde_json::from_str::<T>(&text).err().and_then(|located| {
            // Top-level fields start their line with two spaces and a quote.
            text.lines()
                .take(located.line())
                .filter_map(|line| line.strip_prefix("  \"")?.split('"').next())
                .last()
                .map(str::to_string)
        });
        match culprit.and_then(|key| Some((value.get(&key)?.clone(), key))) {
            Some((found, key)) => {
                ClozeError::Config(format!("{key} has the wrong type: it is {found} ({error})"))
            }
            None => ClozeError::Config(format!("a field has the wrong type: {error}")),
        }
    })
}

/// Rejects an activation (in `field`) the network cannot run, naming the ones it can.
pub(crate) fn check_activation(object: &Map<String, Value>, field: &str) -> Result<()> {
    match object.get(field) {
        Some(act) if serde_json::from_value::<Activation>(act.clone()).is_err() => {
            Err(ClozeError::Config(format!(
                "{field} {act} is not supported; supported: {}",
                Activation::NAMES
            )))
        }
        _ => Ok(()),
    }
}

impl BertConfig {
    /// Parses `config.json`, naming every missing field and every value we cannot honour.
    pub fn from_json(text: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ClozeError::Config(format!("not valid JSON ({e})")))?;
        let object = value
            .as_object()
            .ok_or_else(|| ClozeError::Config("expected a JSON object".into()))?;

        let model_type = object
            .get("model_type")
            .and_then(Value::as_str)
            .unwrap_or("bert");
        let family = match model_type {
            "bert" => Family::Bert,
            "roberta" | "xlm-roberta" => Family::Roberta,
            "electra" => Family::Electra,
            "albert" => Family::Albert,
            "distilbert" => return distilbert::from_json(value),
            "modernbert" => return modernbert::from_json(value),
            "deberta-v2" => return deberta::from_json(value),
            _ => {
                return Err(ClozeError::Config(format!(
                    "model_type \"{model_type}\" is not supported; supported: {}",
                    Family::MODEL_TYPES.join(", ")
                )));
            }
        };
        require_fields(object, &BERT_REQUIRED)?;
        check_activation(object, "hidden_act")?;

        // RoBERTa's padding token is 1, ALBERT's activation gelu_new, unless the file says otherwise.
        let pad_default =
            (family == Family::Roberta && !object.contains_key("pad_token_id")).then_some(1);
        let act_default = (family == Family::Albert && !object.contains_key("hidden_act"))
            .then_some(Activation::GeluTanh);
        let mut config: BertConfig = typed(value)?;
        config.family = family;
        config.pad_token_id = pad_default.unwrap_or(config.pad_token_id);
        config.hidden_act = act_default.unwrap_or(config.hidden_act);
        config.validate()?;
        Ok(config)
    }

    /// Where position ids start: RoBERTa counts from `padding_idx + 1`, the others from 0.
    pub fn position_offset(&self) -> usize {
        match self.family {
            Family::Roberta => self.pad_token_id + 1,
            _ => 0,
        }
    }

    /// The longest input, in tokens, the position table allows.
    pub fn max_input_tokens(&self) -> usize {
        self.max_position_embeddings
            .saturating_sub(self.position_offset())
    }

    /// The MLM head's activation: RoBERTa's and ELECTRA's heads apply exact GELU whatever
    /// `hidden_act` says.
    pub fn head_activation(&self) -> Activation {
        match self.family {
            Family::Roberta | Family::Electra => Activation::Gelu,
            _ => self.hidden_act,
        }
    }

    /// The width of the embeddings (and of the MLM head's transform).
    pub fn embedding_dim(&self) -> usize {
        match self.family {
            Family::Albert | Family::Electra => self.embedding_size.unwrap_or(128),
            Family::DebertaV2(_) => self.embedding_size.unwrap_or(self.hidden_size),
            _ => self.hidden_size,
        }
    }

    /// Whether a Linear takes the summed embeddings to the hidden width before their norm
    /// (DeBERTa's `embed_proj`, when its embeddings are narrower).
    pub fn projects_before_norm(&self) -> bool {
        matches!(self.family, Family::DebertaV2(_)) && self.embedding_dim() != self.hidden_size
    }

    /// Whether a Linear takes the normalised embeddings to the hidden width (ALBERT always has one).
    pub fn projects_embeddings(&self) -> bool {
        match self.family {
            Family::Albert => true,
            Family::Electra => self.embedding_dim() != self.hidden_size,
            _ => false,
        }
    }

    /// Layers per ALBERT group (1 elsewhere).
    pub fn inner_groups(&self) -> usize {
        match self.family {
            Family::Albert => self.inner_group_num.unwrap_or(1),
            _ => 1,
        }
    }

    /// How many layers have their own weights.
    pub fn distinct_layers(&self) -> usize {
        match self.family {
            Family::Albert => self.num_hidden_groups.unwrap_or(1) * self.inner_groups(),
            _ => self.num_hidden_layers,
        }
    }

    /// The distinct layer run at each step of the depth: every one once, in order, or for ALBERT
    /// each group's layers at the depths `transformers` gives that group.
    pub fn layer_schedule(&self) -> Vec<usize> {
        if self.family != Family::Albert {
            return (0..self.num_hidden_layers).collect();
        }
        let groups = self.num_hidden_groups.unwrap_or(1);
        let inner = self.inner_groups();
        (0..self.num_hidden_layers)
            .flat_map(|depth| {
                let group =
                    (depth as f64 / (self.num_hidden_layers as f64 / groups as f64)) as usize;
                (0..inner).map(move |i| group * inner + i)
            })
            .collect()
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let mut problems = Vec::new();
        for (field, value) in [
            ("vocab_size", self.vocab_size),
            ("hidden_size", self.hidden_size),
            ("num_hidden_layers", self.num_hidden_layers),
            ("num_attention_heads", self.num_attention_heads),
            ("intermediate_size", self.intermediate_size),
            ("max_position_embeddings", self.max_position_embeddings),
        ] {
            if value == 0 {
                problems.push(format!("{field} must be at least 1"));
            }
        }
        if self.num_attention_heads > 0 && self.hidden_size % self.num_attention_heads != 0 {
            problems.push(format!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                self.hidden_size, self.num_attention_heads
            ));
        }
        for (field, value) in [
            ("embedding_size", self.embedding_size),
            ("num_hidden_groups", self.num_hidden_groups),
            ("inner_group_num", self.inner_group_num),
        ] {
            if value == Some(0) {
                problems.push(format!("{field} must be at least 1"));
            }
        }
        for (field, value) in [
            ("hidden_dropout_prob", self.hidden_dropout_prob),
            (
                "attention_probs_dropout_prob",
                self.attention_probs_dropout_prob,
            ),
        ] {
            if !(0.0..1.0).contains(&value) {
                problems.push(format!(
                    "{field} is {value}, but a dropout probability is at least 0 and below 1"
                ));
            }
        }
        if !(self.layer_norm_eps.is_finite() && self.layer_norm_eps > 0.0) {
            problems.push(format!(
                "layer_norm_eps is {}, but it must be a small positive number",
                self.layer_norm_eps
            ));
        }
        if !(self.initializer_range.is_finite() && self.initializer_range >= 0.0) {
            problems.push(format!(
                "initializer_range is {}, but it must be a positive number",
                self.initializer_range
            ));
        }
        if self.max_input_tokens() == 0 {
            problems.push(format!(
                "max_position_embeddings {} leaves no room for tokens after the padding index {}",
                self.max_position_embeddings, self.pad_token_id
            ));
        }
        if self.position_embedding_type != "absolute" {
            problems.push(format!(
                "position_embedding_type \"{}\" is not supported (only \"absolute\")",
                self.position_embedding_type
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ClozeError::Config(problems.join("; ")))
        }
    }

    pub fn head_dim(&self) -> usize {
        self.hidden_size / self.num_attention_heads
    }

    /// A config with the given shape and `transformers`' defaults elsewhere (benchmarks, pretraining).
    pub fn with_shape(
        vocab_size: usize,
        hidden_size: usize,
        num_hidden_layers: usize,
        num_attention_heads: usize,
        intermediate_size: usize,
        max_position_embeddings: usize,
    ) -> Self {
        BertConfig {
            model_type: default_model_type(),
            vocab_size,
            hidden_size,
            num_hidden_layers,
            num_attention_heads,
            intermediate_size,
            max_position_embeddings,
            hidden_act: default_hidden_act(),
            type_vocab_size: default_type_vocab_size(),
            layer_norm_eps: default_layer_norm_eps(),
            hidden_dropout_prob: default_dropout(),
            attention_probs_dropout_prob: default_dropout(),
            initializer_range: default_initializer_range(),
            pad_token_id: 0,
            position_embedding_type: default_position_embedding_type(),
            tie_word_embeddings: true,
            embedding_size: None,
            num_hidden_groups: None,
            inner_group_num: None,
            extra: Map::new(),
            family: Family::Bert,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"vocab_size": 100, "hidden_size": 32, "num_hidden_layers": 2,
        "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 64}"#;

    #[test]
    fn optional_fields_take_transformers_defaults() {
        let config = BertConfig::from_json(MINIMAL).unwrap();
        assert_eq!(config.hidden_act, Activation::Gelu);
        assert_eq!(config.layer_norm_eps, 1e-12);
        assert_eq!(config.type_vocab_size, 2);
        assert!(config.tie_word_embeddings);
        assert_eq!(config.head_dim(), 8);
    }

    #[test]
    fn every_missing_required_field_is_named() {
        let error = BertConfig::from_json(r#"{"vocab_size": 10, "hidden_size": 8}"#).unwrap_err();
        let message = error.to_string();
        for field in [
            "num_hidden_layers",
            "num_attention_heads",
            "intermediate_size",
            "max_position_embeddings",
        ] {
            assert!(message.contains(field), "{message} should name {field}");
        }
        assert!(!message.contains("vocab_size"), "{message}");
    }

    #[test]
    fn unknown_activation_is_named_with_the_supported_list() {
        let text = MINIMAL.replace("}", r#", "hidden_act": "swishy"}"#);
        let message = BertConfig::from_json(&text).unwrap_err().to_string();
        assert!(
            message.contains("swishy") && message.contains("gelu_new"),
            "{message}"
        );
    }

    #[test]
    fn unsupported_model_type_lists_what_is_supported() {
        // DeBERTa v1 ("deberta") is not v2: it is named, not mistaken for its neighbour.
        for unsupported in ["gpt2", "deberta"] {
            let text = MINIMAL.replace("{", &format!(r#"{{"model_type": "{unsupported}", "#));
            let message = BertConfig::from_json(&text).unwrap_err().to_string();
            assert!(message.contains(&format!("\"{unsupported}\"")), "{message}");
            for supported in Family::MODEL_TYPES {
                assert!(message.contains(supported), "{message}");
            }
        }
    }

    #[test]
    fn heads_must_divide_hidden_size() {
        let text = MINIMAL.replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 5");
        let message = BertConfig::from_json(&text).unwrap_err().to_string();
        assert!(message.contains("not a multiple"), "{message}");
    }

    #[test]
    fn metadata_fields_are_kept_not_rejected() {
        let text = MINIMAL.replace(
            "{",
            r#"{"architectures": ["BertForMaskedLM"], "torch_dtype": "float32", "#,
        );
        let config = BertConfig::from_json(&text).unwrap();
        assert_eq!(config.extra["torch_dtype"], "float32");
    }
}
