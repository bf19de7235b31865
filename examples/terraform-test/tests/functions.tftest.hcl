# Run with `terraform test`: the provider is mocked, yet its functions run.
mock_provider "clusteriam" {}

run "documents" {
  command = plan

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    error_message = "The OIDC provider ARN is built from the issuer."
  }

  assert {
    condition     = jsondecode(output.trust).Statement[0].Condition.StringEquals["oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"] == "system:serviceaccount:torque-envs:torque-runner"
    error_message = "The trust admits exactly the agent's service account."
  }

  assert {
    condition     = jsondecode(output.trust).Statement[0].Condition.StringEquals["oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"] == "sts.amazonaws.com"
    error_message = "The trust checks the audience."
  }

  assert {
    condition     = contains(jsondecode(output.kkp_policy).Statement[0].Action, "iam:TagInstanceProfile")
    error_message = "The current KKP policy lets KKP tag instance profiles."
  }

  assert {
    condition     = length(provider::clusteriam::validate_policy(output.kkp_policy).errors) == 0 && length(provider::clusteriam::validate_policy(output.kkp_policy).warnings) == 0
    error_message = "The documented KKP policy passes the provider's policy checks."
  }

  assert {
    condition     = output.cluster_tag_key == "kubernetes.io/cluster/prod"
    error_message = "The cluster tag key names the cluster."
  }

  assert {
    condition     = strcontains(output.service_account_yaml, "eks.amazonaws.com/role-arn: \"arn:aws:iam::111122223333:role/torque-agent\"")
    error_message = "The ServiceAccount carries the role ARN."
  }

  assert {
    condition     = clusteriam_torque_agent_role.agent.oidc_provider_arn == output.oidc_provider_arn
    error_message = "The role trusts the cluster's OIDC provider."
  }
}

run "another_cluster" {
  command = plan

  variables {
    cluster_id = "staging"
  }

  assert {
    condition     = output.cluster_tag_key == "kubernetes.io/cluster/staging"
    error_message = "The cluster tag key follows the variable."
  }
}

run "misspelt_policy" {
  command = plan

  variables {
    agent_policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjet\", \"Resource\": \"*\"}]}"
  }

  # The variable's validation refuses it, with validate_policy's message.
  expect_failures = [var.agent_policy]
}
