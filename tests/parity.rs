//! Parity with `transformers`: the same checkpoint and text give the same tokens, probabilities
//! and attention probabilities as PyTorch did when the fixtures were made.

mod common;

use clozelab_core::backend::BackendKind;
use clozelab_core::fill_mask::{run_masked, top_k_of};
use clozelab_core::model::Keep;
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
            Keep {
                attentions: true,
                layers: false,
            },
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
            layers: false,
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
            layers: false,
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

/// What a GPU pass does to every sentence — padding it to a bucket length, the padding's keys
/// blocked and its rows cut from the attention maps — changes no probability and no attention
/// weight, on every family (checked on the CPU to 1e-5, the CPU parity bound: the sums run over
/// more, blocked, terms).
#[test]
fn padding_to_a_gpu_bucket_changes_nothing_on_any_family() {
    use clozelab_core::fill_mask::{Padded, forward_masked, gpu_bucket};
    let reference = reference();
    let mut models = std::collections::HashMap::new();
    let mut families = std::collections::HashSet::new();
    for case in &reference.cases {
        let model = models
            .entry(case.model.clone())
            .or_insert_with(|| load(&case.model, BackendKind::Cpu));
        families.insert(model.config.model_type.clone());
        let encoded = model.tokenizer.encode(&case.text).unwrap();
        let limit = model.config.max_input_tokens();
        // A length just past the sentence's own, so that every case is padded (one that is a
        // bucket long already would not be).
        let bucket = gpu_bucket(encoded.input_ids.len() + 1, limit);
        assert!(
            bucket > encoded.input_ids.len(),
            "{}: the case is padded",
            case.model
        );
        let pass = |pad_to| {
            let sequence = Padded {
                input_ids: &encoded.input_ids,
                type_ids: &encoded.type_ids,
                pad_to,
                pad_id: model.config.pad_token_id as u32,
            };
            let masks = case.mask_positions.clone();
            pollster::block_on(forward_masked(
                &model.network,
                &model.device,
                sequence,
                masks,
                Keep {
                    attentions: true,
                    layers: false,
                },
            ))
            .unwrap()
        };
        let (plain, padded) = (pass(encoded.input_ids.len()), pass(bucket));
        for (a, b) in plain.probs.iter().zip(&padded.probs) {
            let diff = max_abs_diff(a, b);
            assert!(
                diff <= 1e-5,
                "{}: padded probabilities differ by {diff:e}",
                case.model
            );
        }
        let (a, b) = (plain.attentions.unwrap(), padded.attentions.unwrap());
        assert_eq!(
            a.len(),
            b.len(),
            "{}: the padding is cut from the maps",
            case.model
        );
        let diff = max_abs_diff(&a, &b);
        assert!(
            diff <= 1e-5,
            "{}: padded attentions differ by {diff:e}",
            case.model
        );
    }
    assert!(families.len() >= 7, "every family: {families:?}");
}

#[test]
fn gpu_buckets_are_powers_of_two_from_16_within_the_limit() {
    use clozelab_core::fill_mask::gpu_bucket;
    let cases = [
        (3, 512, 16),
        (16, 512, 16),
        (17, 512, 32),
        (100, 512, 128),
        (300, 512, 512),
    ];
    for (tokens, limit, bucket) in cases {
        assert_eq!(gpu_bucket(tokens, limit), bucket, "{tokens} tokens");
    }
    assert_eq!(gpu_bucket(100, 120), 120, "never past the model's limit");
    assert_eq!(gpu_bucket(10, 12), 12);
}
