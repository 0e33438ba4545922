//! Parity with `transformers`: the same checkpoint and text give the same tokens, probabilities
//! and attention probabilities as PyTorch did when the fixtures were made.

mod common;

use clozelab_core::backend::BackendKind;
use clozelab_core::fill_mask::{run_masked, top_k_of};
use clozelab_core::{FillMaskOptions, fill_mask};
use common::{assert_top_k_agrees, load, max_abs_diff, reference};

fn check_backend(backend: BackendKind, tolerance: f32) {
    let reference = reference();
    assert!(
        reference.cases.len() >= 10,
        "the reference should cover every fixture form"
    );
    let mut models = std::collections::HashMap::new();
    for case in &reference.cases {
        let model = models
            .entry(case.model.clone())
            .or_insert_with(|| load(&case.model, backend));
        let context = format!("{} / {:?} on {}", case.model, case.text, backend.name());

        let encoded = model.tokenizer.encode(&case.text).unwrap();
        assert_eq!(encoded.tokens, case.tokens, "{context}: tokens");
        assert_eq!(encoded.input_ids, case.input_ids, "{context}: ids");

        let pass = pollster::block_on(run_masked(
            model,
            &encoded.input_ids,
            &encoded.type_ids,
            true,
        ))
        .unwrap();
        assert_eq!(
            pass.mask_positions, case.mask_positions,
            "{context}: mask positions"
        );
        for (mask, (ours, theirs)) in pass.probs.iter().zip(&case.probs).enumerate() {
            let diff = max_abs_diff(ours, theirs);
            assert!(
                diff <= tolerance,
                "{context}: mask {mask} probabilities differ by {diff:e} (> {tolerance:e})"
            );
            let ids: Vec<u32> = top_k_of(ours, case.top_k[mask].len())
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            assert_top_k_agrees(&ids, &case.top_k[mask], 1e-4, &context);
        }
        let flat: Vec<f32> = case
            .attentions
            .iter()
            .flatten()
            .flatten()
            .flatten()
            .copied()
            .collect();
        let ours = pass.attentions.expect("attentions were asked for");
        let diff = max_abs_diff(&ours, &flat);
        assert!(
            diff <= tolerance,
            "{context}: attention probabilities differ by {diff:e} (> {tolerance:e})"
        );
    }
}

#[test]
fn cpu_backend_matches_transformers_within_1e5() {
    check_backend(BackendKind::Cpu, 1e-5);
}

#[test]
fn wgpu_backend_matches_transformers_within_1e4() {
    check_backend(BackendKind::Wgpu, 1e-4);
}

#[test]
fn fill_mask_output_has_the_reference_top_k_in_order() {
    let reference = reference();
    let case = reference
        .cases
        .iter()
        .find(|c| c.mask_positions.len() >= 2)
        .expect("a two-mask case");
    let model = load(&case.model, BackendKind::Cpu);
    let output = pollster::block_on(fill_mask(
        &model,
        &case.text,
        FillMaskOptions {
            top_k: 3,
            attentions: false,
        },
    ))
    .unwrap();
    assert_eq!(output.masks.len(), case.mask_positions.len());
    assert!(output.attentions.is_none());
    for (mask, expected) in output.masks.iter().zip(&case.top_k) {
        assert_eq!(mask.predictions.len(), 3);
        for (ours, theirs) in mask.predictions.iter().zip(expected) {
            assert_eq!(ours.token, theirs.token);
            assert!((ours.score - theirs.score).abs() <= 1e-5);
        }
    }
}

#[test]
fn attention_rows_sum_to_one() {
    let reference = reference();
    let case = &reference.cases[0];
    let model = load(&case.model, BackendKind::Cpu);
    let output = pollster::block_on(fill_mask(
        &model,
        &case.text,
        FillMaskOptions {
            top_k: 1,
            attentions: true,
        },
    ))
    .unwrap();
    let attentions = output.attentions.unwrap();
    assert_eq!(attentions.len(), model.config.num_hidden_layers);
    for layer in &attentions {
        assert_eq!(layer.len(), model.config.num_attention_heads);
        for head in layer {
            assert_eq!(head.len(), case.tokens.len());
            for row in head {
                let sum: f32 = row.iter().sum();
                assert!((sum - 1.0).abs() < 1e-5, "row sums to {sum}");
            }
        }
    }
}
