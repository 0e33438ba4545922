//! `clozelab fill-mask`.

use std::path::Path;

use clozelab::backend::{BackendKind, device_for};
use clozelab::{ClozeModel, FillMaskOptions, FillMaskOutput, ModelFiles, fill_mask};

use super::args::{Args, CliError};

pub fn run(raw: &[String]) -> Result<(), CliError> {
    let args = Args::parse(raw, &["json", "attentions"], &["model", "top-k", "backend"])?;
    let model_dir = args.required("model")?;
    let top_k = args.number("top-k", 5)?;
    let backend = BackendKind::parse(args.value("backend").unwrap_or("cpu"))?;
    let text = match args.positionals.as_slice() {
        [text] => text.clone(),
        [] => {
            return Err(CliError::Usage(
                "give the text to fill, e.g. \"the [MASK] sat on the mat.\"".into(),
            ));
        }
        _ => {
            return Err(CliError::Usage(
                "give the text as one argument (quote it)".into(),
            ));
        }
    };

    let files = ModelFiles::from_dir(Path::new(model_dir))?;
    let device = pollster::block_on(device_for(backend))?;
    let model = ClozeModel::load(&files, device, backend)?;
    let options = FillMaskOptions {
        top_k,
        attentions: args.flag("attentions"),
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

fn print_table(output: &FillMaskOutput) {
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
