//! `/meetings` and `/meetings/:id`: the office admin convenes and closes review meetings; the
//! committee members vote.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    AddToAgenda, AgendaItem, CastVote, CloseMeeting, CreateMeeting, MeetingDetail, MeetingSummary,
    READERS, SetAttendance, get_meeting, list_meetings,
};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::{
    error::AppError,
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    plans::PlanBadge,
    procedure::Choice,
    roles::Role,
};

fn choice_label(c: Choice, locale: Locale) -> &'static str {
    match c {
        Choice::Approve => td_string!(locale, meetings.choice_approve),
        Choice::Reject => td_string!(locale, meetings.choice_reject),
        Choice::Return => td_string!(locale, meetings.choice_return),
        Choice::Abstain => td_string!(locale, meetings.choice_abstain),
    }
}

/// The badge kind of a stored resolution.
fn resolution_kind(r: &str) -> &'static str {
    match r {
        "approved" => "ok",
        "rejected" => "danger",
        "returned" => "warn",
        _ => "muted",
    }
}

fn is_admin() -> Signal<bool> {
    let user = use_user();
    Signal::derive(move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.role == Role::OfficeAdmin)
    })
}

/// `/meetings`.
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let create = ServerAction::<CreateMeeting>::new();
    let meetings = Resource::new(move || create.version().get(), |_| list_meetings());
    view! {
        <RequireRole roles=READERS>
            <MeetingList create meetings/>
        </RequireRole>
    }
}

#[component]
fn MeetingList(
    create: ServerAction<CreateMeeting>,
    meetings: Resource<Result<Vec<MeetingSummary>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let held_on = RwSignal::new(String::new());
    let admin = is_admin();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/meetings/{id}"), Default::default());
        }
    });
    view! {
        <section class="page-head"><h1>{crate::text!(meetings.review_meetings)}</h1></section>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match meetings.await {
                            Ok(rows) if rows.is_empty() => view! {
                                <p class="muted">{crate::text!(meetings.no_meetings_yet)}</p>
                            }.into_any(),
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{crate::text!(meetings.meeting)}</th>
                                        <th scope="col">{crate::text!(meetings.date)}</th>
                                        <th scope="col">{crate::text!(meetings.agenda)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.status)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|m| view! {
                                            <tr>
                                                <td><A href=format!("/meetings/{}", m.id)>{m.title}</A></td>
                                                <td>{m.held_on}</td>
                                                <td class="num">{m.items}</td>
                                                <td>{move || if m.closed {
                                                    view! { <Badge kind="muted" label=t_string!(crate::i18n::use_i18n(), meetings.closed)/> }
                                                } else {
                                                    view! { <Badge kind="info" label=t_string!(crate::i18n::use_i18n(), meetings.open)/> }
                                                }}</td>
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
                    <h2>{crate::text!(meetings.convene_meeting)}</h2>
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        create.dispatch(CreateMeeting { title: title.get_untracked(), held_on: held_on.get_untracked() });
                    }>
                        <label for="m-title">{crate::text!(meetings.title)}</label>
                        <input id="m-title" type="text" required bind:value=title/>
                        <label for="m-date">{crate::text!(meetings.date_2)}</label>
                        <input id="m-date" type="date" required bind:value=held_on/>
                        <ActionError value=move || create.value().get()/>
                        <button type="submit" class="primary">{crate::text!(meetings.create_meeting)}</button>
                    </form>
                </section>
            </Show>
        </div>
    }
}

/// The meeting, and the actions that change it, of `/meetings/:id`.
#[derive(Clone, Copy)]
struct MeetingData {
    detail: Resource<Result<MeetingDetail, AppError>>,
    agenda: ServerAction<AddToAgenda>,
    attendance: ServerAction<SetAttendance>,
    vote: ServerAction<CastVote>,
    close: ServerAction<CloseMeeting>,
}

