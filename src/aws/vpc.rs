//! VPC DNS attributes.

use aws_sdk_ec2::types::{AttributeBooleanValue, VpcAttributeName};

use super::actions::{EC2_DESCRIBE_VPC_ATTRIBUTE, EC2_MODIFY_VPC_ATTRIBUTE};
use super::call::call;
use super::client::Aws;
use super::error::{AwsError, Found, found};

/// The VPC's DNS settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VpcDns {
    /// `enableDnsSupport`: the Amazon DNS server answers in the VPC.
    pub support: bool,
    /// `enableDnsHostnames`: instances get public DNS hostnames.
    pub hostnames: bool,
}

/// One of the two DNS attributes of a VPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsAttribute {
    Support,
    Hostnames,
}

impl DnsAttribute {
    pub fn api_name(self) -> &'static str {
        match self {
            DnsAttribute::Support => "enableDnsSupport",
            DnsAttribute::Hostnames => "enableDnsHostnames",
        }
    }
}

impl Aws {
    /// EC2's error for a VPC that does not exist, of our own making (a read
    /// answers `None`), with the settings to check.
    pub fn vpc_not_found(&self, vpc_id: &str) -> AwsError {
        AwsError::answered(
            "InvalidVpcID.NotFound",
            format!(
                "the VPC `{vpc_id}` does not exist in region {}. Check `vpc_id` and the \
                 provider's `region`.",
                self.region
            ),
        )
    }

    /// The DNS attributes of a VPC; None when the VPC does not exist.
    pub async fn vpc_dns(&self, vpc_id: &str) -> Found<VpcDns> {
        let Some(support) = self
            .vpc_attribute(vpc_id, VpcAttributeName::EnableDnsSupport)
            .await?
        else {
            return Ok(None);
        };
        let Some(hostnames) = self
            .vpc_attribute(vpc_id, VpcAttributeName::EnableDnsHostnames)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(VpcDns { support, hostnames }))
    }

    async fn vpc_attribute(&self, vpc_id: &str, attribute: VpcAttributeName) -> Found<bool> {
        let result = call(
            &EC2_DESCRIBE_VPC_ATTRIBUTE,
            vpc_id,
            self.ec2
                .describe_vpc_attribute()
                .vpc_id(vpc_id)
                .attribute(attribute.clone())
                .send(),
        )
        .await;
        Ok(found(result)?.map(|out| {
            let value = match attribute {
                VpcAttributeName::EnableDnsSupport => out.enable_dns_support(),
                _ => out.enable_dns_hostnames(),
            };
            value.and_then(|v| v.value()).unwrap_or(false)
        }))
    }

    /// Turns one DNS attribute of a VPC on or off.
    pub async fn set_vpc_dns(
        &self,
        vpc_id: &str,
        attribute: DnsAttribute,
        on: bool,
    ) -> Result<(), AwsError> {
        let value = AttributeBooleanValue::builder().value(on).build();
        let request = self.ec2.modify_vpc_attribute().vpc_id(vpc_id);
        let request = match attribute {
            DnsAttribute::Support => request.enable_dns_support(value),
            DnsAttribute::Hostnames => request.enable_dns_hostnames(value),
        };
        call(&EC2_MODIFY_VPC_ATTRIBUTE, vpc_id, request.send())
            .await
            .map(|_| ())
    }
}
