//! The model shipped in `www/models/clozelab-tiny-bert`: it loads like any Hugging Face folder, its
//! tokenizer covers the corpus, and it answers obvious questions from its world (top-5).

use std::path::Path;

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::fill_mask::{FillMaskOptions, fill_mask};
use clozelab_core::{LoadedModel, ModelFiles};
use clozelab_pretrain::corpus::{Split, generate};

const FOLDER: &str = "www/models/clozelab-tiny-bert";

fn bundled() -> LoadedModel {
    let files = ModelFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(FOLDER)).unwrap();
    LoadedModel::load(&files, cpu_device(), BackendKind::Cpu).unwrap()
}

fn top5(model: &LoadedModel, text: &str) -> Vec<String> {
    let options = FillMaskOptions {
        top_k: 5,
        attentions: false,
        layers: false,
    };
    let output = pollster::block_on(fill_mask(model, text, options)).unwrap();
    output.masks[0]
        .predictions
        .iter()
        .map(|p| p.token.clone())
        .collect()
}

#[test]
fn the_folder_is_small_and_complete() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOLDER);
    let mut total = 0;
    for name in [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "README.md",
    ] {
        total += std::fs::metadata(dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .len();
    }
    assert!(total <= 20_000_000, "{total} bytes");
}

#[test]
fn it_answers_obvious_sentences_from_its_world() {
    let model = bundled();
    let cases = [
        ("the capital of france is [MASK].", "paris"),
        ("people in japan speak [MASK].", "japanese"),
        ("the opposite of hot is [MASK].", "cold"),
        ("the day after sunday is [MASK].", "monday"),
        ("my mother's mother is my [MASK].", "grandmother"),
        ("what sound does a cow make? it [MASK].", "moos"),
        ("what colour are bananas? they are [MASK].", "yellow"),
        ("the men [MASK] here after school yesterday.", "were"),
        ("there is [MASK] umbrella in the picture.", "an"),
    ];
    let mut misses = Vec::new();
    for (text, answer) in cases {
        let predictions = top5(&model, text);
        if !predictions.iter().any(|p| p == answer) {
            misses.push(format!("{text} → {predictions:?}, not {answer}"));
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn its_tokenizer_round_trips_the_corpus_without_unknown_tokens() {
    let model = bundled();
    for sentence in generate(0, 50_000, Split::Train)
        .into_iter()
        .chain(generate(0, 10_000, Split::HeldOut))
    {
        let encoded = model.tokenizer.encode(&sentence.text).unwrap();
        assert!(
            !encoded.tokens.iter().any(|t| t == "[UNK]"),
            "{}",
            sentence.text
        );
        let decoded = model.tokenizer.decode(&encoded.input_ids).unwrap();
        assert_eq!(decoded.replace(" ' ", "'"), sentence.text);
    }
}
