//! The facts the corpus teaches, one table per kind of fact. Every row must be true as a
//! classroom would state it; a row is a "fact" for the held-out split (see `split.rs`), so rows
//! are only ever appended, never reordered. Everything is lower case, as the sentences are.
//! Words a cloze item may mask are single words.

use super::grammar::{Verb, verb};

/// People who do things in the sentences: (name, is she).
pub const PEOPLE: [(&str, bool); 40] = [
    ("anna", true), ("ben", false), ("maria", true), ("tom", false), ("sara", true),
    ("sam", false), ("lucy", true), ("omar", false), ("emma", true), ("leo", false),
    ("mia", true), ("jack", false), ("nina", true), ("ravi", false), ("zoe", true),
    ("max", false), ("lily", true), ("noah", false), ("grace", true), ("hugo", false),
    ("amira", true), ("kofi", false), ("elena", true), ("ivan", false), ("chloe", true),
    ("david", false), ("priya", true), ("oscar", false), ("julia", true), ("felix", false),
    ("hana", true), ("luca", false), ("ella", true), ("adam", false), ("rosa", true),
    ("daniel", false), ("aisha", true), ("peter", false), ("yuki", true), ("carlos", false),
];

/// When something happens, for the present tense and the past tense.
pub const HABIT_TIMES: [&str; 6] =
    ["every day", "every morning", "every evening", "on weekdays", "most days", "often"];
pub const PAST_TIMES: [&str; 6] =
    ["yesterday", "last night", "this morning", "last week", "on monday", "after school"];

pub struct Animal {
    pub singular: &'static str,
    pub plural: &'static str,
    pub sound: Verb,
    pub home: &'static str,
    pub young: &'static str,
    pub food: &'static str,
}

const fn animal(
    singular: &'static str,
    plural: &'static str,
    sound: Verb,
    home: &'static str,
    young: &'static str,
    food: &'static str,
) -> Animal {
    Animal { singular, plural, sound, home, young, food }
}

pub const ANIMALS: [Animal; 16] = [
    animal("dog", "dogs", verb("bark", "barks", "barked"), "kennel", "puppy", "meat"),
    animal("cat", "cats", verb("meow", "meows", "meowed"), "house", "kitten", "fish"),
    animal("cow", "cows", verb("moo", "moos", "mooed"), "barn", "calf", "grass"),
    animal("sheep", "sheep", verb("baa", "baas", "baaed"), "field", "lamb", "grass"),
    animal("pig", "pigs", verb("oink", "oinks", "oinked"), "sty", "piglet", "corn"),
    animal("duck", "ducks", verb("quack", "quacks", "quacked"), "pond", "duckling", "seeds"),
    animal("horse", "horses", verb("neigh", "neighs", "neighed"), "stable", "foal", "hay"),
    animal("lion", "lions", verb("roar", "roars", "roared"), "den", "cub", "meat"),
    animal("owl", "owls", verb("hoot", "hoots", "hooted"), "tree", "owlet", "mice"),
    animal("frog", "frogs", verb("croak", "croaks", "croaked"), "pond", "tadpole", "insects"),
    animal("hen", "hens", verb("cluck", "clucks", "clucked"), "coop", "chick", "grain"),
    animal("wolf", "wolves", verb("howl", "howls", "howled"), "den", "pup", "meat"),
    animal("bear", "bears", verb("growl", "growls", "growled"), "cave", "cub", "berries"),
    animal("mouse", "mice", verb("squeak", "squeaks", "squeaked"), "hole", "pup", "seeds"),
    animal("donkey", "donkeys", verb("bray", "brays", "brayed"), "stable", "foal", "hay"),
    animal("bee", "bees", verb("buzz", "buzzes", "buzzed"), "hive", "larva", "nectar"),
];

pub struct Food {
    pub singular: &'static str,
    pub plural: &'static str,
    pub colour: &'static str,
    /// "fruit" or "vegetable".
    pub kind: &'static str,
    pub taste: &'static str,
}

const fn food(
    singular: &'static str,
    plural: &'static str,
    colour: &'static str,
    kind: &'static str,
    taste: &'static str,
) -> Food {
    Food { singular, plural, colour, kind, taste }
}

