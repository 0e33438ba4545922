//! clozelab's engine: fill in the blanks with a BERT-family masked language model, natively or in
//! the browser, and fine-tune it. The modules follow the data: files → config, tokenizer → model
//! (built on `kernels`) ← weights → fill-mask (and attentions), score, masking → train → export. The
//! browser API (`clozelab-web`) and the CLI (`clozelab`) are thin crates over this one; the
//! corpus and pretraining tooling (`clozelab-pretrain`) never reaches the browser.

pub mod backend;
pub mod cloze_model;
pub mod config;
pub mod error;
pub mod export;
pub mod files;
pub mod fill_mask;
pub mod kernels;
pub mod masking;
pub mod memory;
pub mod model;
pub mod score;
pub mod tokenize;
pub mod train;
pub mod weights;

pub use backend::BackendKind;
pub use cloze_model::LoadedModel;
pub use error::{ClozeError, MAX_PROBLEMS_SHOWN, Result};
pub use files::ModelFiles;
pub use fill_mask::{FillMaskOptions, FillMaskResult, fill_mask};
