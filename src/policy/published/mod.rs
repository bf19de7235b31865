//! The permissions policies the platforms publish, as versioned data: each
//! knows its source (platform, page, the platform versions it serves) and
//! its content. The seeds (`shared/seeds/`) and today's documents
//! (`shared/seeds/current/`) alike live in the files beside this one;
//! [`kkp_account`] and [`rancher_node`] are the one place that says which
//! document serves which platform version.
//!
//! Adding the next version of a document is a data change: a new constant
//! with its statements and source, a row in the selection below, and its
//! test against the published JSON.

mod eks_connector;
pub mod kkp;
mod rancher;
mod torque;

use std::fmt;
use std::str::FromStr;

use crate::policy::document::{Document, Statement};

pub use eks_connector::{
    EKS_CONNECTOR_AGENT, EKS_CONNECTOR_DEREGISTER_ACTIONS, EKS_CONNECTOR_PAGE,
    EKS_CONNECTOR_REGISTER_ACTIONS, EKS_CONNECTOR_ROLE_PAGE,
};
pub use kkp::{KKP_2_22_AND_EARLIER, KKP_2_23_AND_LATER, KKP_ASSUME_ROLE_PAGE};
pub use rancher::{
    AWS_MARKETPLACE_METERING, AWS_MARKETPLACE_METERING_NAME, CLOUD_PROVIDER_AWS_CODE_ACTIONS,
    CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT, CLOUD_PROVIDER_AWS_CONTROL_PLANE,
    CLOUD_PROVIDER_AWS_NODE, CodeAction, RANCHER_CONTROLPLANE, RANCHER_CSP_ADAPTER,
    RANCHER_CSP_ADAPTER_PAGE, RANCHER_ETCD_WORKER, RANCHER_NODE_PAGE, RANCHER_PRIME_PAYG_PAGE,
};
pub use torque::{TORQUE_AGENTS_PAGE, TORQUE_CROSS_ACCOUNT_PAGE};

/// A platform version, `MAJOR.MINOR` (`2.28`, `1.27`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32) -> Self {
        Version { major, minor }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Version {
    type Err = ();

    /// Exactly two dot-separated decimal numbers, no sign, no spaces.
    fn from_str(s: &str) -> Result<Self, ()> {
        let number = |part: &str| -> Result<u32, ()> {
            if part.is_empty() || part.len() > 6 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            part.parse().map_err(|_| ())
        };
        let (major, minor) = s.split_once('.').ok_or(())?;
        Ok(Version::new(number(major)?, number(minor)?))
    }
}

/// The platform versions a document serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Versions {
    /// The page is not versioned: it serves every version.
    Any,
    /// This version and every earlier one.
    Through(Version),
    /// This version and every later one.
    From(Version),
}

impl Versions {
    /// The version at the range's bound (the newest of `Through`, the
    /// oldest of `From`): one version that names the range.
    pub fn bound(&self) -> Option<Version> {
        match *self {
            Versions::Any => None,
            Versions::Through(v) | Versions::From(v) => Some(v),
        }
    }

    pub fn contains(&self, version: Version) -> bool {
        match *self {
            Versions::Any => true,
            Versions::Through(last) => version <= last,
            Versions::From(first) => version >= first,
        }
    }
}

impl fmt::Display for Versions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Versions::Any => f.write_str("every version"),
            Versions::Through(v) => write!(f, "{v} and earlier"),
            Versions::From(v) => write!(f, "{v} and later"),
        }
    }
}

/// Where a document is published and which platform versions it serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// The platform, e.g. `Kubermatic KKP`.
    pub platform: &'static str,
    /// The page that prints the document.
    pub page: &'static str,
    /// What `versions` counts, e.g. `KKP` or `Kubernetes` (unused, and empty
    /// from [`Source::new`], for a page that serves every version).
    pub versioned_by: &'static str,
    pub versions: Versions,
}

impl Source {
    /// A page of `platform` that serves every version of it.
    pub const fn new(platform: &'static str, page: &'static str) -> Self {
        Source {
            platform,
            page,
            versioned_by: "",
            versions: Versions::Any,
        }
    }

