//! A model ready to run: its config, its tokenizer and its weights on a device, loaded from the
//! files of a Hugging Face model folder.

use std::collections::BTreeSet;

use burn::tensor::Device;

use crate::backend::BackendKind;
use crate::config::{BertConfig, Family};
use crate::error::{ClozeError, Result};
use crate::files::ModelFiles;
use crate::memory;
use crate::model::network::MaskedLm;
use crate::model::plan::LoadPlan;
use crate::tokenize::ClozeTokenizer;
use crate::weights::bind::{Loader, load_network, unused_by_masked_lm};
use crate::weights::quantize::WeightDtype;
use crate::weights::{TensorMap, WEIGHT_FILES, read_weights};

pub struct LoadedModel {
    pub config: BertConfig,
    pub tokenizer: ClozeTokenizer,
    pub network: MaskedLm,
    pub device: Device,
    pub backend: BackendKind,
    /// How the Linear layers' weights are held (`q8`: int8, on the CPU only).
    pub dtype: WeightDtype,
}

impl LoadedModel {
    /// Loads `config.json`, the tokenizer files and the weights (safetensors first), in f32.
    pub fn load(files: &ModelFiles, device: Device, backend: BackendKind) -> Result<Self> {
        Self::load_as(files, device, backend, WeightDtype::Fp32)
    }

    /// [`LoadedModel::load`], with the Linear layers' weights as `dtype` says.
    pub fn load_as(
        files: &ModelFiles,
        device: Device,
        backend: BackendKind,
        dtype: WeightDtype,
    ) -> Result<Self> {
        let config = BertConfig::from_json(files.require_text("config.json")?)?;
        fits_backend(&config, backend)?;
        dtype.runs_on(backend)?;
        let tokenizer = ClozeTokenizer::from_files(files)?;
        if tokenizer.vocab_size() > config.vocab_size {
            return Err(ClozeError::Tokenizer(format!(
                "the tokenizer has {} tokens but config.json's vocab_size is {}: they belong to different models",
                tokenizer.vocab_size(),
                config.vocab_size
            )));
        }
        let weights_file = WEIGHT_FILES
            .iter()
            .find(|name| files.contains(name))
            .ok_or_else(|| ClozeError::MissingFile {
                file: WEIGHT_FILES.join(" or "),
                detail: format!("{} has no weights file", files.origin),
            })?;
        let weight_bytes = files.require(weights_file)?;
        let tensors = read_weights(weights_file, weight_bytes)?;
        // Before anything is built: a config far larger than its checkpoint (a typo of
        // num_hidden_layers: 10000) would allocate the whole imagined network first.
        config_fits_checkpoint(&config, &tensors)?;
        fits_memory(
            &tensors,
            weight_bytes.len() as u64,
            memory::available(),
            dtype,
        )?;
        refuse_non_finite(&tensors)?;
        let plan = LoadPlan::new(&config, backend)
            .with_checkpoint(&config, |name| tensors.tensors.contains_key(name));
        let network = load_network(
            &config,
            &plan,
            Loader::new(tensors, config.family.base_prefix(), &device).with_dtype(dtype),
        )?;
        Ok(LoadedModel {
            config,
            tokenizer,
            network,
            device,
            backend,
            dtype,
        })
    }

    /// A model of the given config with fresh random weights (benchmarks, pretraining).
    pub fn random(
        config: BertConfig,
        tokenizer: ClozeTokenizer,
        device: Device,
        backend: BackendKind,
    ) -> Self {
        let network = MaskedLm::init(&config, &LoadPlan::new(&config, backend), &device);
        LoadedModel {
            config,
            tokenizer,
            network,
            device,
            backend,
            dtype: WeightDtype::Fp32,
        }
    }
}

