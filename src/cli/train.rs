//! `clozelab train`: masked-LM training on a text file, printing the loss as it goes, saving a
//! Hugging Face folder at the end.

use std::path::Path;
use std::time::Instant;

use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::export::export_folder;
use clozelab_core::train::{AdamWSettings, Corpus, TrainOptions, TrainingRun, check_step_fits};
use clozelab_core::{ClozeError, LoadedModel, ModelFiles};

use super::args::{Args, CliError};

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(
        raw,
        &[],
        &[
            "model",
            "text",
            "out",
            "steps",
            "batch-size",
            "seq-len",
            "lr",
            "warmup",
            "seed",
            "backend",
            "report-every",
            "max-grad-norm",
        ],
    )?;
    let model_dir = args.required("model")?;
    let text_file = args.required("text")?;
    let out = args.required("out")?;
    let defaults = TrainOptions::default();
    let steps = args.number("steps", defaults.steps)?;
    let options = TrainOptions {
        steps,
        batch_size: args.number("batch-size", defaults.batch_size)?,
        learning_rate: args.rate("lr", defaults.learning_rate)?,
        warmup_steps: args.number("warmup", steps / 10)?.min(steps),
        seed: args.number("seed", 1)? as u64,
        adamw: AdamWSettings {
            max_grad_norm: match args.value("max-grad-norm") {
                Some("none") => None,
                _ => Some(args.rate("max-grad-norm", 1.0)? as f32),
            },
            ..defaults.adamw
        },
        ..defaults
    };
    let seq_len = args.number("seq-len", 64)?;
    let report_every = args.number("report-every", 10)?;
    let backend = BackendKind::parse(args.value("backend").unwrap_or("cpu"))?;

    let text = std::fs::read_to_string(text_file).map_err(|e| ClozeError::MissingFile {
        file: text_file.to_string(),
        detail: e.to_string(),
    })?;
    let files = ModelFiles::from_dir(Path::new(model_dir))?;
    let device = pollster::block_on(device_for(backend))?.autodiff();
    let model = LoadedModel::load(&files, device.clone(), backend)?;
    let seq_len = seq_len.min(model.config.max_input_tokens());
    check_step_fits(
        &model.config,
        options.batch_size,
        seq_len,
        options.masking.mask_rate,
    )?;
    let corpus = Corpus::from_text(&model.tokenizer, &text, seq_len, 10)?;
    println!(
        "training on {} tokens in {} sequences (+{} held out), {} steps of {} sequences, lr {:e}",
        corpus.token_count,
        corpus.train.len(),
        corpus.held_out.len(),
        options.steps,
        options.batch_size,
        options.learning_rate
    );
    let mut run = TrainingRun::of(&model, corpus, options);
    let started = Instant::now();
    while !run.finished() {
        let progress = pollster::block_on(run.advance(report_every))?;
        let seconds = started.elapsed().as_secs_f64();
        let held_out = match pollster::block_on(run.evaluate())? {
            Some(evaluation) => format!(
                "  held-out loss {:.4}, accuracy {:>5.1}%",
                evaluation.loss,
                evaluation.accuracy * 100.0
            ),
            None => String::new(),
        };
        println!(
            "step {:>5}/{}  loss {:.4}  lr {:.2e}  grad norm {:.2}{held_out}  {:.0} tokens/s",
            progress.step,
            progress.steps,
            progress.loss,
            progress.learning_rate,
            progress.grad_norm,
            progress.tokens as f64 / seconds
        );
    }
    let folder = pollster::block_on(export_folder(&run.network(), &model.config, &files))?;
    folder.write_to_dir(Path::new(out))?;
    println!("saved to {out}");
    Ok(())
}
