//! The held-out split, by template and by fact. A fixed tenth of the templates (those whose
//! number within their category ends in 3: ids 3, 13, … of each category) and a fixed tenth of the
//! facts (rows 3, 13, 23, … of every lexicon table) never appear in `Train`. `HeldOut` sentences
//! use a held-out template, a held-out fact, or both, so a model scored on them meets phrasings
//! or facts (or pairings) it never trained on. The rule reads only ids, so it cannot drift with
//! the seed, and every category and table keeps most of its rows for training.

use serde::{Deserialize, Serialize};

use super::facts::Table;
use super::rng::{Rng, coin};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    HeldOut,
}

/// Whether template `id` (`category * 100 + n`) is kept out of training.
pub fn is_held_out_template(id: u32) -> bool {
    id % 100 % 10 == 3
}

/// Whether fact `id` (`table * 1000 + row`) is kept out of training.
pub fn is_held_out_fact(id: u32) -> bool {
    id % 1000 % 10 == 3
}

impl Split {
    /// Whether a sentence from template `template` about fact `fact` belongs to this split.
    pub fn admits(self, template: u32, fact: u32) -> bool {
        let held_out = is_held_out_template(template) || is_held_out_fact(fact);
        match self {
            Split::Train => !held_out,
            Split::HeldOut => held_out,
        }
    }
}

/// A training row of `table`, uniformly.
pub(crate) fn train_row(rng: &mut Rng, table: Table) -> usize {
    loop {
        let row = rng.below(table.len());
        if !is_held_out_fact(table.fact_id(row)) {
            return row;
        }
    }
}

/// A held-out row of `table` (rows 3, 13, …), uniformly.
pub(crate) fn held_out_row(rng: &mut Rng, table: Table) -> usize {
    let held_out_rows = (table.len() + 6) / 10;
    10 * rng.below(held_out_rows) + 3
}

/// Any row of `table`; for a held-out template, half the time a held-out one too, so held-out
/// templates meet held-out facts as well as familiar ones.
pub(crate) fn any_row(rng: &mut Rng, table: Table) -> usize {
    if coin(rng) {
        held_out_row(rng, table)
    } else {
        train_row(rng, table)
    }
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
        for (template, fact) in [(100, 2000), (103, 2000), (100, 2013), (103, 2003)] {
            assert_ne!(
                Split::Train.admits(template, fact),
                Split::HeldOut.admits(template, fact)
            );
        }
    }
}
