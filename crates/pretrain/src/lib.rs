//! The bundled model's tooling, natively only (the browser never compiles it): the corpus
//! (`corpus/`) → a WordPiece vocabulary trained on it (`vocabulary.rs`) → packed token sequences
//! (`packing.rs`) → masked-LM training with the same `clozelab_core::train` code the browser
//! fine-tunes with (`recipe.rs`) → a Hugging Face folder with a model card (`card.rs`), scored on
//! the corpus's held-out cloze and syntax items (`evaluate.rs`) and on sentences written by hand,
//! apart from the corpus (`handwritten.rs`, `eval/`).

pub mod card;
pub mod corpus;
pub mod evaluate;
pub mod handwritten;
pub mod packing;
pub mod phrasebook;
pub mod pieces;
pub mod recipe;
pub mod vocabulary;
pub mod wordnet;

pub use packing::pack_sentences;
pub use recipe::Recipe;
pub use vocabulary::train_tokenizer;
