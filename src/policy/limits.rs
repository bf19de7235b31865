//! IAM's size and count limits, measured the way IAM measures them, so that
//! what IAM would refuse is refused at plan, before anything is created.
//!
//! The limits are those of the IAM User Guide ("IAM and AWS STS quotas").
//! Sizes are characters of the document text IAM receives, without its
//! whitespace ("IAM does not count white space when calculating the size of a
//! policy"). IAM keeps and returns a document exactly as it was sent, so it
//! counts the text as written: an escape such as `\u003c` (Terraform's
//! `jsonencode` writes `<` that way) is six characters, `é` is one. We
//! measure the very text we send, so our count is IAM's.
//!
//! Two limits are adjustable per account; `GetAccountSummary` reports the
//! account's value under [`Limit::quota_name`]. Above such a limit's default,
//! the caller reads the account's quota and asks [`Measure::verdict`] again.

use std::fmt;

/// Tags IAM allows on one object (role, instance profile, managed policy,
/// OIDC provider). Not adjustable.
pub const TAGS_PER_IAM_OBJECT: usize = 50;

/// Tags the provider writes on every IAM object it creates, besides the
/// user's: the ownership mark `clusteriam:created-by`, which tells a later
/// run (and a destroy) that the object is ours. It takes one of IAM's 50.
pub const PROVIDER_TAGS: usize = 1;

/// One of IAM's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// A role's inline policies together: 10,240 characters, fixed.
    RoleInlinePolicies,
    /// One managed policy: 6,144 characters, fixed.
    ManagedPolicy,
    /// A role's trust policy: 2,048 characters by default, adjustable.
    TrustPolicy,
    /// Managed policies attached to one role: 10 by default, adjustable.
    AttachedPoliciesPerRole,
    /// The user's tags on one IAM object: IAM's 50 less the provider's own.
    Tags,
}

impl Limit {
    /// The limit IAM applies unless the account's quota says otherwise.
    pub const fn default_value(self) -> usize {
        match self {
            Limit::RoleInlinePolicies => 10_240,
            Limit::ManagedPolicy => 6_144,
            Limit::TrustPolicy => 2_048,
            Limit::AttachedPoliciesPerRole => 10,
            Limit::Tags => TAGS_PER_IAM_OBJECT - PROVIDER_TAGS,
        }
    }

    /// The `GetAccountSummary` key holding the account's value of an
    /// adjustable limit; None for a fixed one.
    pub const fn quota_name(self) -> Option<&'static str> {
        match self {
            Limit::TrustPolicy => Some("AssumeRolePolicySizeQuota"),
            Limit::AttachedPoliciesPerRole => Some("AttachedPoliciesPerRoleQuota"),
            Limit::RoleInlinePolicies | Limit::ManagedPolicy | Limit::Tags => None,
        }
    }

    pub const fn is_adjustable(self) -> bool {
        self.quota_name().is_some()
    }

    /// What the limit applies to, after "allows N ...".
    fn applies_to(self) -> &'static str {
        match self {
            Limit::RoleInlinePolicies => "characters for a role's inline policies together",
            Limit::ManagedPolicy => "characters for a managed policy",
            Limit::TrustPolicy => "characters for a role's trust policy",
            Limit::AttachedPoliciesPerRole => "managed policies attached to a role",
            Limit::Tags => {
                "tags of yours on an IAM object (its 50 less the provider's ownership mark \
                 `clusteriam:created-by`)"
            }
        }
    }

    /// What to do when over the limit, unless the caller knows better.
    fn default_remedy(self) -> &'static str {
        match self {
            Limit::RoleInlinePolicies => {
                "move statements into managed policies and attach those to the role instead"
            }
            Limit::ManagedPolicy => "split it into several managed policies",
            Limit::TrustPolicy => {
                "trust fewer principals, or ask AWS for a higher \"Role trust policy length\" \
                 quota in Service Quotas"
            }
            Limit::AttachedPoliciesPerRole => {
                "combine some of the policies, or ask AWS for a higher \"Managed policies per \
                 role\" quota in Service Quotas"
            }
            Limit::Tags => "remove tags from `tags` or from the provider's `default_tags`",
        }
    }

    /// "`policy` is 30,412 characters without whitespace", "`policy_arns` lists 11 ...".
    fn describe(self, attribute: &str, amount: usize) -> String {
        let amount = thousands(amount);
        match self {
            Limit::RoleInlinePolicies | Limit::ManagedPolicy | Limit::TrustPolicy => {
                format!("`{attribute}` is {amount} characters without whitespace")
            }
            Limit::AttachedPoliciesPerRole => {
                format!("`{attribute}` lists {amount} managed policies")
            }
            Limit::Tags => format!(
                "`{attribute}` merged with the provider's `default_tags` makes {amount} tags"
            ),
        }
    }
}

