//! `clusteriam_oidc_provider`: the IAM OIDC identity provider for a cluster's
//! issuer (seed 000 step 4, seed 003 steps 2-3). It adopts a provider that
//! already exists for the URL instead of failing; an adopted provider only
//! gains what the configuration asks for and is never deleted. One this
//! resource created is deleted on destroy, unless roles still trust it once
//! the same run has had time to delete its own (see `destroy.rs`).

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;

use crate::arn::{OidcProviderArn, issuer_of};
use crate::aws::OidcProvider as Observed;
use crate::clients::Clients;
use crate::engine::oidc::{
    CreateFailure, OidcSpec, converge_oidc, create_or_adopt, same_thumbprints,
};
use crate::engine::run::Left;
use crate::resources::common::ownership::{
    IMPORT_OWNERSHIP, import_ownership, set_replacing, stored_mark,
};
use crate::resources::common::web_identity::validate_oidc_provider;
use crate::resources::common::{
    limits, merged_tags, ownership_mark, plan_tags_all, report, tags_after_read, tags_for_import,
};
use crate::tfplugin::{
    Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostics,
    ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource,
    Schema, Type, UpdateRequest, UpdateResponse, Value,
};

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

/// What the planned state asks AWS to hold. An adopted provider is asked
/// only for the resource's own `tags` (the provider's `default_tags` are for
/// what this configuration creates), and only when they differ from
/// `prior`'s (null on adoption): a guest does not fight over tags.
fn spec_from(
    planned: &Value,
    prior: &Value,
    default_tags: &BTreeMap<String, String>,
    adopted: bool,
) -> OidcSpec {
    let thumbprints = match planned.get("thumbprints") {
        Value::List(_) => Some(planned.get_strings("thumbprints")),
        _ => None,
    };
    let own_tags = planned.get_string_map("tags");
    OidcSpec {
        client_ids: planned.get_strings("client_ids").into_iter().collect(),
        thumbprints,
        tags: if adopted && planned.get("tags") == prior.get("tags") {
            BTreeMap::new()
        } else if adopted {
            own_tags
        } else {
            merged_tags(default_tags, &own_tags)
        },
        adopted,
    }
}

/// For an adopted provider, a list attribute shows what the configuration
/// asked for and the provider has: `stored` while the provider holds all of
/// it, else the part it holds (the plan then adds the rest). None when
/// nothing was stored (import, or create before it was known).
fn adopted_view(
    stored: &Value,
    observed: &[String],
    same: impl Fn(&str, &str) -> bool,
) -> Option<Value> {
    let Value::List(_) = stored else {
        return None;
    };
    let held: Vec<String> = stored
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .filter(|s| observed.iter().any(|o| same(s, o)))
        .map(str::to_string)
        .collect();
    Some(
        if held.len() == stored.as_list().map_or(0, <[Value]>::len) {
            stored.clone()
        } else {
            Value::string_list(held)
        },
    )
}

/// The state for what AWS has, keeping from `base` what AWS reports in
/// another spelling (the URL's scheme, thumbprints' case) and `adopted`.
fn state_from(observed: &Observed, base: &Value) -> Value {
    let mut state = base.clone();
    let adopted = base.get("adopted").as_bool().unwrap_or(false);
    let url = match base.get_str("url") {
        Some(url) if issuer_of(url) == issuer_of(&observed.url) => url.to_string(),
        _ => format!("https://{}", observed.url),
    };
    let sorted = |items: &[String]| {
        Value::string_list(items.iter().collect::<BTreeSet<_>>().into_iter().cloned())
    };
    let client_ids = if adopted {
        adopted_view(base.get("client_ids"), &observed.client_ids, |a, b| a == b)
    } else {
        None
    }
    .unwrap_or_else(|| sorted(&observed.client_ids));
    let same_thumbprint = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let thumbprints = match base.get("thumbprints") {
        stored @ Value::List(_) if adopted => {
            adopted_view(stored, &observed.thumbprints, same_thumbprint).unwrap_or(Value::Null)
        }
        Value::List(_)
            if same_thumbprints(&base.get_strings("thumbprints"), &observed.thumbprints) =>
        {
            base.get("thumbprints").clone()
        }
        // IAM manages them and has none to show: unset, which a
        // configuration can say (an empty list it cannot).
        _ if observed.thumbprints.is_empty() => Value::Null,
        _ => sorted(&observed.thumbprints),
    };
    state.set("id", Value::string(&observed.arn));
    state.set("arn", Value::string(&observed.arn));
    state.set("url", Value::string(url));
    state.set("client_ids", client_ids);
    state.set("thumbprints", thumbprints);
    // An adopted provider's `tags` stay what the configuration asked for:
    // what it holds otherwise is another writer's (see `oidc_tag_attributes`).
    if !adopted {
        state.set("tags", tags_after_read(&observed.tags, base.get("tags")));
    }
    state.set("tags_all", Value::string_map(observed.tags.clone()));
    state.set("adopted", Value::Bool(adopted));
    state
}

