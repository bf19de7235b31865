//! The condition keys that belong to no one service: AWS's global condition
//! context keys and the cross-service keys AWS documents with them (IAM User
//! Guide, "AWS global condition context keys"), and the keys of identity
//! providers in trust policies. The catalogue file lists only the keys
//! services define, so these are kept here, by hand.

/// AWS's global and cross-service condition keys. `${TagKey}` stands for any
/// tag key, as in the catalogue.
pub const GLOBAL_CONDITION_KEYS: &[&str] = &[
    // Properties of the principal
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalTag/${TagKey}",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    // Properties of a role session
    "aws:AssumedRoot",
    "aws:FederatedProvider",
    "aws:TokenIssueTime",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:SourceIdentity",
    "ec2:RoleDelivery",
    "ec2:SourceInstanceArn",
    "glue:RoleAssumedBy",
    "glue:CredentialIssuingService",
    "lambda:SourceFunctionArn",
    "ssm:SourceInstanceArn",
    "identitystore:UserId",
    // Properties of the network
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    "aws:VpceAccount",
    "aws:VpceOrgPaths",
    "aws:VpceOrgID",
    // Properties of the resource
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:ResourceTag/${TagKey}",
    // Properties of the request
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CalledViaAWSMCP",
    "aws:ViaAWSService",
    "aws:ViaAWSMCPService",
    "aws:IsMcpServiceAction",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:referer",
    "aws:RequestedRegion",
    "aws:RequestTag/${TagKey}",
    "aws:TagKeys",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:UserAgent",
];

/// The claims IAM lets a trust policy test of a web identity (OIDC) token:
/// `<issuer>:<claim>`, such as EKS's `oidc.eks.<region>.amazonaws.com/id/<id>:sub`.
const IDENTITY_PROVIDER_CLAIMS: &[&str] = &["aud", "sub", "amr", "azp", "oaud", "email", "id"];

/// Whether `key` is an identity provider's key in a trust policy:
/// `<issuer host and path>:<claim>`, for issuers such as an EKS cluster's.
/// (The catalogue lists those of the fixed providers, such as
/// `accounts.google.com:aud`, under `sts`.)
pub fn is_identity_provider_key(key: &str) -> bool {
    let Some((issuer, claim)) = key.rsplit_once(':') else {
        return false;
    };
    let host = issuer.split('/').next().unwrap_or_default();
    host.contains('.')
        && !host.starts_with('.')
        && IDENTITY_PROVIDER_CLAIMS
            .iter()
            .any(|c| c.eq_ignore_ascii_case(claim))
}
