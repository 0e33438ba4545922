//! The hand-written evaluation set (`crates/pretrain/eval/*.txt`): short everyday sentences
//! written by people, not by the corpus generator, each with one blank and the answers that count
//! — about the world the corpus teaches (`world.txt`), grammar in natural sentences
//! (`grammar.txt`) and everyday life outside that world (`everyday.txt`). Never trained on.
//!
//! A line is `category | sentence with one [answer]`, several accepted answers as
//! `[answer|other]`; `#` starts a comment line.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::evaluate::{Tally, row, table_head};
use clozelab_core::cloze_model::LoadedModel;
use clozelab_core::error::{ClozeError, Result};
use clozelab_core::fill_mask::{FillMaskOptions, fill_mask};

/// The three files: (group, text).
const FILES: [(&str, &str); 3] = [
    ("world", include_str!("../eval/world.txt")),
    ("grammar", include_str!("../eval/grammar.txt")),
    ("everyday", include_str!("../eval/everyday.txt")),
];

/// One sentence of the set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandwrittenItem {
    /// "world", "grammar" or "everyday" (outside the corpus's world).
    pub group: &'static str,
    pub category: String,
    /// The text before and after the blank.
    pub before: String,
    pub after: String,
    /// Every answer that counts, lower case.
    pub accept: Vec<String>,
}

impl HandwrittenItem {
    /// The sentence with `mask` (a model's mask token) in the blank.
    pub fn with_mask(&self, mask: &str) -> String {
        format!("{}{mask}{}", self.before, self.after)
    }
}

/// Reads one line; the message names the line when it is not an item.
fn parse_line(group: &'static str, line: &str) -> std::result::Result<HandwrittenItem, String> {
    let (category, sentence) = line
        .split_once(" | ")
        .ok_or_else(|| format!("{group}: \"{line}\" has no \"category | sentence\""))?;
    let open = sentence.find('[');
    let close = sentence.find(']');
    let (Some(open), Some(close)) = (open, close) else {
        return Err(format!("{group}: \"{line}\" has no [blank]"));
    };
    if close < open || sentence[close + 1..].contains('[') {
        return Err(format!("{group}: \"{line}\" needs exactly one [blank]"));
    }
    let accept: Vec<String> = sentence[open + 1..close]
        .split('|')
        .map(|a| a.trim().to_lowercase())
        .collect();
    if accept
        .iter()
        .any(|a| a.is_empty() || !a.chars().all(char::is_alphabetic))
    {
        return Err(format!(
            "{group}: \"{line}\": an answer is one word of letters"
        ));
    }
    Ok(HandwrittenItem {
        group,
        category: category.trim().to_string(),
        before: sentence[..open].to_string(),
        after: sentence[close + 1..].to_string(),
        accept,
    })
}

/// Every item of the set, in file order; a line that is not an item is an error that names it.
pub fn handwritten_items() -> Result<Vec<HandwrittenItem>> {
    let mut items = Vec::new();
    for (group, text) in FILES {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            items.push(parse_line(group, line).map_err(|message| {
                ClozeError::Input(format!("the hand-written set: {message}"))
            })?);
        }
    }
    Ok(items)
}

/// A sentence the model did not get at rank 1: its text, what counts, what it said first.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub sentence: String,
    pub accept: Vec<String>,
    pub said: String,
    /// The rank of the first accepted answer (0-based) when within the top 5.
    pub rank: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct HandwrittenScore {
    pub overall: Tally,
    pub by_group: BTreeMap<&'static str, Tally>,
    pub by_category: BTreeMap<String, Tally>,
    /// Items none of whose answers is one token of the model's vocabulary (they count as misses).
    pub answers_not_in_vocabulary: usize,
    pub misses: Vec<Miss>,
}

/// Scores `model` on `items`: the rank of the first accepted answer among its five predictions
/// for the blank (compared in lower case; a word's continuation piece is never a whole answer).
pub async fn score_handwritten(
    model: &LoadedModel,
    items: &[HandwrittenItem],
) -> Result<HandwrittenScore> {
    let mut score = HandwrittenScore::default();
    let options = FillMaskOptions {
        top_k: 5,
        attentions: false,
        layers: false,
    };
    let mask = model.tokenizer.mask_token.clone();
    let one_token = one_token_test(model);
    for item in items {
        let text = item.with_mask(&mask);
        let output = fill_mask(model, &text, options).await?;
        let words: Vec<String> = output.masks[0]
            .predictions
            .iter()
            .map(|p| word_of(&p.token))
            .collect();
        let rank = words.iter().position(|w| item.accept.contains(w));
        let in_vocabulary = item.accept.iter().any(|a| one_token(a));
        score.answers_not_in_vocabulary += usize::from(!in_vocabulary);
        for tally in [
            &mut score.overall,
            score.by_group.entry(item.group).or_default(),
            score.by_category.entry(item.category.clone()).or_default(),
        ] {
            tally.add(rank);
        }
        if rank != Some(0) {
            score.misses.push(Miss {
                sentence: text,
                accept: item.accept.clone(),
                said: words.first().cloned().unwrap_or_default(),
                rank,
            });
        }
    }
    Ok(score)
}

/// A predicted token as a whole word: lower case, the byte-level and SentencePiece space marks
/// off; a WordPiece continuation ("##s") stays as it is, so it never matches an answer.
fn word_of(token: &str) -> String {
    token.trim_start_matches(['Ġ', '▁']).to_lowercase()
}

/// Whether a word is one token of the model's vocabulary, as it reads after a space: one token
/// more after "a" than "a" alone (counted once).
fn one_token_test(model: &LoadedModel) -> impl Fn(&str) -> bool + '_ {
    let count = |text: &str| model.tokenizer.encode(text).map(|e| e.input_ids.len()).ok();
    let without = count("a");
    move |word| matches!((count(&format!("a {word}")), without), (Some(with), Some(without)) if with == without + 1)
}

/// The groups, then every category, as a markdown table.
pub fn handwritten_table(score: &HandwrittenScore) -> String {
    let mut table = table_head("part");
    for (group, tally) in &score.by_group {
        table += &row(&format!("**{group}**"), tally);
    }
    table += &row("**all**", &score.overall);
    table += "\n";
    table += &table_head("category");
    for (category, tally) in &score.by_category {
        table += &row(category, tally);
    }
    table
}
