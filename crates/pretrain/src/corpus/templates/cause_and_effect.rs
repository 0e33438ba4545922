//! The cause and effect templates (ids CauseAndEffect · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
