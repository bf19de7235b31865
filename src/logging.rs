//! Logs to stderr in hclog's JSON line format, which Terraform reads from a
//! plugin and files under the provider in its own log (`TF_LOG`).
//!
//! Other crates' events (the AWS SDK's, hyper's, rustls') pass only at WARN
//! and above, unless TRACE is asked for by name: the SDK's INFO lines carry
//! access key ids ("loaded base credentials"). Even then, anything shaped
//! like an access key id is masked, in every line, ours included. (The SDK
//! itself redacts secret keys, session tokens and signed headers.) And
//! within an account-wide read ([`ACCOUNT_WIDE_READ`]) no other crate's
//! event passes at all: the SDK's trace lines copy the answers, which hold
//! every role's, user's and policy's documents in the account. What a
//! `credential_process` wrote to its standard error, which the SDK quotes in
//! its errors, is cut from every value ([`without_process_output`]), and
//! every external id is masked, however the SDK's lines encode it.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

const OUR_TARGET: &str = env!("CARGO_CRATE_NAME");

/// The name of the span an account-wide read (the bulk read, listing every
/// role) runs in: inside it, only this crate's own events are logged.
pub const ACCOUNT_WIDE_READ: &str = "account_wide_read";

/// What Terraform asked for: the level of this crate's events and of
/// everyone else's, most specific variable first.
fn requested_levels() -> Option<(Level, Level)> {
    let setting = ["TF_LOG_PROVIDER_CLUSTERIAM", "TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?;
    levels(&setting)
}

fn levels(setting: &str) -> Option<(Level, Level)> {
    let ours = match setting.to_ascii_uppercase().as_str() {
        "OFF" => return None,
        "ERROR" => Level::ERROR,
        "WARN" => Level::WARN,
        "INFO" => Level::INFO,
        "DEBUG" => Level::DEBUG,
        // TRACE, JSON and anything unrecognised: Terraform treats those as TRACE.
        _ => Level::TRACE,
    };
    // JSON is Terraform's TRACE written as JSON: asked for by name too.
    let trace_by_name = ["TRACE", "JSON"]
        .iter()
        .any(|name| setting.eq_ignore_ascii_case(name));
    let others = if trace_by_name {
        Level::TRACE
    } else {
        ours.min(Level::WARN)
    };
    Some((ours, others))
}

pub fn init() {
    let Some((ours, others)) = requested_levels() else {
        return;
    };
    let filter = tracing_subscriber::filter::filter_fn(move |meta| {
        let max = if meta.target().starts_with(OUR_TARGET) {
            ours
        } else {
            others
        };
        *meta.level() <= max
    });
    tracing_subscriber::registry()
        .with(HclogJson.with_filter(filter))
        .init();
}

struct HclogJson;

impl<S> Layer<S> for HclogJson
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with(OUR_TARGET)
            && ctx
                .event_scope(event)
                .is_some_and(|mut scope| scope.any(|span| span.name() == ACCOUNT_WIDE_READ))
        {
            return;
        }
        let mut fields = JsonFields(serde_json::Map::new());
        event.record(&mut fields);
        let mut line = serde_json::Map::new();
        let level = match *event.metadata().level() {
            Level::ERROR => "error",
            Level::WARN => "warn",
            Level::INFO => "info",
            Level::DEBUG => "debug",
            Level::TRACE => "trace",
        };
        line.insert("@level".into(), level.into());
        let message = fields
            .0
            .remove("message")
            .unwrap_or_else(|| event.metadata().name().into());
        line.insert("@message".into(), message);
        line.insert("@module".into(), "provider.clusteriam".into());
        line.insert("@timestamp".into(), timestamp().into());
        line.extend(fields.0);
        let mut text = serde_json::Value::Object(line).to_string();
        text.push('\n');
        let text = mask_access_key_ids(&text);
        let text = mask_external_ids(&text);
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

struct JsonFields(serde_json::Map<String, serde_json::Value>);

/// An error of the SDK's `credential_process` provider without what the
/// process wrote to its standard error, which the SDK quotes (`... Stderr:
/// <text>`): a failing credential helper may print the token or password it
/// was given. Other text is returned as it is.
pub fn without_process_output(text: &str) -> Cow<'_, str> {
    match text.split_once(". Stderr: ") {
        Some((before, _)) => Cow::Owned(format!(
            "{before} (its stderr is not shown: it may hold secrets; run the profile's \
             `credential_process` command yourself to see it)"
        )),
        None => Cow::Borrowed(text),
    }
}

