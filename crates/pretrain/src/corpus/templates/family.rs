//! The family templates (ids Family · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
