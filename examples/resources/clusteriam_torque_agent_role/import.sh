# A Torque agent role is imported by its role name.
terraform import clusteriam_torque_agent_role.agent torque-agent
