//! ARN parsing and partition facts. Pure: no AWS calls.
//!
//! Every ARN the provider builds starts from a partition (`aws`, `aws-cn`,
//! `aws-us-gov`, ...), never from a hard-coded `arn:aws:`.

use std::fmt;
use std::str::FromStr;

/// The AWS partitions an ARN may name.
pub const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"];

/// The shape users are told to supply when an OIDC provider ARN is wrong.
const OIDC_PROVIDER_ARN_SHAPE: &str = "arn:<partition>:iam::<account>:oidc-provider/<issuer host>";

/// The partition a region belongs to (`cn-north-1` -> `aws-cn`).
pub fn partition_for_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// Whether `s` is an AWS account id: exactly 12 ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Why `text` is not an IAM role ARN (`assume_role.role_arn`, a
/// ServiceAccount's role), if it is not: by IAM's own rules for the path
/// (printable ASCII, no spaces) and the name (letters, digits and
/// `+=,.@_-`), so that no role ARN can carry a newline or a space into a
/// manifest or a log line.
pub fn check_role_arn(text: &str) -> Result<(), String> {
    let not_a_role = || {
        format!(
            "`{}` is not an IAM role ARN; expected arn:<partition>:iam::<12-digit account>:role/<path><name>, \
             where the path is printable ASCII without spaces and the name 1 to 64 letters, digits \
             or `+=,.@_-`",
            text.escape_debug()
        )
    };
    // The input is escaped: it may hold a newline.
    let arn: Arn = text
        .parse()
        .map_err(|e: ArnError| format!("`{}` {}", text.escape_debug(), e.problem))?;
    let Some(path_and_name) = arn.resource.strip_prefix("role/") else {
        return Err(not_a_role());
    };
    let (path, name) = match path_and_name.rsplit_once('/') {
        Some((path, name)) => (format!("/{path}/"), name),
        None => ("/".to_string(), path_and_name),
    };
    let valid = arn.service == "iam"
        && arn.region.is_empty()
        && is_account_id(&arn.account)
        && crate::validate::is_iam_path(&path)
        && crate::validate::is_iam_name(name, 64);
    if valid { Ok(()) } else { Err(not_a_role()) }
}

/// Why `text` is not the ARN of a principal another account's role can
/// trust: an IAM user, an IAM role, or a whole account
/// (`arn:<partition>:iam::<account>:root`), if it is not.
pub fn check_principal_arn(text: &str) -> Result<(), String> {
    let expected = "expected the ARN of an IAM user (arn:<partition>:iam::<account>:user/<name>), \
                    an IAM role (...:role/<name>) or an account (...:root)";
    let arn: Arn = text.parse().map_err(|e| format!("{e}; {expected}"))?;
    let principal = arn.resource == "root"
        || ["user/", "role/"].iter().any(|kind| {
            arn.resource
                .strip_prefix(kind)
                .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
        });
    if arn.service != "iam" || !arn.region.is_empty() || !is_account_id(&arn.account) || !principal
    {
        return Err(format!("`{text}` is not a principal ARN; {expected}"));
    }
    Ok(())
}

/// The ARN of the AWS-managed policy `name` in `partition`.
pub fn aws_managed_policy(partition: &str, name: &str) -> String {
    format!("arn:{partition}:iam::aws:policy/{name}")
}

/// Why a string is not the ARN that was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnError {
    input: String,
    /// Completes the sentence "`<input>` ...".
    problem: String,
}

impl ArnError {
    fn invalid(input: &str, reason: &str) -> Self {
        ArnError {
            input: input.to_string(),
            problem: format!("is not a valid ARN: {reason}"),
        }
    }

    fn not_oidc_provider(input: &str, what_it_is: &str) -> Self {
        ArnError {
            input: input.to_string(),
            problem: format!(
                "is {what_it_is}, expected an OIDC provider ARN ({OIDC_PROVIDER_ARN_SHAPE})"
            ),
        }
    }
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.input, self.problem)
    }
}

impl std::error::Error for ArnError {}

/// `arn:<partition>:<service>:<region>:<account>:<resource>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    /// Empty for ARNs without an account (S3 buckets); `aws` for AWS managed policies.
    pub account: String,
    /// Everything after the fifth colon; may itself contain colons and slashes.
    pub resource: String,
}

