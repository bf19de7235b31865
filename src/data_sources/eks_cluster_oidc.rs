//! `clusteriam_eks_cluster_oidc`: an EKS cluster's OIDC issuer and the IAM
//! OIDC provider ARN it has (or would have) in this account — the first
//! steps of seeds 000 and 003.

use async_trait::async_trait;

use crate::arn::OidcProviderArn;
use crate::clients::Clients;
use crate::tfplugin::{
    Attribute, Block, DataReadRequest, DataReadResponse, DataSource, Diagnostics, Schema, Type,
    Value,
};
use crate::validate::check_attr;

pub struct EksClusterOidc;

#[async_trait]
impl DataSource<Clients> for EksClusterOidc {
    fn schema(&self) -> Schema {
        Block::new(
            "Looks up an EKS cluster's OIDC issuer, as `aws eks describe-cluster --query \
             cluster.identity.oidc.issuer` does, and tells whether this account already has an \
             IAM OIDC provider for it.",
        )
        .attribute(Attribute::required_string("cluster_name", "The name of the EKS cluster in the provider's region."))
        .attribute(Attribute::computed_string("issuer_url", "The cluster's OIDC issuer URL, e.g. `https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`."))
        .attribute(Attribute::computed_string("issuer_host", "The issuer without its scheme, as IAM trust policy condition keys use it."))
        .attribute(Attribute::computed_string("oidc_provider_arn", "The ARN the IAM OIDC provider for this issuer has, or would have, in the provider's account."))
        .attribute(Attribute::computed("oidc_provider_exists", Type::Bool, "Whether that IAM OIDC provider exists in the provider's account (seed 003 asks to check before creating one)."))
        .into_schema(0)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_attr(config, "cluster_name", diags, |name| {
            let ok = (1..=100).contains(&name.len())
                && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "`cluster_name` must be an EKS cluster name (1-100 letters, digits, '-' and '_', starting with a letter or digit); got `{name}`"
                ))
            }
        });
    }

    async fn read(&self, req: DataReadRequest<'_, Clients>, resp: &mut DataReadResponse) {
        resp.state = read(req.client, req.config, &mut resp.diagnostics).await;
    }

    fn type_name(&self) -> &'static str {
        "clusteriam_eks_cluster_oidc"
    }
}

/// The data source's state for `config`; null after an error.
async fn read(clients: &Clients, config: &Value, diags: &mut Diagnostics) -> Value {
    let aws = &clients.aws;
    let Some(name) = config.get_str("cluster_name") else {
        return Value::Null;
    };
    let issuer = match aws.eks_cluster_issuer(name).await {
        Ok(Some(Some(issuer))) => issuer,
        Ok(Some(None)) => {
            diags.attribute_error(
                "cluster_name",
                format!("reading EKS cluster (`{name}`)"),
                "The cluster has no OIDC issuer. Only EKS clusters (not connected clusters) have one.",
            );
            return Value::Null;
        }
        Ok(None) => {
            diags.attribute_error(
                "cluster_name",
                format!("reading EKS cluster (`{name}`)"),
                format!("ResourceNotFoundException: no cluster `{name}` in region {}. Check the name and the provider's `region`.", aws.region),
            );
            return Value::Null;
        }
        Err(e) => {
            diags.error(format!("reading EKS cluster (`{name}`)"), e.detail());
            return Value::Null;
        }
    };
    let Some(account) = aws.account_id.as_deref() else {
        diags.error(
            "Caller account unknown",
            "The OIDC provider ARN needs the caller's account, which is unknown because \
             `skip_credentials_validation` is set. Remove that setting.",
        );
        return Value::Null;
    };
    let provider_arn = match OidcProviderArn::for_issuer(&aws.partition, account, &issuer) {
        Ok(arn) => arn,
        Err(e) => {
            diags.error(
                format!("reading EKS cluster (`{name}`)"),
                format!("unexpected issuer `{issuer}`: {e}"),
            );
            return Value::Null;
        }
    };
    let exists = match aws
        .oidc_provider(provider_arn.arn())
        .await
        .map(|p| p.is_some())
    {
        Ok(exists) => exists,
        Err(e) => {
            diags.error(
                format!("reading IAM OIDC provider (`{}`)", provider_arn.arn()),
                e.detail(),
            );
            return Value::Null;
        }
    };
    let mut state = config.clone();
    state.set("issuer_url", Value::string(issuer));
    state.set("issuer_host", Value::string(provider_arn.issuer()));
    state.set("oidc_provider_arn", Value::string(provider_arn.arn()));
    state.set("oidc_provider_exists", Value::Bool(exists));
    state
}
