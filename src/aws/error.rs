//! What an AWS answer means, decided once: every failed call becomes an
//! [`AwsError`] of one [`ErrorKind`]. AWS's error code is kept for the
//! message only; nothing outside `aws/` reads it.

use std::fmt;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::retry;

/// What a failed call means to the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The object does not exist (IAM's NoSuchEntity, EC2's `*.NotFound`, ...).
    NotFound,
    /// An object of this name exists already.
    AlreadyExists,
    /// The credentials may not make this call.
    Denied,
    /// AWS refused the call for its rate, on every attempt.
    Throttled,
    /// A quota of the account or of the object is reached.
    LimitExceeded,
    /// AWS rejected the request's content (a policy, a parameter).
    Malformed,
    /// The object is still in use (attached, or the service still uses it).
    InUse,
    /// Terraform asked the provider to stop before the work was done.
    Cancelled,
    /// The object was there when the work began and is gone now: someone
    /// deleted it meanwhile.
    Vanished,
    /// No AWS answer: the endpoint was unreachable or is not AWS.
    NoAnswer,
    /// Any other AWS error.
    Other,
}

impl ErrorKind {
    /// The kind of AWS's error `code`.
    fn of_code(code: &str) -> ErrorKind {
        match code {
            "NoSuchEntity" | "ResourceNotFoundException" | "NotFoundException" => {
                ErrorKind::NotFound
            }
            // EC2 names the kind of object: InvalidVpcID.NotFound, ...
            code if code.ends_with(".NotFound") => ErrorKind::NotFound,
            "EntityAlreadyExists" => ErrorKind::AlreadyExists,
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => ErrorKind::Denied,
            code if is_throttling(code) => ErrorKind::Throttled,
            "LimitExceeded" | "LimitExceededException" | "TagLimitExceeded" => {
                ErrorKind::LimitExceeded
            }
            "MalformedPolicyDocument"
            | "InvalidInput"
            | "InvalidParameterValue"
            | "ValidationError" => ErrorKind::Malformed,
            "DeleteConflict" | "DeletionTaskFailed" => ErrorKind::InUse,
            _ => ErrorKind::Other,
        }
    }
}

/// An AWS API error, shown as ``Code: message``.
#[derive(Debug, Clone)]
pub struct AwsError {
    kind: ErrorKind,
    /// AWS's code, for the message (and for the few checks inside `aws/`
    /// that need more than the kind).
    code: Option<String>,
    pub message: String,
}

impl AwsError {
    /// An error AWS answered with `code`.
    pub(super) fn answered(code: impl Into<String>, message: impl Into<String>) -> Self {
        let code = code.into();
        AwsError {
            kind: ErrorKind::of_code(&code),
            code: Some(code),
            message: message.into(),
        }
    }
    /// A failure without an AWS answer (no connection, not AWS, no data).
    pub(super) fn unanswered(message: impl Into<String>) -> Self {
        AwsError {
            kind: ErrorKind::NoAnswer,
            code: None,
            message: message.into(),
        }
    }
    /// Not found, of `aws/`'s own making: e.g. an object IAM does not show yet.
    pub(super) fn not_found(message: impl Into<String>) -> Self {
        AwsError::answered("NoSuchEntity", message)
    }
    /// Work stopped because Terraform asked the provider to stop.
    pub fn cancelled() -> Self {
        AwsError {
            kind: ErrorKind::Cancelled,
            code: None,
            message: "Terraform asked the provider to stop (interrupt); run apply again to finish"
                .into(),
        }
    }
    /// The object disappeared while the provider worked on it; `message`
    /// says what the next apply does about it.
    pub fn vanished(message: impl Into<String>) -> Self {
        AwsError {
            kind: ErrorKind::Vanished,
            code: None,
            message: message.into(),
        }
    }
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// AWS's own code, for the few checks in `aws/` that need it.
    pub(super) fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
    /// The same kind of error with another message (e.g. one that says
    /// what to do about it).
    pub(super) fn with_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }
    /// A sentence telling the user what to do about this error, when there is one.
    pub fn remedy(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::Denied => Some(
                "The provider's credentials may not do this; the message names the missing \
                 action. Grant it to the caller (or to the role in `assume_role`) and apply again. \
                 The provider's permissions guide (docs/guides/permissions.md) lists the actions \
                 each resource needs, and a policy granting them.",
            ),
            ErrorKind::LimitExceeded if self.code() == Some("TagLimitExceeded") => Some(
                "An AWS resource holds at most 50 tags; remove tags it no longer needs, then \
                 apply again.",
            ),
            ErrorKind::LimitExceeded => Some(
                "An IAM quota of the account is reached; remove unused objects or ask AWS for a \
                 higher quota, then apply again.",
            ),
            ErrorKind::InUse if self.code() == Some("DeleteConflict") => Some(
                "Others still use the object (it is attached to users, groups or roles, or \
                 holds other objects); detach it from them, then apply again.",
            ),
            ErrorKind::Throttled => Some(
                "AWS throttled this call on every attempt. Raise `max_retries` in the provider \
                 block (default 25), or run Terraform with a lower `-parallelism`, then run it \
                 again.",
            ),
            _ => None,
        }
    }
    /// ``Code: message``, then the remedy when there is one: a diagnostic's detail.
    pub fn detail(&self) -> String {
        match self.remedy() {
            Some(remedy) => format!("{self}\n\n{remedy}"),
            None => self.to_string(),
        }
    }
    /// Says which action was refused, when AWS's message does not (EC2 says
    /// only "You are not authorized to perform this operation").
    pub(super) fn naming_action(mut self, action: &str) -> Self {
        if self.kind == ErrorKind::Denied && !self.message.contains(action) {
            self.message.push_str(&format!(" (action `{action}`)"));
        }
        self
    }
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }
    /// IAM refused to create an object whose name is taken.
    pub fn is_already_exists(&self) -> bool {
        self.kind == ErrorKind::AlreadyExists
    }
    /// AWS refused the call for its rate, on every attempt.
    pub fn is_throttled(&self) -> bool {
        self.kind == ErrorKind::Throttled
    }
    /// The object is still in use: e.g. AWS's deletion task of a
    /// service-linked role failed because the service still uses the role.
    pub fn is_in_use(&self) -> bool {
        self.kind == ErrorKind::InUse
    }
}

