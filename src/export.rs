//! A network back into a Hugging Face model folder: `config.json`, `model.safetensors` (names as
//! `transformers` writes them) and the tokenizer files it was loaded with — loadable again by
//! clozelab and by `transformers`.

use crate::config::BertConfig;
use crate::error::Result;
use crate::files::ModelFiles;
use crate::model::bert::BertForMaskedLm;
use crate::weights::collect::collect_weights;
use crate::weights::safetensors;

/// The tokenizer files carried over unchanged from the source folder.
const TOKENIZER_FILES: [&str; 4] = [
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
];

/// The network's weights as a `model.safetensors` file.
pub async fn weights_file(network: &BertForMaskedLm) -> Result<Vec<u8>> {
    Ok(safetensors::write(&collect_weights(network).await?))
}

pub async fn export_folder(
    network: &BertForMaskedLm,
    config: &BertConfig,
    source: &ModelFiles,
) -> Result<ModelFiles> {
    let weights = weights_file(network).await?;

    let mut config = config.clone();
    config
        .extra
        .entry("architectures")
        .or_insert_with(|| serde_json::json!(["BertForMaskedLM"]));
    let mut files = ModelFiles::new("the trained model");
    files.insert(
        "config.json",
        serde_json::to_vec_pretty(&config).expect("a config serialises"),
    );
    files.insert("model.safetensors", weights);
    for name in TOKENIZER_FILES {
        if let Some(bytes) = source.get(name) {
            files.insert(name, bytes.to_vec());
        }
    }
    Ok(files)
}
