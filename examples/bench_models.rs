//! Writes the random-weight models the browser benchmark loads over HTTP: a bert-mini and a
//! bert-base shape as real Hugging Face folders (config.json, model.safetensors, vocab.txt,
//! tokenizer_config.json) under bench-results/models/. Skips folders that already exist.

use std::path::Path;

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::config::BertConfig;
use clozelab_core::export::weights_file;
use clozelab_core::model::network::MaskedLm;
use clozelab_core::model::plan::LoadPlan;

const SPECIALS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

fn main() {
    let shapes = [
        (
            "bert-mini",
            BertConfig::with_shape(30522, 256, 4, 4, 1024, 512),
        ),
        (
            "bert-base",
            BertConfig::with_shape(30522, 768, 12, 12, 3072, 512),
        ),
    ];
    for (name, mut config) in shapes {
        let dir = Path::new("bench-results/models").join(name);
        if dir.join("model.safetensors").exists() {
            println!("{} exists", dir.display());
            continue;
        }
        std::fs::create_dir_all(&dir).expect("bench-results/models/");
        config.extra.insert(
            "architectures".into(),
            serde_json::json!(["BertForMaskedLM"]),
        );
        let network = MaskedLm::init(&config, &LoadPlan::default(), &cpu_device());
        let weights = pollster::block_on(weights_file(&network)).expect("weights read back");
        std::fs::write(dir.join("model.safetensors"), weights).unwrap();
        std::fs::write(
            dir.join("config.json"),
            serde_json::to_string_pretty(&config).unwrap(),
        )
        .unwrap();
        // Specials, then "w0" … "w30516": every benchmark word is one token.
        let vocab: Vec<String> = SPECIALS
            .iter()
            .map(|s| s.to_string())
            .chain((0..config.vocab_size - SPECIALS.len()).map(|i| format!("w{i}")))
            .collect();
        std::fs::write(dir.join("vocab.txt"), vocab.join("\n") + "\n").unwrap();
        std::fs::write(
            dir.join("tokenizer_config.json"),
            r#"{"do_lower_case": true, "mask_token": "[MASK]"}"#,
        )
        .unwrap();
        println!(
            "wrote {} ({} on {})",
            dir.display(),
            name,
            BackendKind::Cpu.name()
        );
    }
}