#[cfg(test)]
impl AwsError {
    /// An error as AWS would answer it, for tests of code that handles one.
    pub fn for_test(code: &str, message: &str) -> Self {
        AwsError::answered(code, message)
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AwsError {}

impl<E> From<aws_sdk_iam::error::SdkError<E, HttpResponse>> for AwsError
where
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn from(err: aws_sdk_iam::error::SdkError<E, HttpResponse>) -> Self {
        use aws_sdk_iam::error::{DisplayErrorContext, SdkError};
        if let SdkError::ServiceError(service) = &err {
            return answer_error(service.err(), service.raw());
        }
        let failed = std::iter::successors(Some(&err as &(dyn std::error::Error + 'static)), |e| {
            e.source()
        })
        .find_map(|e| e.downcast_ref::<retry::CallFailed>());
        // The SDK's own text (debug dumps of connections, headers and bodies)
        // is for TF_LOG; the error says what happened in words.
        match failed {
            Some(failed) => tracing::debug!(error = %failed.detail, "AWS call failed"),
            None => tracing::debug!(error = %DisplayErrorContext(&err), "AWS call failed"),
        }
        AwsError::unanswered(match failed {
            Some(failed) if failed.mistake => format!(
                "{failed}. Check `endpoints.{}` (if set), `region` and the network",
                failed.service.to_ascii_lowercase()
            ),
            Some(failed) => format!(
                "{failed}. Check the network; raise `max_retries` if it is only slow or flaky"
            ),
            None => match &err {
                SdkError::DispatchFailure(_)
                | SdkError::TimeoutError(_)
                | SdkError::ResponseError(_) => format!(
                    "could not reach the AWS endpoint: {}. Check the network and the `endpoints` \
                     and `region` settings",
                    retry::describe_cause(&err)
                ),
                _ => retry::describe_cause(&err),
            },
        })
    }
}

/// An error answer: `Code: message`, with the attempts when retries ran
/// out; an answer without an AWS error code is not from AWS at all.
fn answer_error(
    meta: &impl aws_sdk_iam::error::ProvideErrorMetadata,
    raw: &HttpResponse,
) -> AwsError {
    let header = |name| raw.headers().get(name);
    let status = raw.status().as_u16();
    let attempts: u32 = header(retry::ATTEMPTS_HEADER)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    // The SDK reads the code only where the protocol puts it; an answer
    // that carries one elsewhere (`<ErrorResponse><Errors><Error>`, sent
    // as `text/html` by some AWS-compatible endpoints) is still AWS's error.
    let (code, message) = match meta.code() {
        Some(code) => (Some(code.to_string()), meta.message().map(str::to_string)),
        None => (retry::aws_error_code(raw), retry::aws_error_message(raw)),
    };
    let Some(code) = code else {
        let service = header(retry::SERVICE_HEADER).unwrap_or("AWS");
        let mistake = retry::Mistake::NotAws {
            status,
            html: retry::looks_like_html(raw),
        };
        let every = if attempts > 1 {
            format!(" on all {attempts} attempts")
        } else {
            String::new()
        };
        return AwsError::unanswered(format!(
            "the {service} endpoint `{}` {mistake}{every}: it is probably not an AWS API \
             endpoint. Check `endpoints.{}` (if set) and `region`",
            header(retry::ENDPOINT_HEADER).unwrap_or("(unknown)"),
            service.to_ascii_lowercase()
        ));
    };
    let mut error = AwsError::answered(code, message.unwrap_or_else(|| "no message".into()));
    if attempts > 1 && (error.kind == ErrorKind::Throttled || status >= 500) {
        error
            .message
            .push_str(&format!(" (all {attempts} attempts failed)"));
    }
    error
}

/// AWS's throttling codes, as the SDK's retry classifier knows them.
pub(super) fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "RequestThrottled"
            | "SlowDown"
            | "EC2ThrottledException"
    )
}

/// Result of a lookup: `Ok(None)` when the object does not exist.
pub type Found<T> = Result<Option<T>, AwsError>;

pub(super) fn found<T>(result: Result<T, AwsError>) -> Found<T> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}