impl FromStr for Arn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        let [prefix, partition, service, region, account, resource] = parts[..] else {
            return Err(ArnError::invalid(
                s,
                "expected arn:<partition>:<service>:<region>:<account>:<resource>",
            ));
        };
        if prefix != "arn" {
            return Err(ArnError::invalid(s, "it must start with `arn:`"));
        }
        if !PARTITIONS.contains(&partition) {
            return Err(ArnError::invalid(
                s,
                &format!(
                    "unknown partition `{partition}` (expected one of {})",
                    PARTITIONS.join(", ")
                ),
            ));
        }
        if service.is_empty() {
            return Err(ArnError::invalid(s, "service is empty"));
        }
        // AWS managed policies carry `aws` where an account would be.
        let aws_managed = account == "aws" && service == "iam";
        if !account.is_empty() && !aws_managed && !is_account_id(account) {
            return Err(ArnError::invalid(s, "account id must be 12 digits"));
        }
        if resource.is_empty() {
            return Err(ArnError::invalid(s, "resource is empty"));
        }
        Ok(Arn {
            partition: partition.to_string(),
            service: service.to_string(),
            region: region.to_string(),
            account: account.to_string(),
            resource: resource.to_string(),
        })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// The kinds of IAM object whose ARN the provider builds; each ARN is
/// `arn:<partition>:iam::<account>:<kind><path><name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IamKind {
    Role,
    InstanceProfile,
    Policy,
}

impl IamKind {
    fn resource_type(self) -> &'static str {
        match self {
            IamKind::Role => "role",
            IamKind::InstanceProfile => "instance-profile",
            IamKind::Policy => "policy",
        }
    }
}

impl Arn {
    /// The ARN of the IAM object `name` under `path` (`/`, `/a/b/`) of the
    /// given kind, in the caller's partition and account.
    pub fn iam(kind: IamKind, partition: &str, account: &str, path: &str, name: &str) -> Arn {
        Arn {
            partition: partition.to_string(),
            service: "iam".to_string(),
            region: String::new(),
            account: account.to_string(),
            resource: format!("{}{path}{name}", kind.resource_type()),
        }
    }

    /// The same object's ARN as another kind: an instance profile named like
    /// its role shares the role's partition, account, path and name.
    pub fn as_iam_kind(&self, from: IamKind, to: IamKind) -> Option<Arn> {
        let rest = self.resource.strip_prefix(from.resource_type())?;
        rest.starts_with('/').then(|| Arn {
            resource: format!("{}{rest}", to.resource_type()),
            ..self.clone()
        })
    }
}

/// The ARN of an IAM OIDC identity provider, e.g.
/// `arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OidcProviderArn {
    arn: String,
    partition: String,
    account: String,
    issuer: String,
}

/// The issuer a URL denotes, as IAM names it: no scheme, no trailing slash.
/// Two URLs with the same issuer are the same IAM OIDC provider.
pub fn issuer_of(url: &str) -> &str {
    let url = url.trim();
    url.strip_prefix("https://")
        .unwrap_or(url)
        .trim_end_matches('/')
}

impl OidcProviderArn {
    /// The ARN an OIDC provider for `issuer_url` has (or would have) in `account`.
    /// Accepts the issuer as EKS reports it (`https://oidc.eks...`) or bare.
    pub fn for_issuer(partition: &str, account: &str, issuer_url: &str) -> Result<Self, ArnError> {
        let issuer = issuer_of(issuer_url);
        format!("arn:{partition}:iam::{account}:oidc-provider/{issuer}").parse()
    }

    /// The whole ARN.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    pub fn partition(&self) -> &str {
        &self.partition
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    /// The issuer host and path without scheme, e.g.
    /// `oidc.eks.us-east-1.amazonaws.com/id/ABC`: the prefix of the
    /// `<issuer>:sub` and `<issuer>:aud` condition keys.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
}

