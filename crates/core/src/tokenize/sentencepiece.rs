//! The tokenizer `transformers`' `DebertaV2Tokenizer` builds from a SentencePiece `spm.model` when
//! a folder has no `tokenizer.json` (as the hub's DeBERTa-v3 folders): the model's unigram pieces
//! and scores, its own normaliser (runs of spaces and line breaks to one space, NFC, no trailing
//! space; lower case on request), Metaspace (`▁`), `[CLS] … [SEP]`, and the special tokens —
//! `[MASK]` added after the pieces. The `.model` file is a protobuf `ModelProto`; only the parts
//! needed are read, with bounds checks, and anything but a unigram model is refused by name.

use serde_json::Value;
use tokenizers::decoders::metaspace::Metaspace as MetaspaceDecoder;
use tokenizers::models::unigram::Unigram;
use tokenizers::normalizers::{Lowercase, NFC, Replace, Sequence as NormalizerSequence, Strip};
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::pre_tokenizers::punctuation::Punctuation;
use tokenizers::pre_tokenizers::sequence::Sequence as PreTokenizerSequence;
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{
    AddedToken, NormalizerWrapper, PreTokenizerWrapper, SplitDelimiterBehavior, Tokenizer,
};

use super::special_token_or;
use crate::error::{ClozeError, Result};

/// `spm.model`'s pieces with their scores, in id order.
fn read_pieces(bytes: &[u8]) -> Result<Vec<(String, f64)>> {
    let (mut pieces, mut trained) = (Vec::new(), false);
    let mut reader = Reader::new(bytes);
    while let Some((field, value)) = reader.next_field()? {
        match (field, value) {
            (1, Field::Bytes(piece)) => pieces.push(read_piece(piece)?),
            (2, Field::Bytes(trainer_spec)) => {
                check_unigram(trainer_spec)?;
                trained = true;
            }
            _ => {}
        }
    }
    if pieces.is_empty() {
        return Err(bad("it has no pieces"));
    }
    // The trainer's settings follow the pieces in every file sentencepiece writes; a file cut
    // between two pieces is otherwise a valid, smaller model (and its [MASK] would get the wrong id).
    if !trained {
        return Err(bad(
            "it is cut short (no trainer settings after its pieces)",
        ));
    }
    Ok(pieces)
}

/// One `SentencePiece` message: `piece` (1), `score` (2).
fn read_piece(bytes: &[u8]) -> Result<(String, f64)> {
    let (mut piece, mut score) = (None, 0.0);
    let mut reader = Reader::new(bytes);
    while let Some((field, value)) = reader.next_field()? {
        match (field, value) {
            (1, Field::Bytes(text)) => {
                piece = Some(
                    String::from_utf8(text.to_vec()).map_err(|_| bad("a piece is not UTF-8"))?,
                )
            }
            (2, Field::Fixed32(bits)) => score = f32::from_bits(bits) as f64,
            _ => {}
        }
    }
    Ok((piece.ok_or_else(|| bad("a piece has no text"))?, score))
}

/// `TrainerSpec.model_type` (3): 1 is unigram (the default); BPE, word and char models are not read.
fn check_unigram(bytes: &[u8]) -> Result<()> {
    let mut reader = Reader::new(bytes);
    while let Some((field, value)) = reader.next_field()? {
        if let (3, Field::Varint(kind)) = (field, value)
            && kind != 1
        {
            let name = match kind {
                2 => "BPE",
                3 => "word",
                4 => "char",
                _ => "unknown",
            };
            return Err(ClozeError::Tokenizer(format!(
                "spm.model is a SentencePiece {name} model; only unigram models (DeBERTa's) are read"
            )));
        }
    }
    Ok(())
}

fn bad(why: &str) -> ClozeError {
    ClozeError::Tokenizer(format!("spm.model is not a SentencePiece model: {why}"))
}

enum Field<'a> {
    Varint(u64),
    Fixed32(u32),
    Fixed64,
    Bytes(&'a [u8]),
}

/// Protobuf wire format, just enough to walk a message's fields.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .bytes
                .get(self.at)
                .ok_or_else(|| bad("it is cut short"))?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(bad("a number runs on"))
    }

    fn take(&mut self, count: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(count)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| bad("it is cut short"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn next_field(&mut self) -> Result<Option<(u64, Field<'a>)>> {
        if self.at >= self.bytes.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let value = match key & 7 {
            0 => Field::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Field::Fixed64
            }
            2 => {
                let length = self.varint()? as usize;
                Field::Bytes(self.take(length)?)
            }
            5 => {
                let bytes = self.take(4)?;
                Field::Fixed32(u32::from_le_bytes(bytes.try_into().expect("four bytes")))
            }
            kind => return Err(bad(&format!("unknown wire type {kind}"))),
        };
        Ok(Some((key >> 3, value)))
    }
}

