//! The fused kernels a hardware GPU runs in the browser (`kernels/layer_norm.rs`,
//! `kernels/bias_activation.rs`, `kernels/attention.rs`), run on this machine's wgpu device (Mesa
//! lavapipe) and compared with the same arithmetic written plainly in f64: add & norm with and
//! without each optional input, every activation with and without a bias (far into both tails),
//! attention over strided head views with projection biases, padding and the probabilities —
//! rows longer than a workgroup, heads wider than one — and the shapes the kernels decline.

use burn::backend::DispatchDevice;
use burn::backend::ops::FloatTensorOps;
use burn::tensor::TensorData;
use burn_cubecl::tensor::CubeTensor;
use burn_cubecl::{CubeBackend, CubeDevice};
use clozelab_core::backend::wgpu_device;
use clozelab_core::config::Activation;
use clozelab_core::kernels::attention::{Heads, MAX_SEQ, attention};
use clozelab_core::kernels::bias_activation::bias_activation;
use clozelab_core::kernels::layer_norm::add_norm;

fn device() -> CubeDevice {
    let device = pollster::block_on(wgpu_device()).expect("a wgpu adapter (lavapipe)");
    match device.as_dispatch() {
        DispatchDevice::Cube(cube) => cube.clone(),
        other => panic!("not a cubecl device: {other:?}"),
    }
}

/// Distinct, sign-mixed values in about ±`scale`.
fn values(count: usize, seed: u32, scale: f32) -> Vec<f32> {
    (0..count as u32)
        .map(|i| {
            let v = (i.wrapping_mul(2_654_435_761).wrapping_add(seed * 97) % 2001) as f32 - 1000.0;
            v / 1000.0 * scale
        })
        .collect()
}

fn upload(device: &CubeDevice, values: &[f32], shape: &[usize]) -> CubeTensor {
    CubeBackend::float_from_data(TensorData::new(values.to_vec(), shape.to_vec()), device)
}

fn read(tensor: CubeTensor) -> (Vec<usize>, Vec<f32>) {
    let data = pollster::block_on(CubeBackend::float_into_data(tensor)).expect("read back");
    (data.shape().to_vec(), data.try_to_vec::<f32>().unwrap())
}

fn assert_close(ours: &[f32], theirs: &[f64], tolerance: f64, what: &str) {
    assert_eq!(ours.len(), theirs.len(), "{what}: length");
    for (i, (&a, &b)) in ours.iter().zip(theirs).enumerate() {
        assert!(
            a.is_finite() && (f64::from(a) - b).abs() <= tolerance * b.abs().max(1.0),
            "{what}, element {i}: {a} vs {b}"
        );
    }
}

#[test]
fn add_norm_matches_layer_norm_of_the_sum_with_and_without_each_input() {
    let device = device();
    // 15 rows of 200: more columns than the workgroup's 64 invocations, not a multiple of them.
    let (rows, width) = (15, 200);
    let x = values(rows * width, 1, 3.0);
    let residual = values(rows * width, 2, 2.0);
    let bias = values(width, 3, 1.0);
    let gamma = values(width, 4, 1.5);
    let beta = values(width, 5, 0.5);
    let eps = 1e-12;
    for (with_bias, with_residual, with_beta) in [
        (true, true, true),
        (false, false, true),
        (true, false, false),
        (false, true, false),
    ] {
        let mut expected = Vec::with_capacity(rows * width);
        for r in 0..rows {
            let row: Vec<f64> = (0..width)
                .map(|j| {
                    let mut v = f64::from(x[r * width + j]);
                    if with_bias {
                        v += f64::from(bias[j]);
                    }
                    if with_residual {
                        v += f64::from(residual[r * width + j]);
                    }
                    v
                })
                .collect();
            let mean = row.iter().sum::<f64>() / width as f64;
            let var = row.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / width as f64;
            for (j, v) in row.iter().enumerate() {
                let shift = if with_beta { f64::from(beta[j]) } else { 0.0 };
                expected.push((v - mean) / (var + eps).sqrt() * f64::from(gamma[j]) + shift);
            }
        }
        let t = |v: &[f32], shape: &[usize]| upload(&device, v, shape);
        let out = add_norm(
            &t(&x, &[3, 5, width]),
            with_bias.then(|| t(&bias, &[width])).as_ref(),
            with_residual.then(|| t(&residual, &[3, 5, width])).as_ref(),
            &t(&gamma, &[width]),
            with_beta.then(|| t(&beta, &[width])).as_ref(),
            eps,
        )
        .expect("the kernel takes contiguous rows");
        let (shape, ours) = read(out);
        assert_eq!(shape, [3, 5, width]);
        let what = format!("bias {with_bias}, residual {with_residual}, beta {with_beta}");
        assert_close(&ours, &expected, 2e-5, &what);
    }
}

