//! What every role-shaped resource shares: the common attributes (`name`,
//! `name_prefix`, `path`, ...), planning, and the mapping to and from the
//! role engine. A platform resource is a [`RoleKind`]: its own attributes and
//! documents, nothing else.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;

use super::{
    limits, merged_tags, ownership_mark, plan_tags_all, tag_attributes, tags_after_read,
    tags_for_import, unique_name, validate_tags,
};
use crate::aws::{Aws, ObservedRole, Profiles};
use crate::engine::{self, RoleSpec};
use crate::policy::equivalent;
use crate::policy::limits::Measure;
use crate::provider::Clients;
use crate::tfplugin::{
    Attribute, AttributePath, Block, Ctx, Diagnostics, Mode, Plan, Resource, Schema, Type, Value,
};
use crate::validate::{check_attr, is_iam_name, is_iam_path};

/// One platform's role: its attributes and documents.
pub trait RoleKind: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    /// The resource's description (a full sentence or more).
    fn description(&self) -> &'static str;
    /// The name used when neither `name` nor `name_prefix` is set; None
    /// generates a unique name from `name_prefix_default`.
    fn default_name(&self) -> Option<&'static str> {
        None
    }
    fn name_prefix_default(&self) -> &'static str;
    /// The platform's own attributes, including `policy`.
    fn attributes(&self) -> Vec<Attribute>;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// The trust policy for `input` (the configuration at plan, the planned
    /// state at apply); Ok(None) while an input is unknown.
    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)>;
    /// The name of the role's inline policy.
    fn inline_policy_name(&self, input: &Value) -> Option<String>;
    /// The inline policy, when `policy` is a computed attribute (Ok(None)
    /// while an input is unknown). Kinds whose `policy` the user writes are
    /// never asked.
    fn policy(
        &self,
        _input: &Value,
        _aws: &Aws,
    ) -> Result<Option<String>, (AttributePath, String)> {
        Ok(None)
    }
    /// The attribute holding the managed policy ARNs the role has, if any.
    fn managed_policies_attribute(&self) -> Option<&'static str> {
        None
    }
    /// Whether the role gets an instance profile of its name.
    fn instance_profile(&self) -> bool {
        false
    }
    /// Fills the kind's computed attributes that follow from the rest of
    /// `state`: at plan (`role` None) some may still be unknown; after a read
    /// `role` is what AWS has.
    fn fill_computed(&self, _state: &mut Value, _aws: &Aws, _role: Option<&ObservedRole>) {}
    /// The schema version of the kind's state; raise it with
    /// [`RoleKind::upgrade_state`] when an attribute is added whose absence
    /// in older state means something.
    fn schema_version(&self) -> i64 {
        0
    }
    /// Upgrades stored JSON state from an older schema version.
    fn upgrade_state(
        &self,
        _version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        Ok(state)
    }
    /// After an import (inputs still null), recovers the kind's inputs from
    /// the role; `hint` is what followed `/` in the import id.
    fn import_inputs(
        &self,
        _state: &mut Value,
        _role: &ObservedRole,
        _hint: Option<&str>,
    ) -> Result<(), String> {
        Ok(())
    }
}

pub struct RoleResource<K>(pub K);

const DEFAULT_MAX_SESSION: i64 = 3600;

/// `instance_profile`: whether the kind has an instance profile, which takes
/// the role's path.
fn common_attributes(instance_profile: bool) -> Vec<Attribute> {
    let path_description = if instance_profile {
        "The path of the role and its instance profile, e.g. `/rancher/`. Defaults to `/`. Changing it replaces the role."
    } else {
        "The path of the role, e.g. `/platform/`. Defaults to `/`. Changing it replaces the role."
    };
    let mut attrs = vec![
        Attribute::computed("id", Type::String, "The role name.").stable(),
        Attribute::optional_computed(
            "name",
            Type::String,
            "The role name (1-64 letters, digits and `+=,.@_-`). Conflicts with `name_prefix`. Changing it replaces the role.",
        )
        .requires_replace()
        .stable(),
        Attribute::optional(
            "name_prefix",
            Type::String,
            "Create a unique role name beginning with this prefix, at most 46 characters (IAM's 64 less the 18 of the generated suffix). Conflicts with `name`. Changing it replaces the role.",
        )
        .requires_replace(),
        Attribute::optional_computed("path", Type::String, path_description)
            .requires_replace()
            .default(Value::string("/")),
        Attribute::optional("description", Type::String, "A description of the role."),
        Attribute::optional(
            "permissions_boundary",
            Type::String,
            "The ARN of a managed policy that sets the maximum permissions of the role.",
        ),
        Attribute::optional_computed(
            "max_session_duration",
            Type::Number,
            "The longest session, in seconds, that assuming the role gives: 3600 to 43200. Defaults to 3600.",
        )
        .default(Value::int(DEFAULT_MAX_SESSION)),
        Attribute::computed("arn", Type::String, "The ARN of the role.").stable(),
        Attribute::computed("unique_id", Type::String, "The stable unique id IAM gives the role.").stable(),
        Attribute::computed("assume_role_policy", Type::String, "The role's trust policy, as canonical JSON."),
    ];
    attrs.extend(tag_attributes());
    attrs
}

