//! The food templates (ids Food · 100 + n).

use super::*;

pub(super) static TEMPLATES: &[Template] = &[
    t(Food, 0, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        if coin(rng) {
            format!("{}{} are *{}.", lead_in(rng), food.plural, food.colour)
        } else {
            format!("{} is *{}.", a(food.singular), food.colour)
        }
    }),
    t(Food, 1, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        let p = person(rng);
        let tense = tense(rng);
        let eats = ["eats", "ate"][(tense == Tense::Past) as usize];
        format!(
            "{} is a kind of *{}, and {} {eats} one {}.",
            a(food.singular),
            food.kind,
            p.name,
            time(rng, tense)
        )
    }),
    t(Food, 2, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        if coin(rng) {
            format!("{}{} taste *{}.", lead_in(rng), food.plural, food.taste)
        } else {
            let p = person(rng);
            format!(
                "{} ate {} and it tasted *{}.",
                p.name,
                a(food.singular),
                food.taste
            )
        }
    }),
    t(Food, 3, Table::FoodSources, |rng, row| {
        let (thing, source) = FOOD_SOURCES[row];
        let plural = thing.ends_with('s');
        if coin(rng) {
            format!(
                "{}{thing} {} from *{source}.",
                lead_in(rng),
                if plural { "come" } else { "comes" }
            )
        } else {
            format!("where do we get {thing}? from *{source}.")
        }
    }),
    t(Food, 4, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        if coin(rng) {
            format!(
                "what colour are {}? they are *{}.",
                food.plural, food.colour
            )
        } else {
            format!(
                "what colour is {}? it is *{}.",
                a(food.singular),
                food.colour
            )
        }
    }),
    t(Food, 5, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        let other = &FOODS[other_row(rng, FOODS.len(), row, |o| FOODS[o].colour != food.colour)];
        format!(
            "{}{} are not {}, they are *{}.",
            lead_in(rng),
            food.plural,
            other.colour,
            food.colour
        )
    }),
    t(Food, 6, Table::Foods, |rng, row| {
        let food = &FOODS[row];
        let p = person(rng);
        let tense = tense(rng);
        let buy = ["buys", "bought"][(tense == Tense::Past) as usize];
        format!(
            "{} {buy} {} at the market {}. they {} *{}.",
            p.name,
            food.plural,
            time(rng, tense),
            be(true, tense),
            food.colour
        )
    }),
    t(Food, 7, Table::FoodSources, |rng, row| {
        let (thing, source) = FOOD_SOURCES[row];
        let p = person(rng);
        format!(
            "{} learned {} that we get {thing} from *{source}.",
            p.name,
            time(rng, Tense::Past)
        )
    }),
];
