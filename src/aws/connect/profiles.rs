//! The shared config and credentials files.

use aws_config::profile::ProfileSet;
#[allow(deprecated)]
// the replacement types live in aws-runtime, which aws-config does not re-export
use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};

use super::{ConnectError, Settings};

/// The shared config and credentials files, and the check that a profile
/// named explicitly (`profile`, or AWS_PROFILE) is in them: without it the
/// SDK's credential chain moves on to instance metadata and reports an
/// IMDS error that never names the profile.
#[allow(deprecated)] // ProfileFiles: see the import
pub(super) async fn load_profiles(settings: &Settings) -> Result<ProfileSet, ConnectError> {
    let files = if settings.shared_config_files.is_empty()
        && settings.shared_credentials_files.is_empty()
    {
        ProfileFiles::default()
    } else {
        profile_files(settings)
    };
    let env_profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
    let named = settings.profile.clone().or(env_profile);
    let loaded = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &files,
        named.clone().map(Into::into),
    )
    .await;
    let profiles = match loaded {
        Ok(profiles) => profiles,
        // Files that cannot be read matter only when a profile is named:
        // the SDK itself goes on without them.
        Err(e) if named.is_some() => {
            let causes =
                std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
                    e.source()
                });
            let text: Vec<String> = causes.map(|e| e.to_string()).collect();
            return Err(ConnectError::ProfileFiles(text.join(": ")));
        }
        Err(e) => {
            tracing::warn!(error = %e, "ignoring the shared config files");
            ProfileSet::default()
        }
    };
    match named {
        // `default` may be absent: credentials then come from the environment.
        Some(name) if name != "default" && profiles.get_profile(&name).is_none() => {
            let mut found: Vec<String> = profiles.profiles().map(str::to_string).collect();
            found.sort();
            Err(ConnectError::NoProfile {
                from_setting: settings.profile.is_some(),
                files: profile_file_names(settings),
                found,
                name,
            })
        }
        _ => Ok(profiles),
    }
}

/// The files profiles were read from, for the error message.
fn profile_file_names(settings: &Settings) -> String {
    if !settings.shared_config_files.is_empty() || !settings.shared_credentials_files.is_empty() {
        return settings
            .shared_config_files
            .iter()
            .chain(&settings.shared_credentials_files)
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
    }
    let file = |env: &str, default: &str| {
        format!(
            "`{}`",
            std::env::var(env).unwrap_or_else(|_| default.to_string())
        )
    };
    format!(
        "{} and {}",
        file("AWS_CONFIG_FILE", "~/.aws/config"),
        file("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
    )
}

#[allow(deprecated)] // the replacement types live in aws-runtime, which aws-config does not re-export
pub(super) fn profile_files(settings: &Settings) -> ProfileFiles {
    let mut files = ProfileFiles::builder();
    for path in &settings.shared_config_files {
        files = files.with_file(ProfileFileKind::Config, path);
    }
    for path in &settings.shared_credentials_files {
        files = files.with_file(ProfileFileKind::Credentials, path);
    }
    files.build()
}
