//! `/proctor` (the rooms a proctor watches; the office assigns proctors there),
//! `/proctor/:session/:room` (the live room console with the proctor's actions and the
//! evidence timeline) and `/proctor/:session/:room/record` (the room record, printable on A4).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

use super::{
    AssignProctors, CheckIn, ConsoleRow, ExtendTime, ForceSubmit, GrantRoom, MisconductCategory,
    ProctorRooms, RecordMisconduct, RoomConsole, RoomRecordView, RoomSitting, SaveRoomRecord,
    SeatState, SetRequireCheckIn, Timeline, TimelineKind, WATCHERS, load_console, load_timeline,
    my_rooms, room_record,
};
use crate::{
    error::AppError,
    i18n::{Locale, t_string, td_string, use_i18n},
    layout::{ActionError, Badge, LoadError},
    locale::{format_datetime, format_datetime_seconds},
    sitting::UnlockSignIn,
};

/// How often the console asks the server again.
const REFRESH_MS: u64 = 3000;
/// Silence after which a running attempt's heartbeat is shown as late.
const HEARTBEAT_LATE_SECONDS: i64 = 90;

/// (session, room) from the path.
fn use_room_params() -> Memo<Option<(i64, i64)>> {
    let params = use_params_map();
    Memo::new(move |_| {
        let p = params.read();
        Some((
            p.get("session")?.parse().ok()?,
            p.get("room")?.parse().ok()?,
        ))
    })
}

/// The batch, the session's number and its times.
fn session_line(locale: Locale, r: &RoomSitting) -> String {
    td_string!(
        locale,
        proctor.session_line,
        batch = r.batch_name.clone(),
        seq = r.session_seq,
        starts = format_datetime(locale, r.starts_at),
        ends = format_datetime(locale, r.ends_at)
    )
    .to_string()
}

fn room_title(r: &RoomSitting) -> String {
    format!("{} · {}", r.venue, r.room_name)
}

