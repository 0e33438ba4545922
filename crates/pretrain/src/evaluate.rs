//! How well a model fills the corpus's cloze items: top-1 and top-5 accuracy overall and per
//! category, with the markdown table the model card and `make bench` print.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::{Category, ClozeItem};
use clozelab_core::cloze_model::LoadedModel;
use clozelab_core::error::Result;
use clozelab_core::fill_mask::{FillMaskOptions, fill_mask};

/// Items scored and how many the model got right at rank 1 and within the top 5.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    pub items: usize,
    pub top1: usize,
    pub top5: usize,
}

impl Tally {
    pub fn top1_rate(&self) -> f64 {
        self.top1 as f64 / self.items.max(1) as f64
    }

    pub fn top5_rate(&self) -> f64 {
        self.top5 as f64 / self.items.max(1) as f64
    }

    pub(crate) fn add(&mut self, rank: Option<usize>) {
        self.items += 1;
        self.top1 += usize::from(rank == Some(0));
        self.top5 += usize::from(rank.is_some_and(|r| r < 5));
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ClozeScore {
    pub overall: Tally,
    pub by_category: BTreeMap<Category, Tally>,
    /// Items whose answer is not one token of the vocabulary (they count as misses).
    pub answers_not_in_vocabulary: usize,
}

/// Scores `model` on `items`: the rank of the first accepted answer among the predictions for
/// the mask (the answer itself; for verb-form drills any drill verb in that form).
pub async fn score_cloze(model: &LoadedModel, items: &[ClozeItem]) -> Result<ClozeScore> {
    let mut score = ClozeScore::default();
    let options = FillMaskOptions {
        top_k: 5,
        attentions: false,
        layers: false,
    };
    for item in items {
        let output = fill_mask(model, &item.text_with_mask, options).await?;
        let predictions = &output.masks[0].predictions;
        let rank = predictions
            .iter()
            .position(|p| item.accept.contains(&p.token));
        let single_token = model.tokenizer.encode(&item.answer)?.input_ids.len() == 3;
        score.answers_not_in_vocabulary += usize::from(!single_token);
        score.overall.add(rank);
        score
            .by_category
            .entry(item.category)
            .or_default()
            .add(rank);
    }
    Ok(score)
}

/// A markdown table's head: `title`, items, top-1, top-5.
pub(crate) fn table_head(title: &str) -> String {
    format!("| {title} | items | top-1 | top-5 |\n|---|---:|---:|---:|\n")
}

/// One row of such a table.
pub(crate) fn row(name: &str, t: &Tally) -> String {
    format!(
        "| {name} | {} | {:.1}% | {:.1}% |\n",
        t.items,
        100.0 * t.top1_rate(),
        100.0 * t.top5_rate()
    )
}

/// Per-category rows and a total row, as a markdown table.
pub fn markdown_table(title: &str, score: &ClozeScore) -> String {
    let mut table = table_head(title);
    for (category, tally) in &score.by_category {
        table += &row(category.name(), tally);
    }
    table += &row("**all**", &score.overall);
    table
}

/// Seed of the evaluation sets: different from any training seed the recipe uses.
pub const EVALUATION_SEED: u64 = 20_261_122;

/// The held-out cloze set and the syntax set, `count` items each.
pub fn evaluation_sets(count: usize) -> (Vec<ClozeItem>, Vec<ClozeItem>) {
    (
        crate::corpus::cloze_items(EVALUATION_SEED, count, crate::corpus::Split::HeldOut),
        crate::corpus::syntax_items(EVALUATION_SEED, count),
    )
}
