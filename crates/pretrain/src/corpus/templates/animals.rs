//! The animals templates (ids Animals · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
