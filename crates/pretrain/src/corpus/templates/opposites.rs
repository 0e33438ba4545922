//! The opposites templates (ids Opposites · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
