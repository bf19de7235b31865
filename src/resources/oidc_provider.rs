//! `clusteriam_oidc_provider`: the IAM OIDC identity provider for a cluster's
//! issuer (seed 000 step 4, seed 003 steps 2-3). It adopts a provider that
//! already exists for the URL instead of failing; an adopted provider only
//! gains what the configuration asks for and is never deleted. One this
//! resource created is deleted on destroy, unless roles outside the
//! configuration still trust it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::arn::OidcProviderArn;
use crate::aws::{Aws, AwsError, OidcCreated, OidcProvider as Observed};
use crate::engine::oidc::{
    MAX_THUMBPRINTS, OidcFailure, OidcSpec, converge_oidc, same_thumbprints,
};
use crate::provider::Clients;
use crate::resources::{
    limits, ownership_mark, plan_tags_all, tag_attributes, tags_after_read, tags_for_import,
    validate_tags,
};
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Type, Value};
use crate::validate::check_attr;

pub struct OidcProvider;

const TYPE_NAME: &str = "clusteriam_oidc_provider";
const DEFAULT_CLIENT_ID: &str = "sts.amazonaws.com";
const MAX_CLIENT_IDS: usize = 100;

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
             destroy deletes it, but not while IAM roles outside the configuration still trust \
             it (see `force_destroy`). Thumbprints are optional: when none are given, IAM \
             secures the connection itself and nothing is fetched at plan time.",
        )
        .attribute(
            Attribute::computed("id", Type::String, "The ARN of the OIDC provider.").stable(),
        )
        .attribute(
            Attribute::required(
                "url",
                Type::String,
                "The issuer URL, starting with `https://`, e.g. the `issuer_url` of \
                 `clusteriam_eks_cluster_oidc`. Changing it replaces the provider.",
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
        .attributes(tag_attributes())
        .attribute(
            Attribute::computed("arn", Type::String, "The ARN of the OIDC provider, for trust policies such as the `oidc_provider_arn` of the role resources.")
                .stable(),
        )
        .attribute(
            Attribute::computed(
                "adopted",
                Type::Bool,
                "Whether the provider existed before this resource and was adopted. An adopted \
                 provider is left in place when the resource is destroyed. An import decides from \
                 the provider itself: one created by this provider (it carries the \
                 `clusteriam:created-by` tag) is managed, any other is adopted.",
            )
            .stable(),
        )
        .attribute(Attribute::optional(
            "force_destroy",
            Type::Bool,
            "Delete the provider on destroy even while IAM roles outside this configuration \
             still trust it; those roles then stop working. Defaults to `false`: destroy fails \
             and names the roles, so that another team's IRSA roles are not broken silently. \
             Has no effect on an adopted provider, which is never deleted.",
        )),
    )
}

/// The issuer a URL denotes: no scheme, no trailing slash. Two URLs with the
/// same issuer are the same IAM OIDC provider.
fn issuer(url: &str) -> &str {
    let url = url.trim();
    url.strip_prefix("https://")
        .unwrap_or(url)
        .trim_end_matches('/')
}

fn check_url(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "`url` must be an https:// URL, as IAM accepts no other scheme; got `{url}`"
        ));
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() {
        return Err(format!(
            "`url` must name a host after https://; got `{url}`"
        ));
    }
    if url.len() > 255 {
        return Err(format!(
            "`url` must be at most 255 characters; got {} characters",
            url.len()
        ));
    }
    if host.contains('@') {
        return Err(format!(
            "`url` must not hold a user name or password (`user@`): an OIDC issuer is a plain \
             https:// URL; got `{url}`"
        ));
    }
    if host.contains(':') {
        return Err(format!(
            "`url` must not hold a port number: IAM's OIDC providers take none; got `{url}`"
        ));
    }
    let host_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    // The issuer becomes part of the provider's ARN and of trust policy
    // condition keys: what an OIDC provider ARN may hold (arn.rs), no
    // wildcards, quotes or escapes.
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b));
    if !host_ok || !path_ok {
        return Err(format!(
            "`url` must be an issuer URL without query, fragment or spaces: a host name, then an \
             optional path of letters, digits and `-._~/` (no wildcards or quotes); got `{url}`"
        ));
    }
    Ok(())
}

