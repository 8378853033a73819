//! Interface languages: Simplified Chinese (default), English, and the test-only pseudo-locale.
//!
//! Every interface string lives in `app/locales/<locale>/<namespace>.json`, one namespace per
//! feature; `build.rs` checks the files and generates the [`crate::i18n`] module, whose `t!`,
//! `t_string!` and `td_string!` macros check keys and parameters at compile time. The locale is
//! resolved per request by `leptos_i18n`: the `lang` cookie, else `Accept-Language` (zh-* →
//! Chinese, otherwise English), else Chinese. `qps` (every string wrapped in ⟦…⟧ and longer) is
//! chosen only by setting the cookie by hand; it exists to find hard-coded text in tests.

use chrono::{DateTime, Utc};
use leptos_i18n::Locale as _;

pub use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::roles::Role;

/// The cookie that holds the chosen interface language.
pub const LANG_COOKIE: &str = "lang";

/// How long the language choice is remembered: a year, in milliseconds.
pub const LANG_COOKIE_MAX_AGE_MS: i64 = 365 * 24 * 3600 * 1000;

/// The language of a first visit, from `Accept-Language`: Chinese when the most preferred
/// language is Chinese (`zh`, `zh-CN`, `zh-Hant`…), English for any other, and Chinese when the
/// header is missing. The pseudo-locale is never chosen this way.
pub fn accept_language() -> leptos_i18n::context::UseLocalesOptions {
    leptos_i18n::context::UseLocalesOptions::default().ssr_lang_header_getter(|| {
        #[cfg(feature = "ssr")]
        {
            use leptos::prelude::use_context;
            let header = use_context::<http::request::Parts>()?
                .headers
                .get(http::header::ACCEPT_LANGUAGE)?
                .to_str()
                .ok()?
                .to_owned();
            Some(preferred_language(&header).to_owned())
        }
        #[cfg(not(feature = "ssr"))]
        None
    })
}

/// `zh` or `en` for an `Accept-Language` value (see [`accept_language`]).
pub fn preferred_language(header: &str) -> &'static str {
    let mut best: Option<(f32, &str)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or_default().trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if !tag.is_empty() && q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, tag));
        }
    }
    match best {
        None => "zh",
        Some((_, tag))
            if tag.eq_ignore_ascii_case("zh") || tag.to_ascii_lowercase().starts_with("zh-") =>
        {
            "zh"
        }
        Some(_) => "en",
    }
}

/// The page's i18n context (the reactive locale).
pub type I18n = leptos_i18n::I18nContext<Locale>;

/// A closure giving the interface string `namespace.key` in the page's locale, for views and
/// attributes (`{text!(plans.title)}`, `placeholder=text!(bank.search)`).
#[macro_export]
macro_rules! text {
    ($($key:tt)+) => {{
        let i18n = $crate::i18n::use_i18n();
        move || $crate::i18n::t_string!(i18n, $($key)+)
    }};
}

/// The written languages the interface switch offers on a page in `current` (the pseudo-locale
/// is never offered).
pub fn switchable(current: Locale) -> Vec<Locale> {
    Locale::get_all()
        .iter()
        .copied()
        .filter(|l| *l != current && *l != Locale::qps)
        .collect()
}

/// Switches the interface language: remembers it in the cookie and reloads the page, so the
/// server renders every part of it — including parts still loading — in the new language.
pub fn switch_to(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let window = web_sys::window();
        if let Some(doc) = window
            .as_ref()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = doc.set_cookie(&format!(
                "{LANG_COOKIE}={}; path=/; max-age=31536000; SameSite=Lax",
                locale.as_str()
            ));
        }
        if let Some(w) = window {
            let _ = w.location().reload();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
}

/// A date and time in Beijing time (every time the interface shows), written the locale's way:
/// `2026-12-02 09:30`, `02 Dec 2026, 09:30`.
pub fn format_datetime(locale: Locale, at: DateTime<Utc>) -> String {
    let (date, time) = date_and_time(locale, at);
    td_string!(locale, common.datetime, date = date, time = time).to_string()
}

