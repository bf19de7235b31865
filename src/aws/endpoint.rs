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
/// machine; `setting` says where it was set, `proxy` the proxy on another
/// machine that would carry it, if that is the way out.
#[derive(Debug)]
pub struct PlainHttpEndpoint {
    pub setting: String,
    pub url: String,
    pub proxy: Option<ProxyInUse>,
}

/// A proxy from the environment, as the SDK's HTTP client picks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyInUse {
    /// The variable that names it (`HTTP_PROXY`, `ALL_PROXY`, ...).
    pub variable: &'static str,
    /// `scheme://host:port`, without any user or password the URL holds.
    pub address: String,
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

/// The proxy the environment's proxy settings (`HTTP_PROXY`, `ALL_PROXY`,
/// `NO_PROXY`, in either case) would send a plain-HTTP request to `url`
/// through, when it is on another machine. Decided by the matcher the SDK's
/// HTTP client itself uses, so that no request escapes the check.
pub fn remote_proxy_for(url: &str) -> Option<ProxyInUse> {
    let uri: http::Uri = url.parse().ok()?;
    if uri.scheme_str() != Some("http") {
        return None;
    }
    let proxy = hyper_util::client::proxy::matcher::Matcher::from_env().intercept(&uri)?;
    let proxy = proxy.uri();
    let address = format!(
        "{}://{}{}",
        proxy.scheme_str().unwrap_or("http"),
        proxy.host().unwrap_or_default(),
        proxy.port().map(|p| format!(":{p}")).unwrap_or_default()
    );
    let on_this_machine =
        !is_plain_http_to_another_host(&format!("http://{}", proxy.host().unwrap_or_default()));
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let variable = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .into_iter()
        .find(|name| env(name).is_some())
        .unwrap_or("HTTP_PROXY");
    (!on_this_machine).then_some(ProxyInUse { variable, address })
}

/// The remedy for a plain-HTTP endpoint that a proxy would carry elsewhere.
pub const PROXY_REMEDY: &str = "Add the endpoint's host to `NO_PROXY` (e.g.      `NO_PROXY=127.0.0.1,localhost`) so that requests to this machine go to it directly, or use an      https:// endpoint. To send plain HTTP through the proxy anyway, set `allow_http_endpoints =      true` in the provider block.";

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
                proxy: None,
            });
        }
    }
    let outside = configured_outside(config);
    if let Some((setting, url)) = outside
        .iter()
        .find(|(_, url)| is_plain_http_to_another_host(url))
    {
        return Err(PlainHttpEndpoint {
            setting: setting.clone(),
            url: url.clone(),
            proxy: None,
        });
    }
    // A loopback endpoint is this machine only if nothing carries its
    // requests elsewhere: a proxy on another machine would read them.
    let explicit = [
        ("iam", &explicit.iam),
        ("sts", &explicit.sts),
        ("ec2", &explicit.ec2),
        ("eks", &explicit.eks),
    ]
    .into_iter()
    .filter_map(|(name, url)| Some((format!("endpoints.{name}"), url.clone()?)));
    for (setting, url) in explicit.chain(outside) {
        if let Some(proxy) = remote_proxy_for(&url) {
            return Err(PlainHttpEndpoint {
                setting,
                url,
                proxy: Some(proxy),
            });
        }
    }
    Ok(())
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
