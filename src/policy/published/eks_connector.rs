//! The Amazon EKS Connector's agent policy [seed 004].

use super::{Published, Source, StatementData};

/// The EKS user guide's "Amazon EKS Connector" page [004].
pub const EKS_CONNECTOR_PAGE: Source = Source::new(
    "Amazon EKS Connector",
    "Amazon EKS User Guide, \"Amazon EKS Connector\", required IAM roles",
);

/// The EKS user guide's page of the connector's IAM roles as it reads today
/// (awsdocs/amazon-eks-user-guide, `security/iam-reference/connector-iam-role.adoc`)
/// [`shared/seeds/beyond/README.md`]: the agent role's trust without seed
/// 004's `Sid`, and the service-linked role that EKS creates the first time
/// a cluster is registered.
pub const EKS_CONNECTOR_ROLE_PAGE: Source = EKS_CONNECTOR_PAGE.on_page(
    "Amazon EKS User Guide, \"Amazon EKS connector IAM role\" (security/iam-reference/connector-iam-role.adoc)",
);

/// What the person who registers a cluster with the connector needs, and
/// who deregisters it [`shared/seeds/beyond/README.md`].
pub const EKS_CONNECTOR_REGISTER_ACTIONS: &[&str] = &[
    "eks:RegisterCluster",
    "ssm:CreateActivation",
    "ssm:DeleteActivation",
    "iam:PassRole",
];
pub const EKS_CONNECTOR_DEREGISTER_ACTIONS: &[&str] = &[
    "eks:DeregisterCluster",
    "ssm:DeleteActivation",
    "ssm:DeregisterManagedInstance",
];

/// `AmazonEKSConnectorAgentPolicy` [004].
pub const EKS_CONNECTOR_AGENT: Published = Published {
    title: "Amazon EKS Connector agent",
    source: EKS_CONNECTOR_PAGE,
    statements: &[
        StatementData {
            sid: Some("SsmControlChannel"),
            actions: &["ssmmessages:CreateControlChannel"],
            resource: "arn:${partition}:eks:*:*:cluster/*",
        },
        StatementData {
            sid: Some("ssmDataplaneOperations"),
            actions: &[
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenDataChannel",
                "ssmmessages:OpenControlChannel",
            ],
            resource: "*",
        },
    ],
};
