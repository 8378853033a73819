//! `/exam/login` (sign in on the admission ticket) and `/exam` (the candidate's admission
//! details and the state of the session).

use leptos::prelude::*;
use leptos_router::components::A;

use super::{CandidateTicket, TicketLogin, my_ticket};
use crate::{
    batches::format_china,
    error::AppError,
    i18n::{tr, use_i18n},
    layout::{ActionError, ErrorNotice, RequireRole, reload_at},
    roles::Role,
};

/// `/exam/login`.
#[component]
pub fn CandidateLoginPage() -> impl IntoView {
    let login = ServerAction::<TicketLogin>::new();
    let ticket_no = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            reload_at("/exam");
        }
    });
    view! {
        <section class="card narrow login">
            <h1>{tr("考生登录", "Candidate sign-in")}</h1>
            <p class="muted">{tr(
                "请输入准考证上的准考证号和登录码。",
                "Enter the ticket number and access code printed on your admission ticket.",
            )}</p>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                login.dispatch(TicketLogin { ticket_no: ticket_no.get_untracked(), access_code: code.get_untracked() });
            }>
                <label for="ticket-no">{tr("准考证号", "Ticket number")}</label>
                <input id="ticket-no" type="text" inputmode="numeric" autocomplete="off" required bind:value=ticket_no/>
                <label for="access-code">{tr("登录码", "Access code")}</label>
                <input id="access-code" type="password" autocomplete="off" required bind:value=code/>
                <ActionError value=move || login.value().get()/>
                <button type="submit" class="primary" disabled=move || login.pending().get()>{tr("登录", "Sign in")}</button>
            </form>
            <p class="muted small">{tr(
                "登录码仅限本人使用;再次登录会使之前的登录失效。",
                "The code is for you alone; signing in again ends the earlier sign-in.",
            )}</p>
        </section>
    }
}

/// `/exam`.
#[component]
pub fn ExamPage() -> impl IntoView {
    let ticket = Resource::new(|| (), |_| my_ticket());
    view! { <RequireRole roles=&[Role::Candidate]><CandidateHome ticket/></RequireRole> }
}

#[component]
fn CandidateHome(ticket: Resource<Result<CandidateTicket, AppError>>) -> impl IntoView {
    view! {
        <section class="page-head"><h1>{tr("我的考试", "My exam")}</h1></section>
        <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
            {move || Suspend::new(async move {
                match ticket.await {
                    Ok(t) => view! {
                        <section class="card" data-testid="my-ticket">
                            <dl class="meta">
                                <dt>{tr("姓名", "Name")}</dt><dd>{t.name.clone()}</dd>
                                <dt>{tr("考试", "Exam")}</dt><dd>{t.exam.clone()}</dd>
                                <dt>{tr("准考证号", "Ticket number")}</dt><dd class="mono">{t.ticket_no.clone()}</dd>
                                <dt>{tr("开考时间(北京时间)", "Start (Beijing time)")}</dt><dd>{format_china(t.starts_at)}</dd>
                                <dt>{tr("时长", "Duration")}</dt><dd>{t.duration_minutes}{tr(" 分钟", " min")}</dd>
                                <dt>{tr("迟到截止", "Late entry")}</dt><dd>{tr("开考后 ", "")}{t.late_entry_minutes}{tr(" 分钟", " min after the start")}</dd>
                                <dt>{tr("考点", "Venue")}</dt><dd>{t.venue.clone()}" "{t.address.clone()}</dd>
                                <dt>{tr("考场 / 座位", "Room / seat")}</dt><dd>{t.room.clone()}" · "{format!("{:02}", t.seat)}</dd>
                            </dl>
                            <p class="notice" role="status" data-testid="exam-state">{
                                if t.ended {
                                    tr("本场考试已经结束。", "This session has ended.")()
                                } else if t.open {
                                    tr("考试进行中。", "The session is open.")()
                                } else {
                                    tr("考试尚未开始,请按时到达考场,凭准考证和身份证件入场。", "The session has not started: come to your room on time with the ticket and your ID card.")()
                                }
                            }</p>
                        </section>
                    }.into_any(),
                    Err(e) => view! {
                        <ErrorNotice error=e/>
                        <p><A href="/exam/login">{tr("使用准考证登录", "Sign in with your admission ticket")}</A></p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
