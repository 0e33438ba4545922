//! The syntax templates: the marked word is the grammatical one (ids Syntax · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
