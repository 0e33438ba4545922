//! `make bench`, the encoder families: one bert-base-shaped model per family (12 layers × 768,
//! random weights, each family's own vocabulary size and structure — ALBERT's 128-wide embeddings
//! and one shared layer, RoBERTa's offset positions, DistilBERT without token types, DeBERTa-v3's
//! disentangled attention over 256 relative buckets, ModernBERT's rotary, GeGLU and local
//! windows), fill-mask at 128 tokens on the CPU (flex) and wgpu backends. A word table the GPU
//! cannot bind whole is held in chunks there, as a loaded model's is. Printed and written to
//! bench-results/families.json.

use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::cloze_model::fits_backend;
use clozelab_core::config::BertConfig;
use clozelab_core::model::network::MaskedLm;
use clozelab_core::model::plan::LoadPlan;
use serde::Serialize;

#[path = "support/mod.rs"]
mod support;

const WARM_UP: usize = 2;
const RUNS: usize = 8;
const TOKENS: usize = 128;

#[derive(Serialize)]
struct Figure {
    family: String,
    backend: &'static str,
    parameters: usize,
    first_ms: f64,
    median_ms: f64,
}

/// The families' base configs, as their `config.json` would say it.
fn configs() -> Vec<(&'static str, BertConfig)> {
    let bert = r#""hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
        "intermediate_size": 3072"#;
    [
        ("bert", format!(r#"{{"model_type": "bert", "vocab_size": 30522, "max_position_embeddings": 512, {bert}}}"#)),
        (
            "distilbert",
            r#"{"model_type": "distilbert", "vocab_size": 30522, "dim": 768, "n_layers": 12,
            "n_heads": 12, "hidden_dim": 3072, "max_position_embeddings": 512}"#
                .to_string(),
        ),
        (
            "roberta",
            format!(r#"{{"model_type": "roberta", "vocab_size": 50265, "max_position_embeddings": 514, "pad_token_id": 1, "type_vocab_size": 1, {bert}}}"#),
        ),
        ("electra", format!(r#"{{"model_type": "electra", "vocab_size": 30522, "max_position_embeddings": 512, "embedding_size": 768, {bert}}}"#)),
        ("albert", format!(r#"{{"model_type": "albert", "vocab_size": 30000, "max_position_embeddings": 512, "embedding_size": 128, {bert}}}"#)),
        (
            "deberta-v3",
            format!(
                r#"{{"model_type": "deberta-v2", "vocab_size": 128100, "max_position_embeddings": 512,
                "relative_attention": true, "position_buckets": 256, "norm_rel_ebd": "layer_norm",
                "share_att_key": true, "pos_att_type": "p2c|c2p", "position_biased_input": false,
                "type_vocab_size": 0, "legacy": false, {bert}}}"#
            ),
        ),
        (
            "modernbert",
            r#"{"model_type": "modernbert", "vocab_size": 50368, "hidden_size": 768, "num_hidden_layers": 12,
            "num_attention_heads": 12, "intermediate_size": 1152, "max_position_embeddings": 8192,
            "local_attention": 128, "global_attn_every_n_layers": 3}"#
                .to_string(),
        ),
    ]
    .into_iter()
    .map(|(name, json)| (name, BertConfig::from_json(&json).expect("a valid base config")))
    .collect()
}

fn main() {
    println!(
        "fill-mask at {TOKENS} tokens, bert-base-shaped model per family: median of {RUNS} runs after {WARM_UP} warm-up runs"
    );
    println!(
        "{:<11} {:>7} {:>8} {:>10} {:>11}",
        "family", "backend", "params M", "first ms", "median ms"
    );
    let mut figures = Vec::new();
    for backend in [BackendKind::Cpu, BackendKind::Wgpu] {
        let device = match pollster::block_on(device_for(backend)) {
            Ok(device) => device,
            Err(error) => {
                println!("{:<11} skipped: {error}", backend.name());
                continue;
            }
        };
        for (family, config) in configs() {
            if let Err(error) = fits_backend(&config, backend) {
                println!("{family:<11} {:>7} skipped: {error}", backend.name());
                continue;
            }
            // A table the GPU cannot bind whole is held in chunks, as a loaded model's would be.
            let plan = LoadPlan::new(&config, backend);
            let family = match plan.word_chunk_rows {
                Some(rows) => format!("{family} (table in chunks of {rows} rows)"),
                None => family.to_string(),
            };
            let network = MaskedLm::init(&config, &plan, &device);
            let parameters = burn::module::Module::num_params(&network);
            let (first_ms, median_ms) = support::first_and_median_ms(WARM_UP, RUNS, || {
                support::masked_pass(&network, &device, TOKENS, config.vocab_size)
            });
            println!(
                "{family:<11} {:>7} {:>8.1} {first_ms:>10.1} {median_ms:>11.1}",
                backend.name(),
                parameters as f64 / 1e6
            );
            figures.push(Figure {
                family,
                backend: backend.name(),
                parameters,
                first_ms,
                median_ms,
            });
        }
    }
    std::fs::create_dir_all("bench-results").expect("bench-results/");
    let json = serde_json::to_string_pretty(&figures).expect("figures serialise");
    std::fs::write("bench-results/families.json", json).expect("bench-results/families.json");
}
