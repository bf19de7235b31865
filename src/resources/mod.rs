//! Resources, one file each; what several of them share is in [`common`].

pub mod cluster_tags;
pub mod common;
pub mod eks_connector_agent_role;
pub mod eks_connector_service_linked_role;
pub mod kkp_account_policy;
pub mod kkp_assume_role;
pub mod oidc_provider;
pub mod rancher_billing_adapter_role;
pub mod rancher_csp_adapter_role;
pub mod rancher_node_role;
pub mod torque_agent_role;
pub mod torque_target_role;
pub mod vpc_dns_hostnames;
