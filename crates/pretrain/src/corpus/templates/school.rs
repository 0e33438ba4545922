//! The school templates (ids School · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
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
];
