//! Text → tokens, with the map from words to their sub-word pieces.
//!
//! Reads `tokenizer.json`, or builds the WordPiece tokenizer `transformers`' `BertTokenizer`
//! would from `vocab.txt` + `tokenizer_config.json`, or RoBERTa's byte-level BPE from
//! `vocab.json` + `merges.txt` (`tokenize/byte_level_bpe.rs`), or DeBERTa's from a SentencePiece
//! `spm.model` (`tokenize/sentencepiece.rs`). The mask and other special tokens come from
//! those files; the `tokenizers` crate does the work, identically natively and in wasm.

use serde::Serialize;
use serde_json::Value;
use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::bert::BertProcessing;
use tokenizers::{AddedToken, Tokenizer};

use crate::error::{ClozeError, Result};
use crate::files::ModelFiles;

mod byte_level_bpe;
mod sentencepiece;

#[derive(Clone)]
pub struct ClozeTokenizer {
    inner: Tokenizer,
    pub mask_token: String,
    pub mask_id: u32,
}

/// One encoded text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Encoded {
    pub tokens: Vec<String>,
    pub input_ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    /// Character span of each token in the text (`[0, 0]` for added special tokens), in Unicode
    /// scalar values; the browser API hands them over in UTF-16 units (`in_utf16_units`).
    pub offsets: Vec<[usize; 2]>,
    /// Whether each token is a special token ([CLS], [SEP], ...). The mask is not counted here.
    pub special: Vec<bool>,
    /// The words of the text, each with its run of tokens.
    pub words: Vec<WordSpan>,
}

/// A word and the half-open range of tokens that spell it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct WordSpan {
    pub text: String,
    pub chars: [usize; 2],
    pub tokens: [usize; 2],
}

impl Encoded {
    /// The same encoding with every span counted in UTF-16 code units — the units JavaScript
    /// strings are indexed by, where a character outside the Basic Multilingual Plane (most emoji,
    /// 𝔘, CJK extension B) is two — so the page can slice its own string with them.
    pub fn in_utf16_units(mut self, text: &str) -> Encoded {
        let unit = utf16_units(text);
        for span in &mut self.offsets {
            *span = [unit(span[0]), unit(span[1])];
        }
        for word in &mut self.words {
            word.chars = [unit(word.chars[0]), unit(word.chars[1])];
        }
        self
    }
}

/// Maps a character index of `text` (in Unicode scalar values, as spans are counted here) to the
/// UTF-16 code units before it — what JavaScript strings are indexed by.
pub fn utf16_units(text: &str) -> impl Fn(usize) -> usize {
    let mut units = Vec::with_capacity(text.len() + 1);
    units.push(0);
    for c in text.chars() {
        units.push(units[units.len() - 1] + c.len_utf16());
    }
    move |char_index: usize| units[char_index.min(units.len() - 1)]
}

