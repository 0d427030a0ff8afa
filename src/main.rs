//! The `tiaojie` command: see `tiaojie --help` and API.md's command-line table.

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    tiaojie::cli::main()
}