impl Visit for JsonFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        let value = without_process_output(value).into_owned();
        self.0.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let value = format!("{value:?}");
        let value = without_process_output(&value).into_owned();
        self.0.insert(field.name().into(), value.into());
    }
}

/// Masks every word shaped like an AWS access key id (`AKIA`, `ASIA` and
/// the other four-letter prefixes of AWS ids, then 16 upper-case letters or
/// digits), keeping the prefix, which tells a long-term key from a temporary
/// one. Principal ids (`AIDA...`, `AROA...`) share the shape and are masked too.
fn mask_access_key_ids(text: &str) -> Cow<'_, str> {
    const LEN: usize = 20;
    let bytes = text.as_bytes();
    let word = |b: &u8| b.is_ascii_alphanumeric();
    let mut masked: Option<Vec<u8>> = None;
    let mut i = 0;
    while i + LEN <= bytes.len() {
        let candidate = &bytes[i..i + LEN];
        let bounded =
            (i == 0 || !word(&bytes[i - 1])) && bytes.get(i + LEN).is_none_or(|b| !word(b));
        let shaped = candidate[0] == b'A'
            && candidate[..4].iter().all(u8::is_ascii_uppercase)
            && candidate[4..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if bounded && shaped {
            let out = masked.get_or_insert_with(|| bytes.to_vec());
            out[i + 4..i + LEN].fill(b'*');
            i += LEN;
        } else {
            i += 1;
        }
    }
    match masked {
        // Only ASCII letters and digits were replaced by ASCII: still UTF-8.
        Some(out) => Cow::Owned(String::from_utf8(out).unwrap_or_default()),
        None => Cow::Borrowed(text),
    }
}

/// Masks the value of every external id, in whatever form the SDK's trace
/// lines copy it: a trust policy's `sts:ExternalId` (plain, JSON-escaped or
/// percent-encoded, in requests and in answers), STS's `ExternalId`
/// parameter, a Debug print's `external_id`. External ids are secrets here
/// (`assume_role.external_id`, the roles' `external_id`).
fn mask_external_ids(text: &str) -> Cow<'_, str> {
    const KEYS: [&[u8]; 2] = [b"externalid", b"external_id"];
    /// What may stand between a key and its value: quotes, `:`, `=`, `[`,
    /// `(`, spaces, backslashes, their percent-encodings, Debug's `Some(`.
    const SEPARATORS: [&[u8]; 10] = [
        b"%22", b"%3a", b"%3d", b"%5b", b"%20", b"some(", b"\\", b"\\\"", b"\"", b"'",
    ];
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase().into_bytes();
    let mut masked: Vec<u8> = Vec::with_capacity(bytes.len());
    let (mut i, mut copied, mut changed) = (0, 0, false);
    while i < bytes.len() {
        let Some(key) = KEYS.iter().find(|k| lower[i..].starts_with(k)) else {
            i += 1;
            continue;
        };
        let mut j = i + key.len();
        let start = j;
        while j < bytes.len() && j - start < 40 {
            if let Some(sep) = SEPARATORS.iter().find(|s| lower[j..].starts_with(s)) {
                j += sep.len();
            } else if b"\":=[( ".contains(&bytes[j]) {
                j += 1;
            } else {
                break;
            }
        }
        let value_start = j;
        while j < bytes.len() {
            let b = bytes[j];
            let escaped_end = [b"%22", b"%26", b"%5d", b"%5D", b"%7d", b"%7D"]
                .iter()
                .any(|end| bytes[j..].starts_with(*end));
            if escaped_end {
                break;
            }
            if b.is_ascii_alphanumeric() || b"_+=,.@:/-%".contains(&b) {
                j += 1;
            } else {
                break;
            }
        }
        if value_start > start && j > value_start {
            masked.extend_from_slice(&bytes[copied..value_start]);
            masked.extend_from_slice(b"********");
            copied = j;
            changed = true;
        }
        i = j.max(i + 1);
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    masked.extend_from_slice(&bytes[copied..]);
    // Only ASCII runs were replaced by ASCII: still UTF-8.
    Cow::Owned(String::from_utf8(masked).unwrap_or_default())
}

