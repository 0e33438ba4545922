//! Which lexicon table a template draws its fact from, and the fact ids the split is made of.
//! A fact id is `table * 1000 + row`: stable as long as rows are only appended.

use super::lexicon::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Routines,
    Animals,
    Foods,
    FoodSources,
    ColouredThings,
    ColourMixes,
    Jobs,
    Countries,
    Seasons,
    Weather,
    /// Row `i`: a day and the day after it.
    Days,
    /// Row `i`: a month and the month after it.
    Months,
    /// Row `i`: a number and the number after it (so one row fewer than `NUMBERS`).
    Numbers,
    Opposites,
    Relations,
    Subjects,
    SchoolObjects,
    Causes,
    SyntaxNouns,
    SyntaxVerbs,
}

impl Table {
    pub fn len(self) -> usize {
        match self {
            Table::Routines => ROUTINES.len(),
            Table::Animals => ANIMALS.len(),
            Table::Foods => FOODS.len(),
            Table::FoodSources => FOOD_SOURCES.len(),
            Table::ColouredThings => COLOURED_THINGS.len(),
            Table::ColourMixes => COLOUR_MIXES.len(),
            Table::Jobs => JOBS.len(),
            Table::Countries => COUNTRIES.len(),
            Table::Seasons => SEASONS.len(),
            Table::Weather => WEATHER.len(),
            Table::Days => DAYS.len(),
            Table::Months => MONTHS.len(),
            Table::Numbers => NUMBERS.len() - 1,
            Table::Opposites => OPPOSITES.len(),
            Table::Relations => RELATIONS.len(),
            Table::Subjects => SUBJECTS.len(),
            Table::SchoolObjects => SCHOOL_OBJECTS.len(),
            Table::Causes => CAUSES.len(),
            Table::SyntaxNouns => SYNTAX_NOUNS.len(),
            Table::SyntaxVerbs => SYNTAX_VERBS.len(),
        }
    }

    /// The fact id of `row` in this table.
    pub fn fact_id(self, row: usize) -> u32 {
        self as u32 * 1000 + row as u32
    }
}
