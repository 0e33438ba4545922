//! Learns a WordPiece vocabulary from the corpus's word counts by pair merges (the way BERT's
//! vocabularies are grown: start from single characters, `##`-marked inside a word, and keep
//! joining the most frequent neighbouring pair), with every tie settled by a fixed rule — the
//! pair of earlier-made pieces wins. The same sentences, in any order, give the same vocabulary
//! on every run and machine. (The `tokenizers` crate's own trainer numbers the `##` characters in
//! hash-map order and breaks ties by those numbers, so which pieces it keeps varied run to run,
//! and with them every packed sequence of the corpus.)
//!
//! It plugs into `Tokenizer::train` as a [`Trainer`], so the words it counts are exactly the
//! tokenizer's own normalised, pre-tokenised words.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use tokenizers::models::ModelWrapper;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::{AddedToken, Trainer};

/// The mark on a piece that continues a word.
const CONTINUES: &str = "##";

type Pair = (u32, u32);

/// Settings, as `tokenizers`' `WordPieceTrainer` names them.
pub struct PieceTrainer {
    /// Most tokens in the vocabulary, special tokens included.
    vocab_size: usize,
    /// A pair seen fewer times than this is never joined.
    min_frequency: u64,
    /// Given the first ids, in this order.
    special_tokens: Vec<String>,
    /// The unknown-word token (one of the special tokens).
    unk_token: String,
    words: HashMap<String, u64>,
}

impl PieceTrainer {
    pub fn new(vocab_size: usize, min_frequency: u64, special_tokens: &[&str], unk: &str) -> Self {
        Self {
            vocab_size,
            min_frequency,
            special_tokens: special_tokens.iter().map(|t| t.to_string()).collect(),
            unk_token: unk.to_string(),
            words: HashMap::new(),
        }
    }

    /// Every token, in the order it was made: special tokens, single characters, `##`
    /// characters, then one per merge.
    fn learn(&self) -> Vec<String> {
        let mut words: Vec<(&str, u64)> =
            self.words.iter().map(|(w, n)| (w.as_str(), *n)).collect();
        words.sort_unstable();
        let mut pieces = Pieces::default();
        for token in &self.special_tokens {
            pieces.id(token);
        }
        let starts: BTreeSet<char> = words.iter().flat_map(|(w, _)| w.chars()).collect();
        let inside: BTreeSet<char> = words.iter().flat_map(|(w, _)| w.chars().skip(1)).collect();
        for c in &starts {
            pieces.id(&c.to_string());
        }
        for c in &inside {
            pieces.id(&format!("{CONTINUES}{c}"));
        }
        let mut spelled: Vec<Vec<u32>> = words
            .iter()
            .map(|(w, _)| {
                w.chars()
                    .enumerate()
                    .map(|(i, c)| match i {
                        0 => pieces.ids[&c.to_string()],
                        _ => pieces.ids[&format!("{CONTINUES}{c}")],
                    })
                    .collect()
            })
            .collect();
        let counts: Vec<i64> = words.iter().map(|(_, n)| *n as i64).collect();

        let mut pairs = PairCounts::default();
        for (i, word) in spelled.iter().enumerate() {
            for pair in word.windows(2) {
                pairs.add((pair[0], pair[1]), counts[i], i);
            }
        }
        let mut queue: BinaryHeap<(i64, Reverse<Pair>)> =
            pairs.count.iter().map(|(p, n)| (*n, Reverse(*p))).collect();

        while pieces.tokens.len() < self.vocab_size {
            let Some((count, Reverse(pair))) = queue.pop() else {
                break;
            };
            let now = pairs.count.get(&pair).copied().unwrap_or(0);
            if now != count {
                if now > 0 {
                    queue.push((now, Reverse(pair)));
                }
                continue;
            }
            if (count as u64) < self.min_frequency {
                break;
            }
            let (a, b) = pair;
            let joined = format!(
                "{}{}",
                pieces.tokens[a as usize],
                pieces.tokens[b as usize].trim_start_matches(CONTINUES)
            );
            let made = pieces.id(&joined);
            // Pairs the join creates; a pair whose count fell keeps its old queue entry, which
            // is re-queued with the count it has when popped (above).
            let mut created = BTreeSet::new();
            let mut holders = pairs.holders.remove(&pair).unwrap_or_default();
            holders.sort_unstable();
            holders.dedup();
            for i in holders {
                let (word, n) = (&mut spelled[i], counts[i]);
                let mut j = 0;
                while j + 1 < word.len() {
                    if (word[j], word[j + 1]) != pair {
                        j += 1;
                        continue;
                    }
                    pairs.add(pair, -n, i);
                    if j > 0 {
                        let before = word[j - 1];
                        pairs.add((before, a), -n, i);
                        pairs.add((before, made), n, i);
                        created.insert((before, made));
                    }
                    if j + 2 < word.len() {
                        let after = word[j + 2];
                        pairs.add((b, after), -n, i);
                        pairs.add((made, after), n, i);
                        created.insert((made, after));
                    }
                    word.splice(j..j + 2, [made]);
                    j += 1;
                }
            }
            pairs.count.remove(&pair);
            for p in created {
                if let Some(&n) = pairs.count.get(&p).filter(|n| **n > 0) {
                    queue.push((n, Reverse(p)));
                }
            }
        }
        pieces.tokens
    }
}

