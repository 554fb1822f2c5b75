use clap::Parser;

fn main() -> std::process::ExitCode {
    rasid::cli::run(rasid::cli::Cli::parse())
}