/// [`format_datetime`] to the second, for records such as the audit log.
pub fn format_datetime_seconds(locale: Locale, at: DateTime<Utc>) -> String {
    use chrono::Timelike;
    let (date, time) = date_and_time(locale, at);
    let time = format!("{time}:{:02}", at.second());
    td_string!(locale, common.datetime, date = date, time = time).to_string()
}

/// The Beijing date written the locale's way, and the time `HH:MM`.
fn date_and_time(locale: Locale, at: DateTime<Utc>) -> (String, String) {
    use chrono::{Datelike, Timelike};
    let t = at.with_timezone(&crate::batches::china_time());
    let month = match t.month() {
        1 => td_string!(locale, common.month_1),
        2 => td_string!(locale, common.month_2),
        3 => td_string!(locale, common.month_3),
        4 => td_string!(locale, common.month_4),
        5 => td_string!(locale, common.month_5),
        6 => td_string!(locale, common.month_6),
        7 => td_string!(locale, common.month_7),
        8 => td_string!(locale, common.month_8),
        9 => td_string!(locale, common.month_9),
        10 => td_string!(locale, common.month_10),
        11 => td_string!(locale, common.month_11),
        _ => td_string!(locale, common.month_12),
    };
    let day = format!("{:02}", t.day());
    let date = td_string!(
        locale,
        common.date,
        year = t.year(),
        month = month,
        day = day
    );
    (
        date.to_string(),
        format!("{:02}:{:02}", t.hour(), t.minute()),
    )
}

/// The name of a role.
pub fn role_name(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::OfficeAdmin => td_string!(locale, roles.role_office_admin),
        Role::QuestionAuthor => td_string!(locale, roles.role_question_author),
        Role::CommitteeMember => td_string!(locale, roles.role_committee_member),
        Role::AgencyOfficer => td_string!(locale, roles.role_agency_officer),
        Role::Proctor => td_string!(locale, roles.role_proctor),
        Role::Candidate => td_string!(locale, roles.role_candidate),
    }
}

/// What a role does here, shown on its home page.
pub fn role_duty(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::OfficeAdmin => td_string!(locale, roles.duty_office_admin),
        Role::QuestionAuthor => td_string!(locale, roles.duty_question_author),
        Role::CommitteeMember => td_string!(locale, roles.duty_committee_member),
        Role::AgencyOfficer => td_string!(locale, roles.duty_agency_officer),
        Role::Proctor => td_string!(locale, roles.duty_proctor),
        Role::Candidate => td_string!(locale, roles.duty_candidate),
    }
}