impl ClozeTokenizer {
    pub fn from_files(files: &ModelFiles) -> Result<Self> {
        let config = match files.get("tokenizer_config.json") {
            Some(bytes) => parse_json("tokenizer_config.json", bytes)?,
            None => Value::Null,
        };
        let special_map = match files.get("special_tokens_map.json") {
            Some(bytes) => parse_json("special_tokens_map.json", bytes)?,
            None => Value::Null,
        };
        let (mut inner, from_vocab) = if let Some(bytes) = files.get("tokenizer.json") {
            let tokenizer = Tokenizer::from_bytes(bytes).map_err(|e| {
                ClozeError::Tokenizer(format!("tokenizer.json cannot be read ({e})"))
            })?;
            (tokenizer, false)
        } else if let Some(bytes) = files.get("vocab.txt") {
            (wordpiece_from_vocab(bytes, &config)?, true)
        } else if let (Some(vocab), Some(merges)) =
            (files.get("vocab.json"), files.get("merges.txt"))
        {
            (
                byte_level_bpe::from_vocab_and_merges(vocab, merges, &config)?,
                true,
            )
        } else if let Some(bytes) = files.get("spm.model") {
            (sentencepiece::deberta_from_spm(bytes, &config)?, true)
        } else {
            return Err(ClozeError::Tokenizer(format!(
                "{} has no tokenizer: neither tokenizer.json, vocab.txt, vocab.json + merges.txt, nor spm.model",
                files.origin
            )));
        };
        inner
            .with_truncation(None)
            .map_err(|e| ClozeError::Tokenizer(e.to_string()))?;
        inner.with_padding(None);

        let mask_token = special_token(&config, "mask_token")
            .or_else(|| special_token(&special_map, "mask_token"))
            .or_else(|| {
                let added = inner.get_added_tokens_decoder();
                let mut specials: Vec<_> = added.values().filter(|t| t.special).map(|t| t.content.clone()).collect();
                specials.sort();
                specials.into_iter().find(|content| content.to_lowercase().contains("mask"))
            })
            .or_else(|| from_vocab.then(|| "[MASK]".to_string()))
            .ok_or_else(|| {
                ClozeError::Tokenizer("no mask token: tokenizer_config.json names no mask_token and tokenizer.json has no special mask token".into())
            })?;
        let mask_id = inner.token_to_id(&mask_token).ok_or_else(|| {
            ClozeError::Tokenizer(format!(
                "the mask token {mask_token} is not in the vocabulary"
            ))
        })?;
        Ok(ClozeTokenizer {
            inner,
            mask_token,
            mask_id,
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.inner.get_vocab_size(true)
    }

    /// The ids of every special token ([CLS], [SEP], [PAD], [MASK], ...).
    pub fn special_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .inner
            .get_added_tokens_decoder()
            .iter()
            .filter(|(_, t)| t.special)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    pub fn id_to_token(&self, id: u32) -> String {
        self.inner.id_to_token(id).unwrap_or_default()
    }

    /// Ids back to text, special tokens left out and `##` pieces joined.
    pub fn decode(&self, ids: &[u32]) -> Result<String> {
        self.inner
            .decode(ids, true)
            .map_err(|e| ClozeError::Tokenizer(format!("cannot decode the tokens ({e})")))
    }

    pub fn encode(&self, text: &str) -> Result<Encoded> {
        let encoding = self
            .inner
            .encode_char_offsets(text, true)
            .map_err(|e| ClozeError::Tokenizer(format!("cannot tokenize the text ({e})")))?;
        let input_ids = encoding.get_ids().to_vec();
        let special: Vec<bool> = encoding
            .get_special_tokens_mask()
            .iter()
            .zip(&input_ids)
            .map(|(&flag, &id)| flag == 1 && id != self.mask_id)
            .collect();
        let chars: Vec<char> = text.chars().collect();
        let offsets: Vec<[usize; 2]> = encoding
            .get_offsets()
            .iter()
            .map(|&(start, end)| trim_span(&chars, [start, end]))
            .collect();
        let words = word_spans(&chars, encoding.get_word_ids(), &offsets);
        Ok(Encoded {
            // By id, as `transformers` shows them: a mask that takes the space before it
            // (RoBERTa's `<mask>`, lstrip) is the token `<mask>`, not the text it covered.
            tokens: input_ids.iter().map(|&id| self.id_to_token(id)).collect(),
            input_ids,
            type_ids: encoding.get_type_ids().to_vec(),
            offsets,
            special,
            words,
        })
    }
}

/// A token's character span without the whitespace at its ends (a token that absorbs the space
/// before it still spans only its own characters).
fn trim_span(chars: &[char], [start, end]: [usize; 2]) -> [usize; 2] {
    let end = end.min(chars.len());
    let start = start.min(end);
    let blank = |i: usize| chars[i].is_whitespace();
    let first = (start..end).find(|&i| !blank(i));
    match first {
        None => [start, end],
        Some(first) => {
            let last = (first..end).rev().find(|&i| !blank(i)).unwrap_or(first);
            [first, last + 1]
        }
    }
}

/// Groups consecutive tokens with the same word id into words.
fn word_spans(chars: &[char], word_ids: &[Option<u32>], offsets: &[[usize; 2]]) -> Vec<WordSpan> {
    let mut words: Vec<WordSpan> = Vec::new();
    let mut current: Option<u32> = None;
    for (index, word_id) in word_ids.iter().enumerate() {
        match (*word_id, words.last_mut()) {
            (Some(id), Some(last)) if current == Some(id) => {
                last.tokens[1] = index + 1;
                last.chars[1] = offsets[index][1];
            }
            (Some(id), _) => {
                current = Some(id);
                words.push(WordSpan {
                    text: String::new(),
                    chars: offsets[index],
                    tokens: [index, index + 1],
                });
            }
            (None, _) => current = None,
        }
    }
    for word in &mut words {
        word.text = chars[word.chars[0].min(chars.len())..word.chars[1].min(chars.len())]
            .iter()
            .collect();
    }
    words
}

fn parse_json(file: &str, bytes: &[u8]) -> Result<Value> {
    serde_json::from_slice(bytes)
        .map_err(|e| ClozeError::Tokenizer(format!("{file} is not valid JSON ({e})")))
}

/// A special token from a config, or `default` when the config does not name it.
fn special_token_or(config: &Value, field: &str, default: &str) -> String {
    special_token(config, field).unwrap_or_else(|| default.to_string())
}

/// A special token from a config: either `"[MASK]"` or `{"content": "[MASK]", ...}`.
fn special_token(config: &Value, field: &str) -> Option<String> {
    match config.get(field)? {
        Value::String(text) => Some(text.clone()),
        Value::Object(object) => object.get("content")?.as_str().map(str::to_string),
        _ => None,
    }
}

/// The tokenizer `BertTokenizer` builds from `vocab.txt`, with its defaults for absent settings.
fn wordpiece_from_vocab(bytes: &[u8], config: &Value) -> Result<Tokenizer> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ClozeError::Tokenizer("vocab.txt is not UTF-8 text".into()))?;
    let vocab: Vec<&str> = text
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .collect();
    if vocab.is_empty() {
        return Err(ClozeError::Tokenizer("vocab.txt is empty".into()));
    }
    let token_or = |field: &str, default: &str| special_token_or(config, field, default);
    let unk = token_or("unk_token", "[UNK]");
    let cls = token_or("cls_token", "[CLS]");
    let sep = token_or("sep_token", "[SEP]");
    let pad = token_or("pad_token", "[PAD]");
    let mask = token_or("mask_token", "[MASK]");
    let flag = |field: &str| config.get(field).and_then(Value::as_bool);
    let lowercase = flag("do_lower_case").unwrap_or(true);
    let id_of = |token: &str| {
        vocab
            .iter()
            .position(|entry| *entry == token)
            .map(|i| i as u32)
            .ok_or_else(|| {
                ClozeError::Tokenizer(format!("the special token {token} is not in vocab.txt"))
            })
    };
    let (cls_id, sep_id) = (id_of(&cls)?, id_of(&sep)?);
    id_of(&unk)?;

    // `bpe::Vocab` is the crate's public name for the token → id map every model takes.
    let map: tokenizers::models::bpe::Vocab = vocab
        .iter()
        .enumerate()
        .map(|(i, token)| (token.to_string(), i as u32))
        .collect();
    let model = WordPiece::builder()
        .vocab(map)
        .unk_token(unk.clone())
        .continuing_subword_prefix("##".into())
        .max_input_chars_per_word(100)
        .build()
        .map_err(|e| ClozeError::Tokenizer(format!("vocab.txt: {e}")))?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_normalizer(Some(BertNormalizer::new(
        true,
        flag("tokenize_chinese_chars").unwrap_or(true),
        flag("strip_accents"),
        lowercase,
    )));
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    tokenizer.with_post_processor(Some(BertProcessing::new(
        (sep.clone(), sep_id),
        (cls.clone(), cls_id),
    )));
    tokenizer.with_decoder(Some(WordPieceDecoder::default()));
    let specials: Vec<AddedToken> = [unk, sep, pad, cls, mask]
        .into_iter()
        .filter(|token| vocab.contains(&token.as_str()))
        .map(|token| AddedToken::from(token, true))
        .collect();
    tokenizer.add_special_tokens(&specials);
    Ok(tokenizer)
}
