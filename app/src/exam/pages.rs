//! `/exam/login` (sign in on the admission ticket) and `/exam` (the candidate's admission
//! details and the state of the session).

use leptos::prelude::*;
use leptos_router::components::A;

use super::{CandidateTicket, TicketLogin};
use crate::i18n::{t_string, use_i18n};
use crate::locale::format_datetime;
use crate::sitting::{SittingPanel, SittingView};
use crate::{
    error::AppError,
    layout::{ActionError, ErrorNotice, RequireRole, reload_at},
    roles::Role,
};

/// `/exam/login`.
#[component]
pub fn CandidateLoginPage() -> impl IntoView {
    let login = ServerAction::<TicketLogin>::new();
    let ticket_no = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let id_suffix = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            reload_at("/exam");
        }
    });
    view! {
        <section class="card narrow login">
            <h1>{crate::text!(exam.candidate_sign_in)}</h1>
            <p class="muted">{crate::text!(exam.enter_ticket_number_and_access_code)}</p>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                login.dispatch(TicketLogin { ticket_no: ticket_no.get_untracked(), access_code: code.get_untracked(), id_suffix: id_suffix.get_untracked() });
            }>
                <label for="ticket-no">{crate::text!(exam.ticket_number)}</label>
                <input id="ticket-no" type="text" inputmode="numeric" autocomplete="off" required bind:value=ticket_no/>
                <label for="access-code">{crate::text!(exam.access_code)}</label>
                <input id="access-code" type="password" autocomplete="off" required bind:value=code/>
                <label for="id-suffix">{crate::text!(sitting.id_suffix_label)}</label>
                <input id="id-suffix" type="text" autocomplete="off" maxlength="6" bind:value=id_suffix/>
                <p class="muted small">{crate::text!(sitting.id_suffix_help)}</p>
                <ActionError value=move || login.value().get()/>
                <button type="submit" class="primary" disabled=move || login.pending().get()>{crate::text!(exam.sign_in)}</button>
            </form>
            <p class="muted small">{crate::text!(exam.code_is_for_you_alone_signing)}</p>
        </section>
    }
}

/// `/exam`: the admission details, then the waiting room, the exam and the receipt.
#[component]
pub fn ExamPage() -> impl IntoView {
    let sitting = Resource::new(|| (), |_| crate::sitting::my_sitting());
    view! { <RequireRole roles=&[Role::Candidate]><CandidateHome sitting/></RequireRole> }
}

#[component]
fn CandidateHome(sitting: Resource<Result<SittingView, AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match sitting.await {
                    Ok(s) => view! { <SittingPanel sitting=s/> }.into_any(),
                    Err(e) => view! {
                        <ErrorNotice error=e/>
                        <p><A href="/exam/login">{crate::text!(exam.sign_in_with_your_admission_ticket)}</A></p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The candidate's admission details, with the waiting room.
#[component]
pub fn TicketCard(t: CandidateTicket) -> impl IntoView {
    view! {
        <section class="card" data-testid="my-ticket">
            <dl class="meta">
                <dt>{crate::text!(exam.name)}</dt><dd>{t.name.clone()}</dd>
                <dt>{crate::text!(exam.exam)}</dt><dd>{t.exam.get(crate::i18n::use_i18n().get_locale()).to_owned()}</dd>
                <dt>{crate::text!(exam.ticket_number)}</dt><dd class="mono">{t.ticket_no.clone()}</dd>
                <dt>{crate::text!(exam.start_beijing_time)}</dt><dd>{format_datetime(crate::i18n::use_i18n().get_locale(), t.starts_at)}</dd>
                <dt>{crate::text!(exam.duration)}</dt><dd>{t_string!(crate::i18n::use_i18n(), exam.duration_minutes, minutes = t.duration_minutes)}</dd>
                <dt>{crate::text!(exam.late_entry)}</dt><dd>{t_string!(crate::i18n::use_i18n(), exam.late_entry_after_start, minutes = t.late_entry_minutes)}</dd>
                <dt>{crate::text!(exam.venue)}</dt><dd>{t.venue.clone()}" "{t.address.clone()}</dd>
                <dt>{crate::text!(exam.room_seat)}</dt><dd>{t.room.clone()}" · "{format!("{:02}", t.seat)}</dd>
            </dl>
            <p class="notice" role="status" data-testid="exam-state">{
                if t.ended {
                    t_string!(crate::i18n::use_i18n(), exam.this_session_has_ended)
                } else if t.open {
                    t_string!(crate::i18n::use_i18n(), exam.session_is_open)
                } else {
                    t_string!(crate::i18n::use_i18n(), exam.session_has_not_started_come_to)
                }
            }</p>
        </section>
    }
}