/// A state holding only what is certain, for when a provider exists but
/// could not be read back: the next refresh fills in the rest.
fn minimal_state(planned: &Value, arn: &str, adopted: bool) -> Value {
    let mut state = planned.clone();
    state.set("id", Value::string(arn));
    state.set("arn", Value::string(arn));
    state.set("adopted", Value::Bool(adopted));
    for attr in ["thumbprints", "tags_all"] {
        if state.get(attr).is_unknown() {
            state.set(attr, Value::Null);
        }
    }
    state
}

/// Converges an existing provider to `planned` and returns its new state;
/// on failure, the state of what exists and an error.
async fn converge_and_read(
    clients: &Clients,
    url: &str,
    observed: Observed,
    (prior, planned): (&Value, &Value),
    diags: &mut Diagnostics,
) -> Value {
    let adopted = planned.get("adopted").as_bool().unwrap_or(false);
    let arn = observed.arn.clone();
    let spec = spec_from(planned, prior, &clients.default_tags, adopted);
    match converge_oidc(&clients.aws, url, &spec, observed).await {
        Ok(provider) => state_from(&provider, planned),
        Err(failure) => {
            report(diags, failure.summary, &failure.error);
            match failure.left {
                Left::Exists(provider) => state_from(&provider, planned),
                Left::Gone => Value::Null,
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
        match req.prior.get("adopted").as_bool() {
            // Whether a provider for the URL exists, and so what tags it will
            // hold, is known only once it is created or adopted.
            None => resp.planned.set("tags_all", Value::Unknown),
            Some(false) => plan_tags_all(resp, req.config, default_tags),
            Some(true) => shared_tags::plan(req.prior, req.config, resp),
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
        let url = planned.get_str("url").unwrap_or_default();
        let summary = format!("creating IAM OIDC provider (`{url}`)");
        let spec = spec_from(planned, &Value::Null, &clients.default_tags, false);
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
                resp.state = minimal_state(planned, &arn, false);
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
            let (wanted, held) = (planned.get_string_map("tags"), &created.provider.tags);
            shared_tags::warn(diags, planned, &created.provider.arn, &wanted, held, true);
        }
        let mut base = planned.clone();
        base.set("adopted", Value::Bool(created.adopted));
        let (prior, provider) = (&Value::Null, created.provider);
        resp.state = converge_and_read(clients, url, provider, (prior, &base), diags).await;
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let Some(arn) = req.state.get_str("arn") else {
            resp.state = Value::Null;
            return;
        };
        match req.client.aws.oidc_provider(arn).await {
            // Gone: Terraform plans to create it again.
            Ok(None) => resp.state = Value::Null,
            Ok(Some(observed)) => {
                // Handed over by the resource that made it (see
                // `Destroyed::HandedOver`): it carries this resource's mark.
                let mut base = req.state.clone();
                if observed.mark.is_some() && observed.mark == stored_mark(req.private) {
                    base.set("adopted", Value::Bool(false));
                }
                resp.state = state_from(&observed, &base);
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
        let url = planned.get_str("url").unwrap_or_default();
        let arn = req.prior.get_str("arn").unwrap_or_default();
        let summary = format!("updating IAM OIDC provider (`{url}`)");
        match clients.aws.oidc_provider(arn).await {
            Ok(Some(observed)) => {
                let states = (req.prior, planned);
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
        let prior = req.prior;
        let diags = &mut resp.diagnostics;
        let url = prior.get_str("url").unwrap_or_default();
        let arn = prior.get_str("arn").unwrap_or_default();
        if prior.get("adopted").as_bool() == Some(true) {
            return diags.warning(
                format!("IAM OIDC provider left in place (`{url}`)"),
                format!(
                    "`{arn}` existed before this resource adopted it, so it was only removed from \
                     the Terraform state. Delete it with `aws iam delete-open-id-connect-provider \
                     --open-id-connect-provider-arn {arn}` once nothing uses it."
                ),
            );
        }
        destroy::delete(req.client, prior, req.private, diags).await;
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
        // Every attribute must be present; unknown ones are read from AWS.
        let mut state = schema().block.null_object();
        state.set("adopted", Value::Bool(adopted));
        state.set(
            "tags",
            tags_for_import(&observed.tags, &req.client.default_tags),
        );
        resp.state = state_from(&observed, &state);
    }
}

mod destroy;
mod shared_tags;
#[cfg(test)]
mod tests;
