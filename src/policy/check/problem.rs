//! What the checks find: the kind of document, the rule a problem breaks,
//! where it is, and what the provider's `policy_checks` setting makes of it.

use std::fmt;

/// Which kind of document is checked: the grammar differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An identity-based policy inline in a role (or user or group): no
    /// `Principal`, a `Resource` in every statement.
    Inline,
    /// A managed policy: as [`Kind::Inline`], and IAM requires `Version`
    /// `2012-10-17`.
    Managed,
    /// A role's trust policy: a `Principal` in every statement, no `Resource`.
    Trust,
}

/// How much a finding weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finding {
    /// IAM refuses the document.
    Malformed,
    /// IAM accepts the document, but a name in it names nothing: an
    /// action, service, wildcard, resource or principal.
    Unknown,
    /// IAM accepts it, and it may be meant, but it rarely is: a condition key
    /// no service of the statement defines, policy variables in a document
    /// that does not replace them.
    Doubtful,
}

/// The rule a problem breaks; each has its own diagnostic summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// IAM's policy grammar.
    Grammar,
    /// An action's service prefix that no service has.
    Service,
    /// An action the service does not have.
    Action,
    /// A wildcard action that matches no action.
    Pattern,
    /// A condition operator spelt in another case, or `NullIfExists`.
    Operator,
    /// A condition key no service of the statement defines.
    ConditionKey,
    /// A resource that is not an ARN.
    ResourceArn,
    /// A principal of a shape IAM does not resolve.
    Principal,
    /// Policy variables in a document whose version does not replace them.
    Version,
}

impl Rule {
    pub fn finding(self) -> Finding {
        match self {
            Rule::Grammar => Finding::Malformed,
            Rule::ConditionKey | Rule::Version => Finding::Doubtful,
            _ => Finding::Unknown,
        }
    }

    /// Whether the rule is a look-up in the catalogue (rather than a shape).
    pub fn uses_catalogue(self) -> bool {
        matches!(
            self,
            Rule::Service | Rule::Action | Rule::Pattern | Rule::ConditionKey
        )
    }

    /// The diagnostic's summary, for the policy in `attribute`.
    pub fn summary(self, attribute: &str) -> String {
        let what = match self {
            Rule::Grammar => return format!("Invalid `{attribute}`"),
            Rule::Service => "Unknown AWS service",
            Rule::Action => "Unknown IAM action",
            Rule::Pattern => "IAM action wildcard matches nothing",
            Rule::Operator => "Misspelt condition operator",
            Rule::ConditionKey => "Unknown condition key",
            Rule::ResourceArn => "Invalid resource ARN",
            Rule::Principal => "Principal of an unknown form",
            Rule::Version => "Policy variables not replaced",
        };
        format!("{what} in `{attribute}`")
    }
}

/// Where in the document: a statement by its index in `Statement` (none
/// when `Statement` is one object) and its Sid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub index: Option<usize>,
    pub sid: Option<String>,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "`Statement[{i}]`")?,
            None => f.write_str("`Statement`")?,
        }
        match self.sid.as_deref() {
            Some(sid) if !sid.is_empty() => write!(f, " (Sid `{sid}`)"),
            _ => Ok(()),
        }
    }
}

/// One problem with a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    /// The statement; none for the document as a whole.
    pub at: Option<At>,
    /// What is wrong, naming the value and what would be accepted.
    pub message: String,
}

impl Problem {
    pub fn finding(&self) -> Finding {
        self.rule.finding()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The provider's `policy_checks` setting: what the findings that IAM
/// accepts become at plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PolicyChecks {
    /// Unknown names are errors, doubtful ones warnings.
    #[default]
    Strict,
    /// Unknown and doubtful names are warnings: the escape hatch for actions
    /// newer than the catalogue.
    Warn,
    /// Neither is reported. What IAM refuses is still an error.
    Off,
}

/// What a finding is reported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl PolicyChecks {
    pub const VALUES: [&str; 3] = ["strict", "warn", "off"];
    /// The environment variable the setting defaults to.
    pub const ENV: &str = "CLUSTERIAM_POLICY_CHECKS";

    pub fn parse(text: &str) -> Option<PolicyChecks> {
        match text {
            "strict" => Some(PolicyChecks::Strict),
            "warn" => Some(PolicyChecks::Warn),
            "off" => Some(PolicyChecks::Off),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PolicyChecks::Strict => "strict",
            PolicyChecks::Warn => "warn",
            PolicyChecks::Off => "off",
        }
    }

    /// How a finding is reported under this setting; None: not at all.
    pub fn severity(self, finding: Finding) -> Option<Severity> {
        match (finding, self) {
            (Finding::Malformed, _) => Some(Severity::Error),
            (_, PolicyChecks::Off) => None,
            (Finding::Unknown, PolicyChecks::Strict) => Some(Severity::Error),
            _ => Some(Severity::Warning),
        }
    }
}

/// A statement's problems, each with its rule, before they are placed.
pub type Found = Vec<(Rule, String)>;

/// `a`, `b` and `c`.
pub fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}