pub const FOODS: [Food; 14] = [
    food("banana", "bananas", "yellow", "fruit", "sweet"),
    food("lemon", "lemons", "yellow", "fruit", "sour"),
    food("lime", "limes", "green", "fruit", "sour"),
    food("strawberry", "strawberries", "red", "fruit", "sweet"),
    food("cherry", "cherries", "red", "fruit", "sweet"),
    food("orange", "oranges", "orange", "fruit", "sweet"),
    food("blueberry", "blueberries", "blue", "fruit", "sweet"),
    food("plum", "plums", "purple", "fruit", "sweet"),
    food("carrot", "carrots", "orange", "vegetable", "sweet"),
    food("pea", "peas", "green", "vegetable", "sweet"),
    food("cucumber", "cucumbers", "green", "vegetable", "fresh"),
    food("pumpkin", "pumpkins", "orange", "vegetable", "sweet"),
    food("sprout", "sprouts", "green", "vegetable", "bitter"),
    food("potato", "potatoes", "brown", "vegetable", "mild"),
];

/// Where a food comes from: "honey comes from bees".
pub const FOOD_SOURCES: [(&str, &str); 8] = [
    ("honey", "bees"),
    ("milk", "cows"),
    ("eggs", "hens"),
    ("yoghurt", "milk"),
    ("bread", "flour"),
    ("cheese", "milk"),
    ("butter", "milk"),
    ("chips", "potatoes"),
];

/// Things everyone knows the colour of: (the thing as a subject, plural, colour).
pub const COLOURED_THINGS: [(&str, bool, &str); 14] = [
    ("the sky", false, "blue"),
    ("grass", false, "green"),
    ("snow", false, "white"),
    ("coal", false, "black"),
    ("blood", false, "red"),
    ("milk", false, "white"),
    ("chocolate", false, "brown"),
    ("the sea", false, "blue"),
    ("leaves in summer", true, "green"),
    ("tomatoes", true, "red"),
    ("crows", true, "black"),
    ("flamingos", true, "pink"),
    ("lemons", true, "yellow"),
    ("clouds", true, "white"),
];

/// Paint mixing: (first, second, result).
pub const COLOUR_MIXES: [(&str, &str, &str); 5] = [
    ("red", "yellow", "orange"),
    ("blue", "yellow", "green"),
    ("red", "blue", "purple"),
    ("red", "white", "pink"),
    ("black", "white", "grey"),
];

pub struct Job {
    pub singular: &'static str,
    pub plural: &'static str,
    pub workplace: &'static str,
    pub tool: &'static str,
    /// What the job is for, as a verb phrase after "to": "to help sick people".
    pub purpose: &'static str,
}

const fn job(
    singular: &'static str,
    plural: &'static str,
    workplace: &'static str,
    tool: &'static str,
    purpose: &'static str,
) -> Job {
    Job { singular, plural, workplace, tool, purpose }
}

pub const JOBS: [Job; 14] = [
    job("doctor", "doctors", "hospital", "stethoscope", "help sick people"),
    job("teacher", "teachers", "school", "whiteboard", "teach children"),
    job("chef", "chefs", "kitchen", "knife", "cook food"),
    job("farmer", "farmers", "farm", "tractor", "grow food"),
    job("baker", "bakers", "bakery", "oven", "bake bread"),
    job("librarian", "librarians", "library", "computer", "look after books"),
    job("mechanic", "mechanics", "garage", "spanner", "fix cars"),
    job("carpenter", "carpenters", "workshop", "saw", "make things from wood"),
    job("gardener", "gardeners", "garden", "spade", "look after plants"),
    job("hairdresser", "hairdressers", "salon", "comb", "cut hair"),
    job("pilot", "pilots", "cockpit", "radio", "fly planes"),
    job("astronaut", "astronauts", "spacecraft", "spacesuit", "explore space"),
    job("scientist", "scientists", "laboratory", "microscope", "do experiments"),
    job("photographer", "photographers", "studio", "camera", "take photos"),
];

pub struct Country {
    pub name: &'static str,
    pub capital: &'static str,
    pub language: &'static str,
}

const fn country(name: &'static str, capital: &'static str, language: &'static str) -> Country {
    Country { name, capital, language }
}

