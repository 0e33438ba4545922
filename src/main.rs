//! The `clozelab` command: parse the arguments, call the library, print. Errors are one line.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Arguments as the OS gives them: one that is not UTF-8 is a usage error, not a panic.
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string().map_err(|raw| {
                cli::CliError::Usage(format!(
                    "the argument {} is not valid UTF-8 text (for a file of text, use --text-file)",
                    raw.to_string_lossy()
                ))
            })
        })
        .collect();
    match args.and_then(|args| cli::run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::CliError::Usage(message)) => {
            eprintln!("error: {message}\n\n{}", cli::USAGE);
            ExitCode::from(2)
        }
        Err(cli::CliError::Failed(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}
