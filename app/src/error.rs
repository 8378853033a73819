//! The one user-facing error of the application.
//!
//! Services return [`AppError`]; server functions pass it to the browser as JSON, and the host
//! maps each variant to its HTTP status. Internal causes are logged where they happen and never
//! shown: [`AppError::Internal`] carries no detail.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use std::collections::BTreeMap;

use crate::i18n::{Locale, td_string};
use leptos_i18n::Locale as _;
use serde::{Deserialize, Serialize};

#[path = "../build/pseudo.rs"]
mod pseudo;

/// A message in every interface language, rendered from the locale files where it is raised
/// (usually a service on the server), so the browser shows it in the page's language. Build it
/// with [`msg!`](crate::msg); serialized as `{"zh": …, "en": …, "qps": …}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(BTreeMap<String, String>);

impl Text {
    /// Renders a message in every locale.
    pub fn render(mut message: impl FnMut(Locale) -> String) -> Self {
        Text(
            Locale::get_all()
                .iter()
                .map(|locale| (locale.as_str().to_owned(), message(*locale)))
                .collect(),
        )
    }

    /// The message in `locale` (the default locale's if it lacks one).
    pub fn get(&self, locale: Locale) -> &str {
        self.0
            .get(locale.as_str())
            .or_else(|| self.0.get(Locale::default().as_str()))
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// A message of the domain rules (`question_bank` and [`crate::procedure`] explain their
    /// errors in Chinese and English); the pseudo-locale shows the English one, marked.
    pub fn localized(m: &impl question_bank::Localized) -> Self {
        Text::domain(|lang| m.message(lang))
    }

    /// A text the domain rules write in Chinese and English (`text(lang)`), in each locale.
    pub fn domain(text: impl Fn(question_bank::Lang) -> String) -> Self {
        use question_bank::Lang;
        Text::render(|locale| match locale {
            Locale::zh => text(Lang::Zh),
            Locale::en => text(Lang::En),
            Locale::qps => pseudo::pseudo(&text(Lang::En)),
        })
    }

    /// Several messages joined, in each locale with its own separator.
    pub fn join(parts: &[Text]) -> Self {
        Text::render(|locale| {
            parts
                .iter()
                .map(|p| p.get(locale))
                .collect::<Vec<_>>()
                .join(td_string!(locale, common.list_separator))
        })
    }
}

/// A [`Text`] from the locale files: `msg!(plans.not_found)`, `msg!(bank.row, row = n)`.
#[macro_export]
macro_rules! msg {
    ($($key:ident).+ $(, $arg:ident = $value:expr)* $(,)?) => {{
        $(let $arg = &$value;)*
        $crate::error::Text::render(|locale| {
            $crate::i18n::td_string!(locale, $($key).+ $(, $arg = $arg)*).to_string()
        })
    }};
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
    #[error("invalid {field}: {}", message.get(Locale::en))]
    Validation { field: String, message: Text },
    /// Several fields of a form are invalid (each named, each with how to fix it).
    #[error("{} invalid fields", errors.len())]
    Fields { errors: Vec<FieldMessage> },
    /// A uniqueness or state rule refused the change.
    #[error("conflict on {field}: {}", message.get(Locale::en))]
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
    /// The request could not be read: not the expected shape, a missing field or a value of
    /// the wrong type. `field` names the field when the decoder knows it.
    #[error("bad request (field {field:?})")]
    BadRequest { field: Option<String> },
    /// The request body is larger than this endpoint accepts.
    #[error("request body over {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: u64 },
    /// Something failed on the server; the cause is in the server log.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer was unreadable (browser side).
    #[error("network error: {0}")]
    Transport(String),
}

impl AppError {
    /// A validation error on `field`.
    pub fn invalid(field: &str, message: Text) -> Self {
        AppError::Validation {
            field: field.to_owned(),
            message,
        }
    }

