//! The generator: a seeded stream of (category, template, fact) draws rendered to sentences.
//! Categories are drawn uniformly, then a template of the category, then a row of its table such
//! that the pair belongs to the split, so every category gets an equal share. Held-out draws take
//! a held-out template half the time and a held-out fact in a phrasing it was kept from otherwise.

use serde::{Deserialize, Serialize};

use super::category::Category;
use super::rng::{Rng, coin, pick};
use super::split::{Split, is_held_out_template, row_for};
use super::templates::{self, Template};

/// One generated sentence and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub text: String,
    pub category: Category,
    /// Template id: `category * 100 + n`.
    pub template: u32,
    /// Fact id: `table * 1000 + row` of the lexicon.
    pub fact: u32,
}

/// A drawn sentence with its informative word still marked by `*`.
pub(crate) struct Marked {
    pub category: Category,
    pub template: u32,
    pub fact: u32,
    pub marked: String,
}

/// Which (template, fact) pairs a draw may use; syntax drills ignore the split.
#[derive(Clone, Copy)]
pub(crate) enum Admit {
    Only(Split),
    Everything,
}

/// Draws from `categories` by the rule in the module comment.
pub(crate) struct Drawer {
    rng: Rng,
    admit: Admit,
    /// Per category (in the order given): the templates a draw may start from.
    train_templates: Vec<Vec<&'static Template>>,
    held_out_templates: Vec<Vec<&'static Template>>,
    all_templates: Vec<Vec<&'static Template>>,
    categories: Vec<Category>,
}

