//! Pretraining the bundled model from nothing: the corpus (`crate::corpus`) → a WordPiece
//! vocabulary trained on it → packed token sequences → masked-LM training with the same
//! `crate::train` code the browser fine-tunes with → a Hugging Face folder with a model card.

pub mod card;
pub mod packing;
pub mod recipe;
pub mod vocabulary;

pub use packing::pack_sentences;
pub use recipe::Recipe;
pub use vocabulary::train_tokenizer;
