//! terraform-provider-clusteriam: the documented AWS prerequisites of
//! Kubernetes platforms (Rancher, Kubermatic KKP, Torque agents, the Amazon
//! EKS Connector) as Terraform resources, one per documented step.
//!
//! Data flows one way: `tfplugin` (the protocol) -> `resources`,
//! `data_sources` and `functions` -> `engine` and `policy` (pure documents)
//! -> `aws` (the only SDK user).
//!
//! A request, top down: `main` calls [`tfplugin::serve`] with the
//! [`provider::ClusterIam`] provider; `tfplugin::server` decodes each RPC and
//! hands a typed request to a [`tfplugin::Resource`] (one file in
//! `resources/`, sharing `resources::common`); the resource reads its
//! configuration into its typed model (`tfplugin::model`), asks `policy` for
//! documents and `engine` for the steps, and the engine's one runner
//! (`engine::run`) runs them through [`clients::Clients`] on `aws`,
//! where every SDK request goes through one logged, retried `call` that
//! declares its IAM action (`aws::actions`, `aws::permissions`).

pub mod arn; // ARN parsing and building, partitions
pub mod aws; // the only code that calls AWS
pub mod clients; // the configured AWS access and default tags handed to every resource
pub mod data_sources; // one file per data source
pub mod engine; // pure step planners and the runner that executes them
pub mod functions; // one file per provider function (pure, no AWS)
pub mod kubernetes; // cluster tag key, namespace and service account rules, SA manifest
pub mod logging; // tracing to stderr, levels from TF_LOG
pub mod policy; // document model, canonical JSON, published/ as versioned data, presets, policy checks and the IAM catalogue
pub mod provider; // the provider block, configure, what the provider registers
pub mod rendering; // what the policy_document data source and function render
pub mod resources; // one file per resource
pub mod tfplugin; // the Terraform plugin protocol, knows nothing about AWS
pub mod validate; // plan-time checks shared by the provider, resources and data sources
