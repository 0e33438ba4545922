//! `make bench`, training: masked-LM training throughput (tokens/s) natively, on the CPU and on
//! wgpu, for the bundled model's shape (its config.json) at sequence length 64 — the same shape
//! and batch bench/torch_train.py measures in PyTorch. Writes bench-results/train_native.json.

use std::time::Instant;

use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::config::BertConfig;
use clozelab_core::masking::Rng;
use clozelab_core::model::network::MaskedLm;
use clozelab_core::model::plan::LoadPlan;
use clozelab_core::train::{AdamWSettings, Learner, TrainBatch};
use serde::Serialize;

const BATCH: usize = 16;
const SEQ: usize = 64;
const WARM_UP: usize = 3;
/// Steps timed: a CPU step takes tens of milliseconds, so it gets more of them (a second or
/// two in all) to keep the figure steady; a step on lavapipe takes a second.
fn steps(backend: BackendKind) -> usize {
    match backend {
        BackendKind::Cpu => 40,
        BackendKind::Wgpu => 10,
    }
}

#[derive(Serialize)]
struct Figure {
    backend: &'static str,
    tokens_per_s: f64,
    ms_per_step: f64,
}

/// The bundled model's config (its shape and dropout).
fn bundled_shape() -> BertConfig {
    let json = std::fs::read_to_string("www/models/clozelab-tiny-bert/config.json")
        .expect("the bundled model's config.json (run from the repository root)");
    BertConfig::from_json(&json).expect("a valid config")
}

/// A fixed batch: random ids, 15% of positions (at least one) as targets.
fn batch(config: &BertConfig) -> TrainBatch {
    let mut rng = Rng::new(42);
    let mut batch = TrainBatch {
        input_ids: Vec::new(),
        positions: Vec::new(),
        labels: Vec::new(),
    };
    for _ in 0..BATCH {
        let ids: Vec<u32> = (0..SEQ)
            .map(|_| 5 + rng.below(config.vocab_size - 5) as u32)
            .collect();
        let positions: Vec<usize> = (1..SEQ - 1).filter(|p| p % 7 == 3).collect();
        batch
            .labels
            .push(positions.iter().map(|&p| ids[p]).collect());
        batch.positions.push(positions);
        batch.input_ids.push(ids);
    }
    batch
}

fn main() {
    let config = bundled_shape();
    let batch = batch(&config);
    let mut figures = Vec::new();
    println!(
        "native MLM training, the bundled model's shape (hidden {}, {} layers, vocab {}), batch {BATCH} × {SEQ} tokens, gradients clipped to norm 1, AdamW",
        config.hidden_size, config.num_hidden_layers, config.vocab_size
    );
    let only = std::env::args()
        .nth(1)
        .map(|name| BackendKind::parse(&name).expect("cpu or wgpu"));
    for backend in [BackendKind::Cpu, BackendKind::Wgpu] {
        if only.is_some_and(|only| only != backend) {
            continue;
        }
        let device = match pollster::block_on(device_for(backend)) {
            Ok(device) => device.autodiff(),
            Err(error) => {
                println!("{:<5} skipped: {error}", backend.name());
                continue;
            }
        };
        let network = MaskedLm::init(&config, &LoadPlan::new(&config, backend), &device);
        let mut trainer = Learner::new(network, device, 0, AdamWSettings::default());
        let mut run = |steps: usize| {
            let mut last = None;
            for _ in 0..steps {
                last = Some(trainer.step(&batch, 1e-4).expect("a training step"));
            }
            // Reading the last loss waits for every queued step to finish.
            pollster::block_on(last.unwrap().loss.into_scalar_async::<f32>()).expect("loss")
        };
        run(WARM_UP);
        let start = Instant::now();
        let steps = steps(backend);
        let loss = run(steps);
        let seconds = start.elapsed().as_secs_f64();
        let tokens_per_s = (BATCH * SEQ * steps) as f64 / seconds;
        let ms_per_step = seconds * 1e3 / steps as f64;
        println!(
            "{:<5} {tokens_per_s:>9.0} tokens/s  {ms_per_step:>8.1} ms/step  (loss {loss:.3})",
            backend.name()
        );
        figures.push(Figure {
            backend: backend.name(),
            tokens_per_s,
            ms_per_step,
        });
    }
    std::fs::create_dir_all("bench-results").expect("bench-results/");
    std::fs::write(
        "bench-results/train_native.json",
        serde_json::to_string_pretty(&figures).unwrap(),
    )
    .unwrap();
}
