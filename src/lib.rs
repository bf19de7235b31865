//! terraform-provider-clusteriam: the documented AWS prerequisites of
//! Kubernetes platforms (Rancher, Kubermatic KKP, Torque agents, the Amazon
//! EKS Connector) as Terraform resources, one per documented step.
//!
//! Data flows one way: `tfplugin` (the protocol) -> `resources` and
//! `data_sources` -> `policy` (pure documents) -> `aws` (the only SDK user).

pub mod arn;
pub mod aws;
pub mod data_sources;
pub mod engine;
pub mod functions;
pub mod kubernetes;
pub mod logging;
pub mod policy;
pub mod provider;
pub mod resources;
pub mod tfplugin;
pub mod validate;
