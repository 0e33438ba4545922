//! The sequences templates (ids Sequences · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
