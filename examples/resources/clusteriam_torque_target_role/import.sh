# A target role is imported by its role name; the master role's ARN and the
# external id are read from its trust policy.
terraform import clusteriam_torque_target_role.this torque-target