impl Drawer {
    pub fn new(seed: u64, admit: Admit, categories: &[Category]) -> Self {
        let by = |held_out: Option<bool>| {
            categories
                .iter()
                .map(|&c| {
                    templates::of(c)
                        .filter(|t| held_out.is_none_or(|h| is_held_out_template(t.id) == h))
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        Drawer {
            rng: Rng::new(seed),
            admit,
            train_templates: by(Some(false)),
            held_out_templates: by(Some(true)),
            all_templates: by(None),
            categories: categories.to_vec(),
        }
    }

    pub fn draw(&mut self) -> Marked {
        let rng = &mut self.rng;
        let c = rng.below(self.categories.len());
        let (template, row) = match self.admit {
            Admit::Everything => {
                let t = *pick(rng, &self.all_templates[c]);
                (t, rng.below(t.table.len()))
            }
            Admit::Only(Split::Train) => {
                let t = *pick(rng, &self.train_templates[c]);
                (
                    t,
                    row_for(rng, t, Split::Train).expect("training rows exist"),
                )
            }
            Admit::Only(Split::HeldOut) => loop {
                let t = if coin(rng) && !self.held_out_templates[c].is_empty() {
                    *pick(rng, &self.held_out_templates[c])
                } else {
                    *pick(rng, &self.train_templates[c])
                };
                if let Some(row) = row_for(rng, t, Split::HeldOut) {
                    break (t, row);
                }
            },
        };
        let marked = (template.render)(rng, row);
        Marked {
            category: template.category,
            template: template.id,
            fact: template.table.fact_id(row),
            marked,
        }
    }
}

/// `count` sentences of `split`, the same for the same seed on every platform.
pub fn generate(seed: u64, count: usize, split: Split) -> Vec<Sentence> {
    let mut drawer = Drawer::new(seed, Admit::Only(split), &Category::ALL);
    (0..count)
        .map(|_| {
            let m = drawer.draw();
            Sentence {
                text: m.marked.replace('*', ""),
                category: m.category,
                template: m.template,
                fact: m.fact,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::rng::Rng;
    use crate::corpus::split::{is_held_out_fact, is_held_out_pair, is_held_out_template};
    use crate::corpus::templates;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn the_same_seed_gives_byte_identical_sentences() {
        let first = generate(42, 2_000, Split::Train);
        let second = generate(42, 2_000, Split::Train);
        assert_eq!(first, second);
    }

    #[test]
    fn different_seeds_give_different_sentences() {
        let first: Vec<String> = generate(1, 200, Split::Train)
            .into_iter()
            .map(|s| s.text)
            .collect();
        let second: Vec<String> = generate(2, 200, Split::Train)
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_ne!(first, second);
    }

    fn is_held_out(s: &Sentence) -> bool {
        let template = templates::all().find(|t| t.id == s.template).unwrap();
        is_held_out_pair(template, (s.fact % 1000) as usize)
    }

    #[test]
    fn train_never_uses_a_held_out_pair_but_still_teaches_held_out_facts() {
        let train = generate(7, 50_000, Split::Train);
        for s in &train {
            assert!(!is_held_out_template(s.template), "{s:?}");
            assert!(!is_held_out(s), "{s:?}");
        }
        assert!(train.iter().any(|s| is_held_out_fact(s.fact)));
    }

    #[test]
    fn every_held_out_sentence_is_an_unseen_pairing() {
        let held_out = generate(7, 20_000, Split::HeldOut);
        for s in &held_out {
            assert!(is_held_out(s), "{s:?}");
        }
        let train: HashSet<(u32, u32)> = generate(7, 50_000, Split::Train)
            .iter()
            .map(|s| (s.template, s.fact))
            .collect();
        assert!(
            held_out
                .iter()
                .all(|s| !train.contains(&(s.template, s.fact)))
        );
        // All three kinds of unseen pairing occur.
        assert!(
            held_out
                .iter()
                .any(|s| is_held_out_template(s.template) && !is_held_out_fact(s.fact))
        );
        assert!(
            held_out
                .iter()
                .any(|s| !is_held_out_template(s.template) && is_held_out_fact(s.fact))
        );
        assert!(
            held_out
                .iter()
                .any(|s| is_held_out_template(s.template) && is_held_out_fact(s.fact))
        );
    }

    #[test]
    fn every_category_appears_in_ten_thousand_sentences() {
        let seen: HashSet<Category> = generate(3, 10_000, Split::Train)
            .iter()
            .map(|s| s.category)
            .collect();
        assert_eq!(seen.len(), Category::ALL.len());
    }

    #[test]
    fn every_template_is_used_by_its_split() {
        let train: HashSet<u32> = generate(5, 100_000, Split::Train)
            .iter()
            .map(|s| s.template)
            .collect();
        let held_out: HashSet<u32> = generate(5, 100_000, Split::HeldOut)
            .iter()
            .map(|s| s.template)
            .collect();
        for t in templates::all() {
            if is_held_out_template(t.id) {
                assert!(held_out.contains(&t.id), "template {} never held out", t.id);
            }
            assert_eq!(
                train.contains(&t.id),
                !is_held_out_template(t.id),
                "template {}",
                t.id
            );
        }
    }

    #[test]
    fn sentences_are_lower_case_single_spaced_and_end_with_a_full_stop_or_question_mark() {
        for s in generate(11, 20_000, Split::HeldOut)
            .into_iter()
            .chain(generate(11, 20_000, Split::Train))
        {
            let t = &s.text;
            assert!(t.ends_with('.') || t.ends_with('?'), "{t}");
            assert!(
                !t.contains("  ") && !t.starts_with(' ') && !t.contains(" ,") && !t.contains(" ."),
                "{t}"
            );
            assert_eq!(t.to_lowercase(), *t);
            assert!(
                t.chars()
                    .all(|c| c.is_ascii_lowercase() || " .,?'".contains(c)),
                "{t}"
            );
        }
    }

    #[test]
    fn no_template_mixes_up_a_and_an() {
        for s in generate(13, 30_000, Split::Train) {
            let words: Vec<&str> = s.text.split(' ').collect();
            for pair in words.windows(2) {
                let next = pair[1].trim_end_matches(['.', ',', '?']);
                if pair[0] == "a" || pair[0] == "an" {
                    assert_eq!(pair[0], crate::corpus::grammar::article(next), "{}", s.text);
                }
            }
        }
    }

    /// Statistics and timing for docs/CORPUS.md:
    /// `cargo test --release --lib corpus_statistics -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn corpus_statistics() {
        let start = std::time::Instant::now();
        let sentences = generate(0, 300_000, Split::Train);
        println!("300k train sentences in {:?}", start.elapsed());
        let distinct: HashSet<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        println!("distinct: {}", distinct.len());
        let mut per: HashMap<Category, (usize, HashSet<&str>)> = HashMap::new();
        for s in &sentences {
            let e = per.entry(s.category).or_default();
            e.0 += 1;
            e.1.insert(&s.text);
        }
        for c in Category::ALL {
            let (n, d) = &per[&c];
            println!(
                "{:<18} {:>6} ({:.1}%) distinct {:>6}",
                c.name(),
                n,
                *n as f64 / 3000.0,
                d.len()
            );
        }
        let held_out = generate(0, 300_000, Split::HeldOut);
        let distinct_held_out: HashSet<&str> = held_out.iter().map(|s| s.text.as_str()).collect();
        println!("held-out distinct in 300k: {}", distinct_held_out.len());
        println!("templates: {}", templates::all().count());
        for s in sentences.iter().take(15) {
            println!("  sentence [{}] {}", s.category.name(), s.text);
        }
        for i in crate::corpus::cloze_items(0, 5, Split::HeldOut) {
            println!(
                "  cloze [{}] {} -> {}",
                i.category.name(),
                i.text_with_mask,
                i.answer
            );
        }
        for i in crate::corpus::syntax_items(0, 5) {
            println!("  syntax {} -> {}", i.text_with_mask, i.answer);
        }
        for t in templates::all() {
            let row = (t.id as usize * 7) % t.table.len();
            println!(
                "  {:>4} {}",
                t.id,
                (t.render)(&mut Rng::new(u64::from(t.id)), row)
            );
        }
    }
}
