//! The places templates (ids Places · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