fn validate_common(config: &Value, diags: &mut Diagnostics) {
    if !config.get("name").is_null() && !config.get("name_prefix").is_null() {
        diags.attribute_error(
            "name_prefix",
            "Conflicting `name` and `name_prefix`",
            "Set `name` for a fixed role name or `name_prefix` for a generated one, not both.",
        );
    }
    check_attr(config, "name", diags, |n| role_name_error(n, 64, "name"));
    check_attr(config, "name_prefix", diags, |n| {
        role_name_error(n, 46, "name_prefix")
    });
    check_attr(config, "path", diags, |p| {
        if is_iam_path(p) {
            Ok(())
        } else {
            Err(format!(
                "`path` must begin and end with `/` and hold only printable ASCII without spaces, at most 512 characters; got `{p}`"
            ))
        }
    });
    check_attr(config, "description", diags, |d| {
        if d.chars().count() <= 1000 {
            Ok(())
        } else {
            Err("`description` must be at most 1000 characters".to_string())
        }
    });
    check_attr(config, "permissions_boundary", diags, |arn| {
        let parsed: Result<crate::arn::Arn, _> = arn.parse();
        match parsed {
            Ok(a) if a.service == "iam" && a.resource.starts_with("policy/") => Ok(()),
            _ => Err(format!(
                "`permissions_boundary` must be the ARN of a managed policy (arn:<partition>:iam::<account>:policy/<name>); got `{arn}`"
            )),
        }
    });
    if let Some(n) = config.get("max_session_duration").as_i64() {
        if !(3600..=43200).contains(&n) {
            diags.attribute_error(
                "max_session_duration",
                "Invalid `max_session_duration`",
                format!("`max_session_duration` must be between 3600 and 43200 seconds; got {n}"),
            );
        }
    }
    validate_tags(config, diags);
}

/// Why `name` is not a valid IAM role name (or prefix), if it is not.
pub fn role_name_error(name: &str, max: usize, attr: &str) -> Result<(), String> {
    if is_iam_name(name, max) {
        Ok(())
    } else {
        Err(format!(
            "`{attr}` must be 1 to {max} letters, digits and `+=,.@_-`; got `{name}`"
        ))
    }
}

/// Keeps the stored text of a document while AWS's is equivalent, so IAM's
/// rewriting never shows as a change; otherwise AWS's text as it was sent
/// (IAM returns what it was given), which after an import is the text the
/// configuration wrote.
fn observed_document(stored: &Value, aws_doc: Option<&String>) -> Value {
    match aws_doc {
        None => Value::Null,
        Some(doc) => match stored.as_str() {
            Some(s) if equivalent(s, doc) => stored.clone(),
            _ => Value::string(doc.trim()),
        },
    }
}

/// A computed document as planned: unknown until its inputs are known; the
/// stored text while it means the same, so a role imported with a person's
/// spelling of the documented JSON (`["ssm.amazonaws.com"]` for
/// `"ssm.amazonaws.com"`) plans no update.
fn keep_equivalent(prior: &Value, attr: &str, wanted: Option<String>) -> Value {
    match (wanted, prior.get_str(attr)) {
        (Some(wanted), Some(stored)) if equivalent(stored, &wanted) => Value::string(stored),
        (Some(wanted), _) => Value::string(wanted),
        (None, _) => Value::Unknown,
    }
}

impl<K: RoleKind> RoleResource<K> {
    /// Whether `policy` is the provider's to compute (rather than the user's to write).
    fn computes_policy(&self) -> bool {
        self.0
            .attributes()
            .iter()
            .any(|a| a.name == "policy" && a.mode == Mode::Computed)
    }

    fn role_arn(aws: &Aws, path: &str, name: &str) -> Option<String> {
        let account = aws.account_id.as_deref()?;
        Some(format!(
            "arn:{}:iam::{account}:role{path}{name}",
            aws.partition
        ))
    }