    /// This source for the `versions` of what `versioned_by` counts only:
    /// `.serving("KKP", Versions::From(Version::new(2, 23)))`.
    pub const fn serving(self, versioned_by: &'static str, versions: Versions) -> Self {
        Source {
            versioned_by,
            versions,
            ..self
        }
    }

    /// The same source, the document printed on another page.
    pub const fn on_page(self, page: &'static str) -> Self {
        Source { page, ..self }
    }

    /// The version range as a reader wants it: `KKP 2.23 and later`.
    pub fn version_range(&self) -> String {
        match self.versions {
            Versions::Any => "every version".to_string(),
            versions => format!("{} {versions}", self.versioned_by),
        }
    }
}

/// The actions of several runs, one after the other, as one list: for two
/// versions of a document that print the same runs of actions with a few
/// of their own between them, each run written once. A compile-time
/// constant, like the lists written out.
macro_rules! actions {
    ($($run:expr),+ $(,)?) => {{
        const RUNS: &[&[&str]] = &[$($run),+];
        const ACTIONS: [&str; $crate::policy::published::count_actions(RUNS)] =
            $crate::policy::published::concat_actions(RUNS);
        &ACTIONS
    }};
}
use actions;

/// How many actions `runs` hold together.
const fn count_actions(runs: &[&[&str]]) -> usize {
    let mut count = 0;
    let mut run = 0;
    while run < runs.len() {
        count += runs[run].len();
        run += 1;
    }
    count
}

/// The actions of `runs` in order; `N` is [`count_actions`] of them.
const fn concat_actions<const N: usize>(runs: &[&[&'static str]]) -> [&'static str; N] {
    let mut all = [""; N];
    let mut next = 0;
    let mut run = 0;
    while run < runs.len() {
        let mut i = 0;
        while i < runs[run].len() {
            all[next] = runs[run][i];
            next += 1;
            i += 1;
        }
        run += 1;
    }
    all
}

/// One `Allow` statement of a published policy. Resource ARNs are written
/// with `${partition}` and `${account_id}`, filled in when rendered, so
/// every ARN is in the caller's partition.
#[derive(Debug, PartialEq, Eq)]
pub struct StatementData {
    pub sid: Option<&'static str>,
    /// In the published order, duplicates included.
    pub actions: &'static [&'static str],
    pub resource: &'static str,
}

/// A published permissions policy.
#[derive(Debug, PartialEq, Eq)]
pub struct Published {
    /// A short name for the document, e.g. `KKP 2.23 and later`.
    pub title: &'static str,
    pub source: Source,
    pub statements: &'static [StatementData],
}

impl Published {
    /// Whether the document names an account (`${account_id}`).
    pub fn needs_account(&self) -> bool {
        self.statements
            .iter()
            .any(|s| s.resource.contains("${account_id}"))
    }

    /// The document of one that names no account, in the caller's `partition`.
    pub fn render_in(&self, partition: &str) -> Document {
        debug_assert!(!self.needs_account(), "{} names an account", self.title);
        self.render(partition, "")
    }

    /// The document for the caller's `partition` and `account_id`.
    pub fn render(&self, partition: &str, account_id: &str) -> Document {
        Document::new(self.statements.iter().map(|data| {
            let statement = Statement::allow();
            let statement = match data.sid {
                Some(sid) => statement.sid(sid),
                None => statement,
            };
            statement.actions(data.actions.iter().copied()).resource(
                data.resource
                    .replace("${partition}", partition)
                    .replace("${account_id}", account_id),
            )
        }))
    }

    /// The actions this document allows that `other` does not, in this
    /// document's order, each once.
    pub fn actions_beyond(&self, other: &Published) -> Vec<&'static str> {
        let theirs: Vec<&str> = other
            .statements
            .iter()
            .flat_map(|s| s.actions.iter().copied())
            .collect();
        let mut extra: Vec<&'static str> = Vec::new();
        for action in self
            .statements
            .iter()
            .flat_map(|s| s.actions.iter().copied())
        {
            if !theirs.contains(&action) && !extra.contains(&action) {
                extra.push(action);
            }
        }
        extra
    }
}

// ---------------------------------------------------------------------------
// Which document serves which platform version: the one place that says so.

