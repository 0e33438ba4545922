//! The tokenizer `transformers`' `RobertaTokenizer` builds from `vocab.json` + `merges.txt` when a
//! folder has no `tokenizer.json`: byte-level BPE, `<s> … </s>` around the text, its special
//! tokens from `tokenizer_config.json` (else RoBERTa's defaults). A mask written there as an
//! added token with `lstrip` takes the space before it; a plain string does not, as in
//! `transformers`.

use serde_json::Value;
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{BPE, Merges, Vocab};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::processors::roberta::RobertaProcessing;
use tokenizers::{AddedToken, Tokenizer};

use super::special_token_or;
use crate::error::{ClozeError, Result};

pub(super) fn from_vocab_and_merges(
    vocab: &[u8],
    merges: &[u8],
    config: &Value,
) -> Result<Tokenizer> {
    let vocab: Vocab = serde_json::from_slice::<std::collections::HashMap<String, u32>>(vocab)
        .map_err(|e| ClozeError::Tokenizer(format!("vocab.json is not a token → id map ({e})")))?
        .into_iter()
        .collect();
    let merges = read_merges(merges)?;
    let model = BPE::builder()
        .vocab_and_merges(vocab.clone(), merges)
        .build()
        .map_err(|e| ClozeError::Tokenizer(format!("vocab.json + merges.txt: {e}")))?;
    let token_or = |field: &str, default: &str| special_token_or(config, field, default);
    let id_of = |token: &str| {
        vocab.get(token).copied().ok_or_else(|| {
            ClozeError::Tokenizer(format!("the special token {token} is not in vocab.json"))
        })
    };
    let (cls, sep) = (token_or("cls_token", "<s>"), token_or("sep_token", "</s>"));
    let add_prefix_space = config
        .get("add_prefix_space")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let trim_offsets = config
        .get("trim_offsets")
        .and_then(Value::as_bool)
        .unwrap_or(true);

    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_pre_tokenizer(Some(ByteLevel::new(add_prefix_space, trim_offsets, true)));
    tokenizer.with_decoder(Some(ByteLevelDecoder::default()));
    tokenizer.with_post_processor(Some(
        RobertaProcessing::new((sep.clone(), id_of(&sep)?), (cls.clone(), id_of(&cls)?))
            .trim_offsets(trim_offsets)
            .add_prefix_space(add_prefix_space),
    ));
    let mut specials = Vec::new();
    for (field, default) in [
        ("bos_token", "<s>"),
        ("eos_token", "</s>"),
        ("unk_token", "<unk>"),
        ("sep_token", "</s>"),
        ("cls_token", "<s>"),
        ("pad_token", "<pad>"),
        ("mask_token", "<mask>"),
    ] {
        let token = token_or(field, default);
        if vocab.contains_key(&token) {
            let lstrip = config
                .get(field)
                .and_then(|v| v.get("lstrip"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            specials.push(AddedToken::from(token, true).lstrip(lstrip));
        }
    }
    tokenizer.add_special_tokens(&specials);
    Ok(tokenizer)
}

/// `merges.txt`: an optional `#version` line, then one merge (`left right`) per line.
fn read_merges(bytes: &[u8]) -> Result<Merges> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ClozeError::Tokenizer("merges.txt is not UTF-8 text".into()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with("#version") && !line.trim().is_empty())
        .map(|(number, line)| {
            line.split_once(' ')
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .ok_or_else(|| {
                    ClozeError::Tokenizer(format!(
                        "merges.txt line {}: expected two tokens, got {line:?}",
                        number + 1
                    ))
                })
        })
        .collect()
}
