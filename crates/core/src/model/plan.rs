//! What a network needs beyond its `config.json` to be built on one device from one checkpoint:
//! how the word table is cut for the device's buffer limit, and which of DeBERTa's two heads the
//! checkpoint holds. The config stays as the file says; the plan is passed to `init` beside it.

use crate::backend::{BackendKind, gpu_buffer_limit};
use crate::config::BertConfig;

/// How to lay one config out for one device and one checkpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadPlan {
    /// Rows per chunk of the word table, when the device cannot bind it whole
    /// (`model/word_table.rs`); `None`: one table.
    pub word_chunk_rows: Option<usize>,
    /// DeBERTa's newer masked-LM head (`lm_predictions.lm_head`) instead of the legacy
    /// `cls.predictions` one.
    pub lm_predictions_head: bool,
}

impl LoadPlan {
    /// The plan for fresh weights of `config` on `backend`: the head its `legacy` field names.
    pub fn new(config: &BertConfig, backend: BackendKind) -> Self {
        LoadPlan {
            word_chunk_rows: word_chunk_rows(config, backend),
            lm_predictions_head: config.family.deberta().is_some_and(|s| !s.legacy_head),
        }
    }

    /// The released DeBERTa-v3 checkpoints keep their masked-LM head under
    /// `lm_predictions.lm_head` while their `config.json` does not say `legacy: false`, so
    /// `transformers` would build the legacy head and leave it random. When the config is silent
    /// and the checkpoint holds only the newer head, that head is used (and `export.rs` writes
    /// `legacy: false` into any folder saved from it).
    pub fn with_checkpoint(self, config: &BertConfig, has_tensor: impl Fn(&str) -> bool) -> Self {
        let Some(settings) = config.family.deberta() else {
            return self;
        };
        let found = !config.extra.contains_key("legacy")
            && settings.legacy_head
            && config
                .embedding_size
                .is_none_or(|size| size == config.hidden_size)
            && has_tensor("lm_predictions.lm_head.dense.weight")
            && !has_tensor("cls.predictions.transform.dense.weight");
        LoadPlan {
            lm_predictions_head: self.lm_predictions_head || found,
            ..self
        }
    }
}

/// Rows per chunk of the word table on `backend`: `None` when one GPU binding holds the whole
/// table (always on the CPU). RoBERTa-base's 154 MB table, on lavapipe's 134 MB limit, becomes
/// two chunks; each is bound by itself (`model/word_table.rs`).
pub fn word_chunk_rows(config: &BertConfig, backend: BackendKind) -> Option<usize> {
    if backend != BackendKind::Wgpu {
        return None;
    }
    let limit = gpu_buffer_limit()?;
    let row_bytes = (config.embedding_dim() * 4) as u64;
    (config.vocab_size as u64 * row_bytes > limit).then(|| (limit / row_bytes).max(1) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = r#"{"model_type": "deberta-v2", "vocab_size": 100, "hidden_size": 32,
        "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
        "relative_attention": true, "position_buckets": 256, "max_relative_positions": -1,
        "pos_att_type": "p2c|c2p", "norm_rel_ebd": "layer_norm", "share_att_key": true,
        "position_biased_input": false, "max_position_embeddings": 512}"#;

    #[test]
    fn a_silent_config_takes_the_head_the_checkpoint_has() {
        let config = BertConfig::from_json(V3).unwrap();
        let plan = LoadPlan::new(&config, BackendKind::Cpu);
        assert!(!plan.lm_predictions_head, "legacy is transformers' default");
        let plan = plan.with_checkpoint(&config, |name| name.starts_with("lm_predictions."));
        assert!(plan.lm_predictions_head);
        // A config that says which head it has is believed.
        let said = V3.replace("{", r#"{"legacy": true, "#);
        let config = BertConfig::from_json(&said).unwrap();
        let plan = LoadPlan::new(&config, BackendKind::Cpu)
            .with_checkpoint(&config, |name| name.starts_with("lm_predictions."));
        assert!(!plan.lm_predictions_head);
    }

    #[test]
    fn only_deberta_has_two_heads_and_the_cpu_one_word_table() {
        let config = BertConfig::with_shape(100, 32, 2, 4, 64, 64);
        let plan = LoadPlan::new(&config, BackendKind::Cpu).with_checkpoint(&config, |_| true);
        assert_eq!(plan, LoadPlan::default());
    }
}
