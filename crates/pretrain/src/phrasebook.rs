//! The phrasebook (`crates/pretrain/phrasebook/*.txt`): everyday English written by hand as
//! patterns — home and family, the body, clothes, weather and feelings, town, transport, jobs and
//! school, the natural world, food, numbers and grammar — in statements, questions with their
//! answers, negations, lists, requests, comparisons, short dialogues and stories. Its writers never
//! saw the evaluation set (`eval/`). `cargo test --release -p clozelab-pretrain phrasebook` checks
//! every file's format, naming the file and line of a fault.
//!
//! A pattern is one line: lower case, ending in `.`, `?` or `!`; `(a|b|c)` is a choice of one
//! option (an option may be empty), `{girl}` / `{boy}` a girl's / boy's name from the corpus's
//! people. `#` starts a comment line.
//!
//! ```
//! use clozelab_pretrain::phrasebook::Phrasebook;
//! let book = Phrasebook::parse("demo", "{girl} is (very |)happy today.").unwrap();
//! let sentence = &book.sentences(0, 1)[0];
//! assert!(sentence.ends_with(" happy today."));
//! ```

use clozelab_core::error::{ClozeError, Result};

use clozelab_core::masking::Rng;

use crate::corpus::PEOPLE;

/// `(name, text)` of each file `phrasebook/<name>.txt`, the name written once.
macro_rules! files {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../phrasebook/", $name, ".txt")))),*]
    };
}

/// The files, by topic (the first four written first, the other 35 by four later rounds of writers).
const FILES: [(&str, &str); 39] = files![
    "home",
    "body",
    "town",
    "world",
    "house",
    "health",
    "streets",
    "lessons",
    "wildlife",
    "nature",
    "counting",
    "patterns",
    "talk",
    "stories",
    "things",
    "describing",
    "hobbies",
    "knowledge",
    "grammar_more",
    "reasons",
    "animals2",
    "food2",
    "people2",
    "time2",
    "body2",
    "home2",
    "places2",
    "verbs2",
    "clothes",
    "family",
    "feelings",
    "numbers",
    "calendar",
    "agreement",
    "opposites",
    "senses",
    "jobs",
    "colours",
    "manners",
];

/// Text and choices; either may hold the slots `{girl}` and `{boy}`, filled after the choices.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Piece {
    Text(String),
    Choice(Vec<String>),
}

/// One line of the phrasebook.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Pattern {
    pieces: Vec<Piece>,
}

/// Every pattern of one or more files.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrasebook {
    patterns: Vec<Pattern>,
}

impl Phrasebook {
    /// The phrasebook the bundled model is trained on.
    pub fn bundled() -> Result<Self> {
        let mut patterns = Vec::new();
        for (name, text) in FILES {
            patterns.extend(Self::parse(name, text)?.patterns);
        }
        Ok(Phrasebook { patterns })
    }

