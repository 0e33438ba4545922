//! A network back into a Hugging Face model folder: `config.json`, `model.safetensors` (names as
//! `transformers` writes them) and the tokenizer files it was loaded with — loadable again by
//! clozelab and by `transformers`.

use crate::config::BertConfig;
use crate::error::Result;
use crate::files::{MODEL_FILE_NAMES, ModelFiles};
use crate::model::network::MaskedLm;
use crate::weights::collect::collect_weights;
use crate::weights::{WEIGHT_FILES, safetensors};

/// `config.json` for the saved folder. Training changes no field, so a loaded one is written back
/// as it was (in its family's own names) — with `legacy: false` added where clozelab found a
/// DeBERTa's newer head by its tensors (`LoadPlan::with_checkpoint`), so `transformers` finds it
/// too; a BERT made here (pretraining) is written from its config.
fn config_file(config: &BertConfig, network: &MaskedLm, source: &ModelFiles) -> Vec<u8> {
    if let Some(bytes) = source.get("config.json") {
        let newer_head = network
            .as_bert()
            .is_some_and(|bert| bert.lm_predictions_head);
        if newer_head
            && let Ok(serde_json::Value::Object(mut object)) =
                serde_json::from_slice::<serde_json::Value>(bytes)
            && !object.contains_key("legacy")
        {
            object.insert("legacy".into(), serde_json::Value::Bool(false));
            return serde_json::to_vec_pretty(&object).expect("a config serialises");
        }
        return bytes.to_vec();
    }
    let mut config = config.clone();
    config
        .extra
        .entry("architectures")
        .or_insert_with(|| serde_json::json!([config.family.architecture(&config.model_type)]));
    serde_json::to_vec_pretty(&config).expect("a config serialises")
}

/// The network's weights as a `model.safetensors` file.
pub async fn weights_file(network: &MaskedLm) -> Result<Vec<u8>> {
    Ok(safetensors::write(&collect_weights(network).await?))
}

pub async fn export_folder(
    network: &MaskedLm,
    config: &BertConfig,
    source: &ModelFiles,
) -> Result<ModelFiles> {
    let weights = weights_file(network).await?;
    let mut files = ModelFiles::new("the trained model");
    files.insert("config.json", config_file(config, network, source));
    files.insert("model.safetensors", weights);
    // The tokenizer files, carried over unchanged: every other file a model folder may have.
    let tokenizer_files = MODEL_FILE_NAMES
        .into_iter()
        .filter(|name| *name != "config.json" && !WEIGHT_FILES.contains(name));
    for name in tokenizer_files {
        if let Some(bytes) = source.get(name) {
            files.insert(name, bytes.to_vec());
        }
    }
    Ok(files)
}
