//! Layer by layer (`fill_mask` with `layers`): on every family fixture, on the CPU and on wgpu,
//! the MLM head applied to every hidden state gives at each mask the top five `transformers` gives
//! with `output_hidden_states=True` and the same head (`tests/fixtures/layers_reference.py`,
//! ModernBERT's through its final norm) to 1e-4, the last hidden state's being the answer itself.

mod common;

use clozelab_core::{BackendKind, FillMaskOptions, fill_mask};
use common::{TopEntry, assert_top_k_agrees, fixtures, load};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    model: String,
    text: String,
    mask_positions: Vec<usize>,
    /// `[hidden state][mask]` → the top five as `[id, probability]`.
    layers: Vec<Vec<Vec<(u32, f32)>>>,
}

fn check(backend: BackendKind) {
    let path = fixtures().join("layers_reference.json");
    let reference: Reference =
        serde_json::from_str(&std::fs::read_to_string(path).expect("layers_reference.json"))
            .unwrap();
    let mut models: Vec<&str> = reference.cases.iter().map(|c| c.model.as_str()).collect();
    models.dedup();
    assert!(models.len() >= 10, "every family: {models:?}");
    for name in models {
        let model = load(name, backend);
        for case in reference.cases.iter().filter(|c| c.model == name) {
            let what = format!("{name} on {}: {:?}", backend.name(), case.text);
            let options = FillMaskOptions {
                top_k: 5,
                attentions: false,
                layers: true,
            };
            let output = pollster::block_on(fill_mask(&model, &case.text, options)).unwrap();
            let positions: Vec<usize> = output.masks.iter().map(|m| m.position).collect();
            assert_eq!(positions, case.mask_positions, "{what}");
            for (m, mask) in output.masks.iter().enumerate() {
                let layers = mask.layers.as_ref().expect("asked for");
                assert_eq!(layers.len(), case.layers.len(), "{what}: hidden states");
                assert_eq!(layers.last().unwrap().predictions.len(), 5);
                for (l, layer) in layers.iter().enumerate() {
                    assert_eq!(layer.layer, l);
                    let theirs: Vec<TopEntry> = case.layers[l][m]
                        .iter()
                        .map(|&(token_id, score)| TopEntry {
                            token_id,
                            token: String::new(),
                            score,
                        })
                        .collect();
                    for (ours, entry) in layer.predictions.iter().zip(&theirs) {
                        assert!(
                            (ours.score - entry.score).abs() <= 1e-4,
                            "{what}: mask {m}, layer {l}: {} vs {}",
                            ours.score,
                            entry.score
                        );
                    }
                    let ids: Vec<u32> = layer.predictions.iter().map(|p| p.token_id).collect();
                    assert_top_k_agrees(
                        &ids,
                        &theirs,
                        1e-4,
                        &format!("{what}: mask {m}, layer {l}"),
                    );
                }
                // The last hidden state's guesses are the answer.
                let last: Vec<u32> = layers
                    .last()
                    .unwrap()
                    .predictions
                    .iter()
                    .map(|p| p.token_id)
                    .collect();
                let answer: Vec<u32> = mask.predictions.iter().map(|p| p.token_id).collect();
                assert_eq!(last, answer, "{what}: the last layer is the answer");
            }
        }
    }
}

#[test]
fn cpu_layer_by_layer_guesses_match_transformers_on_every_family() {
    check(BackendKind::Cpu);
}

#[test]
fn wgpu_layer_by_layer_guesses_match_transformers_on_every_family() {
    check(BackendKind::Wgpu);
}

#[test]
fn layers_are_left_out_unless_asked_for() {
    let model = load("bert-gelu", BackendKind::Cpu);
    let output = pollster::block_on(fill_mask(
        &model,
        "the [MASK] sat .",
        FillMaskOptions::default(),
    ))
    .unwrap();
    assert!(output.masks.iter().all(|m| m.layers.is_none()));
    let json = serde_json::to_string(&output).unwrap();
    assert!(!json.contains("\"layers\""), "{json}");
}
