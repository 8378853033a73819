//! The one user-facing error of the application.
//!
//! Services return [`AppError`]; server functions pass it to the browser as JSON, and the host
//! maps each variant to its HTTP status. Internal causes are logged where they happen and never
//! shown: [`AppError::Internal`] carries no detail.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::i18n::{Dict, Locale};

/// A message in both interface languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Zh => &self.zh,
            Locale::En => &self.en,
        }
    }
}

/// One invalid field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    pub field: String,
    pub message: Text,
}

/// What went wrong, in terms a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A field of the request is invalid; `field` names it, `message` says how to fix it.
    #[error("invalid {field}: {}", message.en)]
    Validation { field: String, message: Text },
    /// Several fields of a form are invalid (each named, each with how to fix it).
    #[error("{} invalid fields", errors.len())]
    Fields { errors: Vec<FieldMessage> },
    /// A uniqueness or state rule refused the change.
    #[error("conflict on {field}: {}", message.en)]
    Conflict { field: String, message: Text },
    /// Not signed in, or the session expired.
    #[error("sign-in required")]
    Unauthorized,
    /// Wrong user name or password.
    #[error("wrong user name or password")]
    BadCredentials,
    /// The account is disabled.
    #[error("account disabled")]
    AccountDisabled,
    /// Too many failed sign-ins; try again after the delay.
    #[error("too many attempts, retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// Signed in, but the role or scope does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// The thing does not exist (or is outside the caller's scope).
    #[error("not found")]
    NotFound,
    /// The request could not be read.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Something failed on the server; the cause is in the server log.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer was unreadable (browser side).
    #[error("network error: {0}")]
    Transport(String),
}

impl AppError {
    /// A validation error on `field`.
    pub fn invalid(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message: Text::new(zh, en),
        }
    }

    /// A conflict on `field`.
    pub fn conflict(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Conflict {
            field: field.to_owned(),
            message: Text::new(zh, en),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } | AppError::Fields { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::AccountDisabled | AppError::Forbidden => 403,
            AppError::TooManyRequests { .. } => 429,
            AppError::NotFound => 404,
            AppError::BadRequest(_) => 400,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// The field this error is about, if any (for highlighting a form control).
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } | AppError::Conflict { field, .. } => Some(field),
            AppError::Fields { errors } => errors.first().map(|e| e.field.as_str()),
            _ => None,
        }
    }

    /// The message to show, in the interface language.
    pub fn message(&self, locale: Locale, t: &Dict) -> String {
        match self {
            AppError::Validation { message, .. } | AppError::Conflict { message, .. } => {
                message.get(locale).to_owned()
            }
            AppError::Fields { errors } => errors
                .iter()
                .map(|e| e.message.get(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::Unauthorized => t.err_unauthorized.to_owned(),
            AppError::BadCredentials => t.err_bad_credentials.to_owned(),
            AppError::AccountDisabled => t.err_account_disabled.to_owned(),
            AppError::TooManyRequests { retry_after_secs } => t
                .err_too_many
                .replace("{secs}", &retry_after_secs.to_string()),
            AppError::Forbidden => t.err_forbidden.to_owned(),
            AppError::NotFound => t.err_not_found.to_owned(),
            AppError::BadRequest(_) => t.err_bad_request.to_owned(),
            AppError::Internal => t.err_internal.to_owned(),
            AppError::Transport(_) => t.err_transport.to_owned(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::BadRequest(msg)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_maps_to_the_status_a_client_expects() {
        assert_eq!(AppError::invalid("name", "x", "x").status(), 422);
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(
            AppError::TooManyRequests {
                retry_after_secs: 5
            }
            .status(),
            429
        );
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn too_many_requests_message_names_the_delay() {
        let e = AppError::TooManyRequests {
            retry_after_secs: 42,
        };
        assert!(
            e.message(Locale::En, crate::i18n::dict(Locale::En))
                .contains("42")
        );
        assert!(
            e.message(Locale::Zh, crate::i18n::dict(Locale::Zh))
                .contains("42")
        );
    }
}
