//! `/admin/audit`: the newest entries and the chain check.

use leptos::prelude::*;

use super::{AuditPage as EntryPage, VerifyAudit, list_audit};
use crate::i18n::{t_string, use_i18n};
use crate::locale::{audit_action, format_datetime_seconds};
use crate::{
    error::AppError,
    home::AuditBadge,
    layout::{ActionError, ErrorNotice, Pager, RequireRole},
    roles::Role,
};

/// The audit log page. Office admin only.
#[component]
pub fn AuditPage() -> impl IntoView {
    let page = RwSignal::new(0u64);
    let entries = Resource::new(move || page.get(), list_audit);
    let verify = ServerAction::<VerifyAudit>::new();
    view! {
        <RequireRole roles=&[Role::OfficeAdmin]>
            <AuditLog page entries verify/>
        </RequireRole>
    }
}

#[component]
fn AuditLog(
    page: RwSignal<u64>,
    entries: Resource<Result<EntryPage, AppError>>,
    verify: ServerAction<VerifyAudit>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, audit.audit_title)}</h1>
            <div class="toolbar">
                <button type="button" class="primary"
                    on:click=move |_| { verify.dispatch(VerifyAudit {}); }>
                    {move || t_string!(i18n, audit.audit_verify)}
                </button>
                {move || verify.value().get().and_then(Result::ok).map(|r| view! {
                    <span data-testid="audit-verdict"><AuditBadge report=r/></span>
                })}
            </div>
            <ActionError value=move || verify.value().get()/>
        </section>
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(p) if p.entries.is_empty() => view! {
                        <p class="muted">{move || t_string!(i18n, audit.audit_empty)}</p>
                    }.into_any(),
                    Ok(p) => view! {
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{move || t_string!(i18n, audit.audit_seq)}</th>
                                <th scope="col">{move || t_string!(i18n, audit.audit_time)}</th>
                                <th scope="col">{move || t_string!(i18n, audit.audit_actor)}</th>
                                <th scope="col">{move || t_string!(i18n, common.audit_action)}</th>
                                <th scope="col">{move || t_string!(i18n, audit.audit_target)}</th>
                                <th scope="col">{move || t_string!(i18n, audit.audit_detail)}</th>
                            </tr></thead>
                            <tbody>
                                {p.entries.into_iter().map(|e| {
                                    let action = e.action.clone();
                                    view! {
                                        <tr>
                                            <td class="num">{e.seq}</td>
                                            <td>{format_datetime_seconds(i18n.get_locale(), e.at)}</td>
                                            <td>{e.actor}</td>
                                            <td>{move || audit_action(i18n.get_locale(), &action)}</td>
                                            <td>{e.target}</td>
                                            <td class="mono">{e.detail}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager page=page total=p.total per_page=p.per_page/>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