/// The distinct layers a checkpoint holds weights for, read from its tensor names: `…layer.3.…`,
/// `…layers.3.…` (ModernBERT), ALBERT's `…albert_layer_groups.0.albert_layers.1.…`.
pub fn layers_in_checkpoint<'a>(names: impl Iterator<Item = &'a String>) -> usize {
    let mut layers = BTreeSet::new();
    for name in names {
        let parts: Vec<&str> = name.split('.').collect();
        let key: Vec<(&str, usize)> = parts
            .windows(2)
            .filter(|pair| {
                matches!(
                    pair[0],
                    "layer" | "layers" | "albert_layer_groups" | "albert_layers"
                )
            })
            .filter_map(|pair| Some((pair[0], pair[1].parse().ok()?)))
            .collect();
        if !key.is_empty() {
            layers.insert(key);
        }
    }
    layers.len()
}

/// Refuses a config that asks for more than its checkpoint holds — more layers with their own
/// weights, or a width no tensor has — with both numbers, before any of it is built.
pub fn config_fits_checkpoint(config: &BertConfig, tensors: &TensorMap) -> Result<()> {
    let file = &tensors.file;
    let held = layers_in_checkpoint(tensors.tensors.keys());
    let wanted = config.distinct_layers();
    if wanted > held {
        let field = if config.family == Family::Albert {
            "num_hidden_groups × inner_group_num"
        } else {
            "num_hidden_layers"
        };
        return Err(ClozeError::Config(format!(
            "{field} asks for {wanted} layers, but {file} holds the weights of {held}: the config and the weights belong to different models"
        )));
    }
    let widest = tensors
        .tensors
        .values()
        .flat_map(|t| t.shape.iter().copied())
        .max()
        .unwrap_or(0);
    for (field, value) in [
        ("hidden_size", config.hidden_size),
        ("intermediate_size", config.intermediate_size),
        ("vocab_size", config.vocab_size),
        ("embedding_size", config.embedding_dim()),
    ] {
        if value > widest {
            return Err(ClozeError::Config(format!(
                "{field} is {value}, but no tensor in {file} is that wide (the widest dimension is {widest}): the config and the weights belong to different models"
            )));
        }
    }
    Ok(())
}

/// Refuses a checkpoint this process cannot hold once loaded as `dtype` (`available`: bytes and
/// where), with both numbers — and, for f32, what 8-bit weights would need if they fit: better
/// said now than an out-of-memory trap halfway through building it.
pub fn fits_memory(
    tensors: &TensorMap,
    file_bytes: u64,
    (available, place): (u64, &str),
    dtype: WeightDtype,
) -> Result<()> {
    let values: u64 = tensors
        .tensors
        .values()
        .map(|t| t.values.len() as u64)
        .sum();
    let linear: u64 = tensors
        .tensors
        .iter()
        .filter(|(name, t)| is_linear_weight(name, &t.shape))
        .map(|(_, t)| t.values.len() as u64)
        .sum();
    refuse_if_larger(
        values,
        linear,
        file_bytes,
        &tensors.file,
        (available, place),
        dtype,
    )
}

/// Before any weight is downloaded: refuses a config whose weights cannot fit `available` as
/// `dtype`, their count estimated from its shape (and the file taken as f32) — the numbers and
/// advice [`fits_memory`] gives once the file is read.
pub fn config_fits_memory(
    config: &BertConfig,
    available: (u64, &str),
    dtype: WeightDtype,
) -> Result<()> {
    let (e, h) = (config.embedding_dim() as u64, config.hidden_size as u64);
    let i = config.intermediate_size as u64;
    let projection = if e != h { e * h } else { 0 };
    let linear = config.distinct_layers() as u64 * (4 * h * h + 2 * h * i) + h * h + projection;
    let positions = (config.max_position_embeddings + config.type_vocab_size) as u64;
    let values = linear + (config.vocab_size as u64 + positions) * e;
    refuse_if_larger(values, linear, 4 * values, "config.json", available, dtype)
}