    /// Reads the patterns of one file; a line out of format is an error naming it.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        let patterns = text
            .lines()
            .enumerate()
            .map(|(n, line)| (n + 1, line.trim()))
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
            .map(|(n, line)| {
                pattern(line).map_err(|why| {
                    ClozeError::Input(format!("phrasebook {file}, line {n}: {why}: {line}"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Phrasebook { patterns })
    }

    /// How many patterns (lines) it holds.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// `count` sentences drawn from the seed: a pattern uniformly, then each choice and name.
    pub fn sentences(&self, seed: u64, count: usize) -> Vec<String> {
        let mut rng = Rng::new(seed);
        let names = SLOTS.map(|(slot, girl)| {
            let names: Vec<&str> = PEOPLE
                .iter()
                .filter(|(_, is_girl)| *is_girl == girl)
                .map(|(name, _)| *name)
                .collect();
            (slot, names)
        });
        (0..count)
            .map(|_| {
                let pattern = &self.patterns[rng.below(self.patterns.len())];
                render(pattern, &names, &mut rng)
            })
            .collect()
    }
}

/// One sentence of `pattern`: its choices drawn, then each slot filled from its `names`.
fn render(pattern: &Pattern, names: &[(&str, Vec<&str>)], rng: &mut Rng) -> String {
    let mut out = String::new();
    for piece in &pattern.pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Choice(options) => out.push_str(&options[rng.below(options.len())]),
        }
    }
    for (slot, names) in names {
        while let Some(at) = out.find(slot) {
            out.replace_range(at..at + slot.len(), names[rng.below(names.len())]);
        }
    }
    // An empty option may leave two spaces, or a space before punctuation.
    let mut words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for mark in [" .", " ,", " ?", " !"] {
        words = words.replace(mark, &mark[1..]);
    }
    words
}

/// The slots and whether each takes a girl's name.
const SLOTS: [(&str, bool); 2] = [("{girl}", true), ("{boy}", false)];

fn pattern(line: &str) -> std::result::Result<Pattern, String> {
    if line
        .chars()
        .any(|c| c.is_ascii_uppercase() || !c.is_ascii())
    {
        return Err("not lower-case ASCII".into());
    }
    if let Some(c) = line.chars().find(|c| {
        !c.is_ascii_lowercase() && !c.is_ascii_digit() && !" ,.?!'-:;\"(){}|".contains(*c)
    }) {
        return Err(format!(
            "the character {c:?} (letters, digits and plain punctuation only)"
        ));
    }
    if line.contains("  ") {
        return Err("two spaces in a row".into());
    }
    if !line.trim_end_matches('"').ends_with(['.', '?', '!']) {
        return Err("does not end with . ? or !".into());
    }
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or("'{' not closed")? + open;
        if !SLOTS.iter().any(|(slot, _)| *slot == &rest[open..=close]) {
            return Err(format!("unknown slot {}", &rest[open..=close]));
        }
        rest = &rest[close + 1..];
    }
    let mut pieces = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let next = rest.find('(').unwrap_or(rest.len());
        if rest[..next].contains([')', '|']) {
            return Err("')' or '|' outside a choice".into());
        }
        if next > 0 {
            pieces.push(Piece::Text(rest[..next].to_string()));
        }
        rest = &rest[next..];
        if let Some(inner) = rest.strip_prefix('(') {
            let close = inner.find(')').ok_or("'(' not closed")?;
            let options = &inner[..close];
            if options.contains('(') {
                return Err("nested choice".into());
            }
            pieces.push(Piece::Choice(
                options.split('|').map(String::from).collect(),
            ));
            rest = &inner[close + 1..];
        }
    }
    Ok(Pattern { pieces })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_names_and_empty_options_render_to_clean_sentences() {
        let book = Phrasebook::parse(
            "t",
            "# heading\n\n{boy} (is|was) (very |)tired (|now).\n(i am|{girl} is) here.\n",
        )
        .unwrap();
        assert_eq!(book.len(), 2);
        for sentence in book.sentences(3, 200) {
            assert!(
                !sentence.contains("  ") && !sentence.contains(" ."),
                "{sentence}"
            );
            let name = sentence.split(' ').next().unwrap();
            let girl = sentence.ends_with(" here.");
            assert!(name == "i" || PEOPLE.contains(&(name, girl)), "{sentence}");
        }
        let all: std::collections::BTreeSet<_> = book.sentences(3, 2_000).into_iter().collect();
        assert!(all.iter().any(|s| s.ends_with(" was very tired now.")));
        assert!(all.iter().any(|s| s.ends_with(" is tired.")));
        assert!(all.contains("i am here.") && all.contains("emma is here."));
    }

    #[test]
    fn a_line_out_of_format_is_named() {
        for (line, why) in [
            ("Capital letters.", "lower-case"),
            ("no full stop", "does not end"),
            ("an (open choice.", "not closed"),
            ("a {dog} barks.", "unknown slot"),
            ("stray | bar.", "outside"),
            ("((nested)).", "nested"),
            ("a {girl.", "not closed"),
            ("a tab\there.", "the character"),
            ("two  spaces.", "two spaces"),
        ] {
            let error = Phrasebook::parse("t", line).unwrap_err().to_string();
            assert!(
                error.contains(why) && error.contains("line 1"),
                "{line}: {error}"
            );
        }
    }

    #[test]
    fn the_bundled_phrasebook_parses_and_draws_the_same_from_a_seed() {
        let book = Phrasebook::bundled().unwrap();
        assert!(book.len() >= 30_000, "{} patterns", book.len());
        // No pattern written twice, in one file or two (it would be drawn twice as often).
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<_> = book.patterns.iter().filter(|p| !seen.insert(*p)).collect();
        assert!(
            twice.is_empty(),
            "written twice: {:?}",
            &twice[..twice.len().min(5)]
        );
        assert_eq!(book.sentences(7, 50), book.sentences(7, 50));
        assert_ne!(book.sentences(7, 50), book.sentences(8, 50));
    }
}
