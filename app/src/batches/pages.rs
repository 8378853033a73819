//! `/batches`, `/batches/:id`, `/batches/:id/tickets` (printable admission tickets) and
//! `/batches/:id/roster` (printable room rosters).

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    AddRoom, AddSession, BatchDetail, BatchSummary, CreateBatch, IncludePlan, PrintTickets,
    RoomRoster, ScheduleBatch, VIEWERS, get_batch, list_batches, rosters,
};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::format_datetime;
use crate::{
    error::AppError,
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    papers::PaperAssembly,
    plans::PlanBadge,
    roles::Role,
};

fn status_badge(locale: Locale, status: &str) -> (&'static str, &'static str) {
    match status {
        "draft" => ("info", td_string!(locale, batches.status_draft)),
        "scheduled" => ("ok", td_string!(locale, batches.status_scheduled)),
        "in_progress" => ("warn", td_string!(locale, batches.status_in_progress)),
        "closed" => ("muted", td_string!(locale, batches.status_closed)),
        _ => ("ok", td_string!(locale, batches.status_published)),
    }
}

#[component]
fn BatchBadge(status: String) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let (kind, label) = status_badge(i18n.get_locale(), &status);
        view! { <Badge kind=kind label=label/> }
    }
}

fn role_is(role: Role) -> Signal<bool> {
    let user = use_user();
    Signal::derive(move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.role == role)
    })
}

/// `/batches`.
#[component]
pub fn BatchesPage() -> impl IntoView {
    let create = ServerAction::<CreateBatch>::new();
    let batches = Resource::new(move || create.version().get(), |_| list_batches());
    view! { <RequireRole roles=VIEWERS><BatchList create batches/></RequireRole> }
}

