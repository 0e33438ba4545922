//! A small argument reader: `--flag`, `--option VALUE`, and positionals, with plain errors.

use std::io::Read;

use clozelab_core::ClozeError;

pub enum CliError {
    /// The command line itself is wrong: print the message and the usage.
    Usage(String),
    /// The command ran and failed: print the message.
    Failed(ClozeError),
}

impl From<ClozeError> for CliError {
    fn from(error: ClozeError) -> Self {
        CliError::Failed(error)
    }
}

pub struct Args {
    options: Vec<(String, Option<String>)>,
    pub positionals: Vec<String>,
}

impl Args {
    /// `flags` take no value; every other `--name` takes the next argument.
    pub fn parse(raw: &[String], flags: &[&str], options: &[&str]) -> Result<Self, CliError> {
        let mut parsed = Args {
            options: Vec::new(),
            positionals: Vec::new(),
        };
        let mut iter = raw.iter();
        while let Some(arg) = iter.next() {
            if arg == "--" {
                parsed.positionals.extend(iter.by_ref().cloned());
            } else if let Some(name) = arg.strip_prefix("--") {
                if flags.contains(&name) {
                    parsed.options.push((name.to_string(), None));
                } else if options.contains(&name) {
                    let value = iter
                        .next()
                        .ok_or_else(|| CliError::Usage(format!("--{name} needs a value")))?;
                    parsed.options.push((name.to_string(), Some(value.clone())));
                } else {
                    return Err(CliError::Usage(format!("unknown option --{name}")));
                }
            } else {
                parsed.positionals.push(arg.clone());
            }
        }
        Ok(parsed)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    pub fn required(&self, name: &str) -> Result<&str, CliError> {
        self.value(name)
            .ok_or_else(|| CliError::Usage(format!("--{name} is required")))
    }

    /// A positive decimal such as a learning rate (`5e-4`, `0.001`).
    pub fn rate(&self, name: &str, default: f64) -> Result<f64, CliError> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text
                .parse()
                .ok()
                .filter(|&r: &f64| r > 0.0 && r.is_finite())
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--{name} must be a positive number, not \"{text}\""
                    ))
                }),
        }
    }

    /// A share from 0 up to (not including) 1, such as a dropout probability.
    pub fn fraction(&self, name: &str, default: f64) -> Result<f64, CliError> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text
                .parse()
                .ok()
                .filter(|&p: &f64| (0.0..1.0).contains(&p))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--{name} must be at least 0 and below 1, not \"{text}\""
                    ))
                }),
        }
    }

    pub fn number(&self, name: &str, default: usize) -> Result<usize, CliError> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => text.parse().ok().filter(|&n: &usize| n > 0).ok_or_else(|| {
                CliError::Usage(format!(
                    "--{name} must be a positive whole number, not \"{text}\""
                ))
            }),
        }
    }

    /// The text to `purpose` (what the command does with it, and an example): the one argument, or
    /// `--text-file FILE` (`-` reads standard input), for text too long or too awkward to quote.
    pub fn text(&self, purpose: &str) -> Result<String, CliError> {
        let read = |path: &str| -> Result<String, CliError> {
            let bytes = if path == "-" {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
                    CliError::Usage(format!("cannot read the text from standard input ({e})"))
                })?;
                bytes
            } else {
                std::fs::read(path)
                    .map_err(|e| CliError::Usage(format!("cannot read --text-file {path} ({e})")))?
            };
            String::from_utf8(bytes).map_err(|e| {
                CliError::Usage(format!(
                    "--text-file {path} is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ))
            })
        };
        match (self.value("text-file"), self.positionals.as_slice()) {
            (Some(path), []) => read(path),
            (Some(_), _) => Err(CliError::Usage(
                "give the text either as an argument or with --text-file, not both".into(),
            )),
            (None, [text]) => Ok(text.clone()),
            (None, []) => Err(CliError::Usage(format!(
                "give the text to {purpose} (or --text-file FILE, - for standard input)"
            ))),
            (None, _) => Err(CliError::Usage(
                "give the text as one argument (quote it)".into(),
            )),
        }
    }
}
