//! The files of a model folder as bytes by name — read from a directory natively, fetched or
//! picked in the browser. Everything downstream reads from here, so all sources load alike.

use std::collections::BTreeMap;

use crate::error::{ClozeError, Result};

#[derive(Debug, Clone, Default)]
pub struct ModelFiles {
    files: BTreeMap<String, Vec<u8>>,
    /// Where the files came from, for messages ("./models/x", "https://…", "the dropped folder").
    pub origin: String,
}

impl ModelFiles {
    pub fn new(origin: impl Into<String>) -> Self {
        ModelFiles {
            files: BTreeMap::new(),
            origin: origin.into(),
        }
    }

    pub fn insert(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.files.insert(name.into(), bytes);
    }

    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The bytes of a required file, or an error naming it and the folder.
    pub fn require(&self, name: &str) -> Result<&[u8]> {
        self.get(name).ok_or_else(|| ClozeError::MissingFile {
            file: name.to_string(),
            detail: format!("{} has no {name}", self.origin),
        })
    }

    /// A required file as UTF-8 text.
    pub fn require_text(&self, name: &str) -> Result<&str> {
        std::str::from_utf8(self.require(name)?).map_err(|_| ClozeError::MissingFile {
            file: name.to_string(),
            detail: "it is not UTF-8 text".into(),
        })
    }

    /// Reads the model files found in a directory (native only; the browser fetches them).
    #[cfg(not(target_family = "wasm"))]
    pub fn from_dir(dir: &std::path::Path) -> Result<Self> {
        let origin = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| ClozeError::MissingFile {
            file: origin.clone(),
            detail: format!("not a readable folder ({e})"),
        })?;
        let mut files = ModelFiles::new(origin);
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if MODEL_FILE_NAMES.contains(&name.as_str()) {
                let bytes = std::fs::read(entry.path()).map_err(|e| ClozeError::MissingFile {
                    file: name.clone(),
                    detail: e.to_string(),
                })?;
                files.insert(name, bytes);
            }
        }
        Ok(files)
    }

    /// Writes every file into `dir`, creating it if needed (native only).
    #[cfg(not(target_family = "wasm"))]
    pub fn write_to_dir(&self, dir: &std::path::Path) -> Result<()> {
        let failed = |path: &std::path::Path, e: std::io::Error| ClozeError::MissingFile {
            file: path.display().to_string(),
            detail: format!("cannot be written ({e})"),
        };
        std::fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| failed(&path, e))?;
        }
        Ok(())
    }
}

/// Every file a model folder may contribute.
pub const MODEL_FILE_NAMES: [&str; 10] = [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
    "spm.model",
    "model.safetensors",
    "pytorch_model.bin",
];
