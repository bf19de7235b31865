//! Kubernetes-side names and texts the documents ask for, pure and shared by
//! resources, data sources and functions: namespace and service account
//! names, the cluster tag key (seed 001) and the annotated ServiceAccount
//! manifest (seed 003).

use crate::validate::{is_dns1123_label, is_dns1123_subdomain};

/// The prefix of the cluster tag key [001: "Configure the ClusterID"].
pub const CLUSTER_TAG_PREFIX: &str = "kubernetes.io/cluster/";
/// EC2 tag keys have at most 128 characters.
pub const MAX_CLUSTER_ID: usize = 128 - CLUSTER_TAG_PREFIX.len();
/// The annotation that ties a ServiceAccount to an IAM role (IRSA).
pub const ROLE_ARN_ANNOTATION: &str = "eks.amazonaws.com/role-arn";

/// `kubernetes.io/cluster/<cluster_id>`.
pub fn cluster_tag_key(cluster_id: &str) -> String {
    format!("{CLUSTER_TAG_PREFIX}{cluster_id}")
}

/// Why `id` cannot be a cluster id, if it cannot: the tag key it makes must
/// be a valid EC2 tag key.
pub fn check_cluster_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_CLUSTER_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:=+@".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`cluster_id` must be 1 to {MAX_CLUSTER_ID} letters, digits or `-_.:=+@`, so that \
             `{CLUSTER_TAG_PREFIX}<cluster_id>` is a valid EC2 tag key of at most 128 characters; got `{id}`"
        ))
    }
}

/// Why `name` cannot be a namespace, if it cannot.
pub fn check_namespace(name: &str) -> Result<(), String> {
    let rule = "`namespace` must be a Kubernetes namespace name: Kubernetes checks \
                namespace names as DNS-1123 labels, at most 63 lower-case letters, digits and \
                '-', starting and ending with a letter or digit";
    check_name(is_dns1123_label(name), rule, name)
}

/// Why `name` cannot be a service account name, if it cannot.
pub fn check_service_account(name: &str) -> Result<(), String> {
    let rule = "`service_account` must be a Kubernetes service account name: Kubernetes \
                checks ServiceAccount names as DNS-1123 subdomains, at most 253 lower-case \
                letters, digits, '-' and '.', starting and ending with a letter or digit";
    check_name(is_dns1123_subdomain(name), rule, name)
}

/// `rule` and the name it was given, unless the name is `valid`.
fn check_name(valid: bool, rule: &str, name: &str) -> Result<(), String> {
    if valid {
        Ok(())
    } else {
        Err(format!("{rule}; got `{name}`"))
    }
}

/// The SA.yaml of the Torque documentation [003], with the role ARN filled in.
/// Every value is a double-quoted scalar: a JSON string literal is one in
/// YAML too (JSON's escapes are a subset of YAML's), so whatever the values
/// hold, the manifest stays one document with exactly these keys.
pub fn service_account_manifest(namespace: &str, service_account: &str, role_arn: &str) -> String {
    let quoted = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    {ROLE_ARN_ANNOTATION}: {}\n  name: {}\n  namespace: {}\n",
        quoted(role_arn),
        quoted(service_account),
        quoted(namespace)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_ids_make_valid_tag_keys() {
        assert!(check_cluster_id("my-cluster").is_ok());
        assert!(check_cluster_id("c-abc12:prod_1.x@y=z+w").is_ok());
        assert!(check_cluster_id(&"a".repeat(106)).is_ok());
        assert_eq!(cluster_tag_key(&"a".repeat(106)).len(), 128);
        assert_eq!(cluster_tag_key("c"), "kubernetes.io/cluster/c");
        for bad in ["", "my cluster", "a/b", "a*", "é", &"a".repeat(107)] {
            let err = check_cluster_id(bad).unwrap_err();
            assert!(err.contains("`cluster_id`") && err.contains(&format!("got `{bad}`")));
        }
    }

    #[test]
    fn namespaces_and_service_accounts() {
        assert!(check_namespace("torque-envs").is_ok());
        assert!(check_service_account("torque.runner").is_ok());
        assert!(
            check_namespace("Torque_Envs")
                .unwrap_err()
                .starts_with("`namespace` must be a Kubernetes namespace name")
        );
        assert!(
            check_service_account("a..b")
                .unwrap_err()
                .starts_with("`service_account` must be a Kubernetes service account name")
        );
    }

    #[test]
    fn manifest_is_the_documented_service_account() {
        let yaml = service_account_manifest(
            "torque-envs",
            "torque-runner",
            "arn:aws:iam::123456789012:role/torque",
        );
        assert_eq!(
            yaml,
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: \"arn:aws:iam::123456789012:role/torque\"\n  name: \"torque-runner\"\n  namespace: \"torque-envs\"\n"
        );
        // Whatever a value holds, it stays inside its quotes.
        let yaml = service_account_manifest("ns", "sa", "x\"\n---\nkind: Secret\\");
        assert!(
            yaml.contains(r#"role-arn: "x\"\n---\nkind: Secret\\""#),
            "{yaml}"
        );
        assert_eq!(yaml.lines().count(), 7, "{yaml}");
    }
}
