//! Cloze items: a generated sentence with its informative word (the capital, the sound, the
//! opposite, the next day …) replaced by `[MASK]`, or, for syntax drills, its grammatical word
//! (is/are, was/were, has/have, a/an, a verb's tense). These are what the classroom page asks the
//! model, and what a held-out score is computed on.

use serde::{Deserialize, Serialize};

use super::category::Category;
use super::generate::{Admit, Drawer, Marked};
use super::grammar::Verb;
use super::lexicon::SYNTAX_VERBS;
use super::split::Split;
use super::templates::marked_word;

pub const MASK: &str = "[MASK]";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClozeItem {
    /// The sentence with exactly one word replaced by `[MASK]` (punctuation kept).
    pub text_with_mask: String,
    /// The word that was replaced.
    pub answer: String,
    /// Every answer that counts as right: the answer itself, or for a verb-form drill (where
    /// any verb would make sense, only its form is determined) every drill verb in that form.
    pub accept: Vec<String>,
    pub category: Category,
    pub template: u32,
    pub fact: u32,
}

impl ClozeItem {
    /// The sentence with the answer put back.
    pub fn text(&self) -> String {
        self.text_with_mask.replace(MASK, &self.answer)
    }
}

fn cloze(m: Marked) -> ClozeItem {
    let word = marked_word(&m.marked);
    let answer = m.marked[word.clone()].to_string();
    ClozeItem {
        text_with_mask: format!(
            "{}{MASK}{}",
            &m.marked[..word.start - 1],
            &m.marked[word.end..]
        ),
        accept: vec![answer.clone()],
        answer,
        category: m.category,
        template: m.template,
        fact: m.fact,
    }
}

/// `count` fact cloze items of `split` (every category but syntax).
pub fn cloze_items(seed: u64, count: usize, split: Split) -> Vec<ClozeItem> {
    let facts: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|&c| c != Category::Syntax)
        .collect();
    let mut drawer = Drawer::new(seed, Admit::Only(split), &facts);
    (0..count).map(|_| cloze(drawer.draw())).collect()
}

/// `count` syntax drills: agreement (is/are, was/were, has/have, verb -s), a/an and tense. They
/// test grammar rather than facts, so they draw from every syntax template and noun.
pub fn syntax_items(seed: u64, count: usize) -> Vec<ClozeItem> {
    let mut drawer = Drawer::new(seed, Admit::Everything, &[Category::Syntax]);
    (0..count)
        .map(|_| {
            let mut item = cloze(drawer.draw());
            item.accept = same_form(&item.answer);
            item
        })
        .collect()
}

