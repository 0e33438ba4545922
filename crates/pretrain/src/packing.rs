//! Sentences → training sequences. Most sequences pack consecutive sentences up to the sequence
//! length (few padding tokens, every position trained); a share stay single sentences, the shape
//! of what people type on the page.

use clozelab_core::error::{ClozeError, Result};
use clozelab_core::masking::Rng;
use clozelab_core::tokenize::ClozeTokenizer;
use clozelab_core::train::data::{Sequence, inner_tokens};

/// Tokenizes `sentences` and packs them into sequences of at most `seq_len` tokens, [CLS] and
/// [SEP] included; `single_share` of them (0–1) hold one sentence only. Returns the sequences
/// and the number of sentence tokens (specials excluded).
pub fn pack_sentences(
    tokenizer: &ClozeTokenizer,
    sentences: &[String],
    seq_len: usize,
    single_share: f64,
    rng: &mut Rng,
) -> Result<(Vec<Sequence>, usize)> {
    let mut sequences = Vec::new();
    let mut tokens = 0;
    let mut current: Vec<u32> = Vec::new();
    let (mut cls, mut sep) = (0, 0);
    let mut close = |current: &mut Vec<u32>, cls: u32, sep: u32| {
        if !current.is_empty() {
            sequences.push(Sequence::wrap(cls, current, sep));
            current.clear();
        }
    };
    let room = seq_len.saturating_sub(2);
    // Whether the sequence being filled is one of the single-sentence share: decided once per
    // sequence, so the others fill up to the length (deciding after every sentence instead left
    // sequences half empty on average, and half of every batch padding).
    let mut single = rng.unit() < single_share;
    for sentence in sentences {
        let inner;
        (cls, inner, sep) = inner_tokens(tokenizer, sentence)?;
        if inner.len() > room {
            return Err(ClozeError::Input(format!(
                "a sentence of {} tokens does not fit sequences of {seq_len}: {sentence}",
                inner.len() + 2
            )));
        }
        tokens += inner.len();
        if current.len() + inner.len() > room {
            close(&mut current, cls, sep);
            single = rng.unit() < single_share;
        }
        current.extend(inner);
        if single {
            close(&mut current, cls, sep);
            single = rng.unit() < single_share;
        }
    }
    close(&mut current, cls, sep);
    Ok((sequences, tokens))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train_tokenizer;

    #[test]
    fn packs_whole_sentences_up_to_the_length_and_keeps_every_token() {
        let sentences: Vec<String> = (0..200)
            .map(|i| format!("the cat number {i} sat on the mat."))
            .collect();
        let tokenizer =
            ClozeTokenizer::from_files(&train_tokenizer(sentences.iter(), 300).unwrap()).unwrap();
        let (sequences, tokens) =
            pack_sentences(&tokenizer, &sentences, 40, 0.25, &mut Rng::new(1)).unwrap();
        let inner: usize = sequences.iter().map(|s| s.ids.len() - 2).sum();
        assert_eq!(inner, tokens);
        assert!(sequences.iter().all(|s| s.ids.len() <= 40));
        assert!(
            sequences
                .iter()
                .all(|s| s.special.iter().filter(|&&x| x).count() == 2)
        );
        let single = sequences.iter().filter(|s| s.ids.len() < 20).count();
        assert!(
            single > 0 && single < sequences.len(),
            "{single} of {}",
            sequences.len()
        );
        // A sequence of several sentences is filled: the next sentence would not have fitted.
        let packed: Vec<usize> = sequences
            .iter()
            .filter(|s| s.ids.len() >= 20)
            .map(|s| s.ids.len())
            .collect();
        let mean = packed.iter().sum::<usize>() as f64 / packed.len() as f64;
        assert!(mean > 30.0, "packed sequences hold {mean} tokens of 40");
        let text: Vec<String> = sequences
            .iter()
            .map(|s| tokenizer.decode(&s.ids).unwrap())
            .collect();
        assert_eq!(text.join(" "), sentences.join(" "));
    }
}
