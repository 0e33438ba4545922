//! Scoring (`score.rs`) against `transformers`: on every family fixture, on the CPU and on wgpu,
//! each word's pieces and pseudo-log-likelihood equal what PyTorch computes masking the same word
//! in a pass of its own (`tests/fixtures/score_reference.py`) to 1e-4 — so the batched passes
//! (every word's sequence in one batch, padded on the GPU) change nothing — and bad input is
//! refused with a message.

mod common;

use clozelab_core::BackendKind;
use clozelab_core::score::score;
use common::{fixtures, load};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    model: String,
    text: String,
    tokens: Vec<String>,
    words: Vec<Word>,
    total: f32,
}

#[derive(Deserialize)]
struct Word {
    tokens: [usize; 2],
    pieces: Vec<f32>,
}

fn reference() -> Reference {
    let path = fixtures().join("score_reference.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("score_reference.json")).unwrap()
}

fn check(backend: BackendKind) {
    let reference = reference();
    let mut models: Vec<&str> = reference.cases.iter().map(|c| c.model.as_str()).collect();
    models.dedup();
    assert!(models.len() >= 10, "every family: {models:?}");
    for name in models {
        let model = load(name, backend);
        for case in reference.cases.iter().filter(|c| c.model == name) {
            let what = format!("{name} on {}: {:?}", backend.name(), case.text);
            let ours = pollster::block_on(score(&model, &case.text)).unwrap();
            assert_eq!(ours.tokens, case.tokens, "{what}: tokens");
            assert_eq!(ours.words.len(), case.words.len(), "{what}: words");
            for (word, theirs) in ours.words.iter().zip(&case.words) {
                assert_eq!(
                    word.tokens, theirs.tokens,
                    "{what}: {:?}'s tokens",
                    word.text
                );
                for (a, b) in word.pieces.iter().zip(&theirs.pieces) {
                    assert!((a - b).abs() <= 1e-4, "{what}: {:?}: {a} vs {b}", word.text);
                }
                let sum: f32 = theirs.pieces.iter().sum();
                assert!((word.log_prob - sum).abs() <= 1e-4 * theirs.pieces.len() as f32);
            }
            let tolerance = 1e-4 * case.tokens.len() as f32;
            assert!(
                (ours.total - case.total).abs() <= tolerance,
                "{what}: total {} vs {}",
                ours.total,
                case.total
            );
        }
    }
}

#[test]
fn cpu_scores_match_transformers_on_every_family() {
    check(BackendKind::Cpu);
}

#[test]
fn wgpu_scores_match_transformers_on_every_family() {
    check(BackendKind::Wgpu);
}

#[test]
fn bad_input_is_refused_with_a_message() {
    let model = load("bert-gelu", BackendKind::Cpu);
    let error = |text: &str| {
        pollster::block_on(score(&model, text))
            .unwrap_err()
            .to_string()
    };
    assert!(error("  ").contains("the text is empty"), "{}", error("  "));
    assert!(
        error("[MASK] [MASK]").contains("no word to score"),
        "{}",
        error("[MASK] [MASK]")
    );
    let long = "the cat sat on the mat . ".repeat(100);
    let message = error(&long);
    assert!(
        message.contains("tokens long") && message.contains("shorten it"),
        "{message}"
    );
    // A mask in the sentence is left out; the other words are scored.
    let scored = pollster::block_on(score(&model, "the [MASK] sat on the mat .")).unwrap();
    assert!(scored.words.iter().all(|w| w.text != "[MASK]"));
    assert_eq!(scored.words.len(), 6);
}
