//! The jobs templates (ids Jobs · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
    t(Jobs, 0, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        if coin(rng) {
            format!(
                "{}{} works in {} *{}.",
                lead_in(rng),
                a(job.singular),
                article(job.workplace),
                job.workplace
            )
        } else {
            format!(
                "{} work in {} *{}.",
                job.plural,
                article(job.workplace),
                job.workplace
            )
        }
    }),
    t(Jobs, 1, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let p = person(rng);
        let tense = tense(rng);
        let uses = ["uses", "used"][(tense == Tense::Past) as usize];
        format!(
            "{} {} {}, so {} {uses} {} *{}.",
            p.name,
            be(false, tense),
            a(job.singular),
            p.he,
            article(job.tool),
            job.tool
        )
    }),
    t(Jobs, 2, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let p = person(rng);
        let parent = if coin(rng) {
            ("mother", "she")
        } else {
            ("father", "he")
        };
        format!(
            "{}'s {} is {}. {} works in {} *{}.",
            p.name,
            parent.0,
            a(job.singular),
            parent.1,
            article(job.workplace),
            job.workplace
        )
    }),
    t(Jobs, 3, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        format!("{}*{} {}.", lead_in(rng), job.plural, job.purpose)
    }),
    t(Jobs, 4, Table::Jobs, |_rng, row| {
        let job = &JOBS[row];
        format!(
            "where does {} work? in {} *{}.",
            a(job.singular),
            article(job.workplace),
            job.workplace
        )
    }),
    t(Jobs, 5, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let other = &JOBS[other_row(rng, JOBS.len(), row, |o| JOBS[o].workplace != job.workplace)];
        format!(
            "{}{} does not work in {}, but in {} *{}.",
            lead_in(rng),
            a(job.singular),
            a(other.workplace),
            article(job.workplace),
            job.workplace
        )
    }),
    t(Jobs, 6, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        let p = person(rng);
        format!(
            "{} wants to {} one day, so {} will be {} *{}.",
            p.name,
            job.purpose,
            p.he,
            article(job.singular),
            job.singular
        )
    }),
    t(Jobs, 7, Table::Jobs, |rng, row| {
        let job = &JOBS[row];
        if coin(rng) {
            format!(
                "{}people who {} are called *{}.",
                lead_in(rng),
                job.purpose,
                job.plural
            )
        } else {
            format!("*{} are the people who {}.", job.plural, job.purpose)
        }
    }),
];
