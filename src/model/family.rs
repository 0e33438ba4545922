//! The BERT-shaped masked-LM families: the same network (embeddings, post-norm layers, an MLM head
//! with a transform), each with its own parameter names, base prefix and small differences
//! (DistilBERT has no token types; RoBERTa counts positions from `padding_idx + 1` and its head
//! always uses exact GELU). `visit_params` in `bert.rs` asks this file for every name.

/// Which `transformers` masked-LM class a checkpoint belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Family {
    #[default]
    Bert,
    DistilBert,
    /// RoBERTa and XLM-RoBERTa (one architecture; XLM-R differs in its tokenizer).
    Roberta,
}

impl Family {
    /// The family of a `model_type`, or `None` when this build cannot run it.
    pub fn from_model_type(model_type: &str) -> Option<Family> {
        match model_type {
            "bert" => Some(Family::Bert),
            "distilbert" => Some(Family::DistilBert),
            "roberta" | "xlm-roberta" => Some(Family::Roberta),
            _ => None,
        }
    }

    /// The prefix of the base model's tensors (checkpoints of the bare base model omit it).
    pub fn base_prefix(self) -> &'static str {
        match self {
            Family::Bert => "bert.",
            Family::DistilBert => "distilbert.",
            Family::Roberta => "roberta.",
        }
    }

    /// The `architectures` entry of a saved masked-LM of this family.
    pub fn architecture(self, model_type: &str) -> &'static str {
        match (self, model_type) {
            (Family::Bert, _) => "BertForMaskedLM",
            (Family::DistilBert, _) => "DistilBertForMaskedLM",
            (Family::Roberta, "xlm-roberta") => "XLMRobertaForMaskedLM",
            (Family::Roberta, _) => "RobertaForMaskedLM",
        }
    }

    pub fn names(self) -> Names {
        let base = self.base_prefix();
        match self {
            Family::Bert | Family::Roberta => Names {
                embeddings: format!("{base}embeddings"),
                layer: format!("{base}encoder.layer"),
                query: "attention.self.query",
                key: "attention.self.key",
                value: "attention.self.value",
                attention_output: "attention.output.dense",
                attention_norm: "attention.output.LayerNorm",
                intermediate: "intermediate.dense",
                output: "output.dense",
                output_norm: "output.LayerNorm",
                head_transform: if self == Family::Bert {
                    "cls.predictions.transform.dense"
                } else {
                    "lm_head.dense"
                },
                head_norm: if self == Family::Bert {
                    "cls.predictions.transform.LayerNorm"
                } else {
                    "lm_head.layer_norm"
                },
                decoder: if self == Family::Bert {
                    "cls.predictions.decoder"
                } else {
                    "lm_head.decoder"
                },
                head_bias: if self == Family::Bert {
                    "cls.predictions.bias"
                } else {
                    "lm_head.bias"
                },
            },
            Family::DistilBert => Names {
                embeddings: format!("{base}embeddings"),
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
                // DistilBERT's projector is a plain Linear: its bias has no second name.
                head_bias: "vocab_projector.bias",
            },
        }
    }
}

/// Where a family keeps each parameter: `embeddings` and `layer` are prefixes (the layer's index
/// follows `layer`), the rest are the names under a layer or at the top.
pub struct Names {
    pub embeddings: String,
    pub layer: String,
    pub query: &'static str,
    pub key: &'static str,
    pub value: &'static str,
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
