//! Sentence templates, per category. A template renders one fact (a row of its table) with
//! random people, times, number and tense around it, and marks the informative word with `*`
//! (for syntax templates, the grammatical word), so the generator can strip the mark for plain
//! text or turn that word into `[MASK]` for a cloze item. Ids are `category * 100 + n`, given in
//! the table below and never reused, so the held-out split (see `split.rs`) stays fixed.

use super::category::Category;
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

use Category::*;

pub static TEMPLATES: &[Template] = &[
    // ── everyday life ───────────────────────────────────────────────────────────────────
    t(EverydayLife, 0, Table::Routines, |rng, row| {
        let r = &ROUTINES[row];
        let p = person(rng);
        let tense = tense(rng);
        let when = time(rng, tense);
        format!(
            "{} {} {} {} the *{} {when}.",
            p.name,
            r.verb.agree(false, tense),
            r.object,
            r.preposition,
            r.place
        )
    }),
    t(EverydayLife, 1, Table::Routines, |rng, row| {
        let r = &ROUTINES[row];
        let p = person(rng);
        format!(
            "where does {} {} {}? {} the *{}.",
            p.name, r.verb.base, r.object, r.preposition, r.place
        )
    }),
    t(EverydayLife, 2, Table::Routines, |rng, row| {
        let r = &ROUTINES[row];
        let p = person(rng);
        let (go, when) = if coin(rng) {
            ("went", time(rng, Tense::Past))
        } else {
            ("goes", time(rng, Tense::Present))
        };
        format!(
            "{} {go} to the *{} to {} {} {when}.",
            p.name, r.place, r.verb.base, r.object
        )
    }),
    t(EverydayLife, 3, Table::Routines, |rng, row| {
        let r = &ROUTINES[row];
        let (p, q) = two_people(rng);
        let tense = tense(rng);
        format!(
            "{} and {} {} {} {} the *{}.",
            p.name,
            q.name,
            r.verb.agree(true, tense),
            r.object,
            r.preposition,
            r.place
        )
    }),
    t(EverydayLife, 4, Table::Routines, |rng, row| {
        let r = &ROUTINES[row];
        let other =
            &ROUTINES[other_row(rng, ROUTINES.len(), row, |o| ROUTINES[o].place != r.place)];
        let p = person(rng);
        format!(
            "{} does not {} {} {} the {}, {} {} {} {} the *{}.",
            p.name,
            r.verb.base,
            r.object,
            other.preposition,
            other.place,
            p.he,
            r.verb.third,
            r.object,
            r.preposition,
            r.place
        )
    }),
    t(EverydayLife, 5, Table::Routines, |rng, row| {
        let r = &ROUTINES[row];
        let p = person(rng);
        let when = time(rng, Tense::Past);
        format!(
            "did {} {} {} {when}? yes, {} the *{}.",
            p.name, r.verb.base, r.object, r.preposition, r.place
        )
    }),
    // ── animals ─────────────────────────────────────────────────────────────────────────
    t(Animals, 0, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        let tense = tense(rng);
        let (subject, plural) = match rng.below(3) {
            0 => (format!("the {}", animal.singular), false),
            1 => (animal.plural.to_string(), true),
            _ => (format!("the {}", animal.plural), true),
        };
        format!(
            "{subject} *{} {}.",
            animal.sound.agree(plural, tense),
            time(rng, tense)
        )
    }),
    t(Animals, 1, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        if coin(rng) {
            format!(
                "what sound does {} make? it *{}.",
                a(animal.singular),
                animal.sound.third
            )
        } else {
            let p = person(rng);
            format!(
                "when {} came home, the {} *{}.",
                p.name, animal.singular, animal.sound.past
            )
        }
    }),
    t(Animals, 2, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        if coin(rng) {
            format!(
                "{}{} lives in {} *{}.",
                lead_in(rng),
                a(animal.singular),
                article(animal.home),
                animal.home
            )
        } else {
            let p = person(rng);
            format!(
                "{} saw {} near its *{} {}.",
                p.name,
                a(animal.singular),
                animal.home,
                time(rng, Tense::Past)
            )
        }
    }),
    t(Animals, 3, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        if coin(rng) {
            format!(
                "{}a baby {} is called {} *{}.",
                lead_in(rng),
                animal.singular,
                article(animal.young),
                animal.young
            )
        } else {
            let p = person(rng);
            format!(
                "{} held a young {}, a little *{}.",
                p.name, animal.singular, animal.young
            )
        }
    }),
    t(Animals, 4, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        if coin(rng) {
            format!(
                "{}{} like to eat *{}.",
                lead_in(rng),
                animal.plural,
                animal.food
            )
        } else {
            let p = person(rng);
            format!(
                "{} gave the {} some *{} {}.",
                p.name,
                animal.singular,
                animal.food,
                time(rng, Tense::Past)
            )
        }
    }),
    t(Animals, 5, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        let other = &ANIMALS[other_row(rng, ANIMALS.len(), row, |o| {
            ANIMALS[o].sound.base != animal.sound.base
        })];
        format!(
            "{}{} does not {}, it *{}.",
            lead_in(rng),
            a(animal.singular),
            other.sound.base,
            animal.sound.third
        )
    }),
    t(Animals, 6, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        let p = person(rng);
        format!(
            "{} heard the {} *{} {}.",
            p.name,
            animal.plural,
            animal.sound.base,
            time(rng, Tense::Past)
        )
    }),
    t(Animals, 7, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        let p = person(rng);
        if coin(rng) {
            format!(
                "{} saw {} {} with its *{} {}.",
                p.name,
                article(animal.singular),
                animal.singular,
                animal.young,
                time(rng, Tense::Past)
            )
        } else {
            format!(
                "the young of {} {} is {} *{}.",
                article(animal.singular),
                animal.singular,
                article(animal.young),
                animal.young
            )
        }
    }),
    t(Animals, 8, Table::Animals, |rng, row| {
        let animal = &ANIMALS[row];
        if coin(rng) {
            format!(
                "{}a young {} is a little *{}.",
                lead_in(rng),
                animal.singular,
                animal.young
            )
        } else {
            let p = person(rng);
            format!(
                "{} fed a little *{}, a young {}.",
                p.name, animal.young, animal.singular
            )
        }
    }),
    // ── food ────────────────────────────────────────────────────────────────────────────
    t(Food, 0, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        if coin(rng) {
            format!("{}{} are *{}.", lead_in(rng), food.plural, food.colour)
        } else {
            format!("{} is *{}.", a(food.singular), food.colour)
        }
    }),
    t(Food, 1, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        let p = person(rng);
        let tense = tense(rng);
        let eats = ["eats", "ate"][(tense == Tense::Past) as usize];
        format!(
            "{} is a kind of *{}, and {} {eats} one {}.",
            a(food.singular),
            food.kind,
            p.name,
            time(rng, tense)
        )
    }),
    t(Food, 2, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        if coin(rng) {
            format!("{}{} taste *{}.", lead_in(rng), food.plural, food.taste)
        } else {
            let p = person(rng);
            format!(
                "{} ate {} and it tasted *{}.",
                p.name,
                a(food.singular),
                food.taste
            )
        }
    }),
    t(Food, 3, Table::FoodSources, |rng, row| {
        let (thing, source) = FOOD_SOURCES[row];
        let plural = thing.ends_with('s');
        if coin(rng) {
            format!(
                "{}{thing} {} from *{source}.",
                lead_in(rng),
                if plural { "come" } else { "comes" }
            )
        } else {
            format!("where do we get {thing}? from *{source}.")
        }
    }),
    t(Food, 4, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        if coin(rng) {
            format!(
                "what colour are {}? they are *{}.",
                food.plural, food.colour
            )
        } else {
            format!(
                "what colour is {}? it is *{}.",
                a(food.singular),
                food.colour
            )
        }
    }),
    t(Food, 5, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        let other = &FOODS[other_row(rng, FOODS.len(), row, |o| FOODS[o].colour != food.colour)];
        format!(
            "{}{} are not {}, they are *{}.",
            lead_in(rng),
            food.plural,
            other.colour,
            food.colour
        )
    }),
    t(Food, 6, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        let p = person(rng);
        let tense = tense(rng);
        let buy = ["buys", "bought"][(tense == Tense::Past) as usize];
        format!(
            "{} {buy} {} at the market {}. they {} *{}.",
            p.name,
            food.plural,
            time(rng, tense),
            be(true, tense),
            food.colour
        )
    }),
    t(Food, 7, Table::FoodSources, |rng, row| {
        let (thing, source) = FOOD_SOURCES[row];
        let p = person(rng);
        format!(
            "{} learned {} that we get {thing} from *{source}.",
            p.name,
            time(rng, Tense::Past)
        )
    }),
    // ── colours ─────────────────────────────────────────────────────────────────────────
    t(Colours, 0, Table::ColouredThings, |rng, row| {
        let (thing, plural, colour) = COLOURED_THINGS[row];
        if coin(rng) {
            format!(
                "{}{thing} {} *{colour}.",
                lead_in(rng),
                be(plural, Tense::Present)
            )
        } else {
            let p = person(rng);
            format!(
                "{} says that {thing} {} *{colour}.",
                p.name,
                be(plural, Tense::Present)
            )
        }
    }),
    t(Colours, 1, Table::ColouredThings, |_rng, row| {
        let (thing, plural, colour) = COLOURED_THINGS[row];
        let it = if plural { "they" } else { "it" };
        format!(
            "what colour {} {thing}? {it} {} *{colour}.",
            be(plural, Tense::Present),
            be(plural, Tense::Present)
        )
    }),
    t(Colours, 2, Table::ColourMixes, |rng, row| {
        let (first, second, result) = COLOUR_MIXES[row];
        let (first, second) = if coin(rng) {
            (first, second)
        } else {
            (second, first)
        };
        format!(
            "{}if you mix {first} and {second}, you get *{result}.",
            lead_in(rng)
        )
    }),
    t(Colours, 3, Table::ColourMixes, |rng, row| {
        let (first, second, result) = COLOUR_MIXES[row];
        let p = person(rng);
        format!(
            "{} mixed {first} paint and {second} paint and got *{result} {}.",
            p.name,
            time(rng, Tense::Past)
        )
    }),
    t(Colours, 4, Table::ColouredThings, |rng, row| {
        let (thing, _, colour) = COLOURED_THINGS[row];
        let p = person(rng);
        format!("to paint {thing}, {} used *{colour} paint.", p.name)
    }),
    t(Colours, 5, Table::ColouredThings, |rng, row| {
        let (thing, plural, colour) = COLOURED_THINGS[row];
        let other = COLOURED_THINGS[other_row(rng, COLOURED_THINGS.len(), row, |o| {
            COLOURED_THINGS[o].2 != colour
        })]
        .2;
        let (is, it) = if plural {
            ("are", "they")
        } else {
            ("is", "it")
        };
        format!(
            "{}{thing} {is} not {other}, {it} {is} *{colour}.",
            lead_in(rng)
        )
    }),
    t(Colours, 6, Table::ColourMixes, |rng, row| {
        let (first, second, result) = COLOUR_MIXES[row];
        format!(
            "{}{result} is made by mixing {first} and *{second}.",
            lead_in(rng)
        )
    }),
    t(Colours, 7, Table::ColourMixes, |rng, row| {
        let (first, second, result) = COLOUR_MIXES[row];
        if coin(rng) {
            format!(
                "{}{first} paint and {second} paint make *{result} paint.",
                lead_in(rng)
            )
        } else {
            let p = person(rng);
            format!("{} got *{result} by mixing {first} with {second}.", p.name)
        }
    }),
    // ── jobs ────────────────────────────────────────────────────────────────────────────
    t(Jobs, 0, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        if coin(rng) {
            format!(
                "{}{} works in {} *{}.",
                lead_in(rng),
                a(job.singular),
                article(job.workplace),
                job.workplace
            )
        } else {
            format!(
                "{} work in {} *{}.",
                job.plural,
                article(job.workplace),
                job.workplace
            )
        }
    }),
    t(Jobs, 1, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let p = person(rng);
        let tense = tense(rng);
        let uses = ["uses", "used"][(tense == Tense::Past) as usize];
        format!(
            "{} {} {}, so {} {uses} {} *{}.",
            p.name,
            be(false, tense),
            a(job.singular),
            p.he,
            article(job.tool),
            job.tool
        )
    }),
    t(Jobs, 2, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let p = person(rng);
        let parent = if coin(rng) {
            ("mother", "she")
        } else {
            ("father", "he")
        };
        format!(
            "{}'s {} is {}. {} works in {} *{}.",
            p.name,
            parent.0,
            a(job.singular),
            parent.1,
            article(job.workplace),
            job.workplace
        )
    }),
    t(Jobs, 3, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        format!("{}*{} {}.", lead_in(rng), job.plural, job.purpose)
    }),
    t(Jobs, 4, Table::Jobs, |_rng, row| {
        let job = &JOBS[row];
        format!(
            "where does {} work? in {} *{}.",
            a(job.singular),
            article(job.workplace),
            job.workplace
        )
    }),
    t(Jobs, 5, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let other = &JOBS[other_row(rng, JOBS.len(), row, |o| JOBS[o].workplace != job.workplace)];
        format!(
            "{}{} does not work in {}, but in {} *{}.",
            lead_in(rng),
            a(job.singular),
            a(other.workplace),
            article(job.workplace),
            job.workplace
        )
    }),
    t(Jobs, 6, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let p = person(rng);
        format!(
            "{} wants to {} one day, so {} will be {} *{}.",
            p.name,
            job.purpose,
            p.he,
            article(job.singular),
            job.singular
        )
    }),
    t(Jobs, 7, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        if coin(rng) {
            format!(
                "{}people who {} are called *{}.",
                lead_in(rng),
                job.purpose,
                job.plural
            )
        } else {
            format!("*{} are the people who {}.", job.plural, job.purpose)
        }
    }),
    // ── places ──────────────────────────────────────────────────────────────────────────
    t(Places, 0, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        format!(
            "{}the capital of {} is *{}.",
            lead_in(rng),
            c.name,
            c.capital
        )
    }),
    t(Places, 1, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        let p = person(rng);
        let tense = tense(rng);
        let fly = ["flies", "flew"][(tense == Tense::Past) as usize];
        let when = match tense {
            Tense::Present => pick(
                rng,
                &["every summer", "every year", "each winter", "twice a year"],
            ),
            Tense::Past => pick(rng, &["last year", "last summer", "in may", "last week"]),
        };
        format!(
            "{} {fly} to *{}, the capital of {}, {when}.",
            p.name, c.capital, c.name
        )
    }),
    t(Places, 2, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        format!(
            "{}people in {} speak *{}.",
            lead_in(rng),
            c.name,
            c.language
        )
    }),
    t(Places, 3, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        let p = person(rng);
        let from = if coin(rng) { "is from" } else { "grew up in" };
        format!(
            "{} {from} {}, so {} speaks *{}.",
            p.name, c.name, p.he, c.language
        )
    }),
    t(Places, 4, Table::Countries, |_rng, row| {
        let c = &COUNTRIES[row];
        format!("what is the capital of {}? it is *{}.", c.name, c.capital)
    }),
    t(Places, 5, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        let other = &COUNTRIES[other_row(rng, COUNTRIES.len(), row, |_| true)];
        format!(
            "the capital of {} is not {}, it is *{}.",
            c.name, other.capital, c.capital
        )
    }),
    t(Places, 6, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        format!(
            "{}{} is the capital of *{}.",
            lead_in(rng),
            c.capital,
            c.name
        )
    }),
    t(Places, 7, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        let p = person(rng);
        format!(
            "{} visited {} and spoke *{} there.",
            p.name, c.capital, c.language
        )
    }),
    t(Places, 8, Table::Countries, |rng, row| {
        let c = &COUNTRIES[row];
        let p = person(rng);
        if coin(rng) {
            format!(
                "{} lives in {}, and {} speaks *{} at home.",
                p.name, c.name, p.he, c.language
            )
        } else {
            format!(
                "in {}, {} speaks *{} with friends.",
                c.name, p.name, c.language
            )
        }
    }),
    // ── weather and seasons ─────────────────────────────────────────────────────────────
    t(Weather, 0, Table::Seasons, |rng, row| {
        let (season, feel, _) = SEASONS[row];
        format!("{}in {season} it is usually *{feel}.", lead_in(rng))
    }),
    t(Weather, 1, Table::Seasons, |rng, row| {
        let (season, _, _) = SEASONS[row];
        let before = SEASONS[(row + SEASONS.len() - 1) % SEASONS.len()].0;
        format!("{}{season} comes after *{before}.", lead_in(rng))
    }),
    t(Weather, 2, Table::Weather, |rng, row| {
        let (weather, item) = WEATHER[row];
        let p = person(rng);
        if coin(rng) {
            format!(
                "when it is {weather}, {} takes {} *{item}.",
                p.name,
                article(item)
            )
        } else {
            format!(
                "it was {weather}, so {} took {} *{item}.",
                p.name,
                article(item)
            )
        }
    }),
    t(Weather, 3, Table::Seasons, |rng, row| {
        let (season, _, happens) = SEASONS[row];
        let marked = match happens {
            "the sun shines" => "the *sun shines".to_string(),
            other => format!("*{other}"),
        };
        format!("{}in {season}, {marked}.", lead_in(rng))
    }),
    t(Weather, 4, Table::Weather, |rng, row| {
        let (weather, item) = WEATHER[row];
        let p = person(rng);
        format!("{} forgot {} *{item}, and it was {weather}.", p.name, p.his)
    }),
    t(Weather, 5, Table::Seasons, |rng, row| {
        let (season, _, _) = SEASONS[row];
        let next = SEASONS[(row + 1) % SEASONS.len()].0;
        format!("{}the season after {season} is *{next}.", lead_in(rng))
    }),
    t(Weather, 6, Table::Weather, |_rng, row| {
        let (weather, item) = WEATHER[row];
        format!("is it {weather}? then take {} *{item}.", article(item))
    }),
    t(Weather, 7, Table::Seasons, |rng, row| {
        let (season, _, happens) = SEASONS[row];
        let marked = match happens {
            "the sun shines" => "the *sun shines".to_string(),
            other => format!("*{other}"),
        };
        if coin(rng) {
            format!("what happens in {season}? {marked}.")
        } else {
            format!("{marked} in {season}.")
        }
    }),
    // ── sequences ───────────────────────────────────────────────────────────────────────
    t(Sequences, 0, Table::Days, |rng, row| {
        format!(
            "{}the day after {} is *{}.",
            lead_in(rng),
            DAYS[row],
            DAYS[(row + 1) % 7]
        )
    }),
    t(Sequences, 1, Table::Days, |rng, row| {
        format!(
            "{}if today is {}, tomorrow is *{}.",
            lead_in(rng),
            DAYS[row],
            DAYS[(row + 1) % 7]
        )
    }),
    t(Sequences, 2, Table::Days, |rng, row| {
        let p = person(rng);
        format!(
            "{} says yesterday was {}, so today is *{}.",
            p.name,
            DAYS[row],
            DAYS[(row + 1) % 7]
        )
    }),
    t(Sequences, 3, Table::Months, |rng, row| {
        format!(
            "{}after {} comes *{}.",
            lead_in(rng),
            MONTHS[row],
            MONTHS[(row + 1) % 12]
        )
    }),
    t(Sequences, 4, Table::Months, |rng, row| {
        if coin(rng) {
            format!(
                "{} is the *{} month of the year.",
                MONTHS[row], ORDINALS[row]
            )
        } else {
            let p = person(rng);
            format!(
                "{}'s birthday is in {}, the *{} month.",
                p.name, MONTHS[row], ORDINALS[row]
            )
        }
    }),
    t(Sequences, 5, Table::Numbers, |rng, row| {
        format!(
            "{}after {} comes *{}.",
            lead_in(rng),
            NUMBERS[row],
            NUMBERS[row + 1]
        )
    }),
    t(Sequences, 6, Table::Numbers, |rng, row| {
        format!(
            "{}{} plus one is *{}.",
            lead_in(rng),
            NUMBERS[row],
            NUMBERS[row + 1]
        )
    }),
    t(Sequences, 7, Table::Numbers, |rng, row| {
        let p = person(rng);
        let things = pick(
            rng,
            &[
                "apples", "books", "pencils", "stickers", "marbles", "shells",
            ],
        );
        format!(
            "{} has {} {things} and finds one more, so now {} has *{}.",
            p.name,
            NUMBERS[row],
            p.he,
            NUMBERS[row + 1]
        )
    }),
    t(Sequences, 8, Table::Days, |rng, row| {
        let p = person(rng);
        format!(
            "{} swims on {} and runs on *{}, the next day.",
            p.name,
            DAYS[row],
            DAYS[(row + 1) % 7]
        )
    }),
    t(Sequences, 9, Table::Months, |rng, row| {
        format!(
            "{}the month before {} is *{}.",
            lead_in(rng),
            MONTHS[(row + 1) % 12],
            MONTHS[row]
        )
    }),
    t(Sequences, 10, Table::Months, |rng, row| {
        if coin(rng) {
            format!(
                "{}the month after {} is *{}.",
                lead_in(rng),
                MONTHS[row],
                MONTHS[(row + 1) % 12]
            )
        } else {
            let p = person(rng);
            format!(
                "{}'s holiday starts in {} and ends in *{}.",
                p.name,
                MONTHS[row],
                MONTHS[(row + 1) % 12]
            )
        }
    }),
    // ── opposites ───────────────────────────────────────────────────────────────────────
    t(Opposites, 0, Table::Opposites, |rng, row| {
        let (adjective, opposite, _, _) = OPPOSITES[row];
        format!(
            "{}the opposite of {adjective} is *{opposite}.",
            lead_in(rng)
        )
    }),
    t(Opposites, 1, Table::Opposites, |rng, row| {
        let (adjective, opposite, thing, other) = OPPOSITES[row];
        format!(
            "{}the {thing} is {adjective}, but the {other} is *{opposite}.",
            lead_in(rng)
        )
    }),
    t(Opposites, 2, Table::Opposites, |rng, row| {
        let (adjective, opposite, _, _) = OPPOSITES[row];
        format!("{}{adjective} and *{opposite} are opposites.", lead_in(rng))
    }),
    t(Opposites, 3, Table::Opposites, |rng, row| {
        let (adjective, opposite, thing, _) = OPPOSITES[row];
        format!(
            "{}the {thing} is not {opposite}, it is *{adjective}.",
            lead_in(rng)
        )
    }),
    t(Opposites, 4, Table::Opposites, |_rng, row| {
        let (adjective, opposite, _, _) = OPPOSITES[row];
        format!("what is the opposite of {adjective}? it is *{opposite}.")
    }),
    t(Opposites, 5, Table::Opposites, |rng, row| {
        let (adjective, opposite, _, _) = OPPOSITES[row];
        format!(
            "{}{opposite} is the opposite of *{adjective}.",
            lead_in(rng)
        )
    }),
    t(Opposites, 6, Table::Opposites, |rng, row| {
        let (adjective, opposite, thing, other) = OPPOSITES[row];
        let p = person(rng);
        format!(
            "{} saw that the {thing} was {adjective} and the {other} was *{opposite}.",
            p.name
        )
    }),
    t(Opposites, 7, Table::Opposites, |rng, row| {
        let (adjective, opposite, _, other) = OPPOSITES[row];
        format!(
            "{}the {other} is not {adjective}, it is *{opposite}.",
            lead_in(rng)
        )
    }),
    // ── family ──────────────────────────────────────────────────────────────────────────
    t(Family, 0, Table::Relations, |_rng, row| {
        let (whose, relation, answer, _) = RELATIONS[row];
        format!("my {whose}'s {relation} is my *{answer}.")
    }),
    t(Family, 1, Table::Relations, |rng, row| {
        let (whose, relation, answer, _) = RELATIONS[row];
        let p = person(rng);
        format!("{}'s {whose}'s {relation} is {} *{answer}.", p.name, p.his)
    }),
    t(Family, 2, Table::Relations, |_rng, row| {
        let (whose, relation, answer, is_she) = RELATIONS[row];
        format!(
            "who is your {whose}'s {relation}? {} is your *{answer}.",
            if is_she { "she" } else { "he" }
        )
    }),
    t(Family, 3, Table::Relations, |rng, row| {
        let (whose, relation, answer, _) = RELATIONS[row];
        let p = person(rng);
        format!(
            "{} visited {} {whose}'s {relation}, {} *{answer}, {}.",
            p.name,
            p.his,
            p.his,
            time(rng, Tense::Past)
        )
    }),
    t(Family, 4, Table::Relations, |rng, row| {
        let (whose, relation, answer, _) = RELATIONS[row];
        format!(
            "{}your {answer} is your {whose}'s *{relation}.",
            lead_in(rng)
        )
    }),
    t(Family, 5, Table::Relations, |rng, row| {
        let (whose, relation, answer, is_she) = RELATIONS[row];
        let wrong = RELATIONS[other_row(rng, RELATIONS.len(), row, |o| {
            RELATIONS[o].3 == is_she && RELATIONS[o].2 != answer
        })]
        .2;
        let p = person(rng);
        format!(
            "{}'s {whose}'s {relation} is not {} {wrong}, {} is {} *{answer}.",
            p.name,
            p.his,
            if is_she { "she" } else { "he" },
            p.his
        )
    }),
    // ── school ──────────────────────────────────────────────────────────────────────────
    t(School, 0, Table::Subjects, |rng, row| {
        let (subject, activity) = SUBJECTS[row];
        format!("{}in *{subject} we {activity}.", lead_in(rng))
    }),
    t(School, 1, Table::SchoolObjects, |rng, row| {
        let (object, _, verb, what) = SCHOOL_OBJECTS[row];
        format!(
            "{}we use {} *{object} to {verb} {what}.",
            lead_in(rng),
            article(object)
        )
    }),
    t(School, 2, Table::Subjects, |rng, row| {
        let (subject, activity) = SUBJECTS[row];
        let p = person(rng);
        if coin(rng) {
            format!(
                "{} loves *{subject} because {} loves to {activity}.",
                p.name, p.he
            )
        } else {
            format!(
                "{} loved *{subject} because {} loved to {activity}.",
                p.name, p.he
            )
        }
    }),
    t(School, 3, Table::SchoolObjects, |rng, row| {
        let (object, _, verb, what) = SCHOOL_OBJECTS[row];
        let p = person(rng);
        format!(
            "{} used {} *{object} to {verb} {what} {}.",
            p.name,
            article(object),
            time(rng, Tense::Past)
        )
    }),
    t(School, 4, Table::SchoolObjects, |_rng, row| {
        let (object, _, verb, what) = SCHOOL_OBJECTS[row];
        format!(
            "what do you use to {verb} {what}? {} *{object}.",
            article(object)
        )
    }),
    t(School, 5, Table::Subjects, |_rng, row| {
        let (subject, activity) = SUBJECTS[row];
        format!("in which lesson do we {activity}? in *{subject}.")
    }),
    t(School, 6, Table::SchoolObjects, |rng, row| {
        let (_, plural, verb, what) = SCHOOL_OBJECTS[row];
        format!("{}*{plural} help us {verb} {what}.", lead_in(rng))
    }),
    t(School, 7, Table::Subjects, |rng, row| {
        let (subject, activity) = SUBJECTS[row];
        let (p, q) = two_people(rng);
        format!(
            "in *{subject} {} and {} {activity} together.",
            p.name, q.name
        )
    }),
    // ── cause and effect ────────────────────────────────────────────────────────────────
    t(CauseAndEffect, 0, Table::Causes, |rng, row| {
        let (cause, effect, _, _) = CAUSES[row];
        format!("{}if {cause}, {effect}.", lead_in(rng))
    }),
    t(CauseAndEffect, 1, Table::Causes, |rng, row| {
        let (cause, effect, _, _) = CAUSES[row];
        format!("{}when {cause}, {effect}.", lead_in(rng))
    }),
    t(CauseAndEffect, 2, Table::Causes, |rng, row| {
        let (_, _, cause, effect) = CAUSES[row];
        format!("{}{effect} because {cause}.", lead_in(rng))
    }),
    t(CauseAndEffect, 3, Table::Causes, |rng, row| {
        let (_, _, cause, effect) = CAUSES[row];
        format!("{}{cause}, so {effect}.", lead_in(rng))
    }),
    t(CauseAndEffect, 4, Table::Causes, |_rng, row| {
        let (cause, effect, _, _) = CAUSES[row];
        format!("what happens if {cause}? {effect}.")
    }),
    t(CauseAndEffect, 5, Table::Causes, |rng, row| {
        let (cause, effect, _, _) = CAUSES[row];
        let p = person(rng);
        format!("{} knows that if {cause}, {effect}.", p.name)
    }),
    // ── syntax: the marked word is the grammatical one ──────────────────────────────────
    t(Syntax, 0, Table::SyntaxNouns, |rng, row| {
        let (singular, plural) = SYNTAX_NOUNS[row];
        let is_plural = coin(rng);
        let noun = if is_plural { plural } else { singular };
        let place = pick(
            rng,
            &[
                "on the table",
                "in the box",
                "near the door",
                "under the bed",
            ],
        );
        format!("the {noun} *{} {place}.", be(is_plural, Tense::Present))
    }),
    t(Syntax, 1, Table::SyntaxNouns, |rng, row| {
        let (singular, plural) = SYNTAX_NOUNS[row];
        let is_plural = coin(rng);
        let noun = if is_plural { plural } else { singular };
        format!(
            "the {noun} *{} here {}.",
            be(is_plural, Tense::Past),
            time(rng, Tense::Past)
        )
    }),
    t(Syntax, 2, Table::SyntaxNouns, |rng, row| {
        let (singular, _) = SYNTAX_NOUNS[row];
        if coin(rng) {
            let p = person(rng);
            format!(
                "{} *{} {}.",
                p.name,
                have(false, Tense::Present),
                a(singular)
            )
        } else {
            let (p, q) = two_people(rng);
            format!(
                "{} and {} *{} {}.",
                p.name,
                q.name,
                have(true, Tense::Present),
                a(singular)
            )
        }
    }),
    t(Syntax, 3, Table::SyntaxNouns, |rng, row| {
        let (singular, _) = SYNTAX_NOUNS[row];
        format!(
            "there was *{} in the garden {}.",
            a(singular),
            time(rng, Tense::Past)
        )
    }),
    t(Syntax, 4, Table::SyntaxNouns, |_rng, row| {
        let (singular, _) = SYNTAX_NOUNS[row];
        format!("there is *{} in the picture.", a(singular))
    }),
    t(Syntax, 5, Table::SyntaxVerbs, |rng, row| {
        let verb = &SYNTAX_VERBS[row];
        let (p, q) = two_people(rng);
        if coin(rng) {
            format!(
                "{} {} *{} with {}.",
                time(rng, Tense::Past),
                p.name,
                verb.past,
                q.name
            )
        } else {
            format!(
                "{} {} *{} with {}.",
                time(rng, Tense::Present),
                p.name,
                verb.third,
                q.name
            )
        }
    }),
    t(Syntax, 6, Table::SyntaxVerbs, |rng, row| {
        let verb = &SYNTAX_VERBS[row];
        let p = person(rng);
        let tense = tense(rng);
        format!(
            "{} *{} {}.",
            p.name,
            verb.agree(false, tense),
            time(rng, tense)
        )
    }),
    t(Syntax, 7, Table::SyntaxVerbs, |rng, row| {
        let verb = &SYNTAX_VERBS[row];
        let (p, q) = two_people(rng);
        if coin(rng) {
            format!(
                "{} and {} *{} {}.",
                p.name,
                q.name,
                verb.base,
                time(rng, Tense::Present)
            )
        } else {
            format!("{} *{} {}.", p.name, verb.third, time(rng, Tense::Present))
        }
    }),
];

/// The templates of one category, in id order.
pub fn of(category: Category) -> impl Iterator<Item = &'static Template> {
    TEMPLATES.iter().filter(move |t| t.category == category)
}