/// The label of an audit action code; unknown codes are shown as they are.
pub fn audit_action(locale: Locale, code: &str) -> String {
    let label = match code {
        "auth.login" => td_string!(locale, audit.act_login),
        "auth.logout" => td_string!(locale, audit.act_logout),
        "auth.change_password" => td_string!(locale, audit.act_change_password),
        "account.create" => td_string!(locale, audit.act_account_create),
        "account.update" => td_string!(locale, audit.act_account_update),
        "account.disable" => td_string!(locale, audit.act_account_disable),
        "account.enable" => td_string!(locale, audit.act_account_enable),
        "account.reset_password" => td_string!(locale, audit.act_account_reset),
        "account.throttle_clear" => td_string!(locale, audit.act_account_throttle_clear),
        "auth.ticket_login" => td_string!(locale, audit.act_ticket_login),
        "exam.unlock" => td_string!(locale, audit.act_exam_unlock),
        "proctor.assign" => td_string!(locale, audit.act_proctor_assign),
        "proctor.require_check_in" => td_string!(locale, audit.act_proctor_require_check_in),
        "proctor.check_in" => td_string!(locale, audit.act_proctor_check_in),
        "proctor.mark_absent" => td_string!(locale, audit.act_proctor_mark_absent),
        "proctor.extend" => td_string!(locale, audit.act_proctor_extend),
        "proctor.grant_room" => td_string!(locale, audit.act_proctor_grant_room),
        "proctor.force_submit" => td_string!(locale, audit.act_proctor_force_submit),
        "proctor.misconduct" => td_string!(locale, audit.act_proctor_misconduct),
        "proctor.void" => td_string!(locale, audit.act_proctor_void),
        "proctor.record_save" => td_string!(locale, audit.act_proctor_record_save),
        "proctor.record_submit" => td_string!(locale, audit.act_proctor_record_submit),
        "batch.blueprint" => td_string!(locale, audit.act_batch_blueprint),
        "batch.papers" => td_string!(locale, audit.act_batch_papers),
        "paper.appeal" => td_string!(locale, audit.act_paper_appeal),
        "agency.create" => td_string!(locale, audit.act_agency_create),
        "agency.update" => td_string!(locale, audit.act_agency_update),
        "system.bootstrap" => td_string!(locale, audit.act_bootstrap),
        "system.demo_data" => td_string!(locale, audit.act_demo),
        "batch.print_tickets" => td_string!(locale, audit.act_batch_print_tickets),
        "batch.reschedule" => td_string!(locale, audit.act_batch_reschedule),
        "batch.schedule" => td_string!(locale, audit.act_batch_schedule),
        "batch.add_room" => td_string!(locale, audit.act_batch_add_room),
        "batch.add_session" => td_string!(locale, audit.act_batch_add_session),
        "batch.include_plan" => td_string!(locale, audit.act_batch_include_plan),
        "batch.create" => td_string!(locale, audit.act_batch_create),
        "meeting.close" => td_string!(locale, audit.act_meeting_close),
        "meeting.vote" => td_string!(locale, audit.act_meeting_vote),
        "meeting.attendance" => td_string!(locale, audit.act_meeting_attendance),
        "meeting.agenda_add" => td_string!(locale, audit.act_meeting_agenda_add),
        "meeting.create" => td_string!(locale, audit.act_meeting_create),
        "plan.revise" => td_string!(locale, audit.act_plan_revise),
        "plan.withdraw" => td_string!(locale, audit.act_plan_withdraw),
        "plan.submit" => td_string!(locale, audit.act_plan_submit),
        "plan.candidates.remove" => td_string!(locale, audit.act_plan_candidates_remove),
        "plan.candidates.add" => td_string!(locale, audit.act_plan_candidates_add),
        "plan.create" => td_string!(locale, audit.act_plan_create),
        "bank.import" => td_string!(locale, audit.act_bank_import),
        "bank.restore" => td_string!(locale, audit.act_bank_restore),
        "bank.retire" => td_string!(locale, audit.act_bank_retire),
        "bank.revise" => td_string!(locale, audit.act_bank_revise),
        "bank.create" => td_string!(locale, audit.act_bank_create),
        _ => return code.to_owned(),
    };
    label.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_locale_names_every_role_and_the_two_written_ones_differently() {
        for role in Role::ALL {
            assert_ne!(role_name(Locale::zh, role), role_name(Locale::en, role));
            assert!(role_name(Locale::qps, role).starts_with('⟦'));
        }
    }

    #[test]
    fn the_first_visit_follows_the_most_preferred_language() {
        assert_eq!(preferred_language("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
        assert_eq!(preferred_language("en-US,en;q=0.9,zh-CN;q=0.8"), "en");
        assert_eq!(preferred_language("fr-FR"), "en");
        assert_eq!(preferred_language("de;q=0.5, zh-Hant"), "zh");
        assert_eq!(preferred_language("qps"), "en");
        assert_eq!(preferred_language(""), "zh");
    }

    #[test]
    fn times_are_shown_in_beijing_time_in_the_locales_format() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 1, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(format_datetime(Locale::zh, at), "2026-12-02 07:30");
        assert_eq!(format_datetime(Locale::en, at), "02 Dec 2026, 07:30");
        assert_eq!(
            format_datetime_seconds(Locale::zh, at),
            "2026-12-02 07:30:00"
        );
        assert!(format_datetime(Locale::qps, at).contains("Dec"));
    }
}