fn reference(act: Activation, x: f64) -> f64 {
    match act {
        Activation::Gelu => 0.5 * x * libm::erfc(-x / std::f64::consts::SQRT_2),
        Activation::GeluTanh => {
            let inner = (2.0 / std::f64::consts::PI).sqrt() * (x + 0.044715 * x * x * x);
            0.5 * x * (1.0 + inner.tanh())
        }
        Activation::Relu => x.max(0.0),
        Activation::Silu => x / (1.0 + (-x).exp()),
        Activation::Tanh => x.tanh(),
    }
}

#[test]
fn bias_activation_matches_every_activation_far_into_both_tails() {
    let device = device();
    let (rows, width) = (9, 36);
    // ±60: tanh and exp would overflow if written naively.
    let x = values(rows * width, 6, 60.0);
    let small = values(rows * width, 7, 3.0);
    let bias = values(width, 8, 1.0);
    for act in [
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Relu,
        Activation::Silu,
        Activation::Tanh,
    ] {
        for input in [&x, &small] {
            for with_bias in [true, false] {
                let expected: Vec<f64> = input
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let b = if with_bias {
                            f64::from(bias[i % width])
                        } else {
                            0.0
                        };
                        reference(act, f64::from(v) + b)
                    })
                    .collect();
                let out = bias_activation(
                    &upload(&device, input, &[rows, width]),
                    with_bias.then(|| upload(&device, &bias, &[width])).as_ref(),
                    act,
                )
                .expect("a width of whole vec4s");
                let (shape, ours) = read(out);
                assert_eq!(shape, [rows, width]);
                assert_close(
                    &ours,
                    &expected,
                    2e-6,
                    &format!("{act:?}, bias {with_bias}"),
                );
            }
        }
    }
    // A width that is not whole vec4s is declined (burn's operations run).
    let odd = upload(&device, &values(10, 9, 1.0), &[2, 5]);
    assert!(bias_activation(&odd, None, Activation::Gelu).is_none());
}

/// Attention in f64 from `[batch, seq, heads·head_dim]` projections and their biases.
struct Case {
    batch: usize,
    heads: usize,
    seq: usize,
    head_dim: usize,
}