pub const COUNTRIES: [Country; 36] = [
    country("france", "paris", "french"),
    country("germany", "berlin", "german"),
    country("italy", "rome", "italian"),
    country("spain", "madrid", "spanish"),
    country("portugal", "lisbon", "portuguese"),
    country("japan", "tokyo", "japanese"),
    country("china", "beijing", "chinese"),
    country("russia", "moscow", "russian"),
    country("egypt", "cairo", "arabic"),
    country("kenya", "nairobi", "swahili"),
    country("greece", "athens", "greek"),
    country("poland", "warsaw", "polish"),
    country("sweden", "stockholm", "swedish"),
    country("norway", "oslo", "norwegian"),
    country("finland", "helsinki", "finnish"),
    country("denmark", "copenhagen", "danish"),
    country("ireland", "dublin", "english"),
    country("austria", "vienna", "german"),
    country("hungary", "budapest", "hungarian"),
    country("peru", "lima", "spanish"),
    country("chile", "santiago", "spanish"),
    country("brazil", "brasilia", "portuguese"),
    country("thailand", "bangkok", "thai"),
    country("vietnam", "hanoi", "vietnamese"),
    country("turkey", "ankara", "turkish"),
    country("iran", "tehran", "persian"),
    country("cuba", "havana", "spanish"),
    country("ukraine", "kyiv", "ukrainian"),
    country("iceland", "reykjavik", "icelandic"),
    country("australia", "canberra", "english"),
    country("nepal", "kathmandu", "nepali"),
    country("romania", "bucharest", "romanian"),
    country("bulgaria", "sofia", "bulgarian"),
    country("croatia", "zagreb", "croatian"),
    country("jamaica", "kingston", "english"),
    country("colombia", "bogota", "spanish"),
];

/// A season and what it is like: (season, weather adjective, what happens).
pub const SEASONS: [(&str, &str, &str); 4] = [
    ("winter", "cold", "snow falls"),
    ("spring", "mild", "flowers grow"),
    ("summer", "hot", "the sun shines"),
    ("autumn", "cool", "leaves fall"),
];

/// Weather and what people take for it: (how it is, "it is {…}", thing to take).
pub const WEATHER: [(&str, &str); 6] = [
    ("raining", "umbrella"),
    ("snowing", "scarf"),
    ("sunny", "hat"),
    ("cold", "coat"),
    ("windy", "jacket"),
    ("icy", "boots"),
];

pub const DAYS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

pub const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];

pub const NUMBERS: [&str; 20] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
];

pub const ORDINALS: [&str; 12] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
];

/// Opposite adjectives with a thing that is each: (adjective, opposite, thing, other thing).
pub const OPPOSITES: [(&str, &str, &str, &str); 14] = [
    ("big", "small", "elephant", "mouse"),
    ("hot", "cold", "fire", "ice"),
    ("fast", "slow", "cheetah", "snail"),
    ("tall", "short", "giraffe", "mouse"),
    ("heavy", "light", "rock", "feather"),
    ("hard", "soft", "stone", "pillow"),
    ("wet", "dry", "sea", "desert"),
    ("loud", "quiet", "drum", "whisper"),
    ("old", "young", "grandfather", "baby"),
    ("long", "short", "river", "stream"),
    ("rich", "poor", "king", "beggar"),
    ("sweet", "sour", "cake", "lemon"),
    ("bright", "dark", "day", "night"),
    ("thick", "thin", "book", "leaf"),
];

/// Family relations: (whose, relation of theirs, who that is for me, is she).
pub const RELATIONS: [(&str, &str, &str, bool); 14] = [
    ("mother", "mother", "grandmother", true),
    ("father", "mother", "grandmother", true),
    ("mother", "father", "grandfather", false),
    ("father", "father", "grandfather", false),
    ("mother", "sister", "aunt", true),
    ("father", "sister", "aunt", true),
    ("mother", "brother", "uncle", false),
    ("father", "brother", "uncle", false),
    ("aunt", "son", "cousin", false),
    ("uncle", "daughter", "cousin", true),
    ("sister", "son", "nephew", false),
    ("brother", "daughter", "niece", true),
    ("son", "son", "grandson", false),
    ("daughter", "daughter", "granddaughter", true),
];

/// School subjects and what the class does in them: (subject, verb phrase for "we …").
pub const SUBJECTS: [(&str, &str); 8] = [
    ("maths", "count and add numbers"),
    ("music", "sing songs"),
    ("art", "paint pictures"),
    ("science", "do experiments"),
    ("geography", "study maps"),
    ("history", "learn about the past"),
    ("reading", "read stories"),
    ("sport", "play games"),
];

/// Classroom objects and their use: (object, plural, verb, what).
pub const SCHOOL_OBJECTS: [(&str, &str, &str, &str); 10] = [
    ("pencil", "pencils", "write", "words"),
    ("ruler", "rulers", "draw", "lines"),
    ("calculator", "calculators", "add", "numbers"),
    ("dictionary", "dictionaries", "find", "words"),
    ("map", "maps", "find", "places"),
    ("clock", "clocks", "tell", "time"),
    ("brush", "brushes", "paint", "pictures"),
    ("eraser", "erasers", "remove", "mistakes"),
    ("backpack", "backpacks", "carry", "books"),
    ("microscope", "microscopes", "see", "cells"),
];