fn is_thumbprint(t: &str) -> bool {
    t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The number of elements a list or set holds when it is known.
fn known_len(value: &Value) -> Option<usize> {
    value.as_list().map(<[Value]>::len)
}

fn validate_config(config: &Value, diags: &mut Diagnostics) {
    check_attr(config, "url", diags, check_url);

    for id in config.get_strings("client_ids") {
        if id.is_empty() || id.chars().count() > 255 {
            diags.attribute_error(
                "client_ids",
                "Invalid `client_ids`",
                format!("each of `client_ids` must be 1 to 255 characters; got `{id}`"),
            );
        }
    }
    if known_len(config.get("client_ids")) == Some(0) {
        diags.attribute_error(
            "client_ids",
            "Invalid `client_ids`",
            "`client_ids` must hold at least one client id (the audience of the tokens, such as \
             `sts.amazonaws.com`); leave it out for the default `[\"sts.amazonaws.com\"]`",
        );
    }
    if known_len(config.get("client_ids")).is_some_and(|n| n > MAX_CLIENT_IDS) {
        diags.attribute_error(
            "client_ids",
            "Invalid `client_ids`",
            format!("`client_ids` may hold at most {MAX_CLIENT_IDS} client ids"),
        );
    }

    for t in config.get_strings("thumbprints") {
        if !is_thumbprint(&t) {
            diags.attribute_error(
                "thumbprints",
                "Invalid `thumbprints`",
                format!(
                    "each of `thumbprints` must be a SHA-1 fingerprint of 40 hexadecimal characters; got `{t}`"
                ),
            );
        }
    }
    if let Some(n) = known_len(config.get("thumbprints"))
        && (n == 0 || n > MAX_THUMBPRINTS)
    {
        diags.attribute_error(
            "thumbprints",
            "Invalid `thumbprints`",
            format!(
                "`thumbprints` must hold 1 to {MAX_THUMBPRINTS} thumbprints; got {n}. Leave it out to let IAM manage them"
            ),
        );
    }

    validate_tags(config, diags);
}

/// What the planned state asks AWS to hold. An adopted provider is asked
/// only for the resource's own `tags`: the provider's `default_tags` are for
/// what this configuration creates.
fn spec_from(planned: &Value, default_tags: &BTreeMap<String, String>, adopted: bool) -> OidcSpec {
    let thumbprints = match planned.get("thumbprints") {
        Value::List(_) => Some(planned.get_strings("thumbprints")),
        _ => None,
    };
    let own_tags = planned.get_string_map("tags");
    OidcSpec {
        client_ids: planned.get_strings("client_ids").into_iter().collect(),
        thumbprints,
        tags: if adopted {
            own_tags
        } else {
            crate::resources::merged_tags(default_tags, &own_tags)
        },
        adopted,
    }
}

/// The AWS error, then a remedy sentence when there is one.
fn detail(err: &AwsError, action: &str) -> String {
    match err.code.as_deref() {
        Some("AccessDenied" | "AccessDeniedException") => format!(
            "{err}\n\nThe provider's credentials need the `{action}` permission on this OIDC provider."
        ),
        Some("LimitExceeded") => format!(
            "{err}\n\nAn account may hold at most 100 OIDC providers and a provider 100 client ids; \
             remove unused ones."
        ),
        _ => err.detail(),
    }
}

fn report(failure: OidcFailure, url: &str, diags: &mut Diagnostics) {
    diags.error(
        format!("{} (`{url}`)", failure.step),
        detail(&failure.error, failure.step.action()),
    );
}

/// Reads a provider just written. IAM is eventually consistent, so a
/// provider may be invisible for a moment after its creation.
async fn observe_after_write(aws: &Aws, arn: &str) -> Result<Option<Observed>, AwsError> {
    let deadline = Instant::now() + aws.propagation_timeout;
    let mut wait = Duration::from_millis(500);
    loop {
        match aws.oidc_provider(arn).await? {
            Some(p) => return Ok(Some(p)),
            None if Instant::now() + wait > deadline => return Ok(None),
            None => {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
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
        Some(url) if issuer(url) == issuer(&observed.url) => url.to_string(),
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
    state.set("tags", tags_after_read(&observed.tags, base.get("tags")));
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
    planned: &Value,
    diags: &mut Diagnostics,
) -> Value {
    let aws = &clients.aws;
    let adopted = planned.get("adopted").as_bool().unwrap_or(false);
    let spec = spec_from(planned, &clients.default_tags, adopted);
    let changed = match converge_oidc(aws, &spec, &observed).await {
        Ok(changed) => changed,
        Err(failure) => {
            report(failure, url, diags);
            true
        }
    };
    let observed = if changed {
        match aws.oidc_provider(&observed.arn).await {
            Ok(Some(p)) => p,
            Ok(None) => {
                diags.error(
                    format!("reading IAM OIDC provider (`{url}`)"),
                    "The provider disappeared while it was being updated; the next apply creates it again.",
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(
                    format!("reading IAM OIDC provider (`{url}`)"),
                    detail(&e, "iam:GetOpenIDConnectProvider"),
                );
                return minimal_state(planned, &observed.arn, adopted);
            }
        }
    } else {
        observed
    };
    state_from(&observed, planned)
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
        validate_config(config, diags);
    }

    async fn plan(&self, ctx: &Ctx<Clients>, plan: &mut Plan<'_>, diags: &mut Diagnostics) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        match plan.prior.get("adopted").as_bool() {
            // Whether a provider for the URL exists, and so what tags it will
            // hold, is known only once it is created or adopted.
            None => plan.planned.set("tags_all", Value::Unknown),
            Some(false) => plan_tags_all(plan, &clients.default_tags),
            // Adopted: its tags stay as they are, plus the configured ones.
            Some(true) => {
                let prior = plan.prior.get_string_map("tags_all");
                let wanted = plan.config.get_string_map("tags");
                let held = plan.config.get("tags").is_wholly_known()
                    && wanted.iter().all(|(k, v)| prior.get(k) == Some(v));
                let tags_all = if held {
                    plan.prior.get("tags_all").clone()
                } else {
                    Value::Unknown
                };
                plan.planned.set("tags_all", tags_all);
            }
        }
        let tags = limits::tags_measure(&plan.planned, &clients.default_tags);
        limits::check(&clients.aws, tags.as_slice(), diags).await;
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let aws = &clients.aws;
        let tags = limits::tags_measure(planned, &clients.default_tags);
        if !limits::check_before_write(aws, tags.as_slice(), diags).await {
            return Value::Null;
        }
        let url = planned.get_str("url").unwrap_or_default();
        let summary = format!("creating IAM OIDC provider (`{url}`)");
        let spec = spec_from(planned, &clients.default_tags, false);
        let client_ids: Vec<String> = spec.client_ids.iter().cloned().collect();
        let thumbprints = spec.thumbprints.clone().unwrap_or_default();
        private.clear();
        let mark = ownership_mark(private);
        // Send the issuer as IAM names it, so the ARN is the one computed for adoption.
        let created = aws
            .create_oidc_provider(
                &format!("https://{}", issuer(url)),
                &client_ids,
                &thumbprints,
                &spec.tags,
                &mark,
            )
            .await;
        let (arn, may_be_ours) = match created {
            Ok(OidcCreated::New(arn)) => (arn, true),
            Ok(OidcCreated::AlreadyExists { after_lost_answer }) => {
                let Some(account) = aws.account_id.as_deref() else {
                    diags.error(
                        summary,
                        "EntityAlreadyExists: a provider for this URL already exists, and its ARN \
                         cannot be built because the caller's account is unknown \
                         (`skip_credentials_validation` is set). Remove that setting, or import the \
                         provider by its ARN.",
                    );
                    return Value::Null;
                };
                match OidcProviderArn::for_issuer(&aws.partition, account, url) {
                    Ok(arn) => (arn.arn().to_string(), after_lost_answer),
                    Err(e) => {
                        diags.error(summary, format!("EntityAlreadyExists: {e}"));
                        return Value::Null;
                    }
                }
            }
            Err(e) => {
                diags.error(summary, detail(&e, "iam:CreateOpenIDConnectProvider"));
                return Value::Null;
            }
        };
        let observed = match observe_after_write(aws, &arn).await {
            Ok(Some(p)) => p,
            Ok(None) if !may_be_ours => {
                // Deleted between our create and read (a racing destroy).
                diags.error(
                    summary,
                    "EntityAlreadyExists: a provider for this URL existed, then disappeared before \
                     it could be adopted. Apply again.",
                );
                return Value::Null;
            }
            Ok(None) => {
                diags.error(
                    summary,
                    format!(
                        "The provider `{arn}` was created but could not be read back within \
                         `propagation_timeout`. Apply again; it will be refreshed."
                    ),
                );
                return minimal_state(planned, &arn, false);
            }
            Err(e) => {
                diags.error(summary, detail(&e, "iam:GetOpenIDConnectProvider"));
                return if may_be_ours {
                    minimal_state(planned, &arn, false)
                } else {
                    Value::Null
                };
            }
        };
        // Ours only when it carries this create's mark: an object that was
        // there before, or that someone else made meanwhile, is adopted.
        let adopted = observed.mark.as_deref() != Some(mark.as_str());
        if adopted {
            diags.warning(
                format!("Adopted existing IAM OIDC provider (`{url}`)"),
                format!(
                    "An OIDC provider for this URL already existed (`{arn}`), so this resource \
                     adopted it (`adopted = true`): it added what this configuration asks for \
                     that the provider lacked and removed nothing. Destroying the resource will \
                     leave the provider in place."
                ),
            );
        }
        let mut base = planned.clone();
        base.set("adopted", Value::Bool(adopted));
        converge_and_read(clients, url, observed, &base, diags).await
    }

    async fn read(
        &self,
        ctx: &Ctx<Clients>,
        state: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let Some(arn) = state.get_str("arn") else {
            return Value::Null;
        };
        match clients.aws.oidc_provider(arn).await {
            // Gone: Terraform plans to create it again.
            Ok(None) => Value::Null,
            Ok(Some(observed)) => state_from(&observed, state),
            Err(e) => {
                diags.error(
                    format!("reading IAM OIDC provider (`{arn}`)"),
                    detail(&e, "iam:GetOpenIDConnectProvider"),
                );
                Value::Null
            }
        }
    }

    async fn update(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        planned: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return prior.clone();
        };
        let tags = limits::tags_measure(planned, &clients.default_tags);
        if !limits::check_before_write(&clients.aws, tags.as_slice(), diags).await {
            return prior.clone();
        }
        let url = planned.get_str("url").unwrap_or_default();
        let arn = prior.get_str("arn").unwrap_or_default();
        let summary = format!("updating IAM OIDC provider (`{url}`)");
        match clients.aws.oidc_provider(arn).await {
            Ok(Some(observed)) => converge_and_read(clients, url, observed, planned, diags).await,
            Ok(None) => {
                diags.error(
                    summary,
                    "NoSuchEntity: the provider was deleted outside Terraform. Apply again to create it.",
                );
                Value::Null
            }
            Err(e) => {
                diags.error(summary, detail(&e, "iam:GetOpenIDConnectProvider"));
                prior.clone()
            }
        }
    }

    async fn delete(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        _private: &[u8],
        diags: &mut Diagnostics,
    ) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let aws = &clients.aws;
        let url = prior.get_str("url").unwrap_or_default();
        let arn = prior.get_str("arn").unwrap_or_default();
        if prior.get("adopted").as_bool() == Some(true) {
            diags.warning(
                format!("IAM OIDC provider left in place (`{url}`)"),
                format!(
                    "`{arn}` existed before this resource adopted it, so it was only removed from \
                     the Terraform state. Delete it with `aws iam delete-open-id-connect-provider \
                     --open-id-connect-provider-arn {arn}` once nothing uses it."
                ),
            );
            return;
        }
        let summary = format!("deleting IAM OIDC provider (`{url}`)");
        if prior.get("force_destroy").as_bool() != Some(true) {
            // Roles of this configuration that trust it are destroyed first
            // (they depend on it); any left belong to someone else.
            match aws.roles_trusting(arn).await {
                Ok(roles) if roles.is_empty() => {}
                Ok(roles) => {
                    let names: Vec<String> = roles.iter().map(|r| format!("`{r}`")).collect();
                    diags.error(
                        summary,
                        format!(
                            "IAM roles outside this configuration still trust `{arn}`: {}. \
                             Deleting it would break them (their service accounts could no longer \
                             assume them). Delete or change those roles first, or hand the provider \
                             over with `terraform state rm`, or set `force_destroy = true` (and \
                             apply) to delete it anyway.",
                            names.join(", ")
                        ),
                    );
                    return;
                }
                Err(e) => {
                    diags.error(
                        summary,
                        format!(
                            "checking which IAM roles still trust `{arn}`: {}\n\nDestroy checks this so as \
                             not to break other teams' roles; grant `iam:ListRoles`, or set \
                             `force_destroy = true` (and apply) to delete without checking.",
                            e.detail()
                        ),
                    );
                    return;
                }
            }
        }
        if let Err(e) = aws.delete_oidc_provider(arn).await {
            diags.error(summary, detail(&e, "iam:DeleteOpenIDConnectProvider"));
        }
    }

    async fn import(&self, ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        let arn = match id.parse::<OidcProviderArn>() {
            Ok(arn) => arn,
            Err(e) => {
                diags.error(
                    "Invalid import id",
                    format!(
                        "{e}. Import an OIDC provider by its ARN, e.g. `terraform import \
                         {TYPE_NAME}.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE`."
                    ),
                );
                return Value::Null;
            }
        };
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let summary = format!("importing IAM OIDC provider (`{}`)", arn.arn());
        let observed = match clients.aws.oidc_provider(arn.arn()).await {
            Ok(Some(observed)) => observed,
            Ok(None) => {
                diags.error(
                    summary,
                    "NoSuchEntity: there is no OIDC provider with this ARN.",
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(summary, detail(&e, "iam:GetOpenIDConnectProvider"));
                return Value::Null;
            }
        };
        // Every attribute must be present; unknown ones are read from AWS.
        let mut state = Value::Map(
            schema()
                .block
                .attributes
                .iter()
                .map(|a| (a.name.to_string(), Value::Null))
                .collect(),
        );
        // Ownership comes from AWS, not from whoever runs the import: one
        // without the mark was made elsewhere, so destroy must leave it.
        state.set("adopted", Value::Bool(observed.mark.is_none()));
        state.set(
            "tags",
            tags_for_import(&observed.tags, &clients.default_tags),
        );
        state_from(&observed, &state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn errors(config: &Value) -> Vec<String> {
        let mut diags = Diagnostics::default();
        validate_config(config, &mut diags);
        diags.0.into_iter().map(|d| d.detail).collect()
    }

    const URL: &str = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const THUMB: &str = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

    #[test]
    fn urls() {
        assert!(check_url(URL).is_ok());
        assert!(check_url("https://token.actions.githubusercontent.com").is_ok());
        for bad in [
            "http://oidc.example.com",
            "oidc.example.com",
            "https://",
            "https:///id/x",
            "https://x.example.com/?a=b",
            "https://x.example.com/a b",
            "https://user:pw@x.example.com",
            "https://x.example.com:8443/id/1",
            "https://x.example.com/id/*",
            "https://x.example.com/id/\"{",
            "https://x..example.com",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert!(
            check_url("http://x")
                .unwrap_err()
                .contains("got `http://x`")
        );
    }

    #[test]
    fn issuers_ignore_scheme_and_trailing_slash() {
        assert_eq!(issuer(URL), "oidc.eks.us-east-1.amazonaws.com/id/ABC");
        assert_eq!(issuer(&format!("{URL}/")), issuer(URL));
        assert_eq!(
            issuer("oidc.eks.us-east-1.amazonaws.com/id/ABC"),
            issuer(URL)
        );
    }

    #[test]
    fn validation_checks_each_attribute_and_skips_unknowns() {
        let ok = config(&[
            ("url", Value::string(URL)),
            ("client_ids", Value::string_list(["sts.amazonaws.com"])),
            ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
        ]);
        assert!(errors(&ok).is_empty());

        let unknown = config(&[
            ("url", Value::Unknown),
            ("client_ids", Value::List(vec![Value::Unknown])),
            ("thumbprints", Value::Unknown),
        ]);
        assert!(errors(&unknown).is_empty());

        let bad = config(&[
            ("url", Value::string("http://x")),
            ("client_ids", Value::string_list([""])),
            ("thumbprints", Value::string_list(["abc"])),
        ]);
        let errs = errors(&bad);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[1].contains("1 to 255 characters"));
        assert!(errs[2].contains("40 hexadecimal characters; got `abc`"));

        let too_many = config(&[
            ("url", Value::string(URL)),
            (
                "thumbprints",
                Value::string_list([THUMB; 6].map(|t| t.to_string())),
            ),
        ]);
        assert!(errors(&too_many)[0].contains("1 to 5 thumbprints; got 6"));
        let empty = config(&[
            ("url", Value::string(URL)),
            ("thumbprints", Value::List(vec![])),
        ]);
        assert!(errors(&empty)[0].contains("Leave it out"));
    }

    fn observed() -> Observed {
        Observed {
            arn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
                .to_string(),
            url: "oidc.eks.us-east-1.amazonaws.com/id/ABC".to_string(),
            client_ids: vec!["b".to_string(), "a".to_string()],
            thumbprints: vec![THUMB.to_string()],
            tags: BTreeMap::from([
                ("team".to_string(), "platform".to_string()),
                ("Name".to_string(), "x".to_string()),
            ]),
            mark: Some("m".to_string()),
        }
    }

    #[test]
    fn state_keeps_the_configured_spelling() {
        let base = config(&[
            ("url", Value::string(format!("{URL}/"))),
            ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
            ("tags", Value::string_map([("Name", "x")])),
        ]);
        let state = state_from(&observed(), &base);
        assert_eq!(state.get_str("url"), Some(format!("{URL}/").as_str()));
        assert_eq!(state.get("thumbprints"), base.get("thumbprints"));
        assert_eq!(state.get("client_ids"), &Value::string_list(["a", "b"]));
        assert_eq!(state.get("tags"), &Value::string_map([("Name", "x")]));
        assert_eq!(state.get("adopted"), &Value::Bool(false));
        assert_eq!(state.get("tags_all").as_map().map(BTreeMap::len), Some(2));

        // An import knows only the ARN: everything comes from AWS.
        let imported = state_from(&observed(), &config(&[]));
        assert_eq!(imported.get_str("url"), Some(URL));
        assert_eq!(imported.get("thumbprints"), &Value::string_list([THUMB]));
        assert_eq!(imported.get("tags"), &Value::Null);
    }

    #[test]
    fn no_thumbprints_from_iam_are_unset_not_an_empty_list() {
        let mut managed = observed();
        managed.thumbprints.clear();
        assert_eq!(
            state_from(&managed, &config(&[])).get("thumbprints"),
            &Value::Null
        );
    }

    #[test]
    fn an_adopted_provider_shows_what_the_configuration_asked_for() {
        let base = config(&[
            ("adopted", Value::Bool(true)),
            ("client_ids", Value::string_list(["a"])),
            ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
        ]);
        let state = state_from(&observed(), &base);
        // The other team's client id `b` is kept in IAM, not shown here.
        assert_eq!(state.get("client_ids"), &Value::string_list(["a"]));
        assert_eq!(state.get("thumbprints"), base.get("thumbprints"));
        // One it lacks drops out, so the plan adds it.
        let mut wants_more = base.clone();
        wants_more.set("client_ids", Value::string_list(["a", "c"]));
        assert_eq!(
            state_from(&observed(), &wants_more).get("client_ids"),
            &Value::string_list(["a"])
        );
    }

    #[test]
    fn an_adopted_provider_gets_only_the_resources_own_tags() {
        let planned = config(&[
            ("client_ids", Value::string_list(["sts.amazonaws.com"])),
            ("tags", Value::string_map([("b", "2")])),
        ]);
        let defaults = BTreeMap::from([("a".to_string(), "1".to_string())]);
        assert_eq!(spec_from(&planned, &defaults, false).tags.len(), 2);
        let adopted = spec_from(&planned, &defaults, true);
        assert_eq!(
            adopted.tags,
            BTreeMap::from([("b".to_string(), "2".to_string())])
        );
        assert!(adopted.thumbprints.is_none());
    }
}
