# `terraform test` with the clusteriam provider mocked: nothing is created and
# no credentials are needed.
#
# A mocked provider makes up every computed value as a random string. The
# role resources check that `oidc_provider_arn` is an OIDC provider ARN, so a
# random `arn` from a mocked `clusteriam_oidc_provider` fails the plan of the
# role that uses it ("`oidc_provider_arn` must be the ARN of an IAM OIDC
# provider"). Give the mocked resources ARNs of the real shape as defaults.
mock_provider "clusteriam" {
  mock_resource "clusteriam_oidc_provider" {
    defaults = {
      arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    }
  }
  mock_resource "clusteriam_torque_agent_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/torque-agent"
    }
  }
}

variables {
  issuer_url = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
}

run "agent_role_trusts_the_cluster_provider" {
  assert {
    condition     = clusteriam_torque_agent_role.agent.oidc_provider_arn == clusteriam_oidc_provider.cluster.arn
    error_message = "The agent role must trust the cluster's OIDC provider."
  }
  assert {
    condition     = output.role_arn == "arn:aws:iam::123456789012:role/torque-agent"
    error_message = "The output is the role's ARN."
  }
}

run "namespace_must_be_a_torque_namespace" {
  command = plan
  variables {
    namespace = "default"
  }
  expect_failures = [var.namespace]
}