/// RFC 3339 UTC with microseconds, as hclog writes it.
fn timestamp() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut out = String::with_capacity(27);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        now.subsec_micros()
    );
    out
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    #[test]
    fn a_credential_process_stderr_is_cut_from_the_text() {
        let sdk = "Error retrieving credentials: external process exited with code exit status: \
                   3. Stderr: token=abc123\n (ProviderError { source: \"... Stderr: token=abc123\" })";
        let cut = super::without_process_output(sdk);
        assert!(!cut.contains("abc123"), "{cut}");
        assert!(cut.starts_with("Error retrieving credentials: external process exited with code exit status: 3 (its stderr is not shown"), "{cut}");
        assert_eq!(
            super::without_process_output("no stderr here"),
            "no stderr here"
        );
    }

    #[test]
    fn other_crates_log_below_warn_only_when_trace_is_asked_for_by_name() {
        let others = |setting| super::levels(setting).map(|(_, others)| others);
        assert_eq!(others("INFO"), Some(Level::WARN));
        assert_eq!(others("debug"), Some(Level::WARN));
        assert_eq!(others("ERROR"), Some(Level::ERROR));
        // Unrecognised values are TRACE for our own events, not for others'.
        assert_eq!(super::levels("verbose"), Some((Level::TRACE, Level::WARN)));
        assert_eq!(others("TRACE"), Some(Level::TRACE));
        assert_eq!(others("json"), Some(Level::TRACE));
        assert_eq!(super::levels("off"), None);
    }

    #[test]
    fn access_key_ids_are_masked_wherever_they_appear() {
        let line = r#"{"@message":"loaded base credentials","creds":"Credentials { access_key_id: \"AKIAIOSFODNN7EXAMPLE\", secret_access_key: \"** redacted **\" }","next":"ASIA0123456789ABCDEF"}"#;
        let masked = super::mask_access_key_ids(line);
        assert!(!masked.contains("IOSFODNN7EXAMPLE"), "{masked}");
        assert!(!masked.contains("0123456789ABCDEF"), "{masked}");
        assert!(masked.contains(r#"\"AKIA****************\""#), "{masked}");
        assert!(masked.contains(r#""ASIA****************""#), "{masked}");
        // Not 20 characters, or part of a longer word: left alone.
        for text in [
            "AKIAIOSFODNN7EXAMPL",
            "XAKIAIOSFODNN7EXAMPLE",
            "AKIAIOSFODNN7EXAMPLEX",
            "akiaiosfodnn7example",
            "role=logged-worker",
        ] {
            assert_eq!(super::mask_access_key_ids(text), text);
        }
        assert!(matches!(
            super::mask_access_key_ids("nothing here"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn external_ids_are_masked_in_every_form() {
        let secret = "Sec-4d2f_x+y=z,a.b@c:d/e";
        let percent: String = secret
            .bytes()
            .map(|b| match b {
                b'+' | b'=' | b',' | b'@' | b':' | b'/' => format!("%{b:02X}"),
                b => (b as char).to_string(),
            })
            .collect();
        let lines = [
            format!(
                r#"{{"body":"{{\"Condition\":{{\"StringEquals\":{{\"sts:ExternalId\":\"{secret}\"}}}}}}"}}"#
            ),
            format!(r#"{{"body":"sts:externalid\":[\"{secret}\"]"}}"#),
            format!("AssumeRolePolicyDocument=%7B%22sts%3AExternalId%22%3A%22{percent}%22%7D%7D"),
            format!("Action=AssumeRole&ExternalId={percent}&RoleArn=x"),
            format!(r#"AssumeRoleInput {{ external_id: Some("{secret}"), policy: None }}"#),
        ];
        for line in &lines {
            let masked = super::mask_external_ids(line);
            assert!(
                !masked.contains(secret) && !masked.contains(&percent),
                "{line}\n{masked}"
            );
            assert!(masked.contains("********"), "{masked}");
        }
        // Words that merely name it stay.
        for text in [
            "`external_id` must be 2 to 1224 letters",
            "external_id: None",
            "nothing here",
        ] {
            let masked = super::mask_external_ids(text);
            assert!(
                masked == text || masked == "external_id: ********",
                "{masked}"
            );
        }
    }

    #[test]
    fn timestamp_is_rfc3339() {
        let ts = super::timestamp();
        assert_eq!(ts.len(), 27, "{ts}");
        assert!(
            ts.starts_with("20") && ts.ends_with('Z') && &ts[10..11] == "T",
            "{ts}"
        );
    }
}
