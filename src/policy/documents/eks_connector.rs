//! The Amazon EKS Connector's agent policy [seed 004].

use super::{Published, Source, StatementData, Versions};

/// The EKS user guide's "Amazon EKS Connector" page [004].
pub const EKS_CONNECTOR_PAGE: Source = Source {
    platform: "Amazon EKS Connector",
    page: "Amazon EKS User Guide, \"Amazon EKS Connector\", required IAM roles",
    versioned_by: "EKS",
    versions: Versions::Any,
};

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
