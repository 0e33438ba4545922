//! Masked-LM training: batches of corrupted sequences, AdamW, one step at a time. The same code
//! pretrains the bundled model natively and fine-tunes in the browser.

pub mod batch;
pub mod step;

pub use batch::TrainBatch;
pub use step::{AdamWSettings, Trainer};