impl FromStr for OidcProviderArn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let arn: Arn = s.parse()?;
        if arn.service != "iam" {
            return Err(ArnError::not_oidc_provider(
                s,
                &format!("an ARN of service `{}`", arn.service),
            ));
        }
        let Some(issuer) = arn.resource.strip_prefix("oidc-provider/") else {
            let resource_type = arn.resource.split('/').next().unwrap_or_default();
            let what_it_is = match resource_type {
                "role" => "an IAM role ARN".to_string(),
                "user" => "an IAM user ARN".to_string(),
                "policy" => "an IAM policy ARN".to_string(),
                "saml-provider" => "a SAML provider ARN".to_string(),
                other => format!("an IAM `{other}` ARN"),
            };
            return Err(ArnError::not_oidc_provider(s, &what_it_is));
        };
        if !arn.region.is_empty() {
            return Err(ArnError::invalid(
                s,
                "IAM ARNs have no region (expected `iam::`)",
            ));
        }
        if arn.account.is_empty() {
            return Err(ArnError::invalid(
                s,
                "an OIDC provider ARN needs a 12-digit account id",
            ));
        }
        if issuer.contains("://") {
            return Err(ArnError::invalid(
                s,
                "the issuer after `oidc-provider/` must not include a scheme such as https://",
            ));
        }
        if issuer.is_empty() || issuer.starts_with('/') || issuer.ends_with('/') {
            return Err(ArnError::invalid(
                s,
                "expected an issuer host (and optional path) after `oidc-provider/`",
            ));
        }
        if let Err(problem) = check_issuer(issuer) {
            return Err(ArnError::invalid(s, &problem));
        }
        Ok(OidcProviderArn {
            arn: s.to_string(),
            issuer: issuer.to_string(),
            partition: arn.partition,
            account: arn.account,
        })
    }
}

/// The longest issuer: IAM takes issuer URLs of at most 255 characters,
/// `https://` included.
const MAX_ISSUER_LEN: usize = 255 - "https://".len();

/// The issuer of an OIDC provider ARN is the host and path of an issuer URL
/// as IAM accepts it: a DNS host name (no port, no user), then path segments
/// of URL-safe characters. It becomes the prefix of the `<issuer>:sub` and
/// `<issuer>:aud` condition keys of trust policies, where `*`, `$`, `"` or
/// `{` would change what the policy means.
fn check_issuer(issuer: &str) -> Result<(), String> {
    if issuer.len() > MAX_ISSUER_LEN {
        return Err(format!(
            "the issuer after `oidc-provider/` has {} characters; IAM accepts at most {MAX_ISSUER_LEN}",
            issuer.len()
        ));
    }
    let (host, path) = issuer.split_once('/').unwrap_or((issuer, ""));
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if !host.split('.').all(label_ok) {
        return Err(format!(
            "the issuer's host `{host}` must be a DNS name: dot-separated labels of letters, digits \
             and `-`, without a port"
        ));
    }
    let segment_ok = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    if !path.is_empty() && !path.split('/').all(segment_ok) {
        return Err(format!(
            "the issuer's path `/{path}` may hold only letters, digits and `-._~` between single slashes"
        ));
    }
    Ok(())
}

impl fmt::Display for OidcProviderArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.arn)
    }
}

#[cfg(test)]
mod builder_tests {
    use super::*;

    #[test]
    fn issuers_ignore_scheme_and_trailing_slash() {
        let url = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC";
        assert_eq!(issuer_of(url), "oidc.eks.us-east-1.amazonaws.com/id/ABC");
        assert_eq!(issuer_of(&format!("{url}/")), issuer_of(url));
        assert_eq!(
            issuer_of("oidc.eks.us-east-1.amazonaws.com/id/ABC"),
            issuer_of(url)
        );
    }

    #[test]
    fn iam_arns_are_built_from_partition_account_path_and_name() {
        let role = Arn::iam(IamKind::Role, "aws-cn", "111122223333", "/rancher/", "cp");
        assert_eq!(
            role.to_string(),
            "arn:aws-cn:iam::111122223333:role/rancher/cp"
        );
        assert_eq!(role.to_string().parse::<Arn>().unwrap(), role);
        let profile = role
            .as_iam_kind(IamKind::Role, IamKind::InstanceProfile)
            .unwrap();
        assert_eq!(
            profile.to_string(),
            "arn:aws-cn:iam::111122223333:instance-profile/rancher/cp"
        );
        assert_eq!(role.as_iam_kind(IamKind::Policy, IamKind::Role), None);
        assert_eq!(
            Arn::iam(IamKind::Policy, "aws", "111122223333", "/", "kkp").to_string(),
            "arn:aws:iam::111122223333:policy/kkp"
        );
    }
}

#[cfg(test)]
mod tests;
