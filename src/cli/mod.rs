//! Command-line parsing and dispatch, one file per subcommand.

mod args;
mod evaluate;
mod fill_mask;
mod model_choice;
mod pretrain;
mod score;
mod train;

pub use args::CliError;

pub const USAGE: &str = "usage:
  clozelab fill-mask --model DIR [--top-k K] [--backend cpu|wgpu] [--dtype fp32|q8] [--attentions] [--layers] [--json] \"TEXT\"
  clozelab fill-mask --model DIR [...] --text-file FILE     (the text from FILE; - reads standard input)

  clozelab train --model DIR --text FILE --out DIR [--steps N] [--batch-size B] [--seq-len L]
                 [--lr RATE] [--warmup N] [--seed S] [--backend cpu|wgpu] [--report-every N]
                 [--max-grad-norm X|none]

  clozelab pretrain --out DIR [--steps N] [--sentences N] [--batch-size B] [--lr RATE] [--dropout P] [--backend cpu|wgpu]
                    [--report-every N] [--eval-items N]
                    [--layers N] [--hidden N] [--heads N] [--intermediate N] [--vocab-size N]

  clozelab evaluate --model DIR [--items N] [--backend cpu|wgpu] [--dtype fp32|q8] [--json] [--list] [--misses]

  clozelab score --model DIR [--backend cpu|wgpu] [--dtype fp32|q8] [--json] \"TEXT\"   (or --text-file FILE)

  fill-mask predicts every mask token ([MASK], <mask>, ...) in TEXT with the model in DIR, a Hugging Face
  folder with config.json, tokenizer.json (or vocab.txt) and model.safetensors (or pytorch_model.bin);
  --dtype q8 holds the Linear layers' weights as 8-bit integers (a quarter of the memory; on the CPU);
  --layers adds each mask's guesses from every layer (the MLM head applied to every hidden state).
  train fine-tunes it with masked-LM (15% of tokens; 80% [MASK], 10% random, 10% kept) on the text
  (paragraphs separated by blank lines), gradients clipped to a global norm of --max-grad-norm (1 by
  default), and saves a folder of the same kind to --out.
  pretrain builds the bundled model from nothing (corpus, vocabulary, training, model card) into --out;
    the shape flags train another shape on the same corpus (feed-forward 4 × hidden unless given).
  evaluate scores a model on the corpus's held-out cloze and syntax sets and on the hand-written set
    (top-1, top-5 per category; --misses lists the hand-written sentences it does not get first).
  score says how natural TEXT is to the model: each word masked in turn (all its pieces at once) and
  its log-probability given the rest, and their sum, the sentence's pseudo-log-likelihood.";

pub fn run(args: &[String]) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        Some("fill-mask") => fill_mask::run(&args[1..]),
        Some("train") => train::run(&args[1..]),
        Some("pretrain") => pretrain::run(&args[1..]),
        Some("evaluate") => evaluate::run(&args[1..]),
        Some("score") => score::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(CliError::Usage(format!("unknown command \"{other}\""))),
        None => Err(CliError::Usage("no command given".into())),
    }
}