/// A daily routine: the verb, its object, and the room or place it usually happens in.
pub struct Routine {
    pub verb: Verb,
    pub object: &'static str,
    /// "in" or "at", as English puts it before `place`.
    pub preposition: &'static str,
    pub place: &'static str,
}

const fn routine(verb: Verb, object: &'static str, place: &'static str) -> Routine {
    let preposition = match place.as_bytes() {
        b"kitchen" | b"bathroom" | b"park" | b"pool" | b"garden" | b"canteen" => "in",
        _ => "at",
    };
    Routine { verb, object, preposition, place }
}

pub const ROUTINES: [Routine; 16] = [
    routine(verb("cook", "cooks", "cooked"), "dinner", "kitchen"),
    routine(verb("wash", "washes", "washed"), "the dishes", "kitchen"),
    routine(verb("brush", "brushes", "brushed"), "teeth", "bathroom"),
    routine(verb("read", "reads", "read"), "books", "library"),
    routine(verb("buy", "buys", "bought"), "bread", "bakery"),
    routine(verb("play", "plays", "played"), "football", "park"),
    routine(verb("watch", "watches", "watched"), "films", "cinema"),
    routine(verb("swim", "swims", "swam"), "lengths", "pool"),
    routine(verb("write", "writes", "wrote"), "emails", "office"),
    routine(verb("plant", "plants", "planted"), "flowers", "garden"),
    routine(verb("eat", "eats", "ate"), "lunch", "canteen"),
    routine(verb("buy", "buys", "bought"), "food", "supermarket"),
    routine(verb("wash", "washes", "washed"), "clothes", "laundry"),
    routine(verb("see", "sees", "saw"), "a doctor", "hospital"),
    routine(verb("catch", "catches", "caught"), "a train", "station"),
    routine(verb("learn", "learns", "learned"), "lessons", "school"),
];

/// Cause and effect; the word after `*` is the one a cloze item masks. Clauses: (cause now,
/// effect now, cause then, effect then).
pub const CAUSES: [(&str, &str, &str, &str); 14] = [
    ("you heat ice", "it *melts", "we heated the ice", "it *melted"),
    ("you drop a glass", "it *breaks", "he dropped a glass", "it *broke"),
    ("it rains", "the ground gets *wet", "it rained", "the ground got *wet"),
    ("you water a plant", "it *grows", "she watered the plant", "it *grew"),
    ("you are tired", "you *sleep", "we were tired", "we *slept"),
    ("you are hungry", "you *eat", "they were hungry", "they *ate"),
    ("water gets very cold", "it *freezes", "the water got very cold", "it *froze"),
    ("you heat water", "it *boils", "we heated the water", "it *boiled"),
    ("the sun sets", "it gets *dark", "the sun set", "it got *dark"),
    ("you exercise", "you get *stronger", "they exercised", "they got *stronger"),
    ("you plant a seed", "it *grows", "we planted a seed", "it *grew"),
    ("you fall over", "you might get *hurt", "he fell over", "he got *hurt"),
    ("you do not sleep", "you feel *tired", "she did not sleep", "she felt *tired"),
    ("you study hard", "you *learn", "they studied hard", "they *learned"),
];

/// Nouns for the syntax drills: (singular, plural). Vowel and consonant starts, regular and
/// irregular plurals, so agreement and a/an are not guessable from the spelling of the noun alone.
pub const SYNTAX_NOUNS: [(&str, &str); 24] = [
    ("apple", "apples"), ("book", "books"), ("egg", "eggs"), ("child", "children"),
    ("umbrella", "umbrellas"), ("box", "boxes"), ("orange", "oranges"), ("man", "men"),
    ("island", "islands"), ("woman", "women"), ("elephant", "elephants"), ("tooth", "teeth"),
    ("ant", "ants"), ("foot", "feet"), ("igloo", "igloos"), ("bus", "buses"),
    ("uncle", "uncles"), ("mouse", "mice"), ("octopus", "octopuses"), ("baby", "babies"),
    ("eagle", "eagles"), ("knife", "knives"), ("engine", "engines"), ("goose", "geese"),
];

/// Verbs for tense drills, with past forms a learner must know.
pub const SYNTAX_VERBS: [Verb; 12] = [
    verb("walk", "walks", "walked"),
    verb("sleep", "sleeps", "slept"),
    verb("eat", "eats", "ate"),
    verb("play", "plays", "played"),
    verb("run", "runs", "ran"),
    verb("write", "writes", "wrote"),
    verb("sing", "sings", "sang"),
    verb("swim", "swims", "swam"),
    verb("jump", "jumps", "jumped"),
    verb("read", "reads", "read"),
    verb("draw", "draws", "drew"),
    verb("climb", "climbs", "climbed"),
];
