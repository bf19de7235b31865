//! The credentials: the role in `assume_role`, assumed with the base
//! credentials, and what went wrong when none could be had.

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::future::ProvideCredentials as ProvideCredentialsFuture;

use super::AssumeRole;
use crate::aws::actions::STS_ASSUME_ROLE;
use crate::aws::call::call;

const DEFAULT_SESSION_NAME: &str = "terraform-provider-clusteriam";

/// The role in `assume_role`, assumed with the base credentials. Not the
/// SDK's AssumeRoleProvider: that builds its own STS client, without the
/// provider's retry policy (it would retry a refused connection 25 times)
/// and with the SDK's debug output in its errors.
#[derive(Debug)]
pub(super) struct AssumeRoleCredentials {
    pub(super) sts: aws_sdk_sts::Client,
    pub(super) assume: AssumeRole,
}

impl AssumeRoleCredentials {
    async fn assume(&self) -> aws_credential_types::provider::Result {
        let assume = &self.assume;
        let request = self
            .sts
            .assume_role()
            .role_arn(&assume.role_arn)
            .role_session_name(
                assume
                    .session_name
                    .as_deref()
                    .unwrap_or(DEFAULT_SESSION_NAME),
            )
            .set_external_id(assume.external_id.clone())
            .set_duration_seconds(assume.duration.map(|d| d.as_secs() as i32));
        let out = call(&STS_ASSUME_ROLE, &assume.role_arn, request.send())
            .await
            .map_err(CredentialsError::provider_error)?;
        let credentials = out
            .credentials
            .ok_or_else(|| CredentialsError::unhandled("STS AssumeRole returned no credentials"))?;
        Ok(Credentials::new(
            credentials.access_key_id,
            credentials.secret_access_key,
            Some(credentials.session_token),
            std::time::SystemTime::try_from(credentials.expiration).ok(),
            "AssumeRole",
        ))
    }
}

impl ProvideCredentials for AssumeRoleCredentials {
    fn provide_credentials<'a>(&'a self) -> ProvideCredentialsFuture<'a>
    where
        Self: 'a,
    {
        ProvideCredentialsFuture::new(self.assume())
    }
}

/// What went wrong looking for credentials, in words: the SDK's error and
/// its causes without the debug dumps some of them embed (those go to the
/// debug log).
pub(super) fn credentials_problem(err: &CredentialsError) -> String {
    // The log cuts a credential process's stderr from every line.
    tracing::debug!(error = %aws_sdk_sts::error::DisplayErrorContext(err), "no credentials");
    if let CredentialsError::CredentialsNotLoaded(_) = err {
        return "no credentials were found: none in the provider block, the environment or the \
                shared files, and no container or instance role"
            .into();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        let text = crate::logging::without_process_output(&e.to_string()).into_owned();
        let dump = [
            "DispatchFailure",
            "SdkBody",
            "ConnectorError",
            " { ",
            "Some(",
        ]
        .iter()
        .any(|d| text.contains(d));
        if !dump && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}