    /// The spec for a planned state whose values are all known.
    fn spec(&self, planned: &Value, name: &str, clients: &Clients, mark: String) -> RoleSpec {
        let mut inline = BTreeMap::new();
        if let (Some(policy_name), Some(policy)) = (
            self.0.inline_policy_name(planned),
            planned.get_str("policy"),
        ) {
            inline.insert(policy_name, policy.to_string());
        }
        let managed: BTreeSet<String> = self
            .0
            .managed_policies_attribute()
            .map(|attr| planned.get_strings(attr).into_iter().collect())
            .unwrap_or_default();
        RoleSpec {
            name: name.to_string(),
            path: planned.get_str("path").unwrap_or("/").to_string(),
            description: planned.get_str("description").map(str::to_string),
            trust: planned
                .get_str("assume_role_policy")
                .unwrap_or_default()
                .to_string(),
            inline_policies: inline,
            managed_policies: managed,
            instance_profile: self.0.instance_profile(),
            tags: merged_tags(&clients.default_tags, &planned.get_string_map("tags")),
            permissions_boundary: planned.get_str("permissions_boundary").map(str::to_string),
            max_session_duration: planned
                .get("max_session_duration")
                .as_i64()
                .unwrap_or(DEFAULT_MAX_SESSION) as i32,
            mark,
        }
    }

    /// The state for an observed role, keeping stored text where AWS agrees.
    fn state(&self, prior: &Value, role: &ObservedRole, clients: &Clients) -> Value {
        let mut state = prior.clone();
        state.set("id", Value::string(&role.name));
        state.set("name", Value::string(&role.name));
        state.set("path", Value::string(&role.path));
        state.set("arn", Value::string(&role.arn));
        state.set("unique_id", Value::string(&role.unique_id));
        state.set("description", Value::opt_string(role.description.clone()));
        state.set(
            "permissions_boundary",
            Value::opt_string(role.permissions_boundary.clone()),
        );
        state.set(
            "max_session_duration",
            Value::int(i64::from(role.max_session_duration)),
        );
        state.set(
            "assume_role_policy",
            observed_document(prior.get("assume_role_policy"), Some(&role.trust)),
        );
        state.set("tags", tags_after_read(&role.tags, prior.get("tags")));
        // The instance profile carries the role's tags: when its own differ
        // (drift), show them, so the plan puts the role's back.
        let profile_tags = role
            .own_profile
            .as_ref()
            .map(|p| &p.tags)
            .filter(|tags| **tags != role.tags);
        state.set(
            "tags_all",
            Value::string_map(profile_tags.unwrap_or(&role.tags).clone()),
        );
        let policy_name = self.0.inline_policy_name(&state);
        let aws_policy = policy_name
            .as_ref()
            .and_then(|n| role.inline_policies.get(n));
        state.set("policy", observed_document(prior.get("policy"), aws_policy));
        if let Some(attr) = self.0.managed_policies_attribute() {
            // No attachments and none configured stay null, not an empty set.
            let none = role.managed_policies.is_empty() && prior.get(attr).is_null();
            let arns = Value::string_list(role.managed_policies.iter().cloned());
            state.set(attr, if none { Value::Null } else { arns });
        }
        self.0.fill_computed(&mut state, &clients.aws, Some(role));
        state
    }

    /// Reports policy ARNs (the boundary, the attached policies) from another
    /// partition than the caller's, which IAM would refuse only at apply.
    /// Returns whether all are in the caller's partition.
    fn check_partitions(&self, config: &Value, aws: &Aws, diags: &mut Diagnostics) -> bool {
        let mut ok = true;
        let mut check = |attr: &str, arn: &str, what: String| {
            if let Ok(parsed) = arn.parse::<crate::arn::Arn>()
                && parsed.partition != aws.partition
            {
                diags.attribute_error(
                    attr,
                    format!("Invalid `{attr}`"),
                    format!(
                        "{what} is in partition `{}`, but the provider works in `{}`; use the \
                         ARN of the policy in `{}`",
                        parsed.partition, aws.partition, aws.partition
                    ),
                );
                ok = false;
            }
        };
        if let Some(arn) = config.get_str("permissions_boundary") {
            check(
                "permissions_boundary",
                arn,
                "`permissions_boundary`".to_string(),
            );
        }
        if let Some(attr) = self.0.managed_policies_attribute() {
            for arn in config.get_strings(attr) {
                check(attr, &arn, format!("`{arn}` in `{attr}`"));
            }
        }
        ok
    }

