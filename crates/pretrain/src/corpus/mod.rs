//! A pretraining corpus for the classroom model, written here rather than downloaded: templates
//! and a lexicon of true, simple facts (animals and their sounds, capitals and languages, days
//! in order, opposites, …) rendered to plain lower-case English sentences, deterministically
//! from a seed. Thirteen categories, a held-out split by template and by fact, cloze items that
//! mask the informative word, and syntax drills (agreement, a/an, tense). See docs/CORPUS.md.
//!
//! ```
//! use clozelab_pretrain::corpus::{Split, cloze_items, generate};
//! let sentences = generate(0, 3, Split::Train);
//! assert_eq!(sentences.len(), 3);
//! let item = &cloze_items(0, 1, Split::HeldOut)[0];
//! assert_eq!(item.text_with_mask.matches("[MASK]").count(), 1);
//! ```
//!
//! The pieces, in the order a sentence is made: `category` (what it is about), `lexicon` (the
//! facts), `facts` (lexicon tables and fact ids), `templates` (how a fact is said), `split`
//! (which templates and facts are held out), `generate` (the seeded draw), `cloze` (masking the
//! informative word); `grammar` and `rng` are the helpers they share.

mod category;
mod cloze;
mod facts;
mod generate;
mod grammar;
// The fact tables stay one row per line, as written.
#[rustfmt::skip]
mod lexicon;
mod rng;
mod split;
mod templates;

pub use category::Category;
pub use cloze::{ClozeItem, MASK, cloze_items, syntax_items};
pub use generate::{Sentence, generate};
pub use lexicon::PEOPLE;
pub use split::{Split, is_held_out_fact, is_held_out_pair, is_held_out_template};

/// How many templates the corpus has (held out or not).
pub fn template_count() -> usize {
    templates::all().count()
}
