//! `/meetings` and `/meetings/:id`: the office admin convenes and closes review meetings; the
//! committee members vote.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    AddToAgenda, AgendaItem, CastVote, CloseMeeting, CreateMeeting, MeetingDetail, MeetingSummary,
    READERS, SetAttendance, get_meeting, list_meetings,
};
use crate::{
    error::AppError,
    i18n::{Locale, tr, use_i18n},
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    plans::PlanBadge,
    procedure::Choice,
    roles::Role,
};

fn choice_label(c: Choice, locale: Locale) -> &'static str {
    if locale == Locale::En {
        c.label_en()
    } else {
        c.label_zh()
    }
}

fn resolution_badge(r: &str) -> (&'static str, &'static str, &'static str) {
    match r {
        "approved" => ("ok", "通过", "Approved"),
        "rejected" => ("danger", "不予通过", "Rejected"),
        "returned" => ("warn", "退回修改", "Returned"),
        _ => ("muted", "未形成决议", "Undecided"),
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
        <section class="page-head"><h1>{tr("审核会议", "Review meetings")}</h1></section>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match meetings.await {
                            Ok(rows) if rows.is_empty() => view! {
                                <p class="muted">{tr("还没有审核会议。", "No meetings yet.")}</p>
                            }.into_any(),
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{tr("会议", "Meeting")}</th>
                                        <th scope="col">{tr("日期", "Date")}</th>
                                        <th scope="col">{tr("议程", "Agenda")}</th>
                                        <th scope="col">{move || i18n.t().status}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|m| view! {
                                            <tr>
                                                <td><A href=format!("/meetings/{}", m.id)>{m.title}</A></td>
                                                <td>{m.held_on}</td>
                                                <td class="num">{m.items}</td>
                                                <td>{move || if m.closed {
                                                    view! { <Badge kind="muted" label=tr("已结束", "Closed")()/> }
                                                } else {
                                                    view! { <Badge kind="info" label=tr("进行中", "Open")()/> }
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
                    <h2>{tr("召开审核会议", "Convene a meeting")}</h2>
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        create.dispatch(CreateMeeting { title: title.get_untracked(), held_on: held_on.get_untracked() });
                    }>
                        <label for="m-title">{tr("会议名称", "Title")}</label>
                        <input id="m-title" type="text" required bind:value=title/>
                        <label for="m-date">{tr("会议日期", "Date")}</label>
                        <input id="m-date" type="date" required bind:value=held_on/>
                        <ActionError value=move || create.value().get()/>
                        <button type="submit" class="primary">{tr("创建会议", "Create meeting")}</button>
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
        <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! {
                        <MeetingDetailView detail=d agenda=agenda attendance=attendance vote=vote close=close/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
        <p><A href="/meetings">{tr("返回会议列表", "Back to the meetings")}</A></p>
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
                {tr("委员", "Committee")}" "{committee_size}" · "
                {tr("法定人数", "Quorum")}" "{format!("{}/{}", quorum.0, quorum.1)}" · "
                {tr("出席", "Present")}" "{present}
            </p>
        </section>
        <section class="card">
            <h2>{tr("出席委员", "Members present")}</h2>
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
                        <button type="submit">{tr("记录出席", "Record attendance")}</button>
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
                    <h2>{tr("列入议程", "Add to the agenda")}</h2>
                    <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if let Ok(plan_id) = plan_choice.get_untracked().parse() {
                            agenda.dispatch(AddToAgenda { meeting_id: id, plan_id });
                        }
                    }>
                        <label>{tr("已申报的计划", "Submitted plans")}
                            <select on:change=move |ev| plan_choice.set(event_target_value(&ev))>
                                {submitted.iter().map(|p| view! {
                                    <option value=p.id.to_string()>{format!("#{} {}({} 人)", p.id, p.agency.name, p.candidates)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="primary">{tr("列入议程", "Add")}</button>
                    </form>
                </section>
            </Show>
        })}
        <section class="card">
            <h2>{tr("会议纪要", "Minutes")}</h2>
            {if open && admin.get_untracked() {
                view! {
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if confirmed("结束会议后将按表决结果形成决议,会议记录不能再修改。确定结束会议吗?") {
                            close.dispatch(CloseMeeting { meeting_id: id, minutes: minutes_text.get_untracked() });
                        }
                    }>
                        <label for="m-minutes">{tr("纪要", "Minutes")}</label>
                        <textarea id="m-minutes" rows="5" prop:value=move || minutes_text.get()
                            on:input=move |ev| minutes_text.set(event_target_value(&ev))></textarea>
                        <button type="submit" class="primary danger">{tr("结束会议并形成决议", "Close the meeting and resolve")}</button>
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
                    let (kind, zh, en) = resolution_badge(&r);
                    view! { " "<span data-testid="resolution"><Badge kind=kind label=if i18n.locale() == Locale::En { en } else { zh }/></span> }
                })}
            </h2>
            <p class="muted">{format!("{} ~ {} · {} 人", plan.period_from, plan.period_to, plan.candidates)}
                {(!tally.is_empty()).then(|| view! { " · "{tally.clone()} })}</p>
            <table class="data">
                <thead><tr>
                    <th scope="col">{tr("委员", "Member")}</th>
                    <th scope="col">{tr("表决", "Vote")}</th>
                    <th scope="col">{tr("意见", "Comment")}</th>
                </tr></thead>
                <tbody>
                    {votes.into_iter().map(|v| view! {
                        <tr>
                            <td>{v.member}</td>
                            <td>{move || choice_label(v.choice, i18n.locale())}</td>
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
                    <label>{tr("表决意见", "Your vote")}
                        <select on:change=move |ev| choice.set(event_target_value(&ev))>
                            <option value="approve">{move || choice_label(Choice::Approve, i18n.locale())}</option>
                            <option value="reject">{move || choice_label(Choice::Reject, i18n.locale())}</option>
                            <option value="return">{move || choice_label(Choice::Return, i18n.locale())}</option>
                            <option value="abstain">{move || choice_label(Choice::Abstain, i18n.locale())}</option>
                        </select>
                    </label>
                    <label>{tr("意见", "Comment")}<input type="text" bind:value=comment/></label>
                    <button type="submit" class="primary">{tr("提交表决", "Cast vote")}</button>
                </form>
            })}
        </section>
    }
}
