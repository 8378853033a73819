//! `/plans` and `/plans/:id`: the agency officer declares plans and registers candidates; the
//! office admin and the committee read them.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    AddCandidate, CandidateImport, CandidateInput, CreatePlan, PlanDetail, PlanInput, PlanStatus,
    PlanSummary, RemoveCandidate, TransitionPlan, VIEWERS, get_plan, import_candidates, list_plans,
};
use crate::i18n::{t_string, use_i18n};
use crate::locale::{I18n, format_datetime};
use crate::{
    error::AppError,
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    roles::Role,
};

fn kind_label(i18n: I18n, kind: &str, field: Option<&str>) -> String {
    let kind_name = if kind == "professional" {
        t_string!(i18n, plans.professional)
    } else {
        t_string!(i18n, plans.general)
    };
    match (kind, field) {
        ("professional", Some(field)) => {
            t_string!(i18n, plans.kind_with_field, kind = kind_name, field = field).to_string()
        }
        _ => kind_name.to_owned(),
    }
}

/// The name of a plan state.
pub fn status_label(i18n: I18n, s: PlanStatus) -> &'static str {
    match s {
        PlanStatus::Draft => t_string!(i18n, plans.status_draft),
        PlanStatus::Submitted => t_string!(i18n, plans.status_submitted),
        PlanStatus::InReview => t_string!(i18n, plans.status_in_review),
        PlanStatus::Approved => t_string!(i18n, plans.status_approved),
        PlanStatus::Rejected => t_string!(i18n, plans.status_rejected),
        PlanStatus::Returned => t_string!(i18n, plans.status_returned),
        PlanStatus::Withdrawn => t_string!(i18n, plans.status_withdrawn),
        PlanStatus::Scheduled => t_string!(i18n, plans.status_scheduled),
    }
}

/// A badge with the plan's state.
#[component]
pub fn PlanBadge(status: PlanStatus) -> impl IntoView {
    let i18n = use_i18n();
    move || view! { <Badge kind=status.badge() label=status_label(i18n, status)/> }
}

/// `/plans`.
#[component]
pub fn PlansPage() -> impl IntoView {
    let create = ServerAction::<CreatePlan>::new();
    let plans = Resource::new(move || create.version().get(), |_| list_plans());
    view! {
        <RequireRole roles=VIEWERS>
            <PlanList create plans/>
        </RequireRole>
    }
}

