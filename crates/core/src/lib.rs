//! clozelab: fill in the blanks with a BERT-family masked language model, natively or in the
//! browser. The pipeline follows the data: files → config, tokenizer, weights → model →
//! fill-mask (and attentions) → CLI / web API.

pub mod backend;
pub mod cloze_model;
pub mod config;
pub mod corpus;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod files;
pub mod fill_mask;
pub mod masking;
pub mod memory;
pub mod model;
pub mod pretrain;
pub mod tokenize;
pub mod train;
pub mod weights;

pub use backend::BackendKind;
pub use cloze_model::ClozeModel;
pub use error::{ClozeError, MAX_PROBLEMS_SHOWN, Result};
pub use files::ModelFiles;
pub use fill_mask::{FillMaskOptions, FillMaskOutput, fill_mask};

#[cfg(target_family = "wasm")]
pub mod web;