impl Case {
    fn run(&self, device: &CubeDevice, padded: usize) {
        let Case {
            batch,
            heads,
            seq,
            head_dim,
        } = *self;
        let width = heads * head_dim;
        let [q, k, v] = [11, 12, 13].map(|seed| values(batch * seq * width, seed, 1.0));
        let [qb, kb, vb] = [14, 15, 16].map(|seed| values(width, seed, 0.5));
        // The last `padded` keys of the last sequence are padding.
        let mut key_bias = vec![0.0f32; batch * seq];
        for j in seq - padded..seq {
            key_bias[(batch - 1) * seq + j] = -1e30;
        }
        let scale = 1.0 / (head_dim as f64).sqrt();
        let at = |b: usize, i: usize, h: usize, d: usize| (b * seq + i) * width + h * head_dim + d;
        let mut context = vec![0.0f64; batch * seq * width];
        let mut probs = vec![0.0f64; batch * heads * seq * seq];
        for b in 0..batch {
            for h in 0..heads {
                for i in 0..seq {
                    let scores: Vec<f64> = (0..seq)
                        .map(|j| {
                            let dot: f64 = (0..head_dim)
                                .map(|d| {
                                    let qv = f64::from(q[at(b, i, h, d)] + qb[h * head_dim + d]);
                                    let kv = f64::from(k[at(b, j, h, d)] + kb[h * head_dim + d]);
                                    qv * kv
                                })
                                .sum();
                            dot * scale + f64::from(key_bias[b * seq + j])
                        })
                        .collect();
                    let top = scores.iter().cloned().fold(f64::MIN, f64::max);
                    let exps: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
                    let total: f64 = exps.iter().sum();
                    for j in 0..seq {
                        let p = exps[j] / total;
                        probs[((b * heads + h) * seq + i) * seq + j] = p;
                        for d in 0..head_dim {
                            let value = f64::from(v[at(b, j, h, d)] + vb[h * head_dim + d]);
                            context[at(b, i, h, d)] += p * value;
                        }
                    }
                }
            }
        }
        // The heads as the encoder makes them: views of the projections, not copies.
        let view = |values: &[f32]| {
            let t = upload(device, values, &[batch, seq, width]);
            let t = CubeBackend::float_reshape(t, [batch, seq, heads, head_dim].into());
            CubeBackend::float_swap_dims(t, 1, 2)
        };
        let (qh, kh, vh) = (view(&q), view(&k), view(&v));
        let biases = [&qb, &kb, &vb].map(|b| upload(device, b, &[width]));
        let mask = upload(device, &key_bias, &[batch, seq]);
        let run = |keep_probs: bool| {
            let heads = Heads {
                query: &qh,
                key: &kh,
                value: &vh,
                biases: Some([&biases[0], &biases[1], &biases[2]]),
            };
            attention(heads, Some(&mask), scale, keep_probs).expect("the kernel takes these views")
        };
        let (ours, our_probs) = run(true);
        let what = format!("{batch}×{heads} heads×{seq} tokens×{head_dim}");
        let (shape, ours) = read(ours);
        assert_eq!(shape, [batch, seq, width]);
        assert_close(&ours, &context, 2e-5, &format!("context, {what}"));
        let (shape, our_probs) = read(our_probs.expect("asked for"));
        assert_eq!(shape, [batch, heads, seq, seq]);
        assert_close(&our_probs, &probs, 2e-5, &format!("probabilities, {what}"));
        // Padding gets exactly nothing.
        for h in 0..heads {
            for i in 0..seq {
                for j in seq - padded..seq {
                    assert_eq!(
                        our_probs[(((batch - 1) * heads + h) * seq + i) * seq + j],
                        0.0
                    );
                }
            }
        }
        // Without the probabilities: the same context.
        let (again, none) = run(false);
        assert!(none.is_none());
        assert_close(
            &read(again).1,
            &context,
            2e-5,
            &format!("context alone, {what}"),
        );
    }
}

#[test]
fn attention_matches_softmax_attention_over_strided_heads_with_biases_and_padding() {
    let device = device();
    // Short: fewer keys than invocations.
    Case {
        batch: 2,
        heads: 3,
        seq: 7,
        head_dim: 8,
    }
    .run(&device, 2);
    // More keys than a workgroup (each invocation takes several), heads wider than one.
    Case {
        batch: 1,
        heads: 2,
        seq: 150,
        head_dim: 80,
    }
    .run(&device, 20);
}

#[test]
fn attention_declines_what_its_workgroup_memory_cannot_hold() {
    let device = device();
    let long = MAX_SEQ + 1;
    let heads = |seq: usize, head_dim: usize| {
        let t = upload(
            &device,
            &values(seq * head_dim, 17, 1.0),
            &[1, 1, seq, head_dim],
        );
        t
    };
    let t = heads(long, 4);
    let inputs = Heads {
        query: &t,
        key: &t,
        value: &t,
        biases: None,
    };
    assert!(
        attention(inputs, None, 0.5, false).is_none(),
        "a sequence over {MAX_SEQ}"
    );
    let wide = heads(2, 260);
    let inputs = Heads {
        query: &wide,
        key: &wide,
        value: &wide,
        biases: None,
    };
    assert!(
        attention(inputs, None, 0.5, false).is_none(),
        "a head wider than 256"
    );
}