/// A drill verb's answer stands for its form: every drill verb in the forms the answer has.
fn same_form(answer: &str) -> Vec<String> {
    let forms: [fn(&Verb) -> &'static str; 3] = [|v| v.base, |v| v.third, |v| v.past];
    let mut accept: Vec<String> = forms
        .iter()
        .filter(|form| SYNTAX_VERBS.iter().any(|v| form(v) == answer))
        .flat_map(|form| SYNTAX_VERBS.iter().map(|v| form(v).to_string()))
        .collect();
    if accept.is_empty() {
        accept.push(answer.to_string());
    }
    accept.sort();
    accept.dedup();
    accept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::facts::Table;
    use crate::corpus::generate::generate;
    use crate::corpus::lexicon::SYNTAX_VERBS;
    use crate::corpus::rng::Rng;
    use crate::corpus::templates;

    fn assert_well_formed(item: &ClozeItem) {
        assert_eq!(item.text_with_mask.matches(MASK).count(), 1, "{item:?}");
        assert!(
            !item.answer.is_empty() && item.answer.chars().all(|c| c.is_ascii_lowercase()),
            "{item:?}"
        );
    }

    #[test]
    fn every_template_marks_exactly_one_word_for_every_fact() {
        for template in templates::all() {
            for row in 0..template.table.len() {
                for seed in 0..8 {
                    let marked = (template.render)(&mut Rng::new(seed), row);
                    assert_eq!(
                        marked.matches('*').count(),
                        1,
                        "template {}: {marked}",
                        template.id
                    );
                    let m = Marked {
                        category: template.category,
                        template: template.id,
                        fact: template.table.fact_id(row),
                        marked,
                    };
                    assert_well_formed(&cloze(m));
                }
            }
        }
    }

    #[test]
    fn every_cloze_item_has_one_mask_and_a_word_for_an_answer() {
        for split in [Split::Train, Split::HeldOut] {
            for item in cloze_items(9, 5_000, split) {
                assert_well_formed(&item);
                assert_ne!(item.category, Category::Syntax);
            }
        }
    }

    #[test]
    fn a_cloze_item_is_a_generated_sentence_with_one_word_masked() {
        let sentences: std::collections::HashSet<String> = generate(4, 50_000, Split::Train)
            .into_iter()
            .map(|s| s.text)
            .collect();
        let items = cloze_items(4, 500, Split::Train);
        let found = items
            .iter()
            .filter(|i| sentences.contains(&i.text()))
            .count();
        assert!(
            found > 250,
            "only {found} of 500 cloze sentences are in the corpus"
        );
    }

    #[test]
    fn a_verb_drill_accepts_any_drill_verb_in_its_form_and_other_drills_only_their_answer() {
        let items = syntax_items(2, 2_000);
        let verb = items
            .iter()
            .find(|i| SYNTAX_VERBS.iter().any(|v| v.third == i.answer))
            .unwrap();
        assert_eq!(verb.accept.len(), SYNTAX_VERBS.len());
        assert!(
            verb.accept
                .iter()
                .all(|a| SYNTAX_VERBS.iter().any(|v| v.third == a))
        );
        let article = items.iter().find(|i| i.answer == "an").unwrap();
        assert_eq!(article.accept, vec!["an".to_string()]);
        for item in cloze_items(2, 500, Split::HeldOut) {
            assert_eq!(item.accept, vec![item.answer.clone()]);
        }
    }

    #[test]
    fn syntax_items_cover_agreement_articles_and_tense() {
        let items = syntax_items(1, 2_000);
        let answers: std::collections::HashSet<&str> =
            items.iter().map(|i| i.answer.as_str()).collect();
        for word in ["is", "are", "was", "were", "has", "have", "a", "an"] {
            assert!(answers.contains(word), "no syntax item answers {word:?}");
        }
        let past_forms: Vec<&str> = SYNTAX_VERBS.iter().map(|v| v.past).collect();
        let third_forms: Vec<&str> = SYNTAX_VERBS.iter().map(|v| v.third).collect();
        assert!(
            items.iter().any(|i| past_forms.contains(&i.answer.as_str())
                && i.text_with_mask.contains("yesterday"))
        );
        assert!(
            items
                .iter()
                .any(|i| third_forms.contains(&i.answer.as_str()))
        );
        for item in &items {
            assert_well_formed(item);
            assert_eq!(item.category, Category::Syntax);
        }
    }

    /// A held-out item is fair: training teaches its fact with its answer, only never in that
    /// phrasing. (Stems such as "moos" / "moo" count: a sentence may teach the other form.)
    #[test]
    fn held_out_answers_are_taught_by_training_sentences_about_the_same_fact() {
        let mut taught: std::collections::HashMap<u32, std::collections::HashSet<String>> =
            Default::default();
        for s in generate(0, 300_000, Split::Train) {
            let words = s.text.split(|c: char| !c.is_ascii_lowercase());
            taught
                .entry(s.fact)
                .or_default()
                .extend(words.map(str::to_string));
        }
        let items = cloze_items(0, 2_000, Split::HeldOut);
        let stem = |w: &str| w.chars().take(4).collect::<String>();
        let unfair: Vec<&ClozeItem> = items
            .iter()
            .filter(|i| {
                !taught
                    .get(&i.fact)
                    .is_some_and(|words| words.iter().any(|w| stem(w) == stem(&i.answer)))
            })
            .collect();
        let mut by_template: std::collections::BTreeMap<u32, usize> = Default::default();
        for i in &unfair {
            *by_template.entry(i.template).or_default() += 1;
        }
        assert!(
            unfair.len() * 100 <= items.len(),
            "{} of {} held-out answers are never taught (by template: {by_template:?}), e.g. {:?}",
            unfair.len(),
            items.len(),
            &unfair[..unfair.len().min(5)]
        );
    }

    /// The cloze item `template` makes of `row` (its random frame drawn from seed 0).
    fn item(template: u32, table: Table, row: usize) -> ClozeItem {
        let t = templates::all().find(|t| t.id == template).unwrap();
        assert_eq!(t.table, table);
        let marked = (t.render)(&mut Rng::new(0), row);
        cloze(Marked {
            category: t.category,
            template: t.id,
            fact: table.fact_id(row),
            marked,
        })
    }

    #[test]
    fn the_capital_of_france_is_paris() {
        let i = item(500, Table::Countries, 0);
        assert!(
            i.text_with_mask
                .ends_with("the capital of france is [MASK]."),
            "{i:?}"
        );
        assert_eq!(i.answer, "paris");
    }

    #[test]
    fn people_in_japan_speak_japanese() {
        let i = item(502, Table::Countries, 5);
        assert!(
            i.text_with_mask.ends_with("people in japan speak [MASK]."),
            "{i:?}"
        );
        assert_eq!(i.answer, "japanese");
    }

    #[test]
    fn the_opposite_of_hot_is_cold() {
        let i = item(800, Table::Opposites, 1);
        assert!(
            i.text_with_mask.ends_with("the opposite of hot is [MASK]."),
            "{i:?}"
        );
        assert_eq!(i.answer, "cold");
    }

    #[test]
    fn the_day_after_sunday_is_monday() {
        let i = item(700, Table::Days, 6);
        assert!(
            i.text_with_mask
                .ends_with("the day after sunday is [MASK]."),
            "{i:?}"
        );
        assert_eq!(i.answer, "monday");
    }

    #[test]
    fn a_cow_moos_and_a_mother_s_mother_is_a_grandmother() {
        let cow = item(105, Table::Animals, 2);
        assert_eq!(cow.answer, "moos");
        assert!(cow.text_with_mask.contains("a cow does not "), "{cow:?}");
        let grandmother = item(900, Table::Relations, 0);
        assert_eq!(
            grandmother.text_with_mask,
            "my mother's mother is my [MASK]."
        );
        assert_eq!(grandmother.answer, "grandmother");
    }
}