#[component]
fn BatchList(
    create: ServerAction<CreateBatch>,
    batches: Resource<Result<Vec<BatchSummary>, AppError>>,
) -> impl IntoView {
    let admin = role_is(Role::OfficeAdmin);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("general".to_owned());
    let field = RwSignal::new(String::new());
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/batches/{id}"), Default::default());
        }
    });
    view! {
        <section class="page-head"><h1>{crate::text!(batches.exam_batches)}</h1></section>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match batches.await {
                            Ok(rows) if rows.is_empty() => view! { <p class="muted">{crate::text!(batches.no_batches_yet)}</p> }.into_any(),
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{crate::text!(batches.batch)}</th>
                                        <th scope="col">{crate::text!(batches.candidates)}</th>
                                        <th scope="col">{crate::text!(batches.seats)}</th>
                                        <th scope="col">{crate::text!(batches.status)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|b| view! {
                                            <tr>
                                                <td><A href=format!("/batches/{}", b.id)>{b.name}</A></td>
                                                <td class="num">{b.candidates}</td>
                                                <td class="num">{b.seats}</td>
                                                <td><BatchBadge status=b.status/></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <Show when=move || admin.get()>
                <section class="card">
                    <h2>{crate::text!(batches.new_batch)}</h2>
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        create.dispatch(CreateBatch { name: name.get_untracked(), exam_kind: kind.get_untracked(), field: field.get_untracked() });
                    }>
                        <label for="b-name">{crate::text!(batches.name)}</label>
                        <input id="b-name" type="text" required bind:value=name/>
                        <label for="b-kind">{crate::text!(batches.exam_kind)}</label>
                        <select id="b-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="general">{crate::text!(batches.general_law)}</option>
                            <option value="professional">{crate::text!(batches.professional_law)}</option>
                        </select>
                        <Show when=move || kind.get() == "professional">
                            <label for="b-field">{crate::text!(batches.field)}</label>
                            <input id="b-field" type="text" bind:value=field/>
                        </Show>
                        <ActionError value=move || create.value().get()/>
                        <button type="submit" class="primary">{crate::text!(batches.create_batch)}</button>
                    </form>
                </section>
            </Show>
        </div>
    }
}

/// The batch, and the actions that change it, of `/batches/:id`.
#[derive(Clone, Copy)]
struct BatchData {
    detail: Resource<Result<BatchDetail, AppError>>,
    include: ServerAction<IncludePlan>,
    session: ServerAction<AddSession>,
    room: ServerAction<AddRoom>,
    schedule: ServerAction<ScheduleBatch>,
}

impl BatchData {
    fn new() -> Self {
        let id = use_id_param();
        let include = ServerAction::<IncludePlan>::new();
        let session = ServerAction::<AddSession>::new();
        let room = ServerAction::<AddRoom>::new();
        let schedule = ServerAction::<ScheduleBatch>::new();
        let detail = Resource::new(
            move || {
                (
                    id.get(),
                    include.version().get(),
                    session.version().get(),
                    room.version().get(),
                    schedule.version().get(),
                )
            },
            |(id, ..)| load_by_id(id, get_batch),
        );
        BatchData {
            detail,
            include,
            session,
            room,
            schedule,
        }
    }
}

/// `/batches/:id`.
#[component]
pub fn BatchPage() -> impl IntoView {
    let data = BatchData::new();
    view! { <RequireRole roles=VIEWERS><BatchView data/></RequireRole> }
}

#[component]
fn BatchView(data: BatchData) -> impl IntoView {
    let BatchData {
        detail,
        include,
        session,
        room,
        schedule,
    } = data;
    view! {
        <ActionError value=move || include.value().get()/>
        <ActionError value=move || session.value().get()/>
        <ActionError value=move || room.value().get()/>
        <ActionError value=move || schedule.value().get()/>
        {move || schedule.value().get().and_then(Result::ok).map(|n| view! {
            <div class="notice notice-ok" role="status" data-testid="scheduled">
                {crate::text!(batches.scheduled_admission_tickets_issued)}{n}
            </div>
        })}
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <BatchDetailView detail=d include=include session=session room=room schedule=schedule/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
        <p><A href="/batches">{crate::text!(batches.back_to_batches)}</A></p>
    }
}

#[component]
fn BatchDetailView(
    detail: BatchDetail,
    include: ServerAction<IncludePlan>,
    session: ServerAction<AddSession>,
    room: ServerAction<AddRoom>,
    schedule: ServerAction<ScheduleBatch>,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = role_is(Role::OfficeAdmin);
    let BatchDetail {
        summary,
        plans,
        sessions,
        rooms,
        approved,
        tickets,
    } = detail;
    let id = summary.id;
    let draft = summary.status == "draft";
    let scheduled = summary.status == "scheduled";
    let published = summary.status == "published";
    let plan_choice = RwSignal::new(
        approved
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_default(),
    );
    let starts_at = RwSignal::new(String::new());
    let duration = RwSignal::new("90".to_owned());
    let late = RwSignal::new("15".to_owned());
    let venue = RwSignal::new(String::new());
    let room_name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let capacity = RwSignal::new("30".to_owned());
    view! {
        <section class="page-head">
            <h1>{summary.name.clone()}" "<BatchBadge status=summary.status.clone()/></h1>
            <p class="muted">{crate::text!(batches.candidates)}" "{summary.candidates}" · "{crate::text!(batches.seats)}" "{summary.seats}" · "{crate::text!(batches.tickets)}" "{tickets}</p>
            <div class="toolbar">
                {(!draft).then(|| view! {
                    <A href=format!("/batches/{id}/tickets") attr:class="button">{crate::text!(batches.print_admission_tickets)}</A>
                    <A href=format!("/batches/{id}/roster") attr:class="button">{crate::text!(batches.room_rosters)}</A>
                })}
                <Show when=move || admin.get()>
                    <A href=format!("/batches/{id}/papers") attr:class="button">{crate::text!(batches.papers_and_blueprint)}</A>
                </Show>
                <Show when=move || admin.get() && !draft>
                    <A href=format!("/batches/{id}/results") attr:class="button">{crate::text!(batches.results_review)}</A>
                </Show>
                {published.then(|| view! {
                    <A href=format!("/batches/{id}/results/list") attr:class="button">{crate::text!(batches.results_list)}</A>
                })}
                <Show when=move || admin.get() && (draft || scheduled)>
                    <button type="button" class="primary" on:click=move |_| {
                        if !scheduled || confirmed(t_string!(i18n, batches.confirm_reschedule)) {
                            schedule.dispatch(ScheduleBatch { batch_id: id });
                        }
                    }>{move || if scheduled { t_string!(crate::i18n::use_i18n(), batches.reschedule) } else { t_string!(crate::i18n::use_i18n(), batches.schedule_seats) }}</button>
                </Show>
            </div>
        </section>
        {(!draft).then(|| view! {
            <Show when=move || admin.get()>
                <section class="card">
                    <h2>{crate::text!(batches.candidates_papers)}</h2>
                    <PaperAssembly batch_id=id/>
                </section>
            </Show>
        })}
        <div class="grid">
            <section class="card">
                <h2>{crate::text!(batches.plans)}</h2>
                <ul>
                    {plans.into_iter().map(|p| view! {
                        <li><A href=format!("/plans/{}", p.id)>{format!("#{} {}", p.id, p.agency.name)}</A>" · "{p.candidates}" "<PlanBadge status=p.status/></li>
                    }).collect_view()}
                </ul>
                {(draft && !approved.is_empty()).then(|| view! {
                    <Show when=move || admin.get()>
                        <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            if let Ok(plan_id) = plan_choice.get_untracked().parse() {
                                include.dispatch(IncludePlan { batch_id: id, plan_id });
                            }
                        }>
                            <label>{crate::text!(batches.approved_plans)}
                                <select on:change=move |ev| plan_choice.set(event_target_value(&ev))>
                                    {approved.iter().map(|p| view! {
                                        <option value=p.id.to_string()>{t_string!(i18n, batches.plan_option, id = p.id, agency = p.agency.name.clone(), count = p.candidates)}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="submit">{crate::text!(batches.include)}</button>
                        </form>
                    </Show>
                })}
            </section>
            <section class="card">
                <h2>{crate::text!(batches.sessions)}</h2>
                <ul>
                    {sessions.into_iter().map(|s| view! {
                        <li>{t_string!(i18n, batches.session_line, seq = s.seq, starts = format_datetime(i18n.get_locale(), s.starts_at), minutes = s.duration_minutes, late = s.late_entry_minutes)}</li>
                    }).collect_view()}
                </ul>
                {draft.then(|| view! {
                    <Show when=move || admin.get()>
                        <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            session.dispatch(AddSession {
                                batch_id: id,
                                starts_at: starts_at.get_untracked(),
                                duration_minutes: duration.get_untracked().parse().unwrap_or(0),
                                late_entry_minutes: late.get_untracked().parse().unwrap_or(0),
                            });
                        }>
                            <div class="form-grid">
                                <div><label for="s-start">{crate::text!(batches.start_beijing_time)}</label>
                                    <input id="s-start" type="datetime-local" required bind:value=starts_at/></div>
                                <div><label for="s-duration">{crate::text!(batches.minutes)}</label>
                                    <input id="s-duration" type="text" inputmode="numeric" bind:value=duration/></div>
                                <div><label for="s-late">{crate::text!(batches.late_entry_min)}</label>
                                    <input id="s-late" type="text" inputmode="numeric" bind:value=late/></div>
                            </div>
                            <button type="submit">{crate::text!(batches.add_session)}</button>
                        </form>
                    </Show>
                })}
            </section>
            <section class="card">
                <h2>{crate::text!(batches.rooms)}</h2>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{crate::text!(batches.venue)}</th>
                        <th scope="col">{crate::text!(batches.room)}</th>
                        <th scope="col">{crate::text!(batches.seats)}</th>
                    </tr></thead>
                    <tbody>
                        {rooms.into_iter().map(|r| view! {
                            <tr><td>{r.venue}</td><td>{r.name}</td><td class="num">{r.capacity}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {draft.then(|| view! {
                    <Show when=move || admin.get()>
                        <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            room.dispatch(AddRoom {
                                batch_id: id,
                                venue: venue.get_untracked(),
                                name: room_name.get_untracked(),
                                address: address.get_untracked(),
                                capacity: capacity.get_untracked().parse().unwrap_or(0),
                            });
                        }>
                            <div class="form-grid">
                                <div><label for="r-venue">{crate::text!(batches.venue)}</label><input id="r-venue" type="text" required bind:value=venue/></div>
                                <div><label for="r-name">{crate::text!(batches.room_name)}</label><input id="r-name" type="text" required bind:value=room_name/></div>
                                <div><label for="r-address">{crate::text!(batches.address)}</label><input id="r-address" type="text" bind:value=address/></div>
                                <div><label for="r-capacity">{crate::text!(batches.seats_2)}</label><input id="r-capacity" type="text" inputmode="numeric" bind:value=capacity/></div>
                            </div>
                            <button type="submit">{crate::text!(batches.add_room)}</button>
                        </form>
                    </Show>
                })}
            </section>
        </div>
    }
}

/// `/batches/:id/tickets`: printable admission tickets, one per A4 page.
#[component]
pub fn TicketsPage() -> impl IntoView {
    let id = use_id_param();
    // The batch itself, so that a batch the caller may not see answers 404 like its other pages.
    let batch = Resource::new(move || id.get(), |id| load_by_id(id, get_batch));
    let print = ServerAction::<PrintTickets>::new();
    view! {
        <RequireRole roles=&[Role::OfficeAdmin, Role::AgencyOfficer]>
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match batch.await {
                        Ok(b) => view! { <Tickets batch=b.summary print/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

#[component]
fn Tickets(batch: BatchSummary, print: ServerAction<PrintTickets>) -> impl IntoView {
    let i18n = use_i18n();
    let id = batch.id;
    let print_now = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    view! {
        <section class="page-head no-print">
            <h1>{crate::text!(batches.admission_tickets)}</h1>
            <p><A href=format!("/batches/{id}")>{batch.name}</A></p>
            <p class="muted">{crate::text!(batches.each_time_fresh_one_time_access)}</p>
            <div class="toolbar">
                <button type="button" class="primary" disabled=move || print.pending().get()
                    on:click=move |_| {
                        if print.value().get_untracked().is_none() || confirmed(t_string!(i18n, batches.confirm_reprint)) {
                            print.dispatch(PrintTickets { batch_id: id });
                        }
                    }>
                    {crate::text!(batches.issue_tickets)}
                </button>
                <Show when=move || matches!(print.value().get(), Some(Ok(_)))>
                    <button type="button" on:click=print_now>{crate::text!(batches.print)}</button>
                </Show>
            </div>
            <ActionError value=move || print.value().get()/>
        </section>
        {move || print.value().get().and_then(Result::ok).map(|tickets| view! {
            <div class="tickets" data-testid="tickets">
                {tickets.into_iter().map(|t| view! {
                    <article class="ticket">
                        <header><h2>{t_string!(i18n, batches.ticket_heading)}</h2><p>{t.exam.get(i18n.get_locale()).to_owned()}</p></header>
                        <div class="ticket-body">
                            <div class="photo" aria-label=t_string!(i18n, batches.photo)>{t_string!(i18n, batches.photo)}</div>
                            <dl>
                                <dt>{t_string!(i18n, batches.person_name)}</dt><dd class="ticket-name">{t.name.clone()}</dd>
                                <dt>{t_string!(i18n, batches.resident_id)}</dt><dd class="mono">{t.resident_id.clone()}</dd>
                                <dt>{t_string!(i18n, batches.employer)}</dt><dd>{t.agency.clone()}</dd>
                                <dt>{t_string!(i18n, batches.ticket_no)}</dt><dd class="mono ticket-no">{t.ticket_no.clone()}</dd>
                                <dt>{t_string!(i18n, batches.access_code)}</dt><dd class="mono access-code">{t.access_code.clone()}</dd>
                                <dt>{t_string!(i18n, batches.exam_time)}</dt><dd>{t_string!(i18n, batches.ticket_time, starts = format_datetime(i18n.get_locale(), t.starts_at), minutes = t.duration_minutes, late = t.late_entry_minutes)}</dd>
                                <dt>{t_string!(i18n, batches.venue)}</dt><dd>{t.venue.clone()}" "{t.address.clone()}</dd>
                                <dt>{t_string!(i18n, batches.room_seat)}</dt><dd>{t.room.clone()}" · "{t_string!(i18n, batches.seat_no, seat = format!("{:02}", t.seat))}</dd>
                            </dl>
                        </div>
                        <footer>
                            <h3>{t_string!(i18n, batches.rules_heading)}</h3>
                            <ol>
                                <li>{t_string!(i18n, batches.rule_entry)}</li>
                                <li>{t_string!(i18n, batches.rule_closed_book)}</li>
                                <li>{t_string!(i18n, batches.rule_code)}</li>
                                <li>{t_string!(i18n, batches.rule_discipline)}</li>
                            </ol>
                        </footer>
                    </article>
                }).collect_view()}
            </div>
        })}
    }
}

/// `/batches/:id/roster`: a sign-in sheet (签到表) per room and session.
#[component]
pub fn RosterPage() -> impl IntoView {
    let id = use_id_param();
    let data = Resource::new(move || id.get(), |id| load_by_id(id, rosters));
    let unlock = ServerAction::<crate::sitting::UnlockSignIn>::new();
    view! {
        <RequireRole roles=&[Role::OfficeAdmin, Role::Proctor]>
            <Roster data/>
            <UnlockCard unlock/>
        </RequireRole>
    }
}

/// 解除登录锁定 — lets a candidate who is signed in elsewhere (or whose ticket a stranger
/// throttled) sign in again, with a reason. Office admin.
#[component]
fn UnlockCard(unlock: ServerAction<crate::sitting::UnlockSignIn>) -> impl IntoView {
    let user = crate::layout::use_user();
    let ticket_no = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let admin = matches!(user.await, Ok(Some(u)) if u.role == Role::OfficeAdmin);
                admin.then(|| view! {
                    <section class="card no-print" data-testid="unlock">
                        <h2>{crate::text!(sitting.unlock_title)}</h2>
                        <p class="muted">{crate::text!(sitting.unlock_help)}</p>
                        <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            unlock.dispatch(crate::sitting::UnlockSignIn { ticket_no: ticket_no.get_untracked(), reason: reason.get_untracked() });
                        }>
                            <label for="unlock-ticket">{crate::text!(exam.ticket_number)}</label>
                            <input id="unlock-ticket" type="text" inputmode="numeric" autocomplete="off" required bind:value=ticket_no/>
                            <label for="unlock-reason">{crate::text!(sitting.reason)}</label>
                            <input id="unlock-reason" type="text" maxlength="500" required bind:value=reason/>
                            <ActionError value=move || unlock.value().get()/>
                            {move || matches!(unlock.value().get(), Some(Ok(()))).then(|| view! {
                                <p class="notice" role="status">{crate::text!(sitting.unlocked)}</p>
                            })}
                            <button type="submit" class="primary" disabled=move || unlock.pending().get()>{crate::text!(sitting.unlock_button)}</button>
                        </form>
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Roster(data: Resource<Result<Vec<RoomRoster>, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page-head no-print"><h1>{crate::text!(batches.room_rosters)}</h1></section>
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rooms) => rooms.into_iter().map(|r| view! {
                        <article class="roster">
                            <h2>{t_string!(i18n, batches.sign_in_sheet_heading, venue = r.room.venue.clone(), room = r.room.name.clone(), seq = r.session.seq, starts = format_datetime(i18n.get_locale(), r.session.starts_at))}</h2>
                            <table class="data">
                                <thead><tr><th>{t_string!(i18n, batches.seat)}</th><th>{t_string!(i18n, batches.person_name)}</th><th>{t_string!(i18n, batches.resident_id)}</th><th>{t_string!(i18n, batches.employer)}</th><th>{t_string!(i18n, batches.ticket_no)}</th><th>{t_string!(i18n, batches.signature)}</th></tr></thead>
                                <tbody>
                                    {r.lines.into_iter().map(|l| view! {
                                        <tr><td class="num">{l.seat}</td><td>{l.name}</td><td class="mono">{l.resident_id}</td><td>{l.agency}</td><td class="mono">{l.ticket_no}</td><td class="signature"></td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </article>
                    }).collect_view().into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