    /// A conflict on `field`.
    pub fn conflict(field: &str, message: Text) -> Self {
        AppError::Conflict {
            field: field.to_owned(),
            message,
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
            AppError::BadRequest { .. } => 400,
            AppError::PayloadTooLarge { .. } => 413,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// The field this error is about, if any (for highlighting a form control).
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } | AppError::Conflict { field, .. } => Some(field),
            AppError::BadRequest { field } => field.as_deref(),
            AppError::Fields { errors } => errors.first().map(|e| e.field.as_str()),
            _ => None,
        }
    }

    /// The message to show, in the interface language.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::Validation { message, .. } | AppError::Conflict { message, .. } => {
                message.get(locale).to_owned()
            }
            AppError::Fields { errors } => errors
                .iter()
                .map(|e| e.message.get(locale))
                .collect::<Vec<_>>()
                .join(td_string!(locale, common.list_separator)),
            AppError::Unauthorized => td_string!(locale, errors.err_unauthorized).to_owned(),
            AppError::BadCredentials => td_string!(locale, errors.err_bad_credentials).to_owned(),
            AppError::AccountDisabled => td_string!(locale, errors.err_account_disabled).to_owned(),
            AppError::TooManyRequests { retry_after_secs } => {
                td_string!(locale, errors.err_too_many, secs = retry_after_secs).to_string()
            }
            AppError::Forbidden => td_string!(locale, errors.err_forbidden).to_owned(),
            AppError::NotFound => td_string!(locale, errors.err_not_found).to_owned(),
            AppError::BadRequest { field: None } => {
                td_string!(locale, errors.err_bad_request).to_owned()
            }
            AppError::BadRequest { field: Some(f) } => {
                td_string!(locale, errors.err_bad_request_field, field = f).to_string()
            }
            AppError::PayloadTooLarge { limit_bytes } => td_string!(
                locale,
                errors.err_too_large,
                mb = (limit_bytes / (1024 * 1024)).max(1)
            )
            .to_string(),
            AppError::Internal => td_string!(locale, errors.err_internal).to_owned(),
            AppError::Transport(_) => td_string!(locale, errors.err_transport).to_owned(),
        }
    }
}

impl AppError {
    /// A request that could not be decoded, from the decoder's message: the field is kept when
    /// the message names one (``missing field `x` ``), the decoder's wording never is.
    pub fn bad_request(decoder_message: &str) -> Self {
        let field = ["missing field `", "unknown field `", "duplicate field `"]
            .iter()
            .find_map(|marker| {
                let rest = &decoder_message[decoder_message.find(marker)? + marker.len()..];
                Some(rest[..rest.find('`')?].to_owned())
            })
            .filter(|f| !f.is_empty() && f.len() <= 64);
        AppError::BadRequest { field }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::bad_request(&msg)
            }
            // On the server a decoding failure is the request's body; in the browser it is the
            // answer, which is a transport problem.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(msg) => AppError::bad_request(&msg),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_maps_to_the_status_a_client_expects() {
        assert_eq!(
            AppError::invalid("name", msg!(errors.err_internal)).status(),
            422
        );
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
    fn a_decoder_message_keeps_the_field_and_drops_the_wording() {
        assert_eq!(
            AppError::bad_request("missing field `ticket_no` at line 1 column 2"),
            AppError::BadRequest {
                field: Some("ticket_no".into())
            }
        );
        assert_eq!(
            AppError::bad_request("expected value at line 1 column 1"),
            AppError::BadRequest { field: None }
        );
        assert_eq!(AppError::PayloadTooLarge { limit_bytes: 1 }.status(), 413);
    }

    #[test]
    fn too_many_requests_message_names_the_delay() {
        let e = AppError::TooManyRequests {
            retry_after_secs: 42,
        };
        for locale in Locale::get_all() {
            assert!(e.message(*locale).contains("42"), "{locale:?}");
        }
    }
}
