//! `clusteriam_oidc_provider`: the IAM OIDC identity provider for a cluster's
//! issuer (seed 000 step 4, seed 003 steps 2-3). It adopts a provider that
//! already exists for the URL instead of failing; an adopted provider only
//! gains what the configuration asks for and is never deleted. One this
//! resource created is deleted on destroy, unless roles still trust it once
//! the same run has had time to delete its own (see `destroy.rs`).

use async_trait::async_trait;

use crate::arn::OidcProviderArn;
use crate::aws::OidcProvider as Observed;
use crate::clients::Clients;
use crate::engine::oidc::{CreateFailure, converge_oidc, create_or_adopt};
use crate::engine::run::Left;
use crate::resources::common::ownership::{
    IMPORT_OWNERSHIP, import_ownership, set_replacing, stored_mark,
};
use crate::resources::common::web_identity::validate_oidc_provider;
use crate::resources::common::{
    limits, own_tags_for_import, ownership_mark, plan_tags_all, report,
};
use crate::tfplugin::{
    Attr, Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    Diagnostics, ImportRequest, ImportResponse, Model, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, Type, UpdateRequest, UpdateResponse, Value,
};
use model::OidcModel;
use state::{minimal_state, spec_from, state_from};

pub struct OidcProvider;

const TYPE_NAME: &str = "clusteriam_oidc_provider";
const DEFAULT_CLIENT_ID: &str = "sts.amazonaws.com";

fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(
            "An IAM OpenID Connect identity provider for a Kubernetes cluster's OIDC issuer, so that \
             IAM roles can trust the cluster's service accounts (IRSA). If a provider for the URL \
             already exists in the account, it is adopted instead of failing. An adopted provider \
             may be shared with other configurations, so it only gains what this configuration \
             asks for (client ids, thumbprints, the resource's own `tags`; not the provider's \
             `default_tags`) and loses nothing it had, and destroy leaves it in place. A provider \
             this resource created is managed exactly: the configuration is its truth, and \
             destroy deletes it, but not while IAM roles still trust it (see `force_destroy`). \
             Roles that trust it are usually in the same configuration and are destroyed in the \
             same run, at the same time or just before; so destroy first waits, up to the \
             provider's `propagation_timeout`, for the trusting roles to go, and refuses only \
             when some remain, naming them. Replacing the provider (a new `url`, such as a \
             rebuilt cluster's) while roles of the configuration trust it needs `lifecycle { \
             create_before_destroy = true }`, as in the example: the new provider is created \
             first, the roles are updated to trust it, and only then is the old one deleted. \
             With Terraform's default order the old one would go first, breaking the roles, so \
             that replacement is refused at once with this remedy. When another resource \
             adopted the provider in the same run (the replacement of a `-replace` with \
             `create_before_destroy`, which keeps the URL), destroy hands it over to that \
             resource instead of deleting it. Tags of an adopted provider \
             follow the rule for shared objects: see `tags`. Thumbprints are optional: when none \
             are given, IAM secures the connection itself and nothing is fetched at plan time.",
        )
        .attribute(
            Attribute::computed_string("id", "The ARN of the OIDC provider.").stable(),
        )
        .attribute(
            Attribute::required_string(
                "url",
                "The issuer URL, starting with `https://`, e.g. the `issuer_url` of \
                 `clusteriam_eks_cluster_oidc`. Changing it replaces the provider; while roles \
                 of the configuration trust it, that needs `lifecycle { create_before_destroy = \
                 true }`, as in the example.",
            )
            .requires_replace(),
        )
        .attribute(
            Attribute::optional_computed(
                "client_ids",
                Type::set(Type::String),
                "The audiences (client ids) the provider accepts. Defaults to \
                 `[\"sts.amazonaws.com\"]`, the audience of IAM roles for service accounts. For \
                 an adopted provider these are the client ids this configuration needs: they are \
                 added when missing, and the provider's other client ids are kept and not shown.",
            )
            .default(Value::string_list([DEFAULT_CLIENT_ID])),
        )
        .attribute(
            Attribute::optional_computed(
                "thumbprints",
                Type::set(Type::String),
                "SHA-1 thumbprints (40 hexadecimal characters, 1 to 5 of them) of the issuer's \
                 certificate chain. Leave this out to let IAM manage them: the state then shows \
                 what IAM has, and no difference is planned when IAM changes them.",
            )
            .stable(),
        )
        .attributes(shared_tags::tag_attributes())
        .attribute(
            Attribute::computed_string("arn", "The ARN of the OIDC provider, for trust policies such as the `oidc_provider_arn` of the role resources.")
                .stable(),
        )
        .attribute(
            Attribute::computed(
                "adopted",
                Type::Bool,
                &format!(
                    "Whether the provider existed before this resource and was adopted. An adopted \
                     provider is left in place when the resource is destroyed. {IMPORT_OWNERSHIP}"
                ),
            )
            .stable(),
        )
        .attribute(Attribute::optional(
            "force_destroy",
            Type::Bool,
            "Delete the provider on destroy even while IAM roles still trust it; those roles \
             then stop working. Defaults to `false`: destroy waits up to `propagation_timeout` \
             for the trusting roles to go (those the same run deletes), then fails naming the \
             ones left, so that another team's IRSA roles are not broken silently. Has no effect \
             on an adopted provider, which is never deleted.",
        )),
    )
}

