//! What a sentence is about. The stable `name` is what files and the page store, so renaming a
//! variant never changes data already written.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    EverydayLife,
    Animals,
    Food,
    Colours,
    Jobs,
    Places,
    Weather,
    Sequences,
    Opposites,
    Family,
    School,
    CauseAndEffect,
    Syntax,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::EverydayLife,
        Category::Animals,
        Category::Food,
        Category::Colours,
        Category::Jobs,
        Category::Places,
        Category::Weather,
        Category::Sequences,
        Category::Opposites,
        Category::Family,
        Category::School,
        Category::CauseAndEffect,
        Category::Syntax,
    ];

    /// The stable name (the serde name too).
    pub fn name(self) -> &'static str {
        match self {
            Category::EverydayLife => "everyday_life",
            Category::Animals => "animals",
            Category::Food => "food",
            Category::Colours => "colours",
            Category::Jobs => "jobs",
            Category::Places => "places",
            Category::Weather => "weather",
            Category::Sequences => "sequences",
            Category::Opposites => "opposites",
            Category::Family => "family",
            Category::School => "school",
            Category::CauseAndEffect => "cause_and_effect",
            Category::Syntax => "syntax",
        }
    }

    /// Position in `ALL`; template ids are `index * 100 + n`, so ids never move when a category
    /// gains templates.
    pub fn index(self) -> u32 {
        Category::ALL.iter().position(|&c| c == self).unwrap() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stable_name_is_the_serde_name() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.name()));
        }
    }
}
