//! `clusteriam_oidc_provider`: the IAM OIDC identity provider for a cluster's
//! issuer (seed 000 step 4, seed 003 steps 2-3). It adopts a provider that
//! already exists for the URL instead of failing, and never deletes one it
//! adopted.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::arn::OidcProviderArn;
use crate::aws::{Aws, AwsError, OidcCreated, OidcProvider as Observed};
use crate::provider::Clients;
use crate::resources::{limits, plan_tags_all, tag_attributes, tags_from_aws, validate_tags};
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Type, Value};
use crate::validate::check_attr;

pub struct OidcProvider;

const TYPE_NAME: &str = "clusteriam_oidc_provider";
const DEFAULT_CLIENT_ID: &str = "sts.amazonaws.com";
const MAX_THUMBPRINTS: usize = 5;
const MAX_CLIENT_IDS: usize = 100;

fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(
            "An IAM OpenID Connect identity provider for a Kubernetes cluster's OIDC issuer, so that \
             IAM roles can trust the cluster's service accounts (IRSA). If a provider for the URL \
             already exists in the account, it is adopted instead of failing, and an adopted \
             provider is left in place on destroy. Thumbprints are optional: when none are given, \
             IAM secures the connection itself and nothing is fetched at plan time.",
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
                 `[\"sts.amazonaws.com\"]`, the audience of IAM roles for service accounts.",
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
                "Whether the provider existed before this resource created it and was adopted. \
                 An adopted provider is left in place when the resource is destroyed.",
            )
            .stable(),
        ),
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
    let host = rest.split('/').next().unwrap_or_default();
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
    if rest.contains(['?', '#']) || rest.chars().any(char::is_whitespace) {
        return Err(format!(
            "`url` must be an issuer URL without query, fragment or spaces; got `{url}`"
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

/// What the planned state asks AWS to hold.
struct Desired {
    client_ids: BTreeSet<String>,
    /// None when IAM manages them (not configured, so unknown at create).
    thumbprints: Option<Vec<String>>,
    tags: BTreeMap<String, String>,
}

impl Desired {
    fn from_planned(planned: &Value) -> Self {
        let thumbprints = match planned.get("thumbprints") {
            Value::List(_) => Some(planned.get_strings("thumbprints")),
            _ => None,
        };
        Desired {
            client_ids: planned.get_strings("client_ids").into_iter().collect(),
            thumbprints,
            tags: planned.get_string_map("tags_all"),
        }
    }
}

/// Thumbprints are hex: compare them without regard to case or order.
fn same_thumbprints(a: &[String], b: &[String]) -> bool {
    let norm = |v: &[String]| -> BTreeSet<String> { v.iter().map(|t| t.to_lowercase()).collect() };
    norm(a) == norm(b)
}

/// A failed AWS call: the error summary and the AWS error.
struct StepError {
    summary: String,
    err: AwsError,
    /// The IAM action the caller needs, for the remedy sentence.
    action: &'static str,
}

impl StepError {
    fn report(self, diags: &mut Diagnostics) {
        diags.error(self.summary, detail(&self.err, self.action));
    }
}

/// The AWS error, then a remedy sentence when there is one.
fn detail(err: &AwsError, action: &str) -> String {
    match err.code.as_deref() {
        Some("AccessDenied" | "AccessDeniedException") => format!(
            "{err}\n\nThe provider's credentials need the `iam:{action}` permission on this OIDC provider."
        ),
        Some("LimitExceeded") => format!(
            "{err}\n\nAn account may hold at most 100 OIDC providers and a provider 100 client ids; \
             remove unused ones."
        ),
        _ => err.to_string(),
    }
}

/// Brings the provider from `observed` to `desired`. Returns whether anything
/// was changed; stops at the first failure.
async fn converge(
    aws: &Aws,
    url: &str,
    observed: &Observed,
    desired: &Desired,
) -> Result<bool, StepError> {
    let arn = observed.arn.as_str();
    let mut changed = false;
    let have: BTreeSet<String> = observed.client_ids.iter().cloned().collect();
    for id in desired.client_ids.difference(&have) {
        aws.add_oidc_client_id(arn, id)
            .await
            .map_err(|err| StepError {
                summary: format!("adding client id `{id}` to IAM OIDC provider (`{url}`)"),
                err,
                action: "AddClientIDToOpenIDConnectProvider",
            })?;
        changed = true;
    }
    for id in have.difference(&desired.client_ids) {
        aws.remove_oidc_client_id(arn, id)
            .await
            .map_err(|err| StepError {
                summary: format!("removing client id `{id}` from IAM OIDC provider (`{url}`)"),
                err,
                action: "RemoveClientIDFromOpenIDConnectProvider",
            })?;
        changed = true;
    }
    if let Some(thumbprints) = &desired.thumbprints
        && !same_thumbprints(thumbprints, &observed.thumbprints)
    {
        aws.set_oidc_thumbprints(arn, thumbprints)
            .await
            .map_err(|err| StepError {
                summary: format!("updating thumbprints of IAM OIDC provider (`{url}`)"),
                err,
                action: "UpdateOpenIDConnectProviderThumbprint",
            })?;
        changed = true;
    }
    // Untag first: IAM tag keys are case-insensitive, so renaming `Env` to
    // `env` must remove the old key before adding the new one.
    let stale: Vec<String> = observed
        .tags
        .keys()
        .filter(|k| !desired.tags.contains_key(*k))
        .cloned()
        .collect();
    if !stale.is_empty() {
        aws.untag_oidc_provider(arn, &stale)
            .await
            .map_err(|err| StepError {
                summary: format!("untagging IAM OIDC provider (`{url}`)"),
                err,
                action: "UntagOpenIDConnectProvider",
            })?;
        changed = true;
    }
    let missing: BTreeMap<String, String> = desired
        .tags
        .iter()
        .filter(|(k, v)| observed.tags.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !missing.is_empty() {
        aws.tag_oidc_provider(arn, &missing)
            .await
            .map_err(|err| StepError {
                summary: format!("tagging IAM OIDC provider (`{url}`)"),
                err,
                action: "TagOpenIDConnectProvider",
            })?;
        changed = true;
    }
    Ok(changed)
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

/// The state for what AWS has, keeping from `base` what AWS reports in
/// another spelling (the URL's scheme, thumbprints' case) and `adopted`.
fn state_from(observed: &Observed, base: &Value, default_tags: &BTreeMap<String, String>) -> Value {
    let mut state = base.clone();
    let url = match base.get_str("url") {
        Some(url) if issuer(url) == issuer(&observed.url) => url.to_string(),
        _ => format!("https://{}", observed.url),
    };
    let client_ids: BTreeSet<&String> = observed.client_ids.iter().collect();
    let thumbprints = match base.get("thumbprints") {
        Value::List(_)
            if same_thumbprints(&base.get_strings("thumbprints"), &observed.thumbprints) =>
        {
            base.get("thumbprints").clone()
        }
        // None from IAM means unset: a configuration can't hold an empty list.
        _ if observed.thumbprints.is_empty() => Value::Null,
        _ => {
            let sorted: BTreeSet<&String> = observed.thumbprints.iter().collect();
            Value::string_list(sorted.into_iter().cloned())
        }
    };
    state.set("id", Value::string(&observed.arn));
    state.set("arn", Value::string(&observed.arn));
    state.set("url", Value::string(url));
    state.set(
        "client_ids",
        Value::string_list(client_ids.into_iter().cloned()),
    );
    state.set("thumbprints", thumbprints);
    state.set(
        "tags",
        tags_from_aws(&observed.tags, default_tags, base.get("tags")),
    );
    state.set("tags_all", Value::string_map(observed.tags.clone()));
    let adopted = base.get("adopted").as_bool().unwrap_or(false);
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
    if state.get("thumbprints").is_unknown() {
        state.set("thumbprints", Value::List(Vec::new()));
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
    let changed = match converge(aws, url, &observed, &Desired::from_planned(planned)).await {
        Ok(changed) => changed,
        Err(step) => {
            step.report(diags);
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
                    detail(&e, "GetOpenIDConnectProvider"),
                );
                return minimal_state(
                    planned,
                    &observed.arn,
                    planned.get("adopted").as_bool().unwrap_or(false),
                );
            }
        }
    } else {
        observed
    };
    state_from(&observed, planned, &clients.default_tags)
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
        plan_tags_all(plan, &clients.default_tags);
        let tags = limits::tags_measure(&plan.planned, &clients.default_tags);
        limits::check(&clients.aws, tags.as_slice(), diags).await;
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        planned: &Value,
        _private: &mut Vec<u8>,
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
        let desired = Desired::from_planned(planned);
        let client_ids: Vec<String> = desired.client_ids.iter().cloned().collect();
        let thumbprints = desired.thumbprints.clone().unwrap_or_default();
        // Send the issuer as IAM names it, so the ARN is the one computed for adoption.
        let created = aws
            .create_oidc_provider(
                &format!("https://{}", issuer(url)),
                &client_ids,
                &thumbprints,
                &desired.tags,
            )
            .await;
        let (arn, adopted) = match created {
            Ok(OidcCreated::New(arn)) => (arn, false),
            Ok(found @ (OidcCreated::AlreadyExists | OidcCreated::CreatedByLostAttempt)) => {
                let adopted = found == OidcCreated::AlreadyExists;
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
                    Ok(arn) => (arn.arn().to_string(), adopted),
                    Err(e) => {
                        diags.error(summary, format!("EntityAlreadyExists: {e}"));
                        return Value::Null;
                    }
                }
            }
            Err(e) => {
                diags.error(summary, detail(&e, "CreateOpenIDConnectProvider"));
                return Value::Null;
            }
        };
        let mut base = planned.clone();
        base.set("adopted", Value::Bool(adopted));
        let observed = match observe_after_write(aws, &arn).await {
            Ok(Some(p)) => p,
            Ok(None) if adopted => {
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
                return minimal_state(planned, &arn, adopted);
            }
            Err(e) => {
                diags.error(summary, detail(&e, "GetOpenIDConnectProvider"));
                return if adopted {
                    Value::Null
                } else {
                    minimal_state(planned, &arn, adopted)
                };
            }
        };
        if adopted {
            diags.warning(
                format!("Adopted existing IAM OIDC provider (`{url}`)"),
                format!(
                    "An OIDC provider for this URL already existed (`{arn}`), so this resource \
                     now manages it (`adopted = true`) and brought its client ids, thumbprints \
                     (when configured) and tags to the configuration. Destroying the resource will \
                     leave the provider in place."
                ),
            );
        }
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
            Ok(Some(observed)) => state_from(&observed, state, &clients.default_tags),
            Err(e) => {
                diags.error(
                    format!("reading IAM OIDC provider (`{arn}`)"),
                    detail(&e, "GetOpenIDConnectProvider"),
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
                diags.error(summary, detail(&e, "GetOpenIDConnectProvider"));
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
        if let Err(e) = clients.aws.delete_oidc_provider(arn).await {
            diags.error(
                format!("deleting IAM OIDC provider (`{url}`)"),
                detail(&e, "DeleteOpenIDConnectProvider"),
            );
        }
    }

    async fn import(&self, _ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        match id.parse::<OidcProviderArn>() {
            Ok(arn) => {
                // Every attribute must be present; `read` fills them in.
                let mut state = Value::Map(
                    schema()
                        .block
                        .attributes
                        .iter()
                        .map(|a| (a.name.to_string(), Value::Null))
                        .collect(),
                );
                state.set("id", Value::string(arn.arn()));
                state.set("arn", Value::string(arn.arn()));
                // An imported provider is managed: destroy deletes it.
                state.set("adopted", Value::Bool(false));
                state
            }
            Err(e) => {
                diags.error(
                    "Invalid import id",
                    format!(
                        "{e}. Import an OIDC provider by its ARN, e.g. `terraform import \
                         {TYPE_NAME}.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE`."
                    ),
                );
                Value::Null
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::merged_tags;

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

    #[test]
    fn state_keeps_the_configured_spelling() {
        let observed = Observed {
            arn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
                .to_string(),
            url: "oidc.eks.us-east-1.amazonaws.com/id/ABC".to_string(),
            client_ids: vec!["b".to_string(), "a".to_string()],
            thumbprints: vec![THUMB.to_string()],
            tags: BTreeMap::from([
                ("team".to_string(), "platform".to_string()),
                ("Name".to_string(), "x".to_string()),
            ]),
        };
        let defaults = BTreeMap::from([("team".to_string(), "platform".to_string())]);
        let base = config(&[
            ("url", Value::string(format!("{URL}/"))),
            ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
            ("tags", Value::string_map([("Name", "x")])),
        ]);
        let state = state_from(&observed, &base, &defaults);
        assert_eq!(state.get_str("url"), Some(format!("{URL}/").as_str()));
        assert_eq!(state.get("thumbprints"), base.get("thumbprints"));
        assert_eq!(state.get("client_ids"), &Value::string_list(["a", "b"]));
        assert_eq!(state.get("tags"), &Value::string_map([("Name", "x")]));
        assert_eq!(state.get("adopted"), &Value::Bool(false));
        assert_eq!(state.get("tags_all").as_map().map(BTreeMap::len), Some(2));

        // An import knows only the ARN: everything comes from AWS.
        let imported = state_from(&observed, &config(&[]), &defaults);
        assert_eq!(imported.get_str("url"), Some(URL));
        assert_eq!(imported.get("thumbprints"), &Value::string_list([THUMB]));
    }

    #[test]
    fn merged_tags_are_what_create_sends() {
        let planned = config(&[(
            "tags_all",
            Value::string_map(merged_tags(
                &BTreeMap::from([("a".to_string(), "1".to_string())]),
                &BTreeMap::from([("b".to_string(), "2".to_string())]),
            )),
        )]);
        let desired = Desired::from_planned(&planned);
        assert_eq!(desired.tags.len(), 2);
        assert!(desired.thumbprints.is_none());
    }
}
