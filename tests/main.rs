//! Every integration test, in one binary: unit tests live beside the code in
//! `src/`; everything that drives the built provider (the protocol over gRPC,
//! real Terraform against the local AWS emulator, the docs, examples and
//! release scripts) is a module here. One binary links the AWS SDK once
//! (26 binaries used to take half of CI to build), and its tests share one
//! pool of threads, so a slow suite no longer holds the others back.
//!
//! `cargo test --test integration kkp::` runs one area.

mod common;

mod bad_input;
mod bulk_reads;
mod cluster_tags;
mod cross_account;
mod data_sources;
mod docs;
mod docs_hcl;
mod drift;
mod examples;
mod fault_scenarios;
mod functions;
mod fuzz;
mod install;
mod kkp;
mod lifecycle;
mod limits;
mod logging;
mod migration;
mod oidc_provider;
mod permissions;
mod policy_checks;
mod protocol;
mod provider;
mod rancher_billing;
mod rancher_roles;
mod release;
mod reliability;
mod security;
mod torque_blueprint;
mod torque_connector;
mod vpc_dns_hostnames;
