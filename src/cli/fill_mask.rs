//! `clozelab fill-mask`.

use std::io::Read;
use std::path::Path;

use clozelab_core::backend::{BackendKind, device_for};
use clozelab_core::weights::quantize::WeightDtype;
use clozelab_core::{FillMaskOptions, FillMaskResult, LoadedModel, ModelFiles, fill_mask};

use super::args::{Args, CliError};

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(
        raw,
        &["json", "attentions", "layers"],
        &["model", "top-k", "backend", "dtype", "text-file"],
    )?;
    let model_dir = args.required("model")?;
    let top_k = args.number("top-k", 5)?;
    let backend = BackendKind::parse(args.value("backend").unwrap_or("cpu"))?;
    let dtype = WeightDtype::parse(args.value("dtype").unwrap_or("fp32"))?;
    dtype.runs_on(backend)?;
    let text = text_of(&args, "fill, e.g. \"The cat sat on the [MASK].\"")?;

    let files = ModelFiles::from_dir(Path::new(model_dir))?;
    let device = pollster::block_on(device_for(backend))?;
    let model = LoadedModel::load_as(&files, device, backend, dtype)?;
    let options = FillMaskOptions {
        top_k,
        attentions: args.flag("attentions"),
        layers: args.flag("layers"),
    };
    let output = pollster::block_on(fill_mask(&model, &text, options))?;

    if args.flag("json") {
        println!(
            "{}",
            serde_json::to_string(&output).expect("fill-mask output is plain data")
        );
    } else {
        print_table(&output);
    }
    Ok(())
}

/// The text to `purpose` (what the command does with it, and an example): the one argument, or
/// `--text-file FILE` (`-` reads standard input), for text too long or too awkward to quote.
pub fn text_of(args: &Args, purpose: &str) -> Result<String, CliError> {
    let read = |path: &str| -> Result<String, CliError> {
        let bytes = if path == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
                CliError::Usage(format!("cannot read the text from standard input ({e})"))
            })?;
            bytes
        } else {
            std::fs::read(path)
                .map_err(|e| CliError::Usage(format!("cannot read --text-file {path} ({e})")))?
        };
        String::from_utf8(bytes).map_err(|e| {
            CliError::Usage(format!(
                "--text-file {path} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })
    };
    match (args.value("text-file"), args.positionals.as_slice()) {
        (Some(path), []) => read(path),
        (Some(_), _) => Err(CliError::Usage(
            "give the text either as an argument or with --text-file, not both".into(),
        )),
        (None, [text]) => Ok(text.clone()),
        (None, []) => Err(CliError::Usage(format!(
            "give the text to {purpose} (or --text-file FILE, - for standard input)"
        ))),
        (None, _) => Err(CliError::Usage(
            "give the text as one argument (quote it)".into(),
        )),
    }
}

fn print_table(output: &FillMaskResult) {
    println!(
        "{} on {} · {} tokens: {}",
        output.model_type,
        output.backend,
        output.tokens.len(),
        output.tokens.join(" ")
    );
    for mask in &output.masks {
        println!("\nmask at token {}:", mask.position);
        let width = mask
            .predictions
            .iter()
            .map(|p| p.token.chars().count())
            .max()
            .unwrap_or(0);
        if let Some(layers) = &mask.layers {
            println!("  layer by layer (the head applied to each hidden state):");
            for layer in layers {
                let name = match layer.layer {
                    0 => "embeddings".to_string(),
                    l => format!("layer {l}"),
                };
                let guesses: Vec<String> = layer
                    .predictions
                    .iter()
                    .take(3)
                    .map(|p| format!("{} {:.1}%", p.token, p.score * 100.0))
                    .collect();
                println!("    {name:>10}: {}", guesses.join(", "));
            }
            println!("  answer:");
        }
        for (rank, prediction) in mask.predictions.iter().enumerate() {
            let bar = "█".repeat((prediction.score * 30.0).round() as usize);
            println!(
                "  {:>2}. {:<width$}  {:>6.2}%  {bar}",
                rank + 1,
                prediction.token,
                prediction.score * 100.0
            );
        }
    }
    if let Some(attentions) = &output.attentions {
        println!(
            "\nattentions: {} layers × {} heads (use --json to see the numbers)",
            attentions.len(),
            attentions.first().map_or(0, Vec::len)
        );
    }
}
