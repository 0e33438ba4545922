//! A WordPiece vocabulary trained on the corpus (`pieces.rs`), wrapped as a BERT tokenizer
//! (lower-casing normaliser, BERT pre-tokeniser, `[CLS] … [SEP]`, `##` decoder) and written as
//! the two files a Hugging Face folder carries.

use tokenizers::Tokenizer;
use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::bert::BertProcessing;

use clozelab_core::error::{ClozeError, Result};
use clozelab_core::files::ModelFiles;

use crate::pieces::PieceTrainer;

/// The special tokens, in id order: `[PAD]` is 0 as `pad_token_id` says.
pub const SPECIAL_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// Longest input the tokenizer (and the model) accepts.
pub const MODEL_MAX_LENGTH: usize = 128;

fn failed(what: &str, e: impl std::fmt::Display) -> ClozeError {
    ClozeError::Tokenizer(format!("{what} failed: {e}"))
}

/// Trains a WordPiece vocabulary of at most `vocab_size` tokens on `sentences` and returns
/// `tokenizer.json` and `tokenizer_config.json`.
pub fn train_tokenizer<S: AsRef<str> + Send>(
    sentences: impl Iterator<Item = S> + Send,
    vocab_size: usize,
) -> Result<ModelFiles> {
    let mut trainer = PieceTrainer::new(vocab_size, 2, &SPECIAL_TOKENS, "[UNK]");
    let mut tokenizer = Tokenizer::new(WordPiece::default());
    tokenizer
        .with_normalizer(Some(BertNormalizer::new(true, true, None, true)))
        .with_pre_tokenizer(Some(BertPreTokenizer))
        .with_decoder(Some(WordPieceDecoder::default()));
    tokenizer
        .train(&mut trainer, sentences)
        .map_err(|e| failed("training the vocabulary", e))?;
    let id = |token: &str| {
        tokenizer
            .token_to_id(token)
            .ok_or_else(|| failed("training the vocabulary", format!("{token} is missing")))
    };
    let (cls, sep) = (id("[CLS]")?, id("[SEP]")?);
    tokenizer.with_post_processor(Some(BertProcessing::new(
        ("[SEP]".into(), sep),
        ("[CLS]".into(), cls),
    )));
    let json = tokenizer
        .to_string(true)
        .map_err(|e| failed("writing tokenizer.json", e))?;

    let config = serde_json::json!({
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": true,
        "model_max_length": MODEL_MAX_LENGTH,
        "pad_token": "[PAD]",
        "unk_token": "[UNK]",
        "cls_token": "[CLS]",
        "sep_token": "[SEP]",
        "mask_token": "[MASK]",
    });
    let mut files = ModelFiles::new("the trained tokenizer");
    files.insert("tokenizer.json", json.into_bytes());
    files.insert(
        "tokenizer_config.json",
        serde_json::to_vec_pretty(&config).expect("a JSON value serialises"),
    );
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Split, generate};
    use clozelab_core::tokenize::ClozeTokenizer;

    fn trained() -> (Vec<String>, ClozeTokenizer) {
        let sentences: Vec<String> = generate(0, 20_000, Split::Train)
            .into_iter()
            .map(|s| s.text)
            .collect();
        let files = train_tokenizer(sentences.iter(), 2_000).unwrap();
        (sentences, ClozeTokenizer::from_files(&files).unwrap())
    }

    /// Uncapped, as the recipe runs it, every word seen twice or more ends up one token.
    #[test]
    fn uncapped_training_makes_every_repeated_word_one_token() {
        let sentences: Vec<String> = generate(5, 5_000, Split::Train)
            .into_iter()
            .map(|s| s.text)
            .collect();
        let mut counts = std::collections::HashMap::<&str, usize>::new();
        for word in sentences
            .iter()
            .flat_map(|s| s.split(|c: char| !c.is_ascii_lowercase()))
        {
            *counts.entry(word).or_default() += 1;
        }
        let repeated: Vec<&str> = counts
            .iter()
            .filter(|(w, n)| !w.is_empty() && **n >= 2)
            .map(|(w, _)| *w)
            .collect();
        let files = train_tokenizer(sentences.iter(), 8_000).unwrap();
        let tokenizer = ClozeTokenizer::from_files(&files).unwrap();
        for word in &repeated {
            let tokens = tokenizer.encode(word).unwrap().tokens;
            assert_eq!(tokens.len(), 3, "{word}: {tokens:?}");
        }
    }

    /// Phrasebook sentences, with many words seen a few times and so many equally frequent
    /// pairs to choose between: the same sentences in another order give the same files, byte
    /// for byte, run after run, capped or not.
    #[test]
    fn the_same_sentences_in_any_order_give_the_same_vocabulary() {
        let mut sentences = crate::phrasebook::Phrasebook::bundled()
            .unwrap()
            .sentences(7, 3_000);
        for cap in [1_500, 8_000] {
            let first = train_tokenizer(sentences.iter(), cap).unwrap();
            for _ in 0..3 {
                sentences.reverse();
                let again = train_tokenizer(sentences.iter(), cap).unwrap();
                for name in ["tokenizer.json", "tokenizer_config.json"] {
                    assert!(first.get(name) == again.get(name), "{name} differs");
                }
            }
            let tokenizer = ClozeTokenizer::from_files(&first).unwrap();
            assert!(tokenizer.vocab_size() <= cap);
        }
    }

    #[test]
    fn special_tokens_come_first_and_the_mask_token_is_known() {
        let (_, tokenizer) = trained();
        assert_eq!(tokenizer.mask_id, 4);
        assert_eq!(tokenizer.special_ids().len(), SPECIAL_TOKENS.len());
        assert!(tokenizer.vocab_size() <= 2_000);
    }

    #[test]
    fn the_tokenizer_round_trips_the_corpus_without_unknown_tokens() {
        let (sentences, tokenizer) = trained();
        for sentence in sentences.iter().take(3_000) {
            let encoded = tokenizer.encode(sentence).unwrap();
            assert_eq!(encoded.tokens.first().map(String::as_str), Some("[CLS]"));
            assert_eq!(encoded.tokens.last().map(String::as_str), Some("[SEP]"));
            assert!(!encoded.tokens.iter().any(|t| t == "[UNK]"), "{sentence}");
            // The WordPiece decoder spaces an apostrophe ("father ' s"); everything else returns.
            let decoded = tokenizer.decode(&encoded.input_ids).unwrap();
            assert_eq!(decoded.replace(" ' ", "'"), *sentence);
        }
    }
}
