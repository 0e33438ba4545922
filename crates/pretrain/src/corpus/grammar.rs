//! The small amount of English morphology the templates need: a/an, agreement of `be` and
//! `have`, and regular verb forms stored whole (never derived) so irregular verbs are just rows.

/// A verb's three forms the templates use: base ("they bark"), third person singular
/// ("it barks"), past ("it barked").
#[derive(Debug, Clone, Copy)]
pub struct Verb {
    pub base: &'static str,
    pub third: &'static str,
    pub past: &'static str,
}

pub const fn verb(base: &'static str, third: &'static str, past: &'static str) -> Verb {
    Verb { base, third, past }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Present,
    Past,
}

impl Verb {
    /// The form that agrees with a third-person subject (or any plural one) in `tense`.
    pub fn agree(&self, plural: bool, tense: Tense) -> &'static str {
        match (tense, plural) {
            (Tense::Past, _) => self.past,
            (Tense::Present, true) => self.base,
            (Tense::Present, false) => self.third,
        }
    }
}

/// "is" / "are" / "was" / "were" for a third-person subject.
pub fn be(plural: bool, tense: Tense) -> &'static str {
    match (tense, plural) {
        (Tense::Present, false) => "is",
        (Tense::Present, true) => "are",
        (Tense::Past, false) => "was",
        (Tense::Past, true) => "were",
    }
}

/// "has" / "have" / "had" for a third-person subject.
pub fn have(plural: bool, tense: Tense) -> &'static str {
    match (tense, plural) {
        (Tense::Past, _) => "had",
        (Tense::Present, true) => "have",
        (Tense::Present, false) => "has",
    }
}

/// The indefinite article by sound, not by letter: "an hour", "a uniform".
pub fn article(word: &str) -> &'static str {
    const SOUNDS_LIKE_A_VOWEL: [&str; 3] = ["hour", "honest", "heir"];
    const SOUNDS_LIKE_A_CONSONANT: [&str; 5] = ["uni", "use", "one", "eu", "ewe"];
    if SOUNDS_LIKE_A_VOWEL.iter().any(|p| word.starts_with(p)) {
        return "an";
    }
    if SOUNDS_LIKE_A_CONSONANT.iter().any(|p| word.starts_with(p)) {
        return "a";
    }
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// `word` with its indefinite article: "an owl".
pub fn a(word: &str) -> String {
    format!("{} {word}", article(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_follows_the_sound() {
        assert_eq!(a("owl"), "an owl");
        assert_eq!(a("dog"), "a dog");
        assert_eq!(a("hour"), "an hour");
        assert_eq!(a("uniform"), "a uniform");
        assert_eq!(a("umbrella"), "an umbrella");
    }

    #[test]
    fn be_and_have_agree_with_number_and_tense() {
        assert_eq!(be(false, Tense::Present), "is");
        assert_eq!(be(true, Tense::Past), "were");
        assert_eq!(have(false, Tense::Present), "has");
        assert_eq!(have(true, Tense::Present), "have");
    }
}
