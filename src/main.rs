//! The plugin binary: refuse to run by hand, else serve the provider.

use std::process::ExitCode;

use terraform_provider_clusteriam::{logging, provider, tfplugin};

fn main() -> ExitCode {
    if std::env::var(tfplugin::MAGIC_COOKIE_KEY).as_deref() != Ok(tfplugin::MAGIC_COOKIE_VALUE) {
        eprintln!("{}", HUMAN_MESSAGE.trim());
        return ExitCode::from(1);
    }
    logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-clusteriam: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(tfplugin::serve(provider::ClusterIam)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-clusteriam: {e}");
            ExitCode::from(1)
        }
    }
}

const HUMAN_MESSAGE: &str = "
This binary is a plugin for Terraform and OpenTofu (provider clusteriam/clusteriam).
It is not meant to be run by hand: Terraform starts it when a configuration uses it.

To use it, put it where `terraform init` finds it:
    ~/.terraform.d/plugins/registry.terraform.io/clusteriam/clusteriam/<version>/<os>_<arch>/
then declare it in your configuration:
    terraform {
      required_providers {
        clusteriam = { source = \"clusteriam/clusteriam\" }
      }
    }
See the project's README.md for the install command and examples.
";
