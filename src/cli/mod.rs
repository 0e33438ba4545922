//! Command-line parsing and dispatch, one file per subcommand.

mod args;
mod fill_mask;

pub use args::CliError;

pub const USAGE: &str = "usage:
  clozelab fill-mask --model DIR [--top-k K] [--backend cpu|wgpu] [--attentions] [--json] \"TEXT\"

  Predicts every mask token ([MASK], <mask>, ...) in TEXT with the model in DIR, a Hugging Face
  folder with config.json, tokenizer.json (or vocab.txt) and model.safetensors (or pytorch_model.bin).";

pub fn run(args: &[String]) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        Some("fill-mask") => fill_mask::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(CliError::Usage(format!("unknown command \"{other}\""))),
        None => Err(CliError::Usage("no command given".into())),
    }
}