impl MeetingData {
    fn new() -> Self {
        let id = use_id_param();
        let agenda = ServerAction::<AddToAgenda>::new();
        let attendance = ServerAction::<SetAttendance>::new();
        let vote = ServerAction::<CastVote>::new();
        let close = ServerAction::<CloseMeeting>::new();
        let detail = Resource::new(
            move || {
                (
                    id.get(),
                    agenda.version().get(),
                    attendance.version().get(),
                    vote.version().get(),
                    close.version().get(),
                )
            },
            |(id, ..)| load_by_id(id, get_meeting),
        );
        MeetingData {
            detail,
            agenda,
            attendance,
            vote,
            close,
        }
    }
}

/// `/meetings/:id`.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let data = MeetingData::new();
    view! {
        <RequireRole roles=READERS>
            <MeetingView data/>
        </RequireRole>
    }
}

#[component]
fn MeetingView(data: MeetingData) -> impl IntoView {
    let MeetingData {
        detail,
        agenda,
        attendance,
        vote,
        close,
    } = data;
    view! {
        <ActionError value=move || agenda.value().get()/>
        <ActionError value=move || attendance.value().get()/>
        <ActionError value=move || vote.value().get()/>
        <ActionError value=move || close.value().get()/>
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! {
                        <MeetingDetailView detail=d agenda=agenda attendance=attendance vote=vote close=close/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
        <p><A href="/meetings">{crate::text!(meetings.back_to_meetings)}</A></p>
    }
}

#[component]
fn MeetingDetailView(
    detail: MeetingDetail,
    agenda: ServerAction<AddToAgenda>,
    attendance: ServerAction<SetAttendance>,
    vote: ServerAction<CastVote>,
    close: ServerAction<CloseMeeting>,
) -> impl IntoView {
    let i18n = use_i18n();
    let admin = is_admin();
    let MeetingDetail {
        summary,
        quorum,
        committee_size,
        members,
        attendees,
        items,
        minutes,
        submitted,
    } = detail;
    let id = summary.id;
    let open = !summary.closed;
    let selected = RwSignal::new(attendees.clone());
    let minutes_text = RwSignal::new(minutes.clone());
    let plan_choice = RwSignal::new(
        submitted
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_default(),
    );
    let present = attendees.len();
    view! {
        <section class="page-head">
            <h1>{summary.title.clone()}</h1>
            <p class="muted">
                {summary.held_on.clone()}" · "
                {crate::text!(meetings.committee)}" "{committee_size}" · "
                {crate::text!(meetings.quorum)}" "{format!("{}/{}", quorum.0, quorum.1)}" · "
                {crate::text!(meetings.present)}" "{present}
            </p>
        </section>
        <section class="card">
            <h2>{crate::text!(meetings.members_present)}</h2>
            {if open && admin.get_untracked() {
                view! {
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        attendance.dispatch(SetAttendance { meeting_id: id, members: selected.get_untracked() });
                    }>
                        {members.iter().map(|m| {
                            let mid = m.id;
                            view! {
                                <label class="check">
                                    <input type="checkbox" prop:checked=move || selected.get().contains(&mid)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| { s.retain(|x| *x != mid); if on { s.push(mid); } });
                                        }/>
                                    {m.name.clone()}
                                </label>
                            }
                        }).collect_view()}
                        <button type="submit">{crate::text!(meetings.record_attendance)}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p>{members.iter().filter(|m| attendees.contains(&m.id)).map(|m| m.name.clone()).collect::<Vec<_>>().join("、")}</p>
                }.into_any()
            }}
        </section>
        {items.into_iter().map(|item| view! { <AgendaItemView item=item vote=vote/> }).collect_view()}
        {(open && !submitted.is_empty()).then(|| view! {
            <Show when=move || admin.get()>
                <section class="card">
                    <h2>{crate::text!(meetings.add_to_agenda)}</h2>
                    <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if let Ok(plan_id) = plan_choice.get_untracked().parse() {
                            agenda.dispatch(AddToAgenda { meeting_id: id, plan_id });
                        }
                    }>
                        <label>{crate::text!(meetings.submitted_plans)}
                            <select on:change=move |ev| plan_choice.set(event_target_value(&ev))>
                                {submitted.iter().map(|p| view! {
                                    <option value=p.id.to_string()>{t_string!(i18n, meetings.plan_option, id = p.id, agency = p.agency.name.clone(), count = p.candidates)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="primary">{crate::text!(meetings.add)}</button>
                    </form>
                </section>
            </Show>
        })}
        <section class="card">
            <h2>{crate::text!(meetings.minutes)}</h2>
            {if open && admin.get_untracked() {
                view! {
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if confirmed(t_string!(i18n, meetings.confirm_close)) {
                            close.dispatch(CloseMeeting { meeting_id: id, minutes: minutes_text.get_untracked() });
                        }
                    }>
                        <label for="m-minutes">{crate::text!(meetings.minutes_2)}</label>
                        <textarea id="m-minutes" rows="5" prop:value=move || minutes_text.get()
                            on:input=move |ev| minutes_text.set(event_target_value(&ev))></textarea>
                        <button type="submit" class="primary danger">{crate::text!(meetings.close_meeting_and_resolve)}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="minutes">{minutes.clone()}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn AgendaItemView(item: AgendaItem, vote: ServerAction<CastVote>) -> impl IntoView {
    let i18n = use_i18n();
    let AgendaItem {
        id,
        plan,
        votes,
        can_vote,
        resolution,
        tally,
    } = item;
    let choice = RwSignal::new("approve".to_owned());
    let comment = RwSignal::new(String::new());
    view! {
        <section class="card agenda-item" data-testid=format!("agenda-{}", plan.id)>
            <h2>
                <A href=format!("/plans/{}", plan.id)>{format!("#{} {}", plan.id, plan.agency.name)}</A>" "
                <PlanBadge status=plan.status/>
                {resolution.clone().map(|r| {
                    let kind = resolution_kind(&r);
                    view! { " "<span data-testid="resolution"><Badge kind=kind label=super::outcome_label(i18n.get_locale(), &r)/></span> }
                })}
            </h2>
            <p class="muted">{t_string!(i18n, meetings.period_and_candidates, from = plan.period_from.clone(), to = plan.period_to.clone(), count = plan.candidates)}
                {(!tally.is_empty()).then(|| view! { " · "{tally.clone()} })}</p>
            <table class="data">
                <thead><tr>
                    <th scope="col">{crate::text!(meetings.member)}</th>
                    <th scope="col">{crate::text!(meetings.vote)}</th>
                    <th scope="col">{crate::text!(meetings.comment)}</th>
                </tr></thead>
                <tbody>
                    {votes.into_iter().map(|v| view! {
                        <tr>
                            <td>{v.member}</td>
                            <td>{move || choice_label(v.choice, i18n.get_locale())}</td>
                            <td>{v.comment}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {can_vote.then(|| view! {
                <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let c = match choice.get_untracked().as_str() {
                        "reject" => Choice::Reject,
                        "return" => Choice::Return,
                        "abstain" => Choice::Abstain,
                        _ => Choice::Approve,
                    };
                    vote.dispatch(CastVote { item_id: id, choice: c, comment: comment.get_untracked() });
                }>
                    <label>{crate::text!(meetings.your_vote)}
                        <select on:change=move |ev| choice.set(event_target_value(&ev))>
                            <option value="approve">{move || choice_label(Choice::Approve, i18n.get_locale())}</option>
                            <option value="reject">{move || choice_label(Choice::Reject, i18n.get_locale())}</option>
                            <option value="return">{move || choice_label(Choice::Return, i18n.get_locale())}</option>
                            <option value="abstain">{move || choice_label(Choice::Abstain, i18n.get_locale())}</option>
                        </select>
                    </label>
                    <label>{crate::text!(meetings.comment)}<input type="text" bind:value=comment/></label>
                    <button type="submit" class="primary">{crate::text!(meetings.cast_vote)}</button>
                </form>
            })}
        </section>
    }
}