/// `/proctor`: the rooms the caller watches.
#[component]
pub fn ProctorRoomsPage() -> impl IntoView {
    let assign = ServerAction::<AssignProctors>::new();
    let require = ServerAction::<SetRequireCheckIn>::new();
    let rooms = Resource::new(
        move || (assign.version().get(), require.version().get()),
        |_| my_rooms(),
    );
    view! {
        <crate::layout::RequireRole roles=WATCHERS>
            <section class="page-head">
                <h1>{crate::text!(proctor.rooms_title)}</h1>
                <p class="muted">{crate::text!(proctor.rooms_help)}</p>
            </section>
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match rooms.await {
                        Ok(data) => view! { <RoomList data assign require/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=move || assign.value().get()/>
            <ActionError value=move || require.value().get()/>
        </crate::layout::RequireRole>
    }
}

#[component]
fn RoomList(
    data: ProctorRooms,
    assign: ServerAction<AssignProctors>,
    require: ServerAction<SetRequireCheckIn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ProctorRooms {
        rooms,
        assignable,
        can_assign,
    } = data;
    if rooms.is_empty() {
        return view! { <p class="notice" data-testid="no-rooms">{crate::text!(proctor.no_rooms)}</p> }
            .into_any();
    }
    let assignable = StoredValue::new(assignable);
    view! {
        <table class="data" data-testid="proctor-rooms">
            <thead><tr>
                <th scope="col">{crate::text!(proctor.session)}</th>
                <th scope="col">{crate::text!(proctor.room)}</th>
                <th scope="col" class="num">{crate::text!(proctor.candidates)}</th>
                <th scope="col">{crate::text!(proctor.proctors)}</th>
                <th scope="col">{crate::text!(proctor.actions)}</th>
            </tr></thead>
            <tbody>
                {rooms.into_iter().map(|r| {
                    let console = format!("/proctor/{}/{}", r.session_id, r.room_id);
                    let record = format!("{console}/record");
                    let session_id = r.session_id;
                    let room_id = r.room_id;
                    let required = r.require_check_in;
                    let title = room_title(&r);
                    let line = session_line(i18n.get_locale(), &r);
                    let proctors = if r.proctors.is_empty() { "—".to_owned() } else { r.proctors.join("、") };
                    let assigned: Vec<String> = r.proctors.clone();
                    view! {
                        <tr data-testid="proctor-room">
                            <td>{line}</td>
                            <td>{title}</td>
                            <td class="num">{r.candidates}</td>
                            <td>{proctors}</td>
                            <td>
                                <div class="toolbar">
                                    <A href=console attr:class="button primary">{crate::text!(proctor.open_console)}</A>
                                    <A href=record attr:class="button">{crate::text!(proctor.room_record)}</A>
                                </div>
                                {can_assign.then(|| view! {
                                    <AssignForm session_id room_id assigned assignable=assignable.get_value() assign/>
                                    <label class="small">
                                        <input type="checkbox" prop:checked=required
                                            on:change=move |ev| { require.dispatch(SetRequireCheckIn { session_id, required: event_target_checked(&ev) }); }/>
                                        " "{crate::text!(proctor.require_check_in)}
                                    </label>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The office's choice of proctors for one room of one session.
#[component]
fn AssignForm(
    session_id: i64,
    room_id: i64,
    assigned: Vec<String>,
    assignable: Vec<super::ProctorAccount>,
    assign: ServerAction<AssignProctors>,
) -> impl IntoView {
    let chosen = RwSignal::new(
        assignable
            .iter()
            .filter(|p| assigned.contains(&p.display_name))
            .map(|p| p.id)
            .collect::<Vec<i32>>(),
    );
    view! {
        <details class="editor">
            <summary>{crate::text!(proctor.assign_proctors)}</summary>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                assign.dispatch(AssignProctors { session_id, room_id, account_ids: chosen.get_untracked() });
            }>
                {assignable.into_iter().map(|p| {
                    let id = p.id;
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.read().contains(&id)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                                }/>
                            " "{p.display_name}" ("{p.username}")"
                        </label>
                    }
                }).collect_view()}
                <button type="submit" class="primary" disabled=move || assign.pending().get()>{crate::text!(proctor.save_assignment)}</button>
            </form>
        </details>
    }
}

/// The actions of the console and what their forms hold, made once in the route component:
/// the console is rebuilt at every refresh, and what the proctor is typing must survive it.
#[derive(Clone, Copy)]
struct ConsoleActions {
    check: ServerAction<CheckIn>,
    extend: ServerAction<ExtendTime>,
    grant: ServerAction<GrantRoom>,
    force: ServerAction<ForceSubmit>,
    misconduct: ServerAction<RecordMisconduct>,
    unlock: ServerAction<UnlockSignIn>,
    /// The table's state filter ("" = all), search text and order.
    filter: RwSignal<String>,
    text: RwSignal<String>,
    sort: RwSignal<SortBy>,
    grant_minutes: RwSignal<String>,
    grant_reason: RwSignal<String>,
    extend_minutes: RwSignal<String>,
    extend_reason: RwSignal<String>,
    unlock_reason: RwSignal<String>,
    force_reason: RwSignal<String>,
    force_sure: RwSignal<bool>,
    category: RwSignal<String>,
    description: RwSignal<String>,
    void: RwSignal<bool>,
    misconduct_sure: RwSignal<bool>,
}

impl ConsoleActions {
    fn new() -> Self {
        ConsoleActions {
            check: ServerAction::new(),
            extend: ServerAction::new(),
            grant: ServerAction::new(),
            force: ServerAction::new(),
            misconduct: ServerAction::new(),
            unlock: ServerAction::new(),
            filter: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            sort: RwSignal::new(SortBy::Seat),
            grant_minutes: RwSignal::new(String::new()),
            grant_reason: RwSignal::new(String::new()),
            extend_minutes: RwSignal::new("10".to_owned()),
            extend_reason: RwSignal::new(String::new()),
            unlock_reason: RwSignal::new(String::new()),
            force_reason: RwSignal::new(String::new()),
            force_sure: RwSignal::new(false),
            category: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            void: RwSignal::new(false),
            misconduct_sure: RwSignal::new(false),
        }
    }

    /// Empties the candidate panel's forms (another candidate was chosen).
    fn clear_candidate_forms(&self) {
        self.extend_minutes.set("10".to_owned());
        self.extend_reason.set(String::new());
        self.unlock_reason.set(String::new());
        self.force_reason.set(String::new());
        self.force_sure.set(false);
        self.category.set(String::new());
        self.description.set(String::new());
        self.void.set(false);
        self.misconduct_sure.set(false);
    }

    /// Changes whenever any action completes (the console then asks again at once).
    fn versions(&self) -> usize {
        self.check.version().get()
            + self.extend.version().get()
            + self.grant.version().get()
            + self.force.version().get()
            + self.misconduct.version().get()
            + self.unlock.version().get()
    }
}

/// Counts up every [`REFRESH_MS`] in the browser (the console and timeline ask again).
fn use_refresh_tick() -> RwSignal<u64> {
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || tick.update(|t| *t += 1),
            std::time::Duration::from_millis(REFRESH_MS),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    tick
}

/// `/proctor/:session/:room`: the live room console.
#[component]
pub fn ProctorConsolePage() -> impl IntoView {
    let ids = use_room_params();
    let tick = use_refresh_tick();
    let actions = ConsoleActions::new();
    let console = Resource::new(
        move || (ids.get(), tick.get(), actions.versions()),
        |(ids, ..)| async move {
            match ids {
                Some((s, r)) => load_console(s, r).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let selected = RwSignal::new(None::<String>);
    Effect::new(move |before: Option<Option<String>>| {
        let now = selected.get();
        if before.is_some_and(|b| b != now) {
            actions.clear_candidate_forms();
        }
        now
    });
    Effect::new(move |_| {
        let done = [
            matches!(actions.extend.value().get(), Some(Ok(()))),
            matches!(actions.force.value().get(), Some(Ok(()))),
            matches!(actions.misconduct.value().get(), Some(Ok(()))),
            matches!(actions.unlock.value().get(), Some(Ok(()))),
        ];
        if done.iter().any(|d| *d) {
            actions.extend_reason.set(String::new());
            actions.force_reason.set(String::new());
            actions.force_sure.set(false);
            actions.description.set(String::new());
            actions.misconduct_sure.set(false);
            actions.unlock_reason.set(String::new());
        }
    });
    Effect::new(move |_| {
        if matches!(actions.grant.value().get(), Some(Ok(_))) {
            actions.grant_reason.set(String::new());
        }
    });
    let evidence = Resource::new(
        move || (selected.get(), tick.get(), actions.versions()),
        |(ticket, ..)| async move {
            match ticket {
                Some(t) => load_timeline(t).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <crate::layout::RequireRole roles=WATCHERS>
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match console.await {
                        Ok(c) => view! { <Console console=c actions selected/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=move || actions.check.value().get()/>
            <Transition>
                {move || Suspend::new(async move {
                    match evidence.await {
                        Ok(Some(t)) => view! { <CandidatePanel timeline=t actions selected/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <crate::layout::ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </crate::layout::RequireRole>
    }
}

/// "mm:ss" (or "h:mm:ss") left until `deadline`, as of `now`.
fn time_left(now: DateTime<Utc>, deadline: DateTime<Utc>) -> String {
    let secs = (deadline - now).num_seconds().max(0);
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{:02}:{:02}", secs / 60, secs % 60)
    }
}

/// The console's sort orders.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Seat,
    Name,
    State,
    Signals,
    Heartbeat,
}

impl SortBy {
    const ALL: [SortBy; 5] = [
        SortBy::Seat,
        SortBy::Name,
        SortBy::State,
        SortBy::Signals,
        SortBy::Heartbeat,
    ];

    fn as_str(self) -> &'static str {
        match self {
            SortBy::Seat => "seat",
            SortBy::Name => "name",
            SortBy::State => "state",
            SortBy::Signals => "signals",
            SortBy::Heartbeat => "heartbeat",
        }
    }

    fn label(self, locale: Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            SortBy::Seat => td_string!(locale, proctor.seat),
            SortBy::Name => td_string!(locale, proctor.name),
            SortBy::State => td_string!(locale, proctor.state),
            SortBy::Signals => td_string!(locale, proctor.signals),
            SortBy::Heartbeat => td_string!(locale, proctor.last_heard),
        }
    }

    fn sort(self, rows: &mut [ConsoleRow]) {
        match self {
            SortBy::Seat => rows.sort_by_key(|r| r.seat),
            SortBy::Name => rows.sort_by(|a, b| a.name.cmp(&b.name)),
            SortBy::State => rows.sort_by_key(|r| (r.state.as_str(), r.seat)),
            SortBy::Signals => rows.sort_by_key(|r| (std::cmp::Reverse(r.signals), r.seat)),
            // Longest silence first; seats without an attempt last.
            SortBy::Heartbeat => {
                rows.sort_by_key(|r| (r.last_seen_at.is_none(), r.last_seen_at, r.seat))
            }
        }
    }
}

#[component]
fn Console(
    console: RoomConsole,
    actions: ConsoleActions,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let RoomConsole {
        room,
        now,
        rows,
        proposed_grant_minutes,
        record_submitted,
    } = console;
    let record_href = format!("/proctor/{}/{}/record", room.session_id, room.room_id);
    let title = room_title(&room);
    let line = session_line(i18n.get_locale(), &room);
    let proctors = room.proctors.join("、");
    let summary: Vec<(SeatState, usize)> = SeatState::ALL
        .into_iter()
        .map(|s| (s, rows.iter().filter(|r| r.state == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let (filter, text, sort) = (actions.filter, actions.text, actions.sort);
    let rows = StoredValue::new(rows);
    let shown = move || {
        let wanted = filter.get();
        let needle = text.get().trim().to_lowercase();
        let mut rows: Vec<ConsoleRow> = rows
            .get_value()
            .into_iter()
            .filter(|r| wanted.is_empty() || r.state.as_str() == wanted)
            .filter(|r| {
                needle.is_empty()
                    || r.name.to_lowercase().contains(&needle)
                    || r.ticket_no.contains(&needle)
                    || r.seat.to_string() == needle
            })
            .collect();
        sort.get().sort(&mut rows);
        rows
    };
    let session_id = room.session_id;
    let room_id = room.room_id;
    view! {
        <section class="page-head">
            <h1>{crate::text!(proctor.console_title)}" — "{title}</h1>
            <p class="muted">{line}</p>
            <p class="muted">{crate::text!(proctor.proctors)}": "{proctors}" · "{crate::text!(proctor.updated_at)}" "
                <span data-testid="console-time">{format_datetime_seconds(i18n.get_locale(), now)}</span></p>
            <div class="toolbar">
                <A href="/proctor" attr:class="button">{crate::text!(proctor.back_to_rooms)}</A>
                <A href=record_href attr:class="button">{crate::text!(proctor.room_record)}</A>
            </div>
        </section>
        {record_submitted.then(|| view! { <p class="notice" role="status">{crate::text!(proctor.room_closed)}</p> })}
        {(now > room.late_entry_until && !record_submitted).then(|| view! {
            <p class="notice notice-warn" role="status" data-testid="late-entry-passed">{crate::text!(proctor.late_entry_passed)}</p>
        })}
        <p class="state-summary" data-testid="state-summary">
            {summary.into_iter().map(|(s, n)| view! {
                <span class=format!("badge badge-{}", s.badge())>{move || s.label(i18n.get_locale())}" "{n}</span>" "
            }).collect_view()}
        </p>
        <GrantCard session_id room_id proposed=proposed_grant_minutes actions/>
        <form class="filters" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <label for="console-state">{crate::text!(proctor.state)}</label>
            <select id="console-state" prop:value=move || filter.get() on:change=move |ev| filter.set(event_target_value(&ev))>
                <option value="">{crate::text!(proctor.all_states)}</option>
                {SeatState::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str()>{move || s.label(i18n.get_locale())}</option>
                }).collect_view()}
            </select>
            <label for="console-text">{crate::text!(proctor.find)}</label>
            <input id="console-text" type="search" bind:value=text/>
            <label for="console-sort">{crate::text!(proctor.sort_by)}</label>
            <select id="console-sort" prop:value=move || sort.get().as_str() on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(s) = SortBy::ALL.into_iter().find(|s| s.as_str() == v) { sort.set(s); }
            }>
                {SortBy::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str()>{move || s.label(i18n.get_locale())}</option>
                }).collect_view()}
            </select>
        </form>
        <table class="data console" data-testid="console">
            <thead><tr>
                <th scope="col" class="num">{crate::text!(proctor.seat)}</th>
                <th scope="col">{crate::text!(proctor.name)}</th>
                <th scope="col">{crate::text!(proctor.ticket_no)}</th>
                <th scope="col">{crate::text!(proctor.state)}</th>
                <th scope="col" class="num">{crate::text!(proctor.answered)}</th>
                <th scope="col" class="num">{crate::text!(proctor.time_left)}</th>
                <th scope="col" class="num">{crate::text!(proctor.last_heard)}</th>
                <th scope="col" class="num">{crate::text!(proctor.signals)}</th>
                <th scope="col">{crate::text!(proctor.actions)}</th>
            </tr></thead>
            <tbody>
                {move || shown().into_iter().map(|r| view! {
                    <SeatRow row=r now actions selected closed=record_submitted/>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn SeatRow(
    row: ConsoleRow,
    now: DateTime<Utc>,
    actions: ConsoleActions,
    selected: RwSignal<Option<String>>,
    closed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = row.state;
    let ticket = row.ticket_no.clone();
    let running = state == SeatState::InProgress;
    let heard = row.last_seen_at.map(|at| (now - at).num_seconds().max(0));
    let late = running && heard.is_some_and(|s| s > HEARTBEAT_LATE_SECONDS);
    let can_check = !closed && row.deadline.is_none();
    let check_in = {
        let ticket = ticket.clone();
        move |present: bool| {
            actions.check.dispatch(CheckIn {
                ticket_no: ticket.clone(),
                present,
            });
        }
    };
    let check_absent = check_in.clone();
    let open = ticket.clone();
    let is_selected = {
        let ticket = ticket.clone();
        move || selected.read().as_deref() == Some(ticket.as_str())
    };
    view! {
        <tr data-testid="seat" data-ticket=ticket.clone() data-state=state.as_str() class:selected=is_selected>
            <td class="num">{row.seat}</td>
            <td>{row.name.clone()}{row.signed_in.then(|| view! { " "<span class="muted small">{crate::text!(proctor.signed_in)}</span> })}</td>
            <td class="mono">{ticket.clone()}</td>
            <td><Badge kind=state.badge() label=state.label(i18n.get_locale())/>
                {(row.misconduct > 0).then(|| view! { " "<Badge kind="danger" label=t_string!(i18n, proctor.misconduct_count, count = row.misconduct).to_string()/> })}</td>
            <td class="num">{if row.item_count > 0 { format!("{}/{}", row.answered, row.item_count) } else { "—".to_owned() }}</td>
            <td class="num" data-testid="time-left">{match row.deadline { Some(d) if running => time_left(now, d), _ => "—".to_owned() }}
                {(row.extra_minutes > 0).then(|| view! { " "<span class="muted small">{format!("+{}′", row.extra_minutes)}</span> })}</td>
            <td class={if late { "num bad" } else { "num" }}>{match heard {
                Some(s) => t_string!(i18n, proctor.seconds_ago, seconds = s).to_string(),
                None => "—".to_owned(),
            }}{late.then(|| view! { " "<strong>{crate::text!(proctor.late)}</strong> })}</td>
            <td class={if row.signals > 0 { "num warn" } else { "num" }} data-testid="signals">{row.signals}</td>
            <td>
                <div class="toolbar">
                    {can_check.then(|| view! {
                        <button type="button" data-testid="check-in" on:click=move |_| check_in(true)>{crate::text!(proctor.check_in)}</button>
                        <button type="button" data-testid="mark-absent" on:click=move |_| check_absent(false)>{crate::text!(proctor.mark_absent)}</button>
                    })}
                    <button type="button" data-testid="details" on:click=move |_| selected.set(Some(open.clone()))>{crate::text!(proctor.details)}</button>
                </div>
            </td>
        </tr>
    }
}

/// The room-wide grant, with the console's proposal after an outage.
#[component]
fn GrantCard(
    session_id: i64,
    room_id: i64,
    proposed: Option<u32>,
    actions: ConsoleActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let ConsoleActions {
        grant,
        grant_minutes: minutes,
        grant_reason: reason,
        ..
    } = actions;
    // The proposal fills an empty field (never what the proctor typed).
    if let Some(m) = proposed
        && minutes.get_untracked().is_empty()
    {
        minutes.set(m.to_string());
    }
    view! {
        <details class="card" open=proposed.is_some() data-testid="grant-room">
            <summary>{crate::text!(proctor.grant_room_title)}</summary>
            {proposed.map(|m| view! {
                <p class="notice" role="status" data-testid="grant-proposal">{move || t_string!(i18n, proctor.grant_proposal, minutes = m).to_string()}</p>
            })}
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                grant.dispatch(GrantRoom { session_id, room_id, minutes: minutes.get_untracked().trim().parse().unwrap_or(0), reason: reason.get_untracked() });
            }>
                <label for="grant-minutes">{crate::text!(proctor.minutes)}</label>
                <input id="grant-minutes" type="number" min="1" max="120" required bind:value=minutes/>
                <label for="grant-reason">{crate::text!(proctor.reason)}</label>
                <input id="grant-reason" type="text" maxlength="500" required bind:value=reason/>
                <button type="submit" class="primary" disabled=move || grant.pending().get()>{crate::text!(proctor.grant_room_button)}</button>
                <ActionError value=move || grant.value().get()/>
                {move || grant.value().get().and_then(Result::ok).map(|n| view! {
                    <p class="notice notice-ok" role="status">{move || t_string!(i18n, proctor.granted_to, count = n).to_string()}</p>
                })}
            </form>
        </details>
    }
}

/// One candidate: the evidence timeline and the actions on the attempt.
#[component]
fn CandidatePanel(
    timeline: Timeline,
    actions: ConsoleActions,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Timeline {
        ticket_no,
        name,
        seat,
        state,
        client_ip,
        entries,
    } = timeline;
    let running = state == SeatState::InProgress;
    let handed_in = matches!(
        state,
        SeatState::Submitted | SeatState::AutoSubmitted | SeatState::ForceSubmitted
    );
    let t = StoredValue::new(ticket_no.clone());
    view! {
        <section class="card candidate-panel" data-testid="candidate-panel" aria-live="polite">
            <div class="toolbar">
                <h2>{crate::text!(proctor.seat)}" "{seat}" · "{name}" · "<span class="mono">{ticket_no.clone()}</span></h2>
                <button type="button" on:click=move |_| selected.set(None)>{crate::text!(proctor.close)}</button>
            </div>
            <p><Badge kind=state.badge() label=state.label(i18n.get_locale())/>
                {client_ip.map(|ip| view! { " "<span class="muted small">{crate::text!(proctor.address)}" "{ip}</span> })}</p>
            <h3>{crate::text!(proctor.timeline)}</h3>
            <ol class="timeline" data-testid="timeline">
                {entries.into_iter().map(|e| {
                    let kind = e.kind;
                    let label = move || match kind {
                        TimelineKind::Attempt(k) => k.label(i18n.get_locale()).to_owned(),
                        TimelineKind::SignedIn => t_string!(i18n, proctor.signed_in_from).to_string(),
                        TimelineKind::CheckedIn => t_string!(i18n, proctor.checked_in_by).to_string(),
                        TimelineKind::MarkedAbsent => t_string!(i18n, proctor.marked_absent_by).to_string(),
                        TimelineKind::Misconduct(c) => format!("{}{}", t_string!(i18n, proctor.misconduct_prefix), c.label(i18n.get_locale())),
                        TimelineKind::Saves => t_string!(i18n, proctor.answers_saved_in_minute).to_string(),
                    };
                    view! {
                        <li data-testid="timeline-entry">
                            <span class="mono">{format_datetime_seconds(i18n.get_locale(), e.at)}</span>" "
                            <strong>{label}</strong>" "{e.detail}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {running.then(|| view! { <ExtendForm ticket=t actions/> })}
            <UnlockForm ticket=t actions/>
            {running.then(|| view! { <ForceSubmitForm ticket=t actions/> })}
            <MisconductForm ticket=t actions can_void={running || handed_in}/>
        </section>
    }
}

#[component]
fn ExtendForm(ticket: StoredValue<String>, actions: ConsoleActions) -> impl IntoView {
    let ConsoleActions {
        extend,
        extend_minutes: minutes,
        extend_reason: reason,
        ..
    } = actions;
    view! {
        <form class="action-form" data-testid="extend" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            extend.dispatch(ExtendTime { ticket_no: ticket.get_value(), minutes: minutes.get_untracked().trim().parse().unwrap_or(0), reason: reason.get_untracked() });
        }>
            <h3>{crate::text!(proctor.extend_title)}</h3>
            <label for="extend-minutes">{crate::text!(proctor.minutes)}</label>
            <input id="extend-minutes" type="number" min="1" max="120" required bind:value=minutes/>
            <label for="extend-reason">{crate::text!(proctor.reason)}</label>
            <input id="extend-reason" type="text" maxlength="500" required bind:value=reason/>
            <button type="submit" class="primary" disabled=move || extend.pending().get()>{crate::text!(proctor.extend_button)}</button>
            <ActionError value=move || extend.value().get()/>
        </form>
    }
}

#[component]
fn UnlockForm(ticket: StoredValue<String>, actions: ConsoleActions) -> impl IntoView {
    let ConsoleActions {
        unlock,
        unlock_reason: reason,
        ..
    } = actions;
    view! {
        <form class="action-form" data-testid="unlock" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            unlock.dispatch(UnlockSignIn { ticket_no: ticket.get_value(), reason: reason.get_untracked() });
        }>
            <h3>{crate::text!(sitting.unlock_title)}</h3>
            <p class="muted small">{crate::text!(sitting.unlock_help)}</p>
            <label for="unlock-reason">{crate::text!(proctor.reason)}</label>
            <input id="unlock-reason" type="text" maxlength="500" required bind:value=reason/>
            <button type="submit" disabled=move || unlock.pending().get()>{crate::text!(sitting.unlock_button)}</button>
            <ActionError value=move || unlock.value().get()/>
            {move || matches!(unlock.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{crate::text!(sitting.unlocked)}</p>
            })}
        </form>
    }
}

#[component]
fn ForceSubmitForm(ticket: StoredValue<String>, actions: ConsoleActions) -> impl IntoView {
    let ConsoleActions {
        force,
        force_reason: reason,
        force_sure: sure,
        ..
    } = actions;
    view! {
        <form class="action-form" data-testid="force-submit" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            force.dispatch(ForceSubmit { ticket_no: ticket.get_value(), reason: reason.get_untracked() });
        }>
            <h3>{crate::text!(proctor.force_submit_title)}</h3>
            <label for="force-reason">{crate::text!(proctor.reason)}</label>
            <input id="force-reason" type="text" maxlength="500" required bind:value=reason/>
            <label class="check"><input type="checkbox" bind:checked=sure/>" "{crate::text!(proctor.final_confirm)}</label>
            <button type="submit" class="danger" disabled=move || !sure.get() || force.pending().get()>{crate::text!(proctor.force_submit_button)}</button>
            <ActionError value=move || force.value().get()/>
        </form>
    }
}

#[component]
fn MisconductForm(
    ticket: StoredValue<String>,
    actions: ConsoleActions,
    can_void: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let ConsoleActions {
        misconduct,
        category,
        description,
        void,
        misconduct_sure: sure,
        ..
    } = actions;
    view! {
        <form class="action-form" data-testid="misconduct" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            misconduct.dispatch(RecordMisconduct {
                ticket_no: ticket.get_value(),
                category: category.get_untracked(),
                description: description.get_untracked(),
                void: can_void && void.get_untracked(),
            });
        }>
            <h3>{crate::text!(proctor.misconduct_title)}</h3>
            <label for="misconduct-category">{crate::text!(proctor.category)}</label>
            <select id="misconduct-category" required prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">{crate::text!(proctor.choose)}</option>
                {MisconductCategory::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str()>{move || c.label(i18n.get_locale())}</option>
                }).collect_view()}
            </select>
            <label for="misconduct-description">{crate::text!(proctor.description)}</label>
            <textarea id="misconduct-description" rows="3" maxlength="1000" required bind:value=description></textarea>
            {can_void.then(|| view! {
                <label class="check"><input type="checkbox" data-testid="void" bind:checked=void/>" "{crate::text!(proctor.void_attempt)}</label>
            })}
            <label class="check"><input type="checkbox" bind:checked=sure/>" "{crate::text!(proctor.final_confirm)}</label>
            <button type="submit" class="danger" disabled=move || !sure.get() || misconduct.pending().get()>{crate::text!(proctor.record_misconduct_button)}</button>
            <ActionError value=move || misconduct.value().get()/>
        </form>
    }
}

/// `/proctor/:session/:room/record`: the room record (考场记录).
#[component]
pub fn RoomRecordPage() -> impl IntoView {
    let ids = use_room_params();
    let save = ServerAction::<SaveRoomRecord>::new();
    let data = Resource::new(
        move || (ids.get(), save.version().get()),
        |(ids, _)| async move {
            match ids {
                Some((s, r)) => room_record(s, r).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <crate::layout::RequireRole roles=WATCHERS>
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => view! { <RecordSheet record=r save/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </crate::layout::RequireRole>
    }
}

#[component]
fn RecordSheet(record: RoomRecordView, save: ServerAction<SaveRoomRecord>) -> impl IntoView {
    let i18n = use_i18n();
    let RoomRecordView {
        room,
        present,
        absent,
        incidents,
        signatures,
        submitted_at,
        submitted_by,
        misconduct,
        extensions,
    } = record;
    let locked = submitted_at.is_some();
    let title = room_title(&room);
    let line = session_line(i18n.get_locale(), &room);
    let console = format!("/proctor/{}/{}", room.session_id, room.room_id);
    let session_id = room.session_id;
    let room_id = room.room_id;
    let present_in = RwSignal::new(present.to_string());
    let absent_in = RwSignal::new(absent.to_string());
    let incidents_in = RwSignal::new(incidents.clone());
    let signatures_in = RwSignal::new(signatures.clone());
    let sure = RwSignal::new(false);
    let send = move |submit: bool| {
        save.dispatch(SaveRoomRecord {
            session_id,
            room_id,
            present: present_in.get_untracked().trim().parse().unwrap_or(-1),
            absent: absent_in.get_untracked().trim().parse().unwrap_or(-1),
            incidents: incidents_in.get_untracked(),
            signatures: signatures_in.get_untracked(),
            submit,
        });
    };
    view! {
        <article class="room-record" data-testid="room-record">
            <header>
                <h1>{crate::text!(proctor.room_record_title)}</h1>
                <p>{title}" · "{line}</p>
            </header>
            <div class="toolbar no-print">
                <A href=console attr:class="button">{crate::text!(proctor.back_to_console)}</A>
                <button type="button" on:click=move |_| { let _ = window().print(); }>{crate::text!(proctor.print)}</button>
            </div>
            <dl class="meta">
                <dt>{crate::text!(proctor.candidates)}</dt><dd>{room.candidates}</dd>
                <dt>{crate::text!(proctor.present)}</dt><dd data-testid="record-present">{present}</dd>
                <dt>{crate::text!(proctor.absent)}</dt><dd data-testid="record-absent">{absent}</dd>
            </dl>
            <h2>{crate::text!(proctor.misconduct_title)}</h2>
            {if misconduct.is_empty() {
                view! { <p class="muted">{crate::text!(proctor.none)}</p> }.into_any()
            } else {
                view! {
                    <ul>{misconduct.into_iter().map(|(seat, name, c, voided)| view! {
                        <li>{crate::text!(proctor.seat)}" "{seat}" · "{name}" · "{move || c.label(i18n.get_locale())}
                            {voided.then(|| view! { " · "<strong>{crate::text!(proctor.state_voided)}</strong> })}</li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
            <h2>{crate::text!(proctor.time_granted)}</h2>
            {if extensions.is_empty() {
                view! { <p class="muted">{crate::text!(proctor.none)}</p> }.into_any()
            } else {
                view! {
                    <ul>{extensions.into_iter().map(|(seat, name, minutes)| view! {
                        <li>{crate::text!(proctor.seat)}" "{seat}" · "{name}" · +"{minutes}"′"</li>
                    }).collect_view()}</ul>
                }.into_any()
            }}
            {if locked {
                view! {
                    <h2>{crate::text!(proctor.incidents)}</h2>
                    <p class="pre" data-testid="record-incidents">{if incidents.is_empty() { "—".to_owned() } else { incidents }}</p>
                    <h2>{crate::text!(proctor.signatures)}</h2>
                    <ul class="signatures" data-testid="record-signatures">
                        {signatures.lines().map(|s| view! { <li>{s.to_owned()}</li> }).collect_view()}
                    </ul>
                    <p class="notice notice-ok record-stamp" role="status" data-testid="record-submitted">
                        {move || t_string!(i18n, proctor.record_submitted_at, at = submitted_at.map(|at| format_datetime(i18n.get_locale(), at)).unwrap_or_default(), by = submitted_by.clone().unwrap_or_default()).to_string()}
                    </p>
                }.into_any()
            } else {
                view! {
                    <form class="no-print" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send(false); }>
                        <div class="form-grid">
                            <div><label for="record-present-in">{crate::text!(proctor.present)}</label>
                                <input id="record-present-in" type="number" min="0" required bind:value=present_in/></div>
                            <div><label for="record-absent-in">{crate::text!(proctor.absent)}</label>
                                <input id="record-absent-in" type="number" min="0" required bind:value=absent_in/></div>
                        </div>
                        <label for="record-incidents-in">{crate::text!(proctor.incidents)}</label>
                        <textarea id="record-incidents-in" rows="5" maxlength="5000" bind:value=incidents_in></textarea>
                        <label for="record-signatures-in">{crate::text!(proctor.signatures_help)}</label>
                        <textarea id="record-signatures-in" rows="3" bind:value=signatures_in></textarea>
                        <ActionError value=move || save.value().get()/>
                        <div class="toolbar">
                            <button type="submit" disabled=move || save.pending().get()>{crate::text!(proctor.save_draft)}</button>
                            <label class="check"><input type="checkbox" bind:checked=sure/>" "{crate::text!(proctor.record_final_confirm)}</label>
                            <button type="button" class="primary" data-testid="submit-record" disabled=move || !sure.get() || save.pending().get()
                                on:click=move |_| send(true)>{crate::text!(proctor.submit_record)}</button>
                        </div>
                    </form>
                }.into_any()
            }}
        </article>
    }
}
