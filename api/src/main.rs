//! The `tideline` binary.

fn main() -> anyhow::Result<()> {
    tideline_api::cli::run()
}
