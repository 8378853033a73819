//! `/batches`, `/batches/:id`, `/batches/:id/tickets` (printable admission tickets) and
//! `/batches/:id/roster` (printable room rosters).

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    AddRoom, AddSession, BatchDetail, BatchSummary, CreateBatch, IncludePlan, PrintTickets,
    RoomRoster, ScheduleBatch, VIEWERS, format_china, get_batch, list_batches, rosters,
};
use crate::{
    error::AppError,
    i18n::{Locale, tr, use_i18n},
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    papers::PaperAssembly,
    plans::PlanBadge,
    roles::Role,
};

fn status_badge(status: &str) -> (&'static str, &'static str, &'static str) {
    match status {
        "draft" => ("info", "草稿", "Draft"),
        "scheduled" => ("ok", "已编排", "Scheduled"),
        "in_progress" => ("warn", "考试中", "In progress"),
        "closed" => ("muted", "已结束", "Closed"),
        _ => ("ok", "已发布", "Published"),
    }
}

#[component]
fn BatchBadge(status: String) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, zh, en) = status_badge(&status);
    move || view! { <Badge kind=kind label=if i18n.locale() == Locale::En { en } else { zh }/> }
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
        <section class="page-head"><h1>{tr("考试批次", "Exam batches")}</h1></section>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
                    {move || Suspend::new(async move {
                        match batches.await {
                            Ok(rows) if rows.is_empty() => view! { <p class="muted">{tr("还没有考试批次。", "No batches yet.")}</p> }.into_any(),
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{tr("批次", "Batch")}</th>
                                        <th scope="col">{tr("考生", "Candidates")}</th>
                                        <th scope="col">{tr("座位", "Seats")}</th>
                                        <th scope="col">{tr("状态", "Status")}</th>
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
                    <h2>{tr("新建考试批次", "New batch")}</h2>
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        create.dispatch(CreateBatch { name: name.get_untracked(), exam_kind: kind.get_untracked(), field: field.get_untracked() });
                    }>
                        <label for="b-name">{tr("批次名称", "Name")}</label>
                        <input id="b-name" type="text" required bind:value=name/>
                        <label for="b-kind">{tr("考试类别", "Exam kind")}</label>
                        <select id="b-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="general">{tr("综合法律知识", "General law")}</option>
                            <option value="professional">{tr("专业法律知识", "Professional law")}</option>
                        </select>
                        <Show when=move || kind.get() == "professional">
                            <label for="b-field">{tr("执法领域", "Field")}</label>
                            <input id="b-field" type="text" bind:value=field/>
                        </Show>
                        <ActionError value=move || create.value().get()/>
                        <button type="submit" class="primary">{tr("创建批次", "Create batch")}</button>
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
                {tr("编排完成,已生成准考证号:", "Scheduled; admission tickets issued: ")}{n}
            </div>
        })}
        <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <BatchDetailView detail=d include=include session=session room=room schedule=schedule/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
        <p><A href="/batches">{tr("返回批次列表", "Back to the batches")}</A></p>
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
            <p class="muted">{tr("考生", "Candidates")}" "{summary.candidates}" · "{tr("座位", "Seats")}" "{summary.seats}" · "{tr("准考证", "Tickets")}" "{tickets}</p>
            <div class="toolbar">
                {(!draft).then(|| view! {
                    <A href=format!("/batches/{id}/tickets") attr:class="button">{tr("打印准考证", "Print admission tickets")}</A>
                    <A href=format!("/batches/{id}/roster") attr:class="button">{tr("考场签到表", "Room rosters")}</A>
                })}
                <Show when=move || admin.get()>
                    <A href=format!("/batches/{id}/papers") attr:class="button">{tr("试卷与组卷方案", "Papers and blueprint")}</A>
                </Show>
                <Show when=move || admin.get() && (draft || scheduled)>
                    <button type="button" class="primary" on:click=move |_| {
                        if !scheduled || confirmed("重新编排将重新分配座位和准考证号,已打印的准考证作废。确定重新编排吗?") {
                            schedule.dispatch(ScheduleBatch { batch_id: id });
                        }
                    }>{move || if scheduled { tr("重新编排", "Reschedule")() } else { tr("编排考场和座位", "Schedule seats")() }}</button>
                </Show>
            </div>
        </section>
        {(!draft).then(|| view! {
            <Show when=move || admin.get()>
                <section class="card">
                    <h2>{tr("考生试卷", "Candidates' papers")}</h2>
                    <PaperAssembly batch_id=id/>
                </section>
            </Show>
        })}
        <div class="grid">
            <section class="card">
                <h2>{tr("编入的考试计划", "Plans")}</h2>
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
                            <label>{tr("已批准的计划", "Approved plans")}
                                <select on:change=move |ev| plan_choice.set(event_target_value(&ev))>
                                    {approved.iter().map(|p| view! {
                                        <option value=p.id.to_string()>{format!("#{} {}({} 人)", p.id, p.agency.name, p.candidates)}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <button type="submit">{tr("编入批次", "Include")}</button>
                        </form>
                    </Show>
                })}
            </section>
            <section class="card">
                <h2>{tr("场次", "Sessions")}</h2>
                <ul>
                    {sessions.into_iter().map(|s| view! {
                        <li>{format!("第 {} 场 · {} · {} 分钟 · 迟到 {} 分钟截止", s.seq, format_china(s.starts_at), s.duration_minutes, s.late_entry_minutes)}</li>
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
                                <div><label for="s-start">{tr("开考时间(北京时间)", "Start (Beijing time)")}</label>
                                    <input id="s-start" type="datetime-local" required bind:value=starts_at/></div>
                                <div><label for="s-duration">{tr("时长(分钟)", "Minutes")}</label>
                                    <input id="s-duration" type="text" inputmode="numeric" bind:value=duration/></div>
                                <div><label for="s-late">{tr("迟到截止(分钟)", "Late entry (min)")}</label>
                                    <input id="s-late" type="text" inputmode="numeric" bind:value=late/></div>
                            </div>
                            <button type="submit">{tr("增加场次", "Add session")}</button>
                        </form>
                    </Show>
                })}
            </section>
            <section class="card">
                <h2>{tr("考场", "Rooms")}</h2>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{tr("考点", "Venue")}</th>
                        <th scope="col">{tr("考场", "Room")}</th>
                        <th scope="col">{tr("座位", "Seats")}</th>
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
                                <div><label for="r-venue">{tr("考点", "Venue")}</label><input id="r-venue" type="text" required bind:value=venue/></div>
                                <div><label for="r-name">{tr("考场名称", "Room name")}</label><input id="r-name" type="text" required bind:value=room_name/></div>
                                <div><label for="r-address">{tr("地址", "Address")}</label><input id="r-address" type="text" bind:value=address/></div>
                                <div><label for="r-capacity">{tr("座位数", "Seats")}</label><input id="r-capacity" type="text" inputmode="numeric" bind:value=capacity/></div>
                            </div>
                            <button type="submit">{tr("增加考场", "Add room")}</button>
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
            <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
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
    let id = batch.id;
    let print_now = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    view! {
        <section class="page-head no-print">
            <h1>{tr("准考证", "Admission tickets")}</h1>
            <p><A href=format!("/batches/{id}")>{batch.name}</A></p>
            <p class="muted">{tr(
                "每次生成都会为考生签发新的一次性登录码,之前打印的准考证随即作废。登录码只显示在本页,请打印后分发给考生本人。",
                "Each time, fresh one-time access codes are issued and earlier printouts stop working. The codes appear only on this page: print and hand them to the candidates in person.",
            )}</p>
            <div class="toolbar">
                <button type="button" class="primary" disabled=move || print.pending().get()
                    on:click=move |_| {
                        if print.value().get_untracked().is_none() || confirmed("重新生成将使已打印的准考证作废。确定吗?") {
                            print.dispatch(PrintTickets { batch_id: id });
                        }
                    }>
                    {tr("生成准考证", "Issue tickets")}
                </button>
                <Show when=move || matches!(print.value().get(), Some(Ok(_)))>
                    <button type="button" on:click=print_now>{tr("打印", "Print")}</button>
                </Show>
            </div>
            <ActionError value=move || print.value().get()/>
        </section>
        {move || print.value().get().and_then(Result::ok).map(|tickets| view! {
            <div class="tickets" data-testid="tickets">
                {tickets.into_iter().map(|t| view! {
                    <article class="ticket">
                        <header><h2>"行政执法资格考试 准考证"</h2><p>{t.exam.clone()}</p></header>
                        <div class="ticket-body">
                            <div class="photo" aria-label="照片">"照片"</div>
                            <dl>
                                <dt>"姓名"</dt><dd class="ticket-name">{t.name.clone()}</dd>
                                <dt>"身份证号"</dt><dd class="mono">{t.resident_id.clone()}</dd>
                                <dt>"工作单位"</dt><dd>{t.agency.clone()}</dd>
                                <dt>"准考证号"</dt><dd class="mono ticket-no">{t.ticket_no.clone()}</dd>
                                <dt>"登录码"</dt><dd class="mono access-code">{t.access_code.clone()}</dd>
                                <dt>"考试时间"</dt><dd>{format!("{}(时长 {} 分钟,开考 {} 分钟后不得入场)", format_china(t.starts_at), t.duration_minutes, t.late_entry_minutes)}</dd>
                                <dt>"考点"</dt><dd>{t.venue.clone()}" "{t.address.clone()}</dd>
                                <dt>"考场 / 座位"</dt><dd>{t.room.clone()}" · "{format!("{:02} 号", t.seat)}</dd>
                            </dl>
                        </div>
                        <footer>
                            <h3>"考生须知"</h3>
                            <ol>
                                <li>"凭本准考证和有效身份证件入场,对号入座。"</li>
                                <li>"闭卷考试,不得携带书籍、资料和通讯设备进入考场。"</li>
                                <li>"登录码仅限本人使用一次,请妥善保管,不得转借他人。"</li>
                                <li>"服从监考人员管理,违纪行为将被记录并按规定处理。"</li>
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
    view! { <RequireRole roles=&[Role::OfficeAdmin, Role::Proctor]><Roster data/></RequireRole> }
}

#[component]
fn Roster(data: Resource<Result<Vec<RoomRoster>, AppError>>) -> impl IntoView {
    view! {
        <section class="page-head no-print"><h1>{tr("考场签到表", "Room rosters")}</h1></section>
        <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rooms) => rooms.into_iter().map(|r| view! {
                        <article class="roster">
                            <h2>{format!("{} · {} · 第 {} 场 · {}", r.room.venue, r.room.name, r.session.seq, format_china(r.session.starts_at))}</h2>
                            <table class="data">
                                <thead><tr><th>"座位"</th><th>"姓名"</th><th>"身份证号"</th><th>"工作单位"</th><th>"准考证号"</th><th>"签名"</th></tr></thead>
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
