//! Training runs: a short run on a small text learns it; a run that diverges stops cleanly with
//! the weights from before the bad steps.

mod common;

use clozelab_core::backend::{BackendKind, cpu_device};
use clozelab_core::train::{Corpus, TrainOptions, TrainingRun};
use clozelab_core::weights::collect::collect_weights;
use clozelab_core::{ClozeError, LoadedModel};
use common::{TEXT, model_files};

fn run(options: TrainOptions) -> (LoadedModel, TrainingRun) {
    let device = cpu_device().autodiff();
    let model =
        LoadedModel::load(&model_files("bert-gelu"), device.clone(), BackendKind::Cpu).unwrap();
    let corpus = Corpus::from_text(&model.tokenizer, &[TEXT, TEXT].join("\n\n"), 16, 4).unwrap();
    assert_eq!((corpus.train.len(), corpus.held_out.len()), (6, 2));
    let run = TrainingRun::of(&model, corpus, options);
    (model, run)
}

#[test]
fn a_short_run_lowers_the_held_out_loss_by_more_than_40_percent() {
    let options = TrainOptions {
        steps: 160,
        batch_size: 8,
        learning_rate: 3e-3,
        warmup_steps: 16,
        seed: 1,
        ..TrainOptions::default()
    };
    let (_, mut run) = run(options);
    let before = pollster::block_on(run.evaluate()).unwrap().unwrap();
    let mut last = None;
    while !run.finished() {
        last = Some(pollster::block_on(run.advance(20)).unwrap());
    }
    let progress = last.unwrap();
    assert_eq!(progress.step, 160);
    assert!(progress.tokens > 160 * 8 * 4);
    let after = pollster::block_on(run.evaluate()).unwrap().unwrap();
    assert!(
        after.loss <= 0.6 * before.loss,
        "held-out loss {} → {}",
        before.loss,
        after.loss
    );
    assert!(
        after.accuracy > before.accuracy,
        "accuracy {} → {}",
        before.accuracy,
        after.accuracy
    );
}

#[test]
fn a_diverging_run_stops_with_the_last_good_weights() {
    let options = TrainOptions {
        steps: 20,
        learning_rate: 1e6,
        warmup_steps: 0,
        ..TrainOptions::default()
    };
    let (_, mut run) = run(options);
    let read = |run: &TrainingRun| pollster::block_on(collect_weights(&run.network())).unwrap();
    let mut good = read(&run);
    let error = loop {
        match pollster::block_on(run.advance(1)) {
            Ok(_) => good = read(&run),
            Err(error) => break error,
        }
        assert!(
            !run.finished(),
            "a learning rate of a million should diverge"
        );
    };
    assert!(
        matches!(error, ClozeError::Input(_)) && error.to_string().contains("diverged"),
        "{error}"
    );
    let kept = read(&run);
    assert!(
        kept.tensors
            .values()
            .all(|t| t.values.iter().all(|v| v.is_finite())),
        "the kept weights are finite"
    );
    assert_eq!(
        kept.tensors, good.tensors,
        "the weights from before the bad step are kept"
    );
}
