//! The only place that talks to AWS: SDK clients built from the provider
//! settings (every call on the retry policy of `retry`), the caller's
//! identity, and typed finders that report NotFound as a value. No SDK type
//! and no AWS error code leaves this module.
//!
//! This file is the face only: the core is `client.rs` (the clients),
//! `call.rs` (one request), `error.rs` (what an answer means) and
//! `ownership.rs` (the mark of a create); each object's calls live in its
//! own file.

mod account;
pub mod actions;
mod bulk;
mod call;
mod client;
mod connect;
mod ec2;
mod eks;
mod endpoint;
mod error;
mod iam_policy;
mod iam_tags;
mod instance_profile;
mod intercept;
mod log;
mod observed;
mod oidc;
mod ownership;
mod pacing;
pub mod permissions;
mod retry;
mod role;
mod service_linked_role;
mod snapshot;
mod vpc;

pub use client::{AccountSummary, Aws};
pub use connect::{AssumeRole, ConnectError, Endpoints, Settings, connect};
pub use ec2::ResourceTag;
pub use endpoint::{PLAIN_HTTP_REMEDY, PROXY_REMEDY, ProxyInUse, is_plain_http_to_another_host};
pub use error::{AwsError, ErrorKind, Found};
pub use iam_policy::{MAX_POLICY_VERSIONS, ManagedPolicy, PolicyVersion};
pub use iam_tags::IamObject;
pub use observed::{ObservedProfile, ObservedRole, Profiles, ServiceLinkedRole};
pub use oidc::{OidcCreated, OidcProvider};
pub use ownership::{OWNERSHIP_TAG, new_ownership_mark};
pub use role::{Creation, NewRole};
pub use service_linked_role::Created;
pub use snapshot::{AUTO_AFTER_READS, BulkReads};
pub use vpc::{DnsAttribute, VpcDns};

#[cfg(test)]
mod tests;
