//! The model shipped in `www/models/clozelab-tiny-bert`: it loads like any Hugging Face folder, its
//! tokenizer covers the corpus, it answers obvious questions from its world (top-5), and it holds
//! its floor on the hand-written evaluation set, which is kept apart from its corpus.

use std::path::Path;

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::fill_mask::{FillMaskOptions, fill_mask};
use clozelab_core::{LoadedModel, ModelFiles};
use clozelab_pretrain::Recipe;
use clozelab_pretrain::corpus::{Split, generate};
use clozelab_pretrain::handwritten::{handwritten_items, score_handwritten};

const FOLDER: &str = "www/models/clozelab-tiny-bert";
/// A few points under the bundled model's hand-written score (measured: see the model card).
const FLOOR_TOP1: f64 = 0.62;
const FLOOR_TOP5: f64 = 0.84;

/// Every sentence the bundled model was trained on (the recipe's three sources), made once for the
/// tests that read it.
fn training_texts() -> &'static [String] {
    static TEXTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| Recipe::bundled().training_texts().unwrap())
}

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

/// Every source of the training corpus (templates, phrasebook, WordNet) tokenizes without an
/// unknown token and decodes to its text (the decoder puts spaces around punctuation).
#[test]
fn its_tokenizer_covers_every_source_of_the_corpus() {
    let model = bundled();
    let squeezed = |text: &str| text.split_whitespace().collect::<String>();
    for sentence in training_texts().iter().step_by(7) {
        let encoded = model.tokenizer.encode(sentence).unwrap();
        assert!(!encoded.tokens.iter().any(|t| t == "[UNK]"), "{sentence}");
        let decoded = model.tokenizer.decode(&encoded.input_ids).unwrap();
        assert_eq!(squeezed(&decoded), squeezed(sentence));
    }
}

/// The hand-written set (crates/pretrain/eval/): large, in every part and category, no sentence
/// twice — and none of them a sentence the model was trained on.
#[test]
fn the_hand_written_set_is_large_varied_and_apart_from_the_corpus() {
    let items = handwritten_items().unwrap();
    assert!(items.len() >= 400, "{} sentences", items.len());
    let mut by_category = std::collections::BTreeMap::<&str, usize>::new();
    for item in &items {
        *by_category.entry(&item.category).or_default() += 1;
    }
    for (category, count) in &by_category {
        assert!(*count >= 10, "{category}: only {count} sentences");
    }
    for group in ["world", "grammar", "everyday"] {
        assert!(
            items.iter().filter(|i| i.group == group).count() >= 100,
            "{group}"
        );
    }
    let normal = |text: &str| {
        text.to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut seen = std::collections::HashSet::new();
    for item in &items {
        assert!(
            seen.insert(normal(&item.with_mask("_"))),
            "twice: {}",
            item.with_mask("___")
        );
    }
    // Every filled-in sentence against every sentence the model was trained on (the recipe's
    // templates, phrasebook and WordNet examples, seed 0), whole and each of its sentences ("how
    // many legs does a spider have? a spider has eight legs." holds two), words only: punctuation
    // and quotes do not make a sentence another.
    let words = |text: &str| {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let filled: std::collections::HashSet<String> = items
        .iter()
        .flat_map(|i| i.accept.iter().map(|a| words(&i.with_mask(a))))
        .collect();
    let trained: std::collections::BTreeSet<String> = training_texts()
        .iter()
        .flat_map(|text| {
            std::iter::once(text.as_str()).chain(text.split_inclusive(['.', '?', '!']))
        })
        .map(words)
        .filter(|s| filled.contains(s))
        .collect();
    assert!(
        trained.is_empty(),
        "sentences of the training corpus in the hand-written set: {trained:?}"
    );
}

/// The bundled model's hand-written score, held a few points under what it reaches (make bench
/// prints the tables; the second edition's targets are far above).
#[test]
fn the_bundled_model_holds_its_floor_on_the_hand_written_set() {
    let model = bundled();
    let items = handwritten_items().unwrap();
    let score = pollster::block_on(score_handwritten(&model, &items)).unwrap();
    let (top1, top5) = (score.overall.top1_rate(), score.overall.top5_rate());
    assert!(
        top1 >= FLOOR_TOP1 && top5 >= FLOOR_TOP5,
        "top-1 {top1:.3}, top-5 {top5:.3}"
    );
}