/// The size of a policy document as IAM counts it: its characters as
/// written, whitespace not counted.
pub fn policy_size(document: &str) -> usize {
    document
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .count()
}

/// One thing IAM will count, as the provider is about to send it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// The attribute the user changes to fix it.
    pub attribute: String,
    pub limit: Limit,
    pub amount: usize,
    remedy: Option<String>,
}

/// What a [`Measure`] means for the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Within,
    /// IAM would refuse it: the detail of the error.
    Over(String),
    /// Over an adjustable limit's default while the account's own quota is
    /// not known: read it (GetAccountSummary) and ask again.
    NeedsAccountQuota,
}

impl Measure {
    pub fn new(attribute: impl Into<String>, limit: Limit, amount: usize) -> Self {
        Measure {
            attribute: attribute.into(),
            limit,
            amount,
            remedy: None,
        }
    }

    /// The size of `document` against `limit`.
    pub fn document(attribute: impl Into<String>, limit: Limit, document: &str) -> Self {
        Measure::new(attribute, limit, policy_size(document))
    }

    /// Replaces the limit's generic remedy with one that fits the resource.
    pub fn remedy(mut self, remedy: impl Into<String>) -> Self {
        self.remedy = Some(remedy.into());
        self
    }

    fn remedy_text(&self) -> &str {
        self.remedy
            .as_deref()
            .unwrap_or(self.limit.default_remedy())
    }

    /// Whether this measure needs the account's quota to be judged.
    pub fn needs_account_quota(&self) -> bool {
        self.limit.is_adjustable() && self.amount > self.limit.default_value()
    }

    /// Judges the measure; `account_quota` is the account's value of an
    /// adjustable limit, when it has been read.
    pub fn verdict(&self, account_quota: Option<usize>) -> Verdict {
        let default = self.limit.default_value();
        if self.amount <= default {
            return Verdict::Within;
        }
        let allowed = match (self.limit.quota_name(), account_quota) {
            (None, _) => format!(
                "IAM allows {} {}",
                thousands(default),
                self.limit.applies_to()
            ),
            (Some(_), None) => return Verdict::NeedsAccountQuota,
            (Some(_), Some(quota)) if self.amount <= quota => return Verdict::Within,
            (Some(name), Some(quota)) => format!(
                "this account allows {} {} ({name})",
                thousands(quota),
                self.limit.applies_to()
            ),
        };
        Verdict::Over(format!(
            "{}; {allowed}; {}.",
            self.limit.describe(&self.attribute, self.amount),
            self.remedy_text()
        ))
    }

    /// The warning when the account's quota could not be read (`why`):
    /// over the default, and IAM decides at apply.
    pub fn unknown_quota_warning(&self, why: &str) -> String {
        format!(
            "{}, over IAM's default of {} {}. The account's own quota could not be read \
             (GetAccountSummary: {why}), so IAM decides at apply; allow `iam:GetAccountSummary` \
             to the provider's credentials to have this checked at plan.",
            self.limit.describe(&self.attribute, self.amount),
            thousands(self.limit.default_value()),
            self.limit.applies_to()
        )
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            thousands(self.default_value()),
            self.applies_to()
        )
    }
}

/// `30412` as `30,412`, as IAM's documentation writes its limits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