/// The KKP account policies, oldest first; their version ranges cover every
/// version exactly once (a unit test checks it).
pub const KKP_ACCOUNT: &[&Published] = &[&KKP_2_22_AND_EARLIER, &KKP_2_23_AND_LATER];

/// The KKP account policy for `version`; unset is the current KKP, whose
/// document is the newest.
pub fn kkp_account(version: Option<Version>) -> &'static Published {
    match version {
        Some(version) => KKP_ACCOUNT
            .iter()
            .find(|doc| doc.source.versions.contains(version))
            .copied()
            .unwrap_or(KKP_ACCOUNT[KKP_ACCOUNT.len() - 1]),
        None => KKP_ACCOUNT[KKP_ACCOUNT.len() - 1],
    }
}

/// An enum whose variants a configuration names, from one table of variants
/// and names: `ALL` and `NAMES` in the table's order, `name()`, and
/// `FromStr` (`Err(())` for any other name).
macro_rules! named_choices {
    (
        $(#[$meta:meta])*
        pub enum $enum:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $name:literal,)+
        }
    ) => {
        $(#[$meta])*
        pub enum $enum {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $enum {
            pub const ALL: &[$enum] = &[$($enum::$variant),+];
            pub const NAMES: &[&str] = &[$($name),+];

            pub fn name(&self) -> &'static str {
                match self {
                    $($enum::$variant => $name,)+
                }
            }
        }

        impl FromStr for $enum {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, ()> {
                $enum::ALL.iter().find(|c| c.name() == s).copied().ok_or(())
            }
        }
    };
}

named_choices! {
    /// Which AWS cloud provider runs the Rancher cluster.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub enum CloudProvider {
        /// Kubernetes' built-in provider, as Rancher's page documents it.
        #[default]
        InTree = "in-tree",
        /// The external `aws-cloud-controller-manager` (Kubernetes 1.27 and later).
        OutOfTree = "out-of-tree",
    }
}

named_choices! {
    /// The Rancher node roles, of which `etcd` and `worker` share a policy.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum NodeRole {
        Controlplane = "controlplane",
        Etcd = "etcd",
        Worker = "worker",
    }
}

/// The inline policy of a Rancher node role: Rancher's page for the in-tree
/// provider, the controller's own documentation for the out-of-tree one.
pub fn rancher_node(cloud_provider: CloudProvider, node_role: NodeRole) -> &'static Published {
    match (cloud_provider, node_role) {
        (CloudProvider::InTree, NodeRole::Controlplane) => &RANCHER_CONTROLPLANE,
        (CloudProvider::InTree, NodeRole::Etcd | NodeRole::Worker) => &RANCHER_ETCD_WORKER,
        (CloudProvider::OutOfTree, NodeRole::Controlplane) => &CLOUD_PROVIDER_AWS_CONTROL_PLANE,
        (CloudProvider::OutOfTree, NodeRole::Etcd | NodeRole::Worker) => &CLOUD_PROVIDER_AWS_NODE,
    }
}

/// The inline policy of a Rancher node role as rendered: [`rancher_node`]'s
/// document, and with `extra_controller_actions` (out-of-tree controlplane
/// only; validation refuses it elsewhere) a second statement with the
/// actions the controller's code calls beyond it.
pub fn rancher_node_policy(
    cloud_provider: CloudProvider,
    node_role: NodeRole,
    extra_controller_actions: bool,
    partition: &str,
) -> Document {
    let mut document = rancher_node(cloud_provider, node_role).render_in(partition);
    if extra_controller_actions {
        document.statements.extend(
            CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT
                .render_in(partition)
                .statements,
        );
    }
    document
}

/// Every published document, for the documentation and the drift tests.
pub const ALL: &[&Published] = &[
    &RANCHER_CONTROLPLANE,
    &RANCHER_ETCD_WORKER,
    &CLOUD_PROVIDER_AWS_CONTROL_PLANE,
    &CLOUD_PROVIDER_AWS_NODE,
    &RANCHER_CSP_ADAPTER,
    &CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT,
    &AWS_MARKETPLACE_METERING,
    &KKP_2_22_AND_EARLIER,
    &KKP_2_23_AND_LATER,
    &EKS_CONNECTOR_AGENT,
];

#[cfg(test)]
mod tests;