    /// What IAM will count of the role `state` describes (see [`limits`]).
    fn limit_measures(&self, state: &Value, clients: &Clients) -> Vec<Measure> {
        limits::role_measures(
            state,
            self.0.managed_policies_attribute(),
            self.computes_policy(),
            &clients.default_tags,
        )
    }

    fn profiles(&self) -> Profiles {
        Profiles::for_role_owning_profile(self.0.instance_profile())
    }

    fn report(diags: &mut Diagnostics, failure: &engine::Failure, name: &str) {
        diags.error(
            format!("{} (`{name}`)", failure.step),
            failure.error.detail(),
        );
    }
}

#[async_trait]
impl<K: RoleKind> Resource<Clients> for RoleResource<K> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        Schema::new(
            self.0.schema_version(),
            Block::new(self.0.description())
                .attributes(common_attributes(self.0.instance_profile()))
                .attributes(self.0.attributes()),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_common(config, diags);
        self.0.validate(config, diags);
    }

    fn upgrade_state(
        &self,
        version: i64,
        state: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.0.upgrade_state(version, state)
    }

    async fn plan(&self, ctx: &Ctx<Clients>, plan: &mut Plan<'_>, diags: &mut Diagnostics) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let aws = &clients.aws;
        if plan.is_create()
            && plan.config.get("name").is_null()
            && plan.config.get("name_prefix").is_null()
        {
            if let Some(default) = self.0.default_name() {
                plan.planned.set("name", Value::string(default));
            }
        }
        if plan.is_create() {
            let name = plan.planned.get_str("name").map(str::to_string);
            let path = plan.planned.get_str("path").map(str::to_string);
            let arn = match (name.as_deref(), path.as_deref()) {
                (Some(n), Some(p)) => {
                    Self::role_arn(aws, p, n).map_or(Value::Unknown, Value::string)
                }
                _ => Value::Unknown,
            };
            plan.planned
                .set("id", name.map_or(Value::Unknown, Value::string));
            plan.planned.set("arn", arn);
        }
        plan_tags_all(plan, &clients.default_tags);
        if !self.check_partitions(plan.config, aws, diags) {
            return;
        }
        match self.0.trust(plan.config, aws) {
            Ok(trust) => plan.planned.set(
                "assume_role_policy",
                keep_equivalent(plan.prior, "assume_role_policy", trust),
            ),
            Err((path, message)) => {
                return diags.attribute_error(path.clone(), format!("Invalid `{path}`"), message);
            }
        }
        // A policy the user writes stands as configured, except that one
        // meaning what the state holds keeps the state's text: rewriting
        // `"s3:GetObject"` as `["s3:GetObject"]` changes nothing in IAM.
        if !self.computes_policy()
            && let (Some(config), Some(prior)) =
                (plan.config.get_str("policy"), plan.prior.get_str("policy"))
            && config != prior
            && equivalent(config, prior)
        {
            plan.planned.set("policy", Value::string(prior));
        }
        // A computed policy is planned here.
        if self.computes_policy() {
            match self.0.policy(plan.config, aws) {
                Ok(policy) => plan
                    .planned
                    .set("policy", keep_equivalent(plan.prior, "policy", policy)),
                Err((path, message)) => {
                    return diags.attribute_error(
                        path.clone(),
                        format!("Invalid `{path}`"),
                        message,
                    );
                }
            }
        }
        let mut planned = std::mem::take(&mut plan.planned);
        self.0.fill_computed(&mut planned, aws, None);
        plan.planned = planned;
        limits::check(aws, &self.limit_measures(&plan.planned, clients), diags).await;
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
        let name = match planned.get_str("name") {
            Some(n) => n.to_string(),
            None => unique_name(
                planned
                    .get_str("name_prefix")
                    .unwrap_or(self.0.name_prefix_default()),
            ),
        };
        // What was unknown at plan is known now: create nothing IAM would refuse.
        if !limits::check_before_write(aws, &self.limit_measures(planned, clients), diags).await {
            return Value::Null;
        }
        match aws.get_role_only(&name).await {
            Ok(None) => {}
            Ok(Some(existing)) => {
                diags.attribute_error(
                    "name",
                    format!("creating IAM role (`{name}`)"),
                    already_exists_detail(&name, existing.mark.is_some()),
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(format!("reading IAM role (`{name}`)"), e.detail());
                return Value::Null;
            }
        }
        // A new resource gets a new mark, whatever an earlier private state held.
        private.clear();
        let mark = ownership_mark(private);
        let spec = self.spec(planned, &name, clients, mark);
        match engine::converge(aws, &spec, None, &ctx.cancel).await {
            Ok(role) => self.state(planned, &role, clients),
            Err(failure) => {
                Self::report(diags, &failure, &name);
                // Save what exists so the next apply converges from it.
                failure
                    .observed
                    .map_or(Value::Null, |role| self.state(planned, &role, clients))
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<Clients>,
        state: &Value,
        _: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return state.clone();
        };
        let Some(name) = state.get_str("name").or(state.get_str("id")) else {
            return Value::Null;
        };
        match clients.aws.get_role_observing(name, self.profiles()).await {
            Ok(Some(role)) => {
                let mut prior = state.clone();
                if let Err(e) = self.0.import_inputs(&mut prior, &role, None) {
                    diags.error(format!("importing IAM role (`{name}`)"), e);
                }
                self.state(&prior, &role, clients)
            }
            Ok(None) => Value::Null,
            Err(e) => {
                diags.error(format!("reading IAM role (`{name}`)"), e.detail());
                state.clone()
            }
        }
    }

    async fn update(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return prior.clone();
        };
        let aws = &clients.aws;
        let name = planned.get_str("name").unwrap_or_default().to_string();
        if !limits::check_before_write(aws, &self.limit_measures(planned, clients), diags).await {
            return prior.clone();
        }
        let observed = match aws.get_role_observing(&name, self.profiles()).await {
            Ok(observed) => observed,
            Err(e) => {
                diags.error(format!("reading IAM role (`{name}`)"), e.detail());
                return prior.clone();
            }
        };
        let spec = self.spec(planned, &name, clients, ownership_mark(private));
        match engine::converge(aws, &spec, observed.as_ref(), &ctx.cancel).await {
            Ok(role) => self.state(planned, &role, clients),
            Err(failure) => {
                Self::report(diags, &failure, &name);
                failure
                    .observed
                    .map_or(Value::Null, |role| self.state(prior, &role, clients))
            }
        }
    }

    async fn delete(&self, ctx: &Ctx<Clients>, prior: &Value, _: &[u8], diags: &mut Diagnostics) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let Some(name) = prior.get_str("name") else {
            return;
        };
        let profile = self.0.instance_profile().then_some(name);
        if let Err(failure) = engine::destroy(&clients.aws, name, profile).await {
            Self::report(diags, &failure, name);
        }
    }

    async fn import(&self, ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let (name, hint) = match id.split_once('/') {
            Some((name, hint)) => (name, Some(hint)),
            None => (id, None),
        };
        if let Err(e) = role_name_error(name, 64, "id") {
            diags.error(
                "Invalid import id",
                format!("{e}. Import a role by its name."),
            );
            return Value::Null;
        }
        let role = match clients.aws.get_role_observing(name, self.profiles()).await {
            Ok(Some(role)) => role,
            Ok(None) => {
                diags.error(
                    format!("importing IAM role (`{name}`)"),
                    format!("NoSuchEntity: there is no role named {name}."),
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(format!("importing IAM role (`{name}`)"), e.detail());
                return Value::Null;
            }
        };
        let mut state = Value::Map(
            self.schema()
                .block
                .attributes
                .iter()
                .map(|a| (a.name.to_string(), Value::Null))
                .collect(),
        );
        if let Err(e) = self.0.import_inputs(&mut state, &role, hint) {
            diags.error(format!("importing IAM role (`{name}`)"), e);
            return Value::Null;
        }
        state.set("tags", tags_for_import(&role.tags, &clients.default_tags));
        self.state(&state, &role, clients)
    }
}

/// Why a role can't be created under a name that is taken, and what to do.
/// A role this provider made (it carries an ownership mark) is most often
/// this very resource being replaced with `create_before_destroy`.
pub fn already_exists_detail(name: &str, made_by_clusteriam: bool) -> String {
    let replacing = if made_by_clusteriam {
        format!(
            " It was created by terraform-provider-clusteriam: if this resource is being replaced \
             with `lifecycle {{ create_before_destroy = true }}`, a fixed `name` cannot exist twice, \
             so use `name_prefix` instead of `name` for a generated unique name."
        )
    } else {
        String::new()
    };
    format!(
        "EntityAlreadyExists: a role named {name} already exists.{replacing} To manage an existing \
         role with this resource instead, import it: `terraform import <address> {name}`, with \
         this resource's address shown below (or an `import {{ to = <address>, id = \"{name}\" }}` \
         block). Otherwise choose another name."
    )
}
