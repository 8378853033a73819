//! `/`: what waits for each role.

use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use super::{HomeSummary, MarkNotificationRead, load_home};
use crate::i18n::{t_string, use_i18n};
use crate::locale::{audit_action, format_datetime, role_duty, role_name};
use crate::{
    audit::AuditReport,
    error::AppError,
    layout::{Badge, ErrorNotice, use_user},
    roles::{CurrentUser, Role},
};

/// The home page; anonymous visitors are sent to sign in.
///
/// The summary is made here, outside the `Suspense` that waits for the user (which builds its
/// children more than once on the server), so that it loads once per page.
#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_user();
    let mark_read = ServerAction::<MarkNotificationRead>::new();
    let summary = Resource::new(move || mark_read.version().get(), |_| load_home());
    view! {
        <Suspense fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => view! { <Dashboard user=u summary mark_read/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(
    user: CurrentUser,
    summary: Resource<Result<HomeSummary, AppError>>,
    mark_read: ServerAction<MarkNotificationRead>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = user.role;
    let name = user.display_name.clone();
    let agency = user.agency.clone();
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, home.home_welcome, name = name.clone()).to_string()}</h1>
            <p class="muted">
                {move || t_string!(i18n, home.home_your_role)}": "
                <strong data-testid="home-role">{move || role_name(i18n.get_locale(), role)}</strong>
                {agency.map(|a| view! {
                    <span>" · "{move || t_string!(i18n, home.home_agency)}": "<strong>{a.name.clone()}</strong></span>
                })}
            </p>
            <p>{move || role_duty(i18n.get_locale(), role)}</p>
        </section>
        <ol class="steps" aria-label=move || t_string!(i18n, home.procedure)>
            <li>{move || t_string!(i18n, home.procedure_step_1)}</li>
            <li>{move || t_string!(i18n, home.procedure_step_2)}</li>
            <li>{move || t_string!(i18n, home.procedure_step_3)}</li>
            <li>{move || t_string!(i18n, home.procedure_step_4)}</li>
            <li>{move || t_string!(i18n, home.procedure_step_5)}</li>
        </ol>
        <Show when=move || user.must_change_password>
            <div class="notice notice-warn" role="status">
                {move || t_string!(i18n, home.home_must_change_password)}" "
                <A href="/account">{move || t_string!(i18n, common.change_password)}</A>
            </div>
        </Show>
        <Suspense fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(s) => view! { <SummaryView summary=s role=role mark_read=mark_read/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SummaryView(
    summary: HomeSummary,
    role: Role,
    mark_read: ServerAction<MarkNotificationRead>,
) -> impl IntoView {
    let i18n = use_i18n();
    let HomeSummary {
        unread,
        admin,
        bank,
    } = summary;
    let inbox = if unread.is_empty() {
        view! { <p class="muted">{move || t_string!(i18n, home.home_nothing_waiting)}</p> }
            .into_any()
    } else {
        view! {
            <ul class="inbox">
                {unread.into_iter().map(|n| {
                    let id = n.id;
                    let text = n.text.clone();
                    view! {
                        <li>
                            <span class="when">{format_datetime(i18n.get_locale(), n.created_at)}</span>
                            {match n.link.clone() {
                                Some(link) => view! {
                                    <A href=link>{move || text.get(i18n.get_locale()).to_owned()}</A>
                                }.into_any(),
                                None => view! {
                                    <span>{move || text.get(i18n.get_locale()).to_owned()}</span>
                                }.into_any(),
                            }}
                            <button type="button" class="link-button"
                                on:click=move |_| { mark_read.dispatch(MarkNotificationRead { id }); }>
                                {move || t_string!(i18n, home.mark_read)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="grid">
            <section class="card">
                <h2>{move || t_string!(i18n, home.home_waiting)}</h2>
                {inbox}
            </section>
            {bank.map(|b| view! {
                <section class="card">
                    <h2>{move || t_string!(i18n, home.home_bank_title)}</h2>
                    <dl class="stats">
                        <div><dt>{move || t_string!(i18n, home.home_bank_active)}</dt><dd data-testid="bank-active">{b.active}</dd></div>
                        <div><dt>{move || t_string!(i18n, home.home_bank_retired)}</dt><dd>{b.retired}</dd></div>
                    </dl>
                    <p><A href="/bank">{move || t_string!(i18n, common.nav_bank)}</A></p>
                </section>
            })}
            {(role == Role::OfficeAdmin).then_some(()).and(admin).map(|a| {
                let audit = a.audit.clone();
                view! {
                    <section class="card">
                        <h2>{move || t_string!(i18n, home.home_summary)}</h2>
                        <dl class="stats">
                            <div><dt>{move || t_string!(i18n, home.home_agencies_count)}</dt><dd>{a.agencies}</dd></div>
                            <div><dt>{move || t_string!(i18n, home.home_accounts_count)}</dt><dd>{a.active_accounts}</dd></div>
                            <div><dt>{move || t_string!(i18n, home.home_accounts_disabled)}</dt><dd>{a.disabled_accounts}</dd></div>
                            <div><dt>{move || t_string!(i18n, home.home_audit_chain)}</dt><dd><AuditBadge report=audit/></dd></div>
                        </dl>
                        <h3>{move || t_string!(i18n, home.home_recent_activity)}</h3>
                        <ul class="activity">
                            {a.recent.into_iter().map(|e| {
                                let action = e.action.clone();
                                view! {
                                    <li>
                                        <span class="when">{format_datetime(i18n.get_locale(), e.at)}</span>
                                        " "<strong>{e.actor.clone()}</strong>" "
                                        {move || audit_action(i18n.get_locale(), &action)}
                                        " "<span class="muted">{e.target.clone()}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })}
        </div>
    }
}

/// "intact" or "broken at n" for the audit chain.
#[component]
pub fn AuditBadge(report: AuditReport) -> impl IntoView {
    let i18n = use_i18n();
    move || match &report.broken {
        None => view! {
            <Badge kind="ok" label=t_string!(i18n, home.audit_intact, n = report.entries).to_string()/>
        },
        Some(b) => view! {
            <Badge kind="danger" label=t_string!(i18n, home.audit_broken, seq = b.seq(), reason = b.reason(i18n.get_locale())).to_string()/>
        },
    }
}
