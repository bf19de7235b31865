//! Where the SDK sends its signed requests, and with them the credentials
//! `assume_role` gets back: over TLS, or in plain HTTP only to this machine
//! (a local emulator), unless the user allows plain HTTP elsewhere.

use aws_config::SdkConfig;
use aws_types::service_config::ServiceConfigKey;
use url::Host;

/// Endpoints set in the provider block, one per service.
#[derive(Clone, Debug, Default)]
pub struct Endpoints {
    pub iam: Option<String>,
    pub sts: Option<String>,
    pub ec2: Option<String>,
    pub eks: Option<String>,
}

/// An endpoint that would carry credentials in plain HTTP to another
/// machine; `setting` says where it was set.
#[derive(Debug)]
pub struct PlainHttpEndpoint {
    pub setting: String,
    pub url: String,
}

/// The services the provider calls: the provider block's name and the SDK's
/// service id (which names `AWS_ENDPOINT_URL_<ID>` and the shared config's
/// `services` sections).
const SERVICES: [(&str, &str); 4] = [
    ("iam", "IAM"),
    ("sts", "STS"),
    ("ec2", "EC2"),
    ("eks", "EKS"),
];

/// Whether requests to `url` would leave this machine unencrypted: `http://`
/// to anything but a loopback address (127.0.0.0/8, ::1, `localhost`).
pub fn is_plain_http_to_another_host(url: &str) -> bool {
    let is_http = url
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
    if !is_http {
        return false;
    }
    match url::Url::parse(url).ok().as_ref().and_then(url::Url::host) {
        Some(Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(Host::Ipv6(ip)) => !ip.is_loopback(),
        Some(Host::Domain(name)) => !name.eq_ignore_ascii_case("localhost"),
        // Unparsable: refuse rather than guess where it would go.
        None => true,
    }
}

/// The remedy shared by every refusal of a plain-HTTP endpoint.
pub const PLAIN_HTTP_REMEDY: &str = "Use an https:// URL. Plain HTTP is allowed only to loopback \
     addresses (127.0.0.0/8, ::1, localhost), such as a local emulator. To send requests over plain \
     HTTP to another host anyway (a test network, a proxy you trust), set \
     `allow_http_endpoints = true` in the provider block.";

/// Refuses, before any request is made, an endpoint that would carry
/// credentials in plain HTTP to another machine: from the provider block,
/// the `AWS_ENDPOINT_URL*` environment variables or the shared config file.
pub(super) fn check(explicit: &Endpoints, config: &SdkConfig) -> Result<(), PlainHttpEndpoint> {
    for (name, url) in [
        ("iam", &explicit.iam),
        ("sts", &explicit.sts),
        ("ec2", &explicit.ec2),
        ("eks", &explicit.eks),
    ] {
        if let Some(url) = url.as_deref().filter(|u| is_plain_http_to_another_host(u)) {
            return Err(PlainHttpEndpoint {
                setting: format!("endpoints.{name}"),
                url: url.to_string(),
            });
        }
    }
    match configured_outside(config)
        .into_iter()
        .find(|(_, url)| is_plain_http_to_another_host(url))
    {
        Some((setting, url)) => Err(PlainHttpEndpoint { setting, url }),
        None => Ok(()),
    }
}

/// The endpoints the SDK resolves from the environment and the shared config
/// file, as (where it was set, URL). Resolved the way the SDK's clients do,
/// so that nothing they would use escapes the check. The SDK's own
/// credential providers (a profile's `role_arn`, SSO) use the same settings.
fn configured_outside(config: &SdkConfig) -> Vec<(String, String)> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let source = |url: &str, service_variable: Option<&str>| {
        if let Some(variable) = service_variable
            && env(variable).as_deref() == Some(url)
        {
            return format!("the `{variable}` environment variable");
        }
        if env("AWS_ENDPOINT_URL").as_deref() == Some(url) {
            "the `AWS_ENDPOINT_URL` environment variable".to_string()
        } else {
            "the shared config file's `endpoint_url`".to_string()
        }
    };
    let mut found = Vec::new();
    if let Some(url) = config.endpoint_url() {
        found.push((source(url, None), url.to_string()));
    }
    if let Some(services) = config.service_config() {
        for (_, id) in SERVICES {
            let key = ServiceConfigKey::builder()
                .service_id(id)
                .env("AWS_ENDPOINT_URL")
                .profile("endpoint_url")
                .build();
            if let Some(url) = key.ok().and_then(|key| services.load_config(key)) {
                let variable = format!("AWS_ENDPOINT_URL_{id}");
                found.push((source(&url, Some(&variable)), url));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::is_plain_http_to_another_host as plain_remote;

    #[test]
    fn plain_http_only_to_loopback() {
        for url in [
            "https://iam.amazonaws.com",
            "https://10.0.0.5:4566",
            "http://127.0.0.1:5000",
            "http://127.8.9.10/",
            "HTTP://LOCALHOST:4566",
            "http://localhost",
            "http://[::1]:5000/",
        ] {
            assert!(!plain_remote(url), "{url} should be allowed");
        }
        for url in [
            "http://10.0.0.5:4566",
            "http://iam.amazonaws.com",
            "http://localhost.example.com",
            "http://localhost.:5000",
            "http://127.0.0.1.nip.io",
            // The host is what follows the userinfo.
            "http://127.0.0.1@evil.example.com/",
            "http://[::2]/",
            "http://[::ffff:127.0.0.1]/",
            "http://",
        ] {
            assert!(plain_remote(url), "{url} should be refused");
        }
    }
}
