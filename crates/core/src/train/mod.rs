//! Masked-LM training: batches of corrupted sequences, gradient clipping, AdamW, one step at a
//! time. The same code pretrains the bundled model natively and fine-tunes in the browser.

pub mod batch;
pub mod clip;
pub mod data;
pub mod memory;
pub mod run;
pub mod schedule;
pub mod step;

pub use batch::TrainBatch;
pub use data::Corpus;
pub use memory::check_step_fits;
pub use run::{Evaluation, Progress, TrainOptions, TrainingRun};
pub use step::{AdamWSettings, Learner, StepResult};
