//! The `starfinder` binary: parse the command line, run the command, map
//! the result to an exit code (0 done, 1 some documents failed or a rule
//! test failed, 2 the command could not start).

use clap::Parser;
use starfinder::cli::{Cli, Command, RulesCommand};
use starfinder::cmd;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => cmd::run::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Rules(RulesCommand::Check { dir }) => cmd::rules::check(dir.as_deref()),
        Command::Rules(RulesCommand::Test { dir }) => cmd::rules::test(dir.as_deref()),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Merge(a) => cmd::merge::run(a),
        Command::Report(a) => cmd::report::run(a),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`starfinder extract F | head`) is no
        // error: what it read was written.
        Err(e) if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("starfinder: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
