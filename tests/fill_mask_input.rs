//! What fill-mask says about text it cannot run.

mod common;

use clozelab_core::backend::BackendKind;
use clozelab_core::{ClozeError, FillMaskOptions, fill_mask};
use common::load;

fn error_for(text: &str) -> String {
    let model = load("bert-gelu", BackendKind::Cpu);
    match pollster::block_on(fill_mask(&model, text, FillMaskOptions::default())) {
        Ok(output) => panic!("{text:?} should be refused, got {:?}", output.masks),
        Err(error) => {
            assert!(matches!(error, ClozeError::Input(_)), "{error}");
            error.to_string()
        }
    }
}

#[test]
fn text_without_a_mask_says_which_token_to_use() {
    let message = error_for("the cat sat on the mat.");
    assert!(message.contains("no [MASK]"), "{message}");
}

#[test]
fn empty_text_is_refused() {
    assert!(error_for("   ").contains("empty"));
}

#[test]
fn text_longer_than_the_positions_says_by_how_much() {
    let model = load("bert-gelu", BackendKind::Cpu);
    let limit = model.config.max_position_embeddings;
    // Each "the" is one token; [CLS], [MASK] and [SEP] make three more.
    let text = format!("{} [MASK]", vec!["the"; limit].join(" "));
    let message = error_for(&text);
    let expected = format!(
        "{} tokens long, 3 more than this model's limit of {limit}",
        limit + 3
    );
    assert!(message.contains(&expected), "{message}");
}

#[test]
fn a_text_at_the_limit_runs() {
    let model = load("bert-gelu", BackendKind::Cpu);
    let limit = model.config.max_position_embeddings;
    let text = format!("{} [MASK]", vec!["the"; limit - 3].join(" "));
    let output = pollster::block_on(fill_mask(&model, &text, FillMaskOptions::default())).unwrap();
    assert_eq!(output.tokens.len(), limit);
    assert_eq!(output.masks[0].position, limit - 2);
}

#[test]
fn top_k_larger_than_the_vocabulary_returns_the_whole_vocabulary_ranked() {
    let model = load("bert-gelu", BackendKind::Cpu);
    let options = FillMaskOptions {
        top_k: 1_000_000,
        attentions: false,
        layers: false,
    };
    let output = pollster::block_on(fill_mask(&model, "the [MASK] .", options)).unwrap();
    let predictions = &output.masks[0].predictions;
    assert_eq!(predictions.len(), model.config.vocab_size);
    assert!(predictions.windows(2).all(|w| w[0].score >= w[1].score));
    let total: f32 = predictions.iter().map(|p| p.score).sum();
    assert!((total - 1.0).abs() < 1e-4, "probabilities sum to {total}");
}

#[test]
fn spans_for_the_browser_are_in_utf16_units_around_emoji_and_other_astral_characters() {
    let model = load("bert-gelu", BackendKind::Cpu);
    for text in [
        "I love 🐶 and the cow says [MASK] every day.",
        "the 🐱 [MASK] on the 𝔘 mat 𠀋 .",
        "🐶🐱 [MASK]",
    ] {
        let encoded = model.tokenizer.encode(text).unwrap();
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let chars: Vec<char> = text.chars().collect();
        let browser = encoded.clone().in_utf16_units(text);
        // A span sliced from the UTF-16 string (as JavaScript's slice does) reads what the same
        // span in characters reads from the text.
        for (native, units) in encoded.offsets.iter().zip(&browser.offsets) {
            let by_chars: String = chars[native[0]..native[1]].iter().collect();
            let by_units = String::from_utf16(&utf16[units[0]..units[1]]).unwrap();
            assert_eq!(by_chars, by_units, "{text:?}");
        }
        for word in &browser.words {
            assert_eq!(
                String::from_utf16(&utf16[word.chars[0]..word.chars[1]]).unwrap(),
                word.text,
                "{text:?}"
            );
        }
        let mask = browser.tokens.iter().position(|t| t == "[MASK]").unwrap();
        let [start, end] = browser.offsets[mask];
        assert_eq!(
            String::from_utf16(&utf16[start..end]).unwrap(),
            "[MASK]",
            "{text:?}"
        );
    }
}
