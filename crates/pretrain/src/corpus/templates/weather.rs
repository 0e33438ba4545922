//! The weather and seasons templates (ids Weather · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
    t(Weather, 0, Table::Seasons, |rng, row| {
        let (season, feel, _) = SEASONS[row];
        format!("{}in {season} it is usually *{feel}.", lead_in(rng))
    }),
    t(Weather, 1, Table::Seasons, |rng, row| {
        let (season, _, _) = SEASONS[row];
        let before = SEASONS[(row + SEASONS.len() - 1) % SEASONS.len()].0;
        format!("{}{season} comes after *{before}.", lead_in(rng))
    }),
    t(Weather, 2, Table::Weather, |rng, row| {
        let (weather, item) = WEATHER[row];
        let p = person(rng);
        if coin(rng) {
            format!(
                "when it is {weather}, {} takes {} *{item}.",
                p.name,
                article(item)
            )
        } else {
            format!(
                "it was {weather}, so {} took {} *{item}.",
                p.name,
                article(item)
            )
        }
    }),
    t(Weather, 3, Table::Seasons, |rng, row| {
        let (season, _, happens) = SEASONS[row];
        let marked = match happens {
            "the sun shines" => "the *sun shines".to_string(),
            other => format!("*{other}"),
        };
        format!("{}in {season}, {marked}.", lead_in(rng))
    }),
    t(Weather, 4, Table::Weather, |rng, row| {
        let (weather, item) = WEATHER[row];
        let p = person(rng);
        format!("{} forgot {} *{item}, and it was {weather}.", p.name, p.his)
    }),
    t(Weather, 5, Table::Seasons, |rng, row| {
        let (season, _, _) = SEASONS[row];
        let next = SEASONS[(row + 1) % SEASONS.len()].0;
        format!("{}the season after {season} is *{next}.", lead_in(rng))
    }),
    t(Weather, 6, Table::Weather, |_rng, row| {
        let (weather, item) = WEATHER[row];
        format!("is it {weather}? then take {} *{item}.", article(item))
    }),
    t(Weather, 7, Table::Seasons, |rng, row| {
        let (season, _, happens) = SEASONS[row];
        let marked = match happens {
            "the sun shines" => "the *sun shines".to_string(),
            other => format!("*{other}"),
        };
        if coin(rng) {
            format!("what happens in {season}? {marked}.")
        } else {
            format!("{marked} in {season}.")
        }
    }),
];