/// The refusal both checks share: `values` weights (`linear` of them in Linear layers) from a
/// file of `file_bytes`, loaded as `dtype` into `available` bytes.
fn refuse_if_larger(
    values: u64,
    linear: u64,
    file_bytes: u64,
    file: &str,
    (available, place): (u64, &str),
    dtype: WeightDtype,
) -> Result<()> {
    let needed = |dtype: WeightDtype| {
        let network = memory::network_bytes(values, linear, dtype == WeightDtype::Q8);
        memory::load_bytes(values, file_bytes, network)
    };
    if needed(dtype) <= available {
        return Ok(());
    }
    let gb = |bytes: u64| bytes as f64 / 1e9;
    let advice = if dtype == WeightDtype::Fp32 && needed(WeightDtype::Q8) <= available {
        format!(
            "load it with 8-bit weights (dtype q8, on the CPU: about {:.1} GB), or pick a smaller model",
            gb(needed(WeightDtype::Q8))
        )
    } else {
        "pick a smaller model".to_string()
    };
    Err(ClozeError::weights(
        file,
        format!(
            "this model needs about {:.1} GB to load as {} ({:.0} million weights), more than the {:.1} GB {place} can hold: {advice}",
            gb(needed(dtype)),
            dtype.name(),
            values as f64 / 1e6,
            gb(available)
        ),
    ))
}

/// Whether a checkpoint tensor is a Linear layer's weight (what `q8` holds in one byte): a matrix
/// named `….weight` that is not an embedding table or the decoder (the word table, tied or not).
fn is_linear_weight(name: &str, shape: &[usize]) -> bool {
    shape.len() == 2
        && name.ends_with(".weight")
        && !name.contains("_embeddings")
        && !name.contains("decoder")
}

/// Refuses weights with NaN or infinite values in any tensor the model reads: they would only
/// show as "NaN%" predictions. The tensors a masked LM ignores are not looked at.
fn refuse_non_finite(tensors: &TensorMap) -> Result<()> {
    let damaged: Vec<(&String, usize)> = tensors
        .tensors
        .iter()
        .filter(|(name, _)| !unused_by_masked_lm(name))
        .map(|(name, tensor)| {
            (
                name,
                tensor.values.iter().filter(|v| !v.is_finite()).count(),
            )
        })
        .filter(|&(_, bad)| bad > 0)
        .collect();
    let Some(&(first, bad)) = damaged.first() else {
        return Ok(());
    };
    let others = match damaged.len() - 1 {
        0 => String::new(),
        1 => " and 1 more tensor".into(),
        n => format!(" and {n} more tensors"),
    };
    Err(ClozeError::weights(
        &tensors.file,
        format!(
            "the model's weights contain NaN or infinite values in {first} ({bad} of them){others}: the file is damaged, or was saved from a training run that diverged"
        ),
    ))
}

/// Why a model cannot run on `backend`, if it cannot: an untied output layer (vocabulary ×
/// width, one matrix) must fit one GPU buffer binding, or the device rejects the first kernel that
/// reads it. (The word table itself is split into chunks that fit.)
pub fn gpu_misfit(config: &BertConfig, backend: BackendKind) -> Option<String> {
    if backend != BackendKind::Wgpu || config.tie_word_embeddings {
        return None;
    }
    let limit = crate::backend::gpu_buffer_limit()?;
    let bytes = (config.vocab_size * config.embedding_dim() * 4) as u64;
    (bytes > limit).then(|| {
        format!(
            "its untied output layer ({:.0} MB: {} tokens × {}) is larger than this GPU can bind at once ({:.0} MB)",
            bytes as f64 / 1e6,
            config.vocab_size,
            config.embedding_dim(),
            limit as f64 / 1e6
        )
    })
}

/// [`gpu_misfit`] as an error that says what to do.
pub fn fits_backend(config: &BertConfig, backend: BackendKind) -> Result<()> {
    match gpu_misfit(config, backend) {
        None => Ok(()),
        Some(why) => Err(ClozeError::Backend(format!(
            "{why}, so it cannot run on the GPU — use the CPU backend"
        ))),
    }
}

impl LoadedModel {
    /// The weights as a `model.safetensors` file, named as `transformers` names them.
    pub async fn safetensors(&self) -> Result<Vec<u8>> {
        crate::export::weights_file(&self.network).await
    }
}
