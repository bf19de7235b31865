//! Destroying `clusteriam_oidc_provider`, and why it is refused when it is.
//!
//! The roles that trust a provider this configuration created are most
//! often the configuration's own. Terraform destroys them before the
//! provider when they reference it, but not when they trust the same
//! provider through another resource for the same URL (one module creates
//! it, another adopts it): those go at the same time. So destroy waits, up
//! to `propagation_timeout`, for the trusting roles to go, and refuses only
//! when some remain. It cannot know whether a remaining role belongs to this
//! configuration, so the refusal names the roles and the usual causes
//! rather than claiming either. A replacement under Terraform's default
//! order is refused at once: the roles move to the new provider only after
//! it exists, which is after this destroy.

use std::time::Duration;

use super::model::OidcModel;
use crate::clients::Clients;
use crate::engine::oidc::{DeleteRefused, Destroy, Destroyed, delete_owned};
use crate::resources::common::errors::report_with;
use crate::resources::common::ownership::{is_replacing, stored_mark};
use crate::resources::common::report;
use crate::tfplugin::{Attr, Diagnostics};

/// Deletes the provider `prior` describes, which this resource created.
pub(super) async fn delete(
    clients: &Clients,
    prior: &OidcModel,
    private: &[u8],
    diags: &mut Diagnostics,
) {
    let url = prior.url.as_deref().unwrap_or_default();
    let arn = prior.arn.as_deref().unwrap_or_default();
    let summary = format!("deleting IAM OIDC provider (`{url}`)");
    let mark = stored_mark(private);
    let destroy = Destroy {
        arn,
        mark: mark.as_deref(),
        force: prior.force_destroy == Attr::Known(true),
        replacing: is_replacing(private),
    };
    match delete_owned(&clients.aws, destroy).await {
        Ok(Destroyed::Deleted | Destroyed::Gone) => {}
        Ok(Destroyed::HandedOver) => diags.warning(
            format!("IAM OIDC provider left in place (`{url}`)"),
            format!(
                "`{arn}` was not deleted: another resource for the same URL took it over. Either \
                 it adopted the provider in this run (this resource's replacement under \
                 `create_before_destroy`, which keeps the URL with `-replace`, or another \
                 module's resource for the same issuer) and now manages it, or the provider \
                 carries another resource's ownership mark. It was only removed from this \
                 resource's state."
            ),
        ),
        Err(DeleteRefused::StillTrusted { roles, waited }) => {
            diags.error(summary, still_trusted(arn, &roles, waited));
        }
        Err(DeleteRefused::CheckFailed(e)) => report_with(
            diags,
            summary,
            &e,
            &format!(
                "Destroy checks which IAM roles still trust `{arn}`, so as not to break other \
                 teams' roles; grant `iam:ListRoles`, or set `force_destroy = true` (and apply) \
                 to delete without checking."
            ),
        ),
        Err(DeleteRefused::Failed(e)) => report(diags, summary, &e),
    }
}

/// Why destroy refused: the roles, the usual causes, what to do.
fn still_trusted(arn: &str, roles: &[String], waited: Option<Duration>) -> String {
    let names: Vec<String> = roles.iter().map(|r| format!("`{r}`")).collect();
    let names = names.join(", ");
    match waited {
        None => format!(
            "IAM roles still trust `{arn}`: {names}. The provider is being replaced (its `url` \
             changed), and in Terraform's default order the old provider is deleted before the \
             roles that trust it are updated to trust the new one, which would break them. Add \
             `lifecycle {{ create_before_destroy = true }}` to this resource and apply again: the \
             new provider is created first, the roles are updated, and then the old one is \
             deleted. If the resource has that already, the roles named here did not move to the \
             new provider: they are not in this configuration, or their trust names the old ARN \
             itself rather than this resource's `arn`. Change them to trust the new provider \
             first, or set `force_destroy = true` to delete the old one anyway."
        ),
        Some(waited) => format!(
            "IAM roles still trust `{arn}` after waiting {}s (`propagation_timeout`) for them \
             to go: {names}. Deleting it would break them: their service accounts could no \
             longer assume them. The usual cause is a role of this configuration that trusts the \
             provider and is being updated rather than deleted, such as when the provider is \
             replaced (a `-replace`, or a new `url`): add `lifecycle {{ create_before_destroy = \
             true }}` to this resource, so that the new provider exists and the roles trust it \
             before the old one is deleted. If the roles belong to someone else, delete or \
             change them first, hand the provider over with `terraform state rm`, or set \
             `force_destroy = true` (and apply) to delete it anyway.",
            waited.as_secs()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_roles_and_the_recipe_without_guessing_whose_they_are() {
        let arn = "arn:aws:iam::123456789012:oidc-provider/oidc.example.com";
        let roles = ["agent".to_string(), "csp".to_string()];
        for waited in [None, Some(Duration::from_secs(120))] {
            let text = still_trusted(arn, &roles, waited);
            assert!(text.contains("`agent`, `csp`"), "{text}");
            assert!(
                text.contains("lifecycle { create_before_destroy = true }"),
                "{text}"
            );
            assert!(text.contains("force_destroy = true"), "{text}");
            assert!(!text.contains("outside this configuration"), "{text}");
        }
        assert!(still_trusted(arn, &roles, Some(Duration::from_secs(120))).contains("120s"));
    }
}
