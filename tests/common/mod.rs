//! Shared test helpers: the transformers reference, fixture folders, devices.
#![allow(dead_code)]

use std::path::PathBuf;

use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::weights::{TensorMap, read_weights};
use clozelab_core::{LoadedModel, ModelFiles};
use serde::Deserialize;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[derive(Debug, Deserialize)]
pub struct Reference {
    pub transformers_version: String,
    pub cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub model: String,
    pub text: String,
    pub tokens: Vec<String>,
    pub input_ids: Vec<u32>,
    pub mask_positions: Vec<usize>,
    pub probs: Vec<Vec<f32>>,
    pub top_k: Vec<Vec<TopEntry>>,
    pub attentions: Vec<Vec<Vec<Vec<f32>>>>,
}

#[derive(Debug, Deserialize)]
pub struct TopEntry {
    pub token_id: u32,
    pub token: String,
    pub score: f32,
}

pub fn reference() -> Reference {
    let text = std::fs::read_to_string(fixtures().join("reference.json"))
        .expect("tests/fixtures/reference.json (make fixtures)");
    serde_json::from_str(&text).expect("reference.json parses")
}

pub fn model_files(name: &str) -> ModelFiles {
    ModelFiles::from_dir(&fixtures().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// A small text to train on: four sentences, paragraphs apart.
pub const TEXT: &str = "the cat sat on the mat .\n\nthe dog sat on the rug .\n\nthe cat ate the fish .\n\nthe dog ate the bone .";

/// A fixture folder's `model.safetensors` as a tensor map.
pub fn fixture_weights(files: &ModelFiles) -> TensorMap {
    read_weights("model.safetensors", files.get("model.safetensors").unwrap()).unwrap()
}

pub fn load(name: &str, backend: BackendKind) -> LoadedModel {
    let device = pollster::block_on(device_for(backend)).unwrap_or_else(|e| {
        panic!("{e}\n(the wgpu tests need a Vulkan driver; `make test` installs Mesa's lavapipe)")
    });
    LoadedModel::load(&model_files(name), device, backend)
        .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// The largest absolute difference between two equally long slices.
pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "lengths differ");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Top-k ids must agree wherever the reference ranking is not a near-tie: position `i` is
/// checked when the reference scores at `i` differ from both neighbours by more than `gap`.
pub fn assert_top_k_agrees(ours: &[u32], reference: &[TopEntry], gap: f32, context: &str) {
    for (i, entry) in reference.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| reference[j].score);
        let after = reference.get(i + 1).map(|e| e.score);
        let separated = before.is_none_or(|s| (s - entry.score).abs() > gap)
            && after.is_none_or(|s| (s - entry.score).abs() > gap);
        if separated && i < ours.len() {
            assert_eq!(
                ours[i],
                entry.token_id,
                "{context}: rank {} differs (reference {:?})",
                i + 1,
                entry.token
            );
        }
    }
}
