//! The everyday life templates (ids EverydayLife · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
