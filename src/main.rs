use clap::Parser;

fn main() -> std::process::ExitCode {
    match rasid::cli::Cli::try_parse() {
        Ok(cli) => rasid::cli::run(cli),
        Err(err) => rasid::cli::usage_error(err),
    }
}
