//! The trust policies the platforms' pages describe (seed file number in
//! brackets, `beyond` for `shared/seeds/beyond/`): who may assume each
//! role. Exact principals and conditions, never wildcards; every ARN from
//! the caller's partition.

use crate::arn::OidcProviderArn;
use crate::policy::document::{Document, Principal, Statement};

/// The audience EKS service-account tokens are issued for (IRSA).
pub const SERVICE_ACCOUNT_AUDIENCE: &str = "sts.amazonaws.com";
/// Namespace the Rancher CSP adapter runs in [000].
pub const CSP_ADAPTER_NAMESPACE: &str = "cattle-csp-adapter-system";
/// Service account the Rancher CSP adapter runs as [000].
pub const CSP_ADAPTER_SERVICE_ACCOUNT: &str = "rancher-csp-adapter";
/// Namespace the Rancher Prime PAYG billing adapter runs in [beyond].
pub const BILLING_ADAPTER_NAMESPACE: &str = "cattle-csp-billing-adapter-system";
/// Service account the Rancher Prime PAYG billing adapter runs as [beyond].
pub const BILLING_ADAPTER_SERVICE_ACCOUNT: &str = "rancher-csp-billing-adapter";
/// The condition key that carries the external id of `sts:AssumeRole`.
pub const EXTERNAL_ID_KEY: &str = "sts:ExternalId";

/// The standard trust of a role attached to EC2 instances through an
/// instance profile [001: "an IAM role attached to the instances"].
pub fn ec2_trust() -> Document {
    Document::new([Statement::allow()
        .principal(Principal::service("ec2.amazonaws.com"))
        .action("sts:AssumeRole")])
}

/// Web-identity trust for one Kubernetes service account (IRSA) [000, 003],
/// as `eksctl create iamserviceaccount` writes it [beyond]: exact `sub` and
/// `aud`, never wildcards.
pub fn irsa_trust(oidc: &OidcProviderArn, namespace: &str, service_account: &str) -> Document {
    let issuer = oidc.issuer();
    Document::new([Statement::allow()
        .principal(Principal::federated(oidc.arn()))
        .action("sts:AssumeRoleWithWebIdentity")
        .condition(
            "StringEquals",
            format!("{issuer}:sub"),
            format!("system:serviceaccount:{namespace}:{service_account}"),
        )
        .condition(
            "StringEquals",
            format!("{issuer}:aud"),
            SERVICE_ACCOUNT_AUDIENCE,
        )])
}

/// Trust of the Rancher CSP adapter role [000].
pub fn rancher_csp_adapter_trust(oidc: &OidcProviderArn) -> Document {
    irsa_trust(oidc, CSP_ADAPTER_NAMESPACE, CSP_ADAPTER_SERVICE_ACCOUNT)
}

/// Trust of the Rancher Prime PAYG billing adapter role [beyond].
pub fn rancher_billing_adapter_trust(oidc: &OidcProviderArn) -> Document {
    irsa_trust(
        oidc,
        BILLING_ADAPTER_NAMESPACE,
        BILLING_ADAPTER_SERVICE_ACCOUNT,
    )
}

/// Trust of the EKS Connector agent role, as the current EKS user guide
/// prints it [beyond]: seed 004's without its `"Sid": "SSMAccess"`, which
/// means the same (a role holding either plans no change). The guide lists
/// the service as an array of one; the canonical form shows a plain string.
pub fn eks_connector_agent_trust() -> Document {
    Document::new([Statement::allow()
        .principal(Principal::Service(vec!["ssm.amazonaws.com".to_string()]))
        .action("sts:AssumeRole")])
}

/// Trust of a role that a principal of another account assumes [beyond:
/// Torque's target roles, KKP's AssumeRole role]: `sts:AssumeRole` for
/// exactly `principal` (an account, user or role ARN), and with an
/// external id the `StringEquals` `sts:ExternalId` condition that keeps a
/// third party from being tricked into using its access for someone else
/// (IAM User Guide, "The confused deputy problem").
pub fn cross_account_trust(principal: &str, external_id: Option<&str>) -> Document {
    let statement = Statement::allow()
        .principal(Principal::aws(principal))
        .action("sts:AssumeRole");
    Document::new([match external_id {
        Some(id) => statement.condition("StringEquals", EXTERNAL_ID_KEY, id),
        None => statement,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::limits::{Limit, Measure, Verdict};

    /// The longest external id STS takes with the longest role ARN IAM
    /// allows (a 512-character path, a 64-character name) still fits IAM's
    /// default trust size: no cross-account trust outgrows it.
    #[test]
    fn the_longest_cross_account_trust_fits_the_default_trust_size() {
        let external_id = "e".repeat(1224);
        let principal = format!(
            "arn:aws-us-gov:iam::999999999999:role/{}/{}",
            "p".repeat(510),
            "r".repeat(64)
        );
        let json = cross_account_trust(&principal, Some(&external_id)).to_canonical_json();
        let measure = Measure::document("assume_role_policy", Limit::TrustPolicy, &json);
        assert_eq!(
            measure.verdict(None),
            Verdict::Within,
            "{} characters",
            json.len()
        );
    }

    #[test]
    fn cross_account_trusts_are_exact() {
        let arn = "arn:aws:iam::111111111111:role/My_AWS_ROLE";
        assert_eq!(
            cross_account_trust(arn, None).to_canonical_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/My_AWS_ROLE"},"Action":"sts:AssumeRole"}]}"#
        );
        assert_eq!(
            cross_account_trust(arn, Some("id-1")).to_canonical_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/My_AWS_ROLE"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"id-1"}}}]}"#
        );
    }
}
