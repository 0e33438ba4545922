//! Sentence templates, one file per category. A template renders one fact (a row of its table)
//! with random people, times, number and tense around it, and marks the informative word with `*`
//! (for syntax templates, the grammatical word), so the generator can strip the mark for plain
//! text or turn that word into `[MASK]` for a cloze item. Ids are `category * 100 + n`, given in
//! the tables and never reused, so the held-out split (see `split.rs`) stays fixed. This file
//! holds what the categories share: the template type, people, lead-ins, tense and time.

mod animals;
mod cause_and_effect;
mod colours;
mod everyday_life;
mod family;
mod food;
mod jobs;
mod opposites;
mod places;
mod school;
mod sequences;
mod syntax;
mod weather;

use super::category::Category::{self, *};
use super::facts::Table;
use super::grammar::{Tense, a, article, be, have};
use super::lexicon::*;
use super::rng::{Rng, coin, pick};

pub type Render = fn(&mut Rng, usize) -> String;

pub struct Template {
    pub id: u32,
    pub category: Category,
    pub table: Table,
    pub render: Render,
}

/// The byte range of the word marked with `*` in a rendered template (the star excluded).
pub(crate) fn marked_word(marked: &str) -> std::ops::Range<usize> {
    let star = marked.find('*').expect("every template marks one word");
    let after = &marked[star + 1..];
    let len = after
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(after.len());
    star + 1..star + 1 + len
}

impl Template {
    /// The word this template asks about for `row` (its frame drawn from a fixed seed).
    pub fn answer(&self, row: usize) -> String {
        let marked = (self.render)(&mut Rng::new(0), row);
        marked[marked_word(&marked)].to_string()
    }
}

const fn t(category: Category, n: u32, table: Table, render: Render) -> Template {
    Template {
        id: category as u32 * 100 + n,
        category,
        table,
        render,
    }
}

struct Person {
    name: &'static str,
    he: &'static str,
    his: &'static str,
}

fn person(rng: &mut Rng) -> Person {
    let &(name, is_she) = pick(rng, &PEOPLE);
    if is_she {
        Person {
            name,
            he: "she",
            his: "her",
        }
    } else {
        Person {
            name,
            he: "he",
            his: "his",
        }
    }
}

/// Two different people.
fn two_people(rng: &mut Rng) -> (Person, Person) {
    let first = person(rng);
    loop {
        let second = person(rng);
        if second.name != first.name {
            return (first, second);
        }
    }
}

/// Who is saying it, so a fact is met in many frames: nothing (a quarter of the time), or
/// "ben knows that", "emma told leo that", "our teacher says that", … .
fn lead_in(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 | 1 => String::new(),
        2 => format!("{} knows that ", person(rng).name),
        3 => format!("{} learned that ", person(rng).name),
        4 => format!("{} says that ", person(rng).name),
        5 => {
            let (p, q) = two_people(rng);
            format!("{} told {} that ", p.name, q.name)
        }
        6 => {
            let (p, q) = two_people(rng);
            format!("{} reminded {} that ", p.name, q.name)
        }
        _ => pick(
            rng,
            &[
                "our teacher says that ",
                "everyone knows that ",
                "the book says that ",
                "at school we learned that ",
            ],
        )
        .to_string(),
    }
}

fn tense(rng: &mut Rng) -> Tense {
    if coin(rng) {
        Tense::Past
    } else {
        Tense::Present
    }
}

fn time(rng: &mut Rng, tense: Tense) -> &'static str {
    match tense {
        Tense::Present => *pick(rng, &HABIT_TIMES),
        Tense::Past => *pick(rng, &PAST_TIMES),
    }
}

/// A row of `len` rows other than `row`, for "not X but Y" sentences.
fn other_row(rng: &mut Rng, len: usize, row: usize, differs: impl Fn(usize) -> bool) -> usize {
    loop {
        let other = rng.below(len);
        if other != row && differs(other) {
            return other;
        }
    }
}

/// Every category's templates, in the order the corpus has always drawn them.
static BY_CATEGORY: [&[Template]; 13] = [
    everyday_life::TEMPLATES,
    animals::TEMPLATES,
    food::TEMPLATES,
    colours::TEMPLATES,
    jobs::TEMPLATES,
    places::TEMPLATES,
    weather::TEMPLATES,
    sequences::TEMPLATES,
    opposites::TEMPLATES,
    family::TEMPLATES,
    school::TEMPLATES,
    cause_and_effect::TEMPLATES,
    syntax::TEMPLATES,
];

/// Every template, category by category, in id order within each.
pub fn all() -> impl Iterator<Item = &'static Template> {
    BY_CATEGORY.iter().flat_map(|templates| templates.iter())
}

/// The templates of one category, in id order.
pub fn of(category: Category) -> impl Iterator<Item = &'static Template> {
    all().filter(move |t| t.category == category)
}