pub(super) fn deberta_from_spm(bytes: &[u8], config: &Value) -> Result<Tokenizer> {
    let pieces = read_pieces(bytes)?;
    let flag = |field: &str, default: bool| {
        config
            .get(field)
            .and_then(Value::as_bool)
            .unwrap_or(default)
    };
    let token_or = |field: &str, default: &str| special_token_or(config, field, default);
    let unk = token_or("unk_token", "[UNK]");
    let unk_id = pieces
        .iter()
        .position(|(piece, _)| *piece == unk)
        .unwrap_or(1);
    let model = Unigram::from(pieces, Some(unk_id), false)
        .map_err(|e| ClozeError::Tokenizer(format!("spm.model: {e}")))?;
    let mut tokenizer = Tokenizer::new(model);

    let mut normalizers: Vec<NormalizerWrapper> = Vec::new();
    if flag("do_lower_case", false) {
        normalizers.push(Lowercase.into());
    }
    let spaces = Replace::new(
        tokenizers::normalizers::replace::ReplacePattern::Regex(r"\s{2,}|[\n\r\t]".into()),
        " ",
    )
    .map_err(|e| ClozeError::Tokenizer(e.to_string()))?;
    normalizers.extend([spaces.into(), NFC.into(), Strip::new(false, true).into()]);
    tokenizer.with_normalizer(Some(NormalizerSequence::new(normalizers)));

    let scheme = if flag("add_prefix_space", true) {
        PrependScheme::Always
    } else {
        PrependScheme::First
    };
    let mut pre: Vec<PreTokenizerWrapper> = Vec::new();
    if flag("split_by_punct", false) {
        pre.push(Punctuation::new(SplitDelimiterBehavior::Isolated).into());
    }
    pre.push(Metaspace::new('▁', scheme, true).into());
    tokenizer.with_pre_tokenizer(Some(PreTokenizerSequence::new(pre)));
    tokenizer.with_decoder(Some(MetaspaceDecoder::new('▁', scheme, true)));

    let added: Vec<AddedToken> = [
        ("bos_token", "[CLS]"),
        ("eos_token", "[SEP]"),
        ("unk_token", "[UNK]"),
        ("sep_token", "[SEP]"),
        ("pad_token", "[PAD]"),
        ("cls_token", "[CLS]"),
        ("mask_token", "[MASK]"),
    ]
    .iter()
    .map(|(field, default)| AddedToken::from(token_or(field, default), true))
    .collect();
    tokenizer.add_special_tokens(&added);
    // Every special token has an id now: a piece's own, or the next free one.
    let id_of = |token: &str| tokenizer.token_to_id(token).unwrap_or(0);
    let (cls, sep) = (
        token_or("cls_token", "[CLS]"),
        token_or("sep_token", "[SEP]"),
    );
    let template = TemplateProcessing::builder()
        .try_single(format!("{cls}:0 $A:0 {sep}:0"))
        .and_then(|builder| builder.try_pair(format!("{cls}:0 $A:0 {sep}:0 $B:1 {sep}:1")))
        .map_err(|e| ClozeError::Tokenizer(format!("spm.model: {e}")))?
        .special_tokens(vec![(cls.clone(), id_of(&cls)), (sep.clone(), id_of(&sep))])
        .build()
        .map_err(|e| ClozeError::Tokenizer(format!("spm.model: {e}")))?;
    tokenizer.with_post_processor(Some(template));
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A protobuf `ModelProto` with the given pieces (and a trainer spec naming `model_type`).
    fn model_proto(pieces: &[(&str, f32)], model_type: u8) -> Vec<u8> {
        let mut out = Vec::new();
        for (piece, score) in pieces {
            let mut message = vec![0x0a, piece.len() as u8];
            message.extend(piece.as_bytes());
            message.push(0x15);
            message.extend(score.to_le_bytes());
            out.push(0x0a);
            out.push(message.len() as u8);
            out.extend(message);
        }
        out.extend([0x12, 2, 0x18, model_type]);
        out
    }

    #[test]
    fn pieces_and_scores_come_out_in_order() {
        let specials = [
            ("[PAD]", 0.0),
            ("[CLS]", 0.0),
            ("[SEP]", 0.0),
            ("[UNK]", 0.0),
        ];
        let bytes = model_proto(&[&specials[..], &[("▁cat", -2.5)]].concat(), 1);
        let pieces = read_pieces(&bytes).unwrap();
        assert_eq!(pieces[4], ("▁cat".to_string(), -2.5));
        let tokenizer = deberta_from_spm(&bytes, &Value::Null).unwrap();
        assert_eq!(
            tokenizer.token_to_id("[MASK]"),
            Some(5),
            "added after the pieces"
        );
        let encoding = tokenizer.encode("cat  [MASK]", true).unwrap();
        assert_eq!(encoding.get_ids(), &[1, 4, 5, 2]);
    }

    #[test]
    fn other_model_types_and_damaged_files_are_named() {
        let bpe = model_proto(&[("[UNK]", 0.0)], 2);
        let message = read_pieces(&bpe).unwrap_err().to_string();
        assert!(message.contains("BPE"), "{message}");
        let whole = model_proto(&[("[UNK]", 0.0), ("▁cat", -1.0)], 1);
        let message = read_pieces(&whole[..whole.len() - 7])
            .unwrap_err()
            .to_string();
        assert!(message.contains("cut short"), "{message}");
        // Cut exactly between two pieces: every field whole, the trainer settings gone.
        let message = read_pieces(&whole[..whole.len() - 4])
            .unwrap_err()
            .to_string();
        assert!(message.contains("cut short"), "{message}");
        let message = read_pieces(b"hello world").unwrap_err().to_string();
        assert!(message.contains("not a SentencePiece model"), "{message}");
    }
}
