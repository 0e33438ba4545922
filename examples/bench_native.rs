//! `make bench`, native half: fill-mask latency for the bundled model's, a bert-mini and a bert-base
//! shape (random weights), 16 and 128 tokens, on the CPU (flex) and wgpu backends, with achieved
//! GFLOP/s; first, which wgpu driver was found (on a machine with a real GPU: Vulkan, Metal, DX12).
//! Figures are printed and written to bench-results/native.json for the comparison with PyTorch.

use clozelab_core::backend::{BackendKind, device_for, gpu_description, software_gpu};
use clozelab_core::config::BertConfig;
use clozelab_core::model::network::MaskedLm;
use clozelab_core::model::plan::LoadPlan;
use serde::Serialize;

#[path = "support/mod.rs"]
mod support;

const WARM_UP: usize = 3;
const RUNS: usize = 10;

#[derive(Serialize)]
struct Figure {
    shape: &'static str,
    tokens: usize,
    backend: &'static str,
    first_ms: f64,
    median_ms: f64,
    gflops: f64,
}

fn shapes() -> [(&'static str, BertConfig); 3] {
    [
        // The bundled model's shape, read from its own config so that it follows a retrained model.
        (
            "bundled",
            BertConfig::from_json(include_str!("../www/models/clozelab-tiny-bert/config.json"))
                .expect("the bundled model's config.json"),
        ),
        (
            "bert-mini",
            BertConfig::with_shape(30522, 256, 4, 4, 1024, 512),
        ),
        (
            "bert-base",
            BertConfig::with_shape(30522, 768, 12, 12, 3072, 512),
        ),
    ]
}

/// Multiply-adds ×2 of one fill-mask pass with one mask: the encoder over every token, the
/// MLM head (transform + decoder onto the vocabulary) at the mask only.
fn flops(config: &BertConfig, tokens: usize) -> f64 {
    let (h, i, s, v) = (
        config.hidden_size as f64,
        config.intermediate_size as f64,
        tokens as f64,
        config.vocab_size as f64,
    );
    let per_layer = s * (8.0 * h * h + 4.0 * h * i + 4.0 * s * h);
    config.num_hidden_layers as f64 * per_layer + 2.0 * h * h + 2.0 * h * v
}

fn main() {
    let only = std::env::args().nth(1);
    let mut figures = Vec::new();
    println!(
        "native fill-mask latency: median of {RUNS} runs after {WARM_UP} warm-up runs, one mask, random weights"
    );
    println!(
        "{:<10} {:>6} {:>7} {:>10} {:>11} {:>9}",
        "shape", "tokens", "backend", "first ms", "median ms", "GFLOP/s"
    );
    for backend in [BackendKind::Cpu, BackendKind::Wgpu] {
        if only.as_deref().is_some_and(|b| b != backend.name()) {
            continue;
        }
        let device = match pollster::block_on(device_for(backend)) {
            Ok(device) => device,
            Err(error) => {
                println!(
                    "{:<10} skipped, no GPU driver found: {error}",
                    backend.name()
                );
                continue;
            }
        };
        if backend == BackendKind::Wgpu {
            // Say first what the figures are of: a GPU, or a CPU running GPU code.
            let adapter = gpu_description().unwrap_or_else(|| "an unnamed adapter".into());
            let kind = if software_gpu() {
                "a software adapter (a CPU running GPU code): these figures say nothing about a GPU"
            } else {
                "a hardware GPU"
            };
            println!(
                "wgpu driver found: {adapter}, {kind}; burn's kernel fusion on (native builds)"
            );
        }
        for (shape, config) in shapes() {
            let network = MaskedLm::init(&config, &LoadPlan::new(&config, backend), &device);
            for tokens in [16, 128] {
                let (first_ms, median_ms) = support::first_and_median_ms(WARM_UP, RUNS, || {
                    support::masked_pass(&network, &device, tokens, config.vocab_size)
                });
                let gflops = flops(&config, tokens) / (median_ms * 1e6);
                println!(
                    "{shape:<10} {tokens:>6} {:>7} {first_ms:>10.1} {median_ms:>11.2} {gflops:>9.1}",
                    backend.name()
                );
                figures.push(Figure {
                    shape,
                    tokens,
                    backend: backend.name(),
                    first_ms,
                    median_ms,
                    gflops,
                });
            }
        }
    }
    std::fs::create_dir_all("bench-results").expect("bench-results/");
    let json = serde_json::to_string_pretty(&figures).expect("figures serialise");
    std::fs::write("bench-results/native.json", json).expect("bench-results/native.json");
}
