//! The colours templates (ids Colours · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