/// Converges an existing provider to `planned` and returns its new state;
/// on failure, the state of what exists and an error.
async fn converge_and_read(
    clients: &Clients,
    url: &str,
    observed: Observed,
    (prior, planned): (&OidcModel, &OidcModel),
    diags: &mut Diagnostics,
) -> Value {
    let adopted = planned.is_adopted();
    let arn = observed.arn.clone();
    let spec = spec_from(planned, prior, &clients.default_tags, adopted);
    match converge_oidc(&clients.aws, url, &spec, observed).await {
        Ok(provider) => state_from(&provider, planned).to_value(),
        Err(failure) => {
            report(diags, failure.summary, &failure.error);
            match failure.left {
                Left::Exists(provider) => state_from(&provider, planned).to_value(),
                Left::Gone => Value::Null,
                // An update: what the state said still holds as far as
                // anyone knows (the planned values would claim the refused
                // change), so the next plan shows the difference again.
                Left::Unread if prior.arn.known().is_some() => prior.to_value(),
                Left::Unread => minimal_state(planned, &arn, adopted),
            }
        }
    }
}

#[async_trait]
impl Resource<Clients> for OidcProvider {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_oidc_provider(config, diags);
    }

    async fn plan(&self, req: PlanRequest<'_, Clients>, resp: &mut PlanResponse) {
        let default_tags = &req.client.default_tags;
        // The destroy half of a replacement reads this (see `destroy.rs`).
        // Terraform plans a replacement's create again, as a create from the
        // first plan's private state: that one keeps the flag.
        if !req.is_create() {
            set_replacing(&mut resp.private, !resp.requires_replace.is_empty());
        }
        let prior = OidcModel::read(req.prior);
        match prior.adopted.known() {
            // Whether a provider for the URL exists, and so what tags it will
            // hold, is known only once it is created or adopted.
            None => OidcModel::set_planned_tags_all(&mut resp.planned, &Attr::Unknown),
            Some(false) => plan_tags_all(resp, req.config, default_tags),
            Some(true) => shared_tags::plan(&prior, &OidcModel::read(req.config), resp),
        }
        let tags = limits::tags_measure(&resp.planned, default_tags);
        limits::check(&req.client.aws, tags.as_slice(), &mut resp.diagnostics).await;
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let (clients, planned) = (req.client, req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        let tags = limits::tags_measure(planned, &clients.default_tags);
        if !limits::check_before_write(aws, tags.as_slice(), diags).await {
            return;
        }
        let planned = OidcModel::read(planned);
        let url = planned.url.as_deref().unwrap_or_default();
        let summary = format!("creating IAM OIDC provider (`{url}`)");
        let spec = spec_from(
            &planned,
            &OidcModel::default(),
            &clients.default_tags,
            false,
        );
        resp.private.clear();
        let mark = ownership_mark(&mut resp.private);
        let created = create_or_adopt(aws, url, &spec, &mark).await;
        let created = match created {
            Ok(created) => created,
            Err(CreateFailure::Refused(e) | CreateFailure::ReadFailed(e)) => {
                return report(diags, summary, &e);
            }
            Err(CreateFailure::BadUrl(e)) => {
                return diags.error(
                    summary,
                    format!(
                        "A provider for this URL already exists, and its ARN cannot be built: {e}"
                    ),
                );
            }
            Err(CreateFailure::ExistsWithUnknownAccount) => {
                return diags.error(
                    summary,
                    "A provider for this URL already exists, and its ARN cannot be built because \
                     the caller's account is unknown (`skip_credentials_validation` is set). \
                     Remove that setting, or import the provider by its ARN.",
                );
            }
            Err(CreateFailure::VanishedBeforeAdoption) => {
                return diags.error(
                    summary,
                    "A provider for this URL existed, then disappeared before it could be \
                     adopted. Apply again.",
                );
            }
            Err(CreateFailure::NotReadBack { arn, error }) => {
                match error {
                    Some(e) => report(diags, summary, &e),
                    None => diags.error(
                        summary,
                        format!(
                            "The provider `{arn}` was created but could not be read back within \
                             `propagation_timeout`. Apply again; it will be refreshed."
                        ),
                    ),
                }
                resp.state = minimal_state(&planned, &arn, false);
                return;
            }
        };
        if created.adopted {
            diags.warning(
                format!("Adopted existing IAM OIDC provider (`{url}`)"),
                format!(
                    "An OIDC provider for this URL already existed (`{}`), so this resource \
                     adopted it (`adopted = true`): it added what this configuration asks for \
                     that the provider lacked and removed nothing. Destroying the resource will \
                     leave the provider in place.",
                    created.provider.arn
                ),
            );
        }
        if created.adopted {
            let (wanted, held) = (planned.own_tags(), &created.provider.tags);
            shared_tags::warn(diags, url, &created.provider.arn, &wanted, held, true);
        }
        let mut base = planned.clone();
        base.adopted = created.adopted.into();
        let (prior, provider) = (&OidcModel::default(), created.provider);
        resp.state = converge_and_read(clients, url, provider, (prior, &base), diags).await;
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let state = OidcModel::read(req.state);
        let Some(arn) = state.arn.as_deref() else {
            resp.state = Value::Null;
            return;
        };
        match req.client.aws.oidc_provider(arn).await {
            // Gone: Terraform plans to create it again.
            Ok(None) => resp.state = Value::Null,
            Ok(Some(observed)) => {
                // Handed over by the resource that made it (see
                // `Destroyed::HandedOver`): it carries this resource's mark.
                let mut base = state.clone();
                if observed.mark.is_some() && observed.mark == stored_mark(req.private) {
                    base.adopted = false.into();
                }
                resp.state = state_from(&observed, &base).to_value();
            }
            Err(e) => report(
                &mut resp.diagnostics,
                format!("reading IAM OIDC provider (`{arn}`)"),
                &e,
            ),
        }
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        let (clients, planned) = (req.client, req.planned);
        let diags = &mut resp.diagnostics;
        let tags = limits::tags_measure(planned, &clients.default_tags);
        if !limits::check_before_write(&clients.aws, tags.as_slice(), diags).await {
            return;
        }
        let (prior, planned) = (OidcModel::read(req.prior), OidcModel::read(planned));
        let url = planned.url.as_deref().unwrap_or_default();
        let arn = prior.arn.as_deref().unwrap_or_default();
        let summary = format!("updating IAM OIDC provider (`{url}`)");
        match clients.aws.oidc_provider(arn).await {
            Ok(Some(observed)) => {
                let states = (&prior, &planned);
                resp.state = converge_and_read(clients, url, observed, states, diags).await;
            }
            Ok(None) => {
                diags.error(
                    summary,
                    "The provider was deleted outside Terraform after this plan was made. Run \
                     `terraform plan` (or `apply`) again: its plan creates it anew.",
                );
                resp.state = Value::Null;
            }
            Err(e) => report(diags, summary, &e),
        }
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let prior = OidcModel::read(req.prior);
        let diags = &mut resp.diagnostics;
        let url = prior.url.as_deref().unwrap_or_default();
        let arn = prior.arn.as_deref().unwrap_or_default();
        if prior.is_adopted() {
            return diags.warning(
                format!("IAM OIDC provider left in place (`{url}`)"),
                format!(
                    "`{arn}` existed before this resource adopted it, so it was only removed from \
                     the Terraform state. Delete it with `aws iam delete-open-id-connect-provider \
                     --open-id-connect-provider-arn {arn}` once nothing uses it."
                ),
            );
        }
        destroy::delete(req.client, &prior, req.private, diags).await;
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        let diags = &mut resp.diagnostics;
        // Adopted unless the id asks for ownership: a tag proves nothing.
        let (id, adopted) = import_ownership(req.id);
        let arn = match id.parse::<OidcProviderArn>() {
            Ok(arn) => arn,
            Err(e) => {
                return diags.error(
                    "Invalid import id",
                    format!(
                        "{e}. Import an OIDC provider by its ARN, e.g. `terraform import \
                         {TYPE_NAME}.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE`."
                    ),
                );
            }
        };
        let summary = format!("importing IAM OIDC provider (`{}`)", arn.arn());
        let observed = match req.client.aws.oidc_provider(arn.arn()).await {
            Ok(Some(observed)) => observed,
            Ok(None) => {
                return diags.error(summary, "There is no OIDC provider with this ARN.");
            }
            Err(e) => return report(diags, summary, &e),
        };
        // The rest is read from AWS.
        let mut base = OidcModel {
            adopted: adopted.into(),
            ..OidcModel::default()
        };
        base.tags = own_tags_for_import(&observed.tags, &req.client.default_tags);
        resp.state = state_from(&observed, &base).to_value();
    }
}

mod destroy;
mod model;
mod shared_tags;
mod state;
#[cfg(test)]
mod tests;
