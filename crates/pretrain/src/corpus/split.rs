//! The held-out split, by template and by fact, so that every held-out sentence is a pairing of
//! phrasing and fact that training never showed:
//!
//! - **By template**: a fixed tenth of the templates (number within their category ending in 3:
//!   ids 3, 103, …, 1203) never appear in `Train`; the facts they ask about are taught by the
//!   table's other templates.
//! - **By fact**: a fixed tenth of the facts (rows 3, 13, 23, … of every lexicon table) are held
//!   out of every other one of the remaining templates that ask for the same word of them (the
//!   sound, the home, the capital …; which half alternates with the row), so the fact is still
//!   taught in some phrasings and asked in others it never met. A word asked by a single
//!   remaining template stays in training.
//!
//! The rule reads only ids, so it cannot drift with the seed, and rows and templates are only
//! ever appended, so the split never moves.

use serde::{Deserialize, Serialize};

use super::facts::Table;
use super::rng::Rng;
use super::templates::{self, Template};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    HeldOut,
}

/// Whether template `id` (`category * 100 + n`) is kept out of training altogether.
pub fn is_held_out_template(id: u32) -> bool {
    id % 100 % 10 == 3
}

/// Whether fact `id` (`table * 1000 + row`) is kept out of some of its phrasings.
pub fn is_held_out_fact(id: u32) -> bool {
    id % 1000 % 10 == 3
}

/// Whether the sentence pairing `template` with row `row` of its table is kept out of training.
pub fn is_held_out_pair(template: &Template, row: usize) -> bool {
    if is_held_out_template(template.id) {
        return true;
    }
    if !is_held_out_fact(template.table.fact_id(row)) {
        return false;
    }
    let answer = template.answer(row);
    let teaching: Vec<u32> = templates_of(template.table)
        .filter(|t| !is_held_out_template(t.id) && t.answer(row) == answer)
        .map(|t| t.id)
        .collect();
    let index = teaching
        .iter()
        .position(|&id| id == template.id)
        .unwrap_or(0);
    teaching.len() >= 2 && index % 2 == (row / 10) % 2
}

fn templates_of(table: Table) -> impl Iterator<Item = &'static Template> {
    templates::all().filter(move |t| t.table == table)
}

impl Split {
    /// Whether a sentence from `template` about row `row` of its table belongs to this split.
    pub fn admits(self, template: &Template, row: usize) -> bool {
        match self {
            Split::Train => !is_held_out_pair(template, row),
            Split::HeldOut => is_held_out_pair(template, row),
        }
    }
}

/// A row of `template`'s table such that the pair belongs to `split`, or `None` when there is
/// none (a held-out draw from a template whose table holds nothing out with it).
pub(crate) fn row_for(rng: &mut Rng, template: &Template, split: Split) -> Option<usize> {
    let len = template.table.len();
    if split == Split::Train {
        // Most rows are admitted: draw until one is (every template keeps training rows).
        loop {
            let row = rng.below(len);
            if split.admits(template, row) {
                return Some(row);
            }
        }
    }
    // A held-out template pairs with any row; otherwise a held-out pair needs a held-out fact.
    let step = if is_held_out_template(template.id) {
        1
    } else {
        10
    };
    let first = if step == 1 { 0 } else { 3 };
    let admitted: Vec<usize> = (first..len)
        .step_by(step)
        .filter(|&row| split.admits(template, row))
        .collect();
    (!admitted.is_empty()).then(|| admitted[rng.below(admitted.len())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenth_of_ids_are_held_out_by_their_last_digit() {
        assert!(is_held_out_template(3) && is_held_out_template(113) && is_held_out_template(1203));
        assert!(!is_held_out_template(100) && !is_held_out_template(7));
        assert!(is_held_out_fact(5003) && is_held_out_fact(5013));
        assert!(!is_held_out_fact(5000));
    }

    #[test]
    fn train_and_held_out_admit_complementary_pairs() {
        for template in templates::all() {
            for row in 0..template.table.len() {
                assert_ne!(
                    Split::Train.admits(template, row),
                    Split::HeldOut.admits(template, row)
                );
            }
        }
    }

    #[test]
    fn every_held_out_fact_is_still_taught_and_most_are_held_out_of_some_phrasing() {
        let (mut facts, mut held_out_of_a_phrasing) = (0, 0);
        for table in templates::all().map(|t| t.table) {
            for row in (3..table.len()).step_by(10) {
                let in_training = |t: &&Template| Split::Train.admits(t, row);
                assert!(
                    templates_of(table).any(|t| in_training(&t)),
                    "{table:?} row {row}"
                );
                facts += 1;
                held_out_of_a_phrasing += usize::from(
                    templates_of(table).any(|t| !is_held_out_template(t.id) && !in_training(&t)),
                );
            }
        }
        assert!(
            held_out_of_a_phrasing * 2 > facts,
            "only {held_out_of_a_phrasing} of {facts} held-out facts are held out of a phrasing"
        );
    }
}