/// The tokens made so far and their ids.
#[derive(Default)]
struct Pieces {
    tokens: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Pieces {
    /// The token's id, giving it the next one if it is new.
    fn id(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = self.tokens.len() as u32;
        self.tokens.push(token.to_string());
        self.ids.insert(token.to_string(), id);
        id
    }
}

/// How often each neighbouring pair occurs (weighted by word counts) and in which words.
#[derive(Default)]
struct PairCounts {
    count: HashMap<Pair, i64>,
    /// Indices of the words holding the pair — and perhaps some that no longer do, or twice.
    holders: HashMap<Pair, Vec<usize>>,
}

impl PairCounts {
    fn add(&mut self, pair: Pair, n: i64, word: usize) {
        *self.count.entry(pair).or_default() += n;
        if n > 0 {
            let holders = self.holders.entry(pair).or_default();
            if holders.last() != Some(&word) {
                holders.push(word);
            }
        }
    }
}

/// Special tokens first in their order, then whole-word tokens, then `##` pieces, each
/// alphabetically: ids a reader can follow, the same whatever order the merges came in.
fn canonical_order(mut tokens: Vec<String>, special_tokens: &[String]) -> Vec<String> {
    let special = |t: &str| special_tokens.iter().position(|s| s == t);
    tokens.sort_by_cached_key(|t| {
        (
            special(t).unwrap_or(usize::MAX),
            t.starts_with(CONTINUES),
            t.clone(),
        )
    });
    tokens
}

impl Trainer for PieceTrainer {
    type Model = ModelWrapper;

    fn should_show_progress(&self) -> bool {
        false
    }

    fn train(&self, model: &mut ModelWrapper) -> tokenizers::Result<Vec<AddedToken>> {
        let tokens = canonical_order(self.learn(), &self.special_tokens);
        let vocab: serde_json::Map<String, serde_json::Value> = tokens
            .into_iter()
            .enumerate()
            .map(|(id, token)| (token, id.into()))
            .collect();
        // Read back from text: the model's deserialiser borrows its strings.
        let json = serde_json::json!({
            "type": "WordPiece",
            "unk_token": self.unk_token,
            "continuing_subword_prefix": CONTINUES,
            "max_input_chars_per_word": 100,
            "vocab": vocab,
        });
        let wordpiece: WordPiece = serde_json::from_str(&json.to_string())?;
        *model = ModelWrapper::WordPiece(wordpiece);
        Ok(self
            .special_tokens
            .iter()
            .map(|t| AddedToken::from(t.clone(), true))
            .collect())
    }

    fn feed<I, S, F>(&mut self, iterator: I, process: F) -> tokenizers::Result<()>
    where
        I: Iterator<Item = S> + Send,
        S: AsRef<str> + Send,
        F: Fn(&str) -> tokenizers::Result<Vec<String>> + Sync,
    {
        for sequence in iterator {
            for word in process(sequence.as_ref())? {
                *self.words.entry(word).or_default() += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learned(sentences: &[&str], vocab_size: usize) -> Vec<String> {
        let mut trainer = PieceTrainer::new(vocab_size, 2, &["[UNK]"], "[UNK]");
        trainer
            .feed(sentences.iter(), |s| {
                Ok(s.split_whitespace().map(str::to_string).collect())
            })
            .unwrap();
        trainer.learn()
    }

    #[test]
    fn the_most_frequent_pair_is_joined_first_and_ties_go_to_earlier_pieces() {
        // Four pairs seen three times each: joined in the order of their first characters.
        let tokens = learned(&["gh ef cd ab gh ef cd ab gh ef cd ab aa aa aa aa"], 100);
        let made: Vec<&str> = tokens[tokens.iter().position(|t| t == "##h").unwrap() + 1..]
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(made, ["aa", "ab", "cd", "ef", "gh"]);
    }

    #[test]
    fn overlapping_pairs_are_counted_once_per_join() {
        // (##a, ##a) occurs twice in "aaaa" but, overlapping, is joined once: the counts that
        // follow must say so, or the whole word never forms.
        let tokens = learned(&["aaaa aaaa"], 100);
        assert!(tokens.contains(&"aaaa".to_string()), "{tokens:?}");
        assert_eq!(tokens.len(), 6, "[UNK] a ##a, then three joins: {tokens:?}");
    }

    #[test]
    fn the_size_cap_and_the_minimum_frequency_hold() {
        let tokens = learned(&["cat cat cat dog dog fish"], 100);
        assert!(tokens.contains(&"cat".to_string()) && tokens.contains(&"dog".to_string()));
        assert!(
            !tokens.iter().any(|t| t.contains("sh")),
            "seen once: never joined"
        );
        // 18 single characters and [UNK], then room for two joins: the commoner word's.
        let capped = learned(&["cat cat cat dog dog fish"], 20);
        assert_eq!(capped.len(), 20);
        assert!(capped.contains(&"cat".to_string()) && !capped.contains(&"dog".to_string()));
    }
}
