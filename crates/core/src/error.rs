//! One error type for the whole pipeline. Every message is written for the person who has to act
//! on it: it names the file, the tensor or the field, and what was expected against what was found.

use std::fmt;

/// Everything that can go wrong between reading a model folder and printing predictions.
#[derive(Debug, Clone, PartialEq)]
pub enum ClozeError {
    /// A file could not be read or is absent (`file` is the name inside the model folder).
    MissingFile { file: String, detail: String },
    /// `config.json` is not usable: missing required fields, values we cannot honour, bad JSON.
    Config(String),
    /// The tokenizer files are missing, unreadable or lack a mask token.
    Tokenizer(String),
    /// The weights file is malformed (truncated, lying header, unsafe pickle, ...).
    Weights { file: String, detail: String },
    /// The weights do not fit the model described by `config.json`. Lists every problem.
    Checkpoint(Vec<String>),
    /// The text cannot be run as given (no mask, too long, empty).
    Input(String),
    /// The compute backend failed (no adapter, device lost, a read-back failed).
    Backend(String),
}

pub type Result<T> = std::result::Result<T, ClozeError>;

/// How many of a checkpoint's problems a message lists before it counts the rest.
pub const MAX_PROBLEMS_SHOWN: usize = 20;

impl fmt::Display for ClozeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClozeError::MissingFile { file, detail } => write!(f, "cannot read {file}: {detail}"),
            ClozeError::Config(message) => write!(f, "config.json: {message}"),
            ClozeError::Tokenizer(message) => write!(f, "tokenizer: {message}"),
            ClozeError::Weights { file, detail } => write!(f, "{file}: {detail}"),
            ClozeError::Checkpoint(problems) => {
                write!(
                    f,
                    "the weights do not match config.json ({} problem",
                    problems.len()
                )?;
                if problems.len() != 1 {
                    write!(f, "s")?;
                }
                // A config far from its weights can produce thousands of problems: the first
                // ones say what is wrong, the count says how far.
                let shown = problems.len().min(MAX_PROBLEMS_SHOWN);
                write!(f, "): {}", problems[..shown].join("; "))?;
                if problems.len() > shown {
                    write!(f, "; … and {} more", problems.len() - shown)?;
                }
                Ok(())
            }
            ClozeError::Input(message) => write!(f, "{message}"),
            ClozeError::Backend(message) => write!(f, "compute backend: {message}"),
        }
    }
}

impl std::error::Error for ClozeError {}

impl ClozeError {
    pub(crate) fn weights(file: &str, detail: impl Into<String>) -> Self {
        ClozeError::Weights {
            file: file.to_string(),
            detail: detail.into(),
        }
    }
}
