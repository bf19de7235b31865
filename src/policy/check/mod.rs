//! Checks of the policy documents users give the provider, in two passes:
//!
//! 1. [`grammar`]: what IAM itself refuses (`MalformedPolicyDocument`):
//!    the elements, their shapes, `Version`, `Effect`, `service:Action`,
//!    condition operators, unique alphanumeric Sids, and which of
//!    `Principal` and `Resource` the kind of document takes. These need
//!    nothing but the text, so they run at `terraform validate`, and they are
//!    always errors: IAM would refuse the document at apply anyway, after
//!    the role it belongs to was created.
//! 2. [`names`]: what IAM accepts but never works: a service, action or
//!    wildcard that names nothing in the [catalogue](crate::policy::catalogue),
//!    a condition key no service of the statement defines, a resource that is
//!    not an ARN, a principal of the wrong shape. The provider's
//!    `policy_checks` setting decides what these are ([`PolicyChecks`]).

mod conditions;
mod grammar;
mod names;
#[cfg(test)]
mod own_documents;
mod problem;
mod resources;

pub use problem::{At, Finding, Kind, PolicyChecks, Problem, Rule, Severity};

/// Every problem of the document `text` (JSON) of `kind`, in document order,
/// those IAM refuses first.
pub fn check(text: &str, kind: Kind) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(document) = grammar::parse_json(text, &mut problems) else {
        return problems;
    };
    let parsed = grammar::check(&document, kind, &mut problems);
    names::check(&parsed, kind, &mut problems);
    problems
}

/// Only what IAM refuses: the checks that need no catalogue and no setting.
pub fn check_grammar(text: &str, kind: Kind) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(document) = grammar::parse_json(text, &mut problems) {
        grammar::check(&document, kind, &mut problems);
    }
    problems
}

#[cfg(test)]
mod tests;
