//! Natural sentences from WordNet 3.0 (Debian's `wordnet-base`, installed by `make pretrain`):
//! the example sentences in its glosses ("he ran out of money", "she is a good teacher"), kept
//! when they are short and every word is common — in the corpus's own words, or a WordNet lemma
//! tagged often enough in its sense-tagged texts (`cntlist.rev`). WordNet's licence allows use,
//! copying and distribution with its notice (docs/CORPUS.md, the model card).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use clozelab_core::error::{ClozeError, Result};

/// Where Debian installs WordNet.
pub const WORDNET_DIR: &str = "/usr/share/wordnet";

/// Shortest and longest example kept, in words.
const WORDS: std::ops::RangeInclusive<usize> = 4..=14;

/// A lemma tagged at least this often in WordNet's sense-tagged texts counts as common.
const COMMON_TAGS: u32 = 10;

const PARTS: [&str; 4] = ["noun", "verb", "adj", "adv"];

fn read(dir: &Path, file: &str) -> Result<String> {
    std::fs::read_to_string(dir.join(file)).map_err(|e| ClozeError::MissingFile {
        file: dir.join(file).display().to_string(),
        detail: format!(
            "{e} (WordNet comes from Debian's wordnet-base: apt-get install wordnet-base)"
        ),
    })
}

/// WordNet's example sentences that are short and made of common words (`own_words`: the
/// words of the rest of the corpus), lower case, each ending in `.`, `?` or `!`, without
/// repeats, in a fixed order.
pub fn examples(dir: &Path, own_words: &HashSet<String>) -> Result<Vec<String>> {
    let mut tags = HashMap::<String, u32>::new();
    for line in read(dir, "cntlist.rev")?.lines() {
        let mut fields = line.split(' ');
        let (Some(key), _, Some(count)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let lemma = key.split('%').next().unwrap_or_default();
        for word in lemma.split('_') {
            *tags.entry(word.to_string()).or_default() += count.parse::<u32>().unwrap_or(0);
        }
    }
    let mut exceptions = HashMap::<String, String>::new();
    for part in PARTS {
        for line in read(dir, &format!("{part}.exc"))?.lines() {
            let mut words = line.split(' ');
            if let (Some(form), Some(base)) = (words.next(), words.next()) {
                exceptions
                    .entry(form.to_string())
                    .or_insert(base.to_string());
            }
        }
    }
    let common_lemma = |word: &str| tags.get(word).is_some_and(|&n| n >= COMMON_TAGS);
    let common = |word: &str| {
        own_words.contains(word)
            || common_lemma(word)
            || exceptions.get(word).is_some_and(|base| common_lemma(base))
            || SUFFIXES.iter().any(|(suffix, base)| {
                word.strip_suffix(suffix)
                    .is_some_and(|stem| common_lemma(&format!("{stem}{base}")))
            })
    };
    let mut kept = BTreeSet::new();
    for part in PARTS {
        for line in read(dir, &format!("data.{part}"))?.lines() {
            // Glosses follow " | "; the examples in them are quoted.
            let Some((_, gloss)) = line.split_once(" | ") else {
                continue;
            };
            for quoted in gloss.split('"').skip(1).step_by(2) {
                if let Some(sentence) = sentence(quoted, &common) {
                    kept.insert(sentence);
                }
            }
        }
    }
    Ok(kept.into_iter().collect())
}

/// Endings stripped to find a lemma: plurals, third person, past, -ing, comparatives.
const SUFFIXES: [(&str, &str); 10] = [
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("est", ""),
    ("'s", ""),
];

/// The example as a corpus sentence, or `None` when it is too short, too long, holds other
/// characters than letters and plain punctuation, or a word that is not common.
fn sentence(quoted: &str, common: &impl Fn(&str) -> bool) -> Option<String> {
    let text = quoted.trim().to_lowercase();
    if !text
        .chars()
        .all(|c| c.is_ascii_lowercase() || " ,'-.?!".contains(c))
    {
        return None;
    }
    let body = text.trim_end_matches(['.', '?', '!']);
    if body.contains(['.', '?', '!']) || body.starts_with(['\'', '-', ',']) {
        return None;
    }
    let words: Vec<&str> = body
        .split(|c: char| c == ' ' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if !WORDS.contains(&words.len()) {
        return None;
    }
    let plain = |w: &str| w.trim_matches(['\'', '-']).to_string();
    if !words
        .iter()
        .all(|w| w.split('-').all(|part| common(&plain(part))))
    {
        return None;
    }
    let end = if text.len() > body.len() {
        &text[body.len()..body.len() + 1]
    } else {
        "."
    };
    Some(format!(
        "{}{end}",
        body.split_whitespace().collect::<Vec<_>>().join(" ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_examples_of_common_words_are_kept_as_sentences() {
        let common = |w: &str| !["defenestrate", "zeugma"].contains(&w);
        assert_eq!(
            sentence("He ran out of money", &common).as_deref(),
            Some("he ran out of money.")
        );
        assert_eq!(
            sentence("Can you move the car seat forward?", &common).as_deref(),
            Some("can you move the car seat forward?")
        );
        for dropped in [
            "too short",
            "they decided to defenestrate the old printer today",
            "he left at 7 A.M. sharp today",
            "one sentence. another one here",
            "this sentence is far too long to be one that a class would type in one go",
        ] {
            assert_eq!(sentence(dropped, &common), None, "{dropped}");
        }
    }

    #[test]
    fn debian_wordnet_gives_thousands_of_examples() {
        let dir = Path::new(WORDNET_DIR);
        let own: HashSet<String> = ["the", "a", "he", "she", "is", "was", "to", "of"]
            .map(String::from)
            .into();
        let kept = examples(dir, &own).unwrap();
        assert!(kept.len() > 3_000, "{}", kept.len());
        assert!(kept.iter().all(|s| s.ends_with(['.', '?', '!'])));
    }
}