#[component]
fn PlanList(
    create: ServerAction<CreatePlan>,
    plans: Resource<Result<Vec<PlanSummary>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user();
    let is_officer = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.role == Role::AgencyOfficer)
    };
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/plans/{id}"), Default::default());
        }
    });
    let kind = RwSignal::new("general".to_owned());
    let field = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreatePlan {
            input: PlanInput {
                exam_kind: kind.get_untracked(),
                field: field.get_untracked(),
                period_from: from.get_untracked(),
                period_to: to.get_untracked(),
                note: note.get_untracked(),
            },
        });
    };
    view! {
        <section class="page-head"><h1>{move || t_string!(i18n, plans.title)}</h1></section>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match plans.await {
                            Ok(rows) if rows.is_empty() => view! {
                                <p class="muted">{move || t_string!(i18n, plans.empty)}</p>
                            }.into_any(),
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{move || t_string!(i18n, plans.no)}</th>
                                        <th scope="col">{move || t_string!(i18n, plans.agency)}</th>
                                        <th scope="col">{move || t_string!(i18n, plans.kind)}</th>
                                        <th scope="col">{move || t_string!(i18n, plans.period)}</th>
                                        <th scope="col">{move || t_string!(i18n, plans.candidates)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.status)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|p| {
                                            let kind = p.exam_kind.clone();
                                            let field = p.field.clone();
                                            view! {
                                                <tr>
                                                    <td><A href=format!("/plans/{}", p.id)>{format!("#{}", p.id)}</A></td>
                                                    <td>{p.agency.name.clone()}</td>
                                                    <td>{move || kind_label(i18n, &kind, field.as_deref())}</td>
                                                    <td>{format!("{} ~ {}", p.period_from, p.period_to)}</td>
                                                    <td class="num">{p.candidates}</td>
                                                    <td><PlanBadge status=p.status/></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <Show when=is_officer>
                <section class="card">
                    <h2>{move || t_string!(i18n, plans.new_plan)}</h2>
                    <form on:submit=submit>
                        <label for="plan-kind">{move || t_string!(i18n, plans.kind)}</label>
                        <select id="plan-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="general">{move || t_string!(i18n, plans.general)}</option>
                            <option value="professional">{move || t_string!(i18n, plans.professional)}</option>
                        </select>
                        <Show when=move || kind.get() == "professional">
                            <label for="plan-field">{move || t_string!(i18n, plans.field)}</label>
                            <input id="plan-field" type="text" bind:value=field/>
                        </Show>
                        <label for="plan-from">{move || t_string!(i18n, plans.period)}" · "{move || t_string!(i18n, plans.period_from)}</label>
                        <input id="plan-from" type="date" required bind:value=from/>
                        <label for="plan-to">{move || t_string!(i18n, plans.period)}" · "{move || t_string!(i18n, plans.period_to)}</label>
                        <input id="plan-to" type="date" required bind:value=to/>
                        <label for="plan-note">{move || t_string!(i18n, plans.note)}</label>
                        <input id="plan-note" type="text" bind:value=note/>
                        <ActionError value=move || create.value().get()/>
                        <button type="submit" class="primary" disabled=move || create.pending().get()>
                            {move || t_string!(i18n, plans.create)}
                        </button>
                    </form>
                </section>
            </Show>
        </div>
    }
}

/// The upload of a candidate file: its form data in, what was stored or refused out.
type ImportAction = Action<web_sys::FormData, Result<CandidateImport, AppError>>;

/// The plan, and the actions that change it, of `/plans/:id`.
#[derive(Clone, Copy)]
struct PlanData {
    detail: Resource<Result<PlanDetail, AppError>>,
    add: ServerAction<AddCandidate>,
    remove: ServerAction<RemoveCandidate>,
    transition: ServerAction<TransitionPlan>,
    import: ImportAction,
}

impl PlanData {
    fn new() -> Self {
        let id = use_id_param();
        let add = ServerAction::<AddCandidate>::new();
        let remove = ServerAction::<RemoveCandidate>::new();
        let transition = ServerAction::<TransitionPlan>::new();
        let import: ImportAction =
            Action::new_local(|data: &web_sys::FormData| import_candidates(data.clone().into()));
        let detail = Resource::new(
            move || {
                (
                    id.get(),
                    add.version().get(),
                    remove.version().get(),
                    transition.version().get(),
                    import.version().get(),
                )
            },
            |(id, ..)| load_by_id(id, get_plan),
        );
        PlanData {
            detail,
            add,
            remove,
            transition,
            import,
        }
    }
}

/// `/plans/:id`.
#[component]
pub fn PlanPage() -> impl IntoView {
    let data = PlanData::new();
    view! {
        <RequireRole roles=VIEWERS>
            <PlanView data/>
        </RequireRole>
    }
}

#[component]
fn PlanView(data: PlanData) -> impl IntoView {
    let i18n = use_i18n();
    let PlanData {
        detail,
        add,
        remove,
        transition,
        import,
    } = data;
    view! {
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! {
                        <PlanDetailView detail=d add=add remove=remove transition=transition import=import/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
        <ActionError value=move || transition.value().get()/>
        <ActionError value=move || remove.value().get()/>
        {move || {
            let from_form = add.value().get().and_then(Result::ok);
            let from_file = import.value().get().and_then(Result::ok);
            from_file.or(from_form).map(|r| view! { <ImportOutcome outcome=r/> })
        }}
        <ActionError value=move || add.value().get()/>
        <ActionError value=move || import.value().get()/>
        <p><A href="/plans">{move || t_string!(i18n, plans.back)}</A></p>
    }
}

#[component]
fn ImportOutcome(outcome: CandidateImport) -> impl IntoView {
    let i18n = use_i18n();
    match outcome {
        CandidateImport::Stored { count } => view! {
            <div class="notice notice-ok" role="status" data-testid="candidates-stored">
                {move || t_string!(i18n, plans.imported, n = count).to_string()}
            </div>
        }
        .into_any(),
        CandidateImport::Rejected { problems } => view! {
            <section class="card" data-testid="candidates-rejected">
                <p class="error-title" role="alert">{move || t_string!(i18n, plans.rejected)}</p>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{move || t_string!(i18n, plans.row)}</th>
                        <th scope="col">{move || t_string!(i18n, plans.column)}</th>
                        <th scope="col">{move || t_string!(i18n, plans.problem)}</th>
                    </tr></thead>
                    <tbody>
                        {problems.into_iter().map(|p| view! {
                            <tr>
                                <td class="num">{(p.row > 0).then_some(p.row)}</td>
                                <td>{p.column}</td>
                                <td>{move || p.message.get(i18n.get_locale()).to_owned()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn PlanDetailView(
    detail: PlanDetail,
    add: ServerAction<AddCandidate>,
    remove: ServerAction<RemoveCandidate>,
    transition: ServerAction<TransitionPlan>,
    import: ImportAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let PlanDetail {
        summary,
        note,
        candidates,
        history,
        editable,
    } = detail;
    let id = summary.id;
    let status = summary.status;
    let kind = summary.exam_kind.clone();
    let field = summary.field.clone();
    let user = use_user();
    let is_officer = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.role == Role::AgencyOfficer)
    };
    let act = move |action: &'static str, question: Option<&'static str>| {
        if question.is_none_or(confirmed) {
            transition.dispatch(TransitionPlan {
                id,
                action: action.to_owned(),
            });
        }
    };
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, plans.title)}" #"{id}" "<PlanBadge status=status/></h1>
            <p class="muted">
                {summary.agency.name.clone()}" · "
                {move || kind_label(i18n, &kind, field.as_deref())}" · "
                {format!("{} ~ {}", summary.period_from, summary.period_to)}" · "
                {move || t_string!(i18n, plans.version)}" "{summary.version}
            </p>
            {(!note.is_empty()).then(|| view! { <p>{note.clone()}</p> })}
            <Show when=is_officer>
                <div class="toolbar">
                    {(status == PlanStatus::Draft).then(|| view! {
                        <button type="button" class="primary"
                            on:click=move |_| act("submit", Some(t_string!(i18n, plans.confirm_submit)))>
                            {move || t_string!(i18n, plans.submit)}
                        </button>
                    })}
                    {(status == PlanStatus::Submitted).then(|| view! {
                        <button type="button" class="danger"
                            on:click=move |_| act("withdraw", Some(t_string!(i18n, plans.confirm_withdraw)))>
                            {move || t_string!(i18n, plans.withdraw)}
                        </button>
                    })}
                    {(status == PlanStatus::Returned).then(|| view! {
                        <button type="button" class="primary" on:click=move |_| act("revise", None)>
                            {move || t_string!(i18n, plans.revise)}
                        </button>
                    })}
                </div>
            </Show>
        </section>
        <div class="grid grid-wide">
            <section class="card">
                <h2>{move || t_string!(i18n, plans.candidates)}" ("{candidates.len()}")"</h2>
                {if candidates.is_empty() {
                    view! { <p class="muted">{move || t_string!(i18n, plans.no_candidates)}</p> }.into_any()
                } else {
                    view! {
                        <table class="data" data-testid="candidates">
                            <thead><tr>
                                <th scope="col">{move || t_string!(i18n, plans.name)}</th>
                                <th scope="col">{move || t_string!(i18n, plans.resident_id)}</th>
                                <th scope="col">{move || t_string!(i18n, plans.sex)}</th>
                                <th scope="col">{move || t_string!(i18n, plans.post)}</th>
                                <th scope="col">{move || t_string!(i18n, plans.field)}</th>
                                <th scope="col">{move || t_string!(i18n, plans.mobile)}</th>
                                {editable.then(|| view! { <th scope="col">{move || t_string!(i18n, common.actions)}</th> })}
                            </tr></thead>
                            <tbody>
                                {candidates.into_iter().map(|c| {
                                    let cid = c.id;
                                    view! {
                                        <tr>
                                            <td>{c.name}</td>
                                            <td class="mono">{c.resident_id}</td>
                                            <td>{match c.sex.as_str() {
                                                "男" => t_string!(i18n, plans.sex_male).to_owned(),
                                                "女" => t_string!(i18n, plans.sex_female).to_owned(),
                                                _ => c.sex.clone(),
                                            }}</td>
                                            <td>{c.post}</td>
                                            <td>{c.field}</td>
                                            <td class="mono">{c.mobile}</td>
                                            {editable.then(|| view! {
                                                <td><button type="button" class="link-button danger"
                                                    on:click=move |_| { remove.dispatch(RemoveCandidate { plan_id: id, candidate_id: cid }); }>
                                                    {move || t_string!(i18n, plans.remove)}
                                                </button></td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>{move || t_string!(i18n, plans.history)}</h2>
                <table class="data">
                    <thead><tr>
                        <th scope="col">{move || t_string!(i18n, plans.when)}</th>
                        <th scope="col">{move || t_string!(i18n, common.status)}</th>
                        <th scope="col">{move || t_string!(i18n, plans.by)}</th>
                    </tr></thead>
                    <tbody>
                        {history.into_iter().map(|h| view! {
                            <tr title=h.comment.clone()>
                                <td>{format_datetime(i18n.get_locale(), h.at)}</td>
                                <td>"v"{h.version}" "<PlanBadge status=h.status/>
                                    {(!h.comment.is_empty()).then(|| view! { <br/><span class="small">{h.comment.clone()}</span> })}</td>
                                <td>{h.actor}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        {editable.then(|| view! { <CandidateForms plan_id=id add=add import=import/> })}
    }
}

#[component]
fn CandidateForms(
    plan_id: i64,
    add: ServerAction<AddCandidate>,
    import: ImportAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let resident_id = RwSignal::new(String::new());
    let sex = RwSignal::new("男".to_owned());
    let post = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let staffing = RwSignal::new("在编在岗".to_owned());
    let mobile = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        add.dispatch(AddCandidate {
            plan_id,
            candidate: CandidateInput {
                name: name.get_untracked(),
                resident_id: resident_id.get_untracked(),
                sex: sex.get_untracked(),
                post: post.get_untracked(),
                field: field.get_untracked(),
                staffing: staffing.get_untracked(),
                mobile: mobile.get_untracked(),
            },
        });
    };
    let upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                && let Ok(data) = web_sys::FormData::new_with_form(&form)
            {
                import.dispatch_local(data);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = import;
    };
    view! {
        <div class="grid">
            <section class="card">
                <h2>{move || t_string!(i18n, plans.import_title)}</h2>
                <p class="hint">{move || t_string!(i18n, plans.import_hint)}</p>
                <form on:submit=upload enctype="multipart/form-data">
                    <input type="hidden" name="plan_id" value=plan_id.to_string()/>
                    <label for="cand-file">{move || t_string!(i18n, plans.import_file)}</label>
                    <input id="cand-file" name="file" type="file" required accept=".xlsx,.csv"/>
                    <button type="submit" class="primary" disabled=move || import.pending().get()>
                        {move || t_string!(i18n, plans.import_button)}
                    </button>
                </form>
            </section>
            <section class="card">
                <h2>{move || t_string!(i18n, plans.add_candidate)}</h2>
                <form on:submit=submit>
                    <div class="form-grid">
                        <div><label for="c-name">{move || t_string!(i18n, plans.name)}</label>
                            <input id="c-name" type="text" required bind:value=name/></div>
                        <div><label for="c-rid">{move || t_string!(i18n, plans.resident_id)}</label>
                            <input id="c-rid" type="text" required bind:value=resident_id/></div>
                        <div><label for="c-sex">{move || t_string!(i18n, plans.sex)}</label>
                            <select id="c-sex" on:change=move |ev| sex.set(event_target_value(&ev))>
                                <option value="男">{move || t_string!(i18n, plans.sex_male)}</option><option value="女">{move || t_string!(i18n, plans.sex_female)}</option>
                            </select></div>
                        <div><label for="c-post">{move || t_string!(i18n, plans.post)}</label>
                            <input id="c-post" type="text" bind:value=post/></div>
                        <div><label for="c-field">{move || t_string!(i18n, plans.field)}</label>
                            <input id="c-field" type="text" required bind:value=field/></div>
                        <div><label for="c-staffing">{move || t_string!(i18n, plans.staffing)}</label>
                            <select id="c-staffing" on:change=move |ev| staffing.set(event_target_value(&ev))>
                                <option value="在编在岗">{move || t_string!(i18n, plans.staffing_permanent)}</option>
                                <option value="其他">{move || t_string!(i18n, plans.staffing_other)}</option>
                            </select></div>
                        <div><label for="c-mobile">{move || t_string!(i18n, plans.mobile)}</label>
                            <input id="c-mobile" type="tel" required bind:value=mobile/></div>
                    </div>
                    <button type="submit" class="primary" disabled=move || add.pending().get()>
                        {move || t_string!(i18n, plans.add_candidate)}
                    </button>
                </form>
            </section>
        </div>
    }
}
