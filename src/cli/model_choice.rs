//! The model a command answers with: `--model DIR`, `--backend cpu|wgpu`, `--dtype fp32|q8`,
//! checked before any work, loaded when the command is ready for it (fill-mask, score, evaluate).

use std::path::Path;

use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::weights::quantize::WeightDtype;
use clozelab_core::{LoadedModel, ModelFiles};

use super::args::{Args, CliError};

pub struct ModelChoice<'a> {
    dir: &'a str,
    backend: BackendKind,
    dtype: WeightDtype,
}

impl<'a> ModelChoice<'a> {
    /// The options read and checked (8-bit weights are refused on the GPU here, before the device
    /// starts); nothing is read from disk yet.
    pub fn of(args: &'a Args) -> Result<Self, CliError> {
        let dir = args.required("model")?;
        let backend = BackendKind::parse(args.value("backend").unwrap_or("cpu"))?;
        let dtype = WeightDtype::parse(args.value("dtype").unwrap_or("fp32"))?;
        dtype.runs_on(backend)?;
        Ok(ModelChoice {
            dir,
            backend,
            dtype,
        })
    }

    /// The folder read, the device started, the model loaded.
    pub fn load(&self) -> Result<LoadedModel, CliError> {
        let files = ModelFiles::from_dir(Path::new(self.dir))?;
        let device = pollster::block_on(device_for(self.backend))?;
        Ok(LoadedModel::load_as(
            &files,
            device,
            self.backend,
            self.dtype,
        )?)
    }
}
