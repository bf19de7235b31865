//! `cluster_tag_key(cluster_id)`: `kubernetes.io/cluster/<cluster_id>`, with
//! the validation of `clusteriam_cluster_tags`.

use super::StringFunction;
use crate::kubernetes::{check_cluster_id, cluster_tag_key};
use crate::tfplugin::{CallRequest, CallResponse, FunctionError, Parameter, Value};

pub const CLUSTER_TAG_KEY: StringFunction = StringFunction {
    name: "cluster_tag_key",
    summary: "The tag key that marks EC2 resources as a Kubernetes cluster's.",
    description: || {
        "Returns `kubernetes.io/cluster/<cluster_id>`, the tag key Rancher's \
         Amazon cloud provider page asks for on the cluster's nodes, subnet and \
         one security group, as `clusteriam_cluster_tags` computes it in `tag_key`. \
         The cluster id is checked as that resource checks it."
            .into()
    },
    parameters: || {
        vec![Parameter::string(
            "cluster_id",
            "The ClusterID: 1 to 106 letters, digits or `-_.:=+@`, so that the key is a valid EC2 tag key.",
        )]
    },
    call,
};

fn call(request: &CallRequest) -> CallResponse {
    let cluster_id = request.string(0).unwrap_or_default();
    check_cluster_id(cluster_id).map_err(|e| FunctionError::argument(0, e))?;
    Ok(Value::string(cluster_tag_key(cluster_id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::call_with_strings;

    #[test]
    fn key_and_errors() {
        assert_eq!(
            call_with_strings(&CLUSTER_TAG_KEY, &["prod"]),
            Ok(Value::string("kubernetes.io/cluster/prod"))
        );
        let error = call_with_strings(&CLUSTER_TAG_KEY, &[""]).unwrap_err();
        assert_eq!(error.argument, Some(0));
        assert!(
            error.text.starts_with("`cluster_id` must be 1 to 106"),
            "{}",
            error.text
        );
    }
}
