//! `clusteriam_eks_cluster_oidc`: an EKS cluster's OIDC issuer and the IAM
//! OIDC provider ARN it has (or would have) in this account — the first
//! steps of seeds 000 and 003.

use async_trait::async_trait;

use crate::arn::OidcProviderArn;
use crate::clients::Clients;
use crate::model;
use crate::tfplugin::{
    Attr, Attribute, Block, DataReadRequest, DataReadResponse, DataSource, Diagnostics, Model,
    Schema, Type, Value,
};
use crate::validate::check_attr;

pub struct EksClusterOidc;

model! {
    /// The cluster asked for, and what the data source finds.
    struct EksClusterOidcModel {
        cluster_name: Attr<String>,
        issuer_url: Attr<String>,
        issuer_host: Attr<String>,
        oidc_provider_arn: Attr<String>,
        oidc_provider_exists: Attr<bool>,
    }
}

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
        check_attr(config, EksClusterOidcModel::cluster_name, diags, |name| {
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
    let mut model = EksClusterOidcModel::read(config);
    let Some(name) = model.cluster_name.as_deref() else {
        return Value::Null;
    };
    let name_path = EksClusterOidcModel::cluster_name;
    let summary = format!("reading EKS cluster (`{name}`)");
    let issuer = match aws.eks_cluster_issuer(name).await {
        Ok(Some(issuer)) => issuer,
        Ok(None) => {
            diags.attribute_error(
                name_path,
                summary,
                "The cluster has no OIDC issuer. Only EKS clusters (not connected clusters) have one.",
            );
            return Value::Null;
        }
        Err(e) if e.is_not_found() => {
            let remedy = format!(
                "Check the name and the provider's `region` ({}).",
                aws.region
            );
            diags.attribute_error(name_path, summary, format!("{e}\n\n{remedy}"));
            return Value::Null;
        }
        Err(e) => {
            diags.error(summary, e.detail());
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
    model.issuer_host = provider_arn.issuer().into();
    model.oidc_provider_arn = provider_arn.arn().into();
    model.issuer_url = Attr::Known(issuer);
    model.oidc_provider_exists = Attr::Known(exists);
    model.to_value()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfplugin::check_models;

    #[test]
    fn the_model_holds_the_schema() {
        let schema = EksClusterOidc.schema();
        assert_eq!(
            check_models(&schema.block, &[EksClusterOidcModel::fields()]),
            Ok(())
        );
    }
}
