//! Pages of the question bank: `/bank`, `/bank/new`, `/bank/:id`, `/bank/import`.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use question_bank::{Question, QuestionDraft};

use super::{
    BankFilter, BankPageData, BankRow, CommitImport, CreateQuestion, QuestionDetail,
    SetQuestionActive, UpdateQuestion, UploadOutcome, WRITERS, field_key, get_question,
    list_questions, upload_bank_file,
};
use crate::i18n::{t_string, use_i18n};
use crate::locale::{I18n, format_datetime};
use crate::{
    error::AppError,
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, Pager, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    roles::Role,
};

fn type_label(i18n: I18n, code: &str) -> &'static str {
    match code {
        "single" => t_string!(i18n, bank.type_single),
        "multiple" => t_string!(i18n, bank.type_multiple),
        _ => t_string!(i18n, bank.type_true_false),
    }
}

fn kind_label(i18n: I18n, code: &str) -> &'static str {
    if code == "professional" {
        t_string!(i18n, bank.kind_professional)
    } else {
        t_string!(i18n, bank.kind_general)
    }
}

/// Whether the signed-in account may change the bank.
fn can_write() -> Signal<bool> {
    let user = use_user();
    Signal::derive(move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| WRITERS.contains(&u.role))
    })
}

/// The filters of the bank list and the page of rows they select.
#[derive(Clone, Copy)]
struct BankListData {
    question_type: RwSignal<String>,
    exam_kind: RwSignal<String>,
    field: RwSignal<String>,
    law: RwSignal<String>,
    difficulty: RwSignal<String>,
    tag: RwSignal<String>,
    status: RwSignal<String>,
    text: RwSignal<String>,
    page: RwSignal<u64>,
    filter: Memo<BankFilter>,
    rows: Resource<Result<BankPageData, AppError>>,
}

impl BankListData {
    fn new() -> Self {
        let question_type = RwSignal::new(String::new());
        let exam_kind = RwSignal::new(String::new());
        let field = RwSignal::new(String::new());
        let law = RwSignal::new(String::new());
        let difficulty = RwSignal::new(String::new());
        let tag = RwSignal::new(String::new());
        let status = RwSignal::new("active".to_owned());
        let text = RwSignal::new(String::new());
        let page = RwSignal::new(0u64);
        let filter = Memo::new(move |_| BankFilter {
            question_type: question_type.get(),
            exam_kind: exam_kind.get(),
            field: field.get(),
            law: law.get(),
            difficulty: difficulty.get(),
            tag: tag.get(),
            status: status.get(),
            text: text.get(),
            page: page.get(),
        });
        BankListData {
            question_type,
            exam_kind,
            field,
            law,
            difficulty,
            tag,
            status,
            text,
            page,
            filter,
            rows: Resource::new(move || filter.get(), list_questions),
        }
    }
}

/// `/bank`.
#[component]
pub fn BankPage() -> impl IntoView {
    let data = BankListData::new();
    view! {
        <RequireRole roles=&[Role::QuestionAuthor, Role::OfficeAdmin]>
            <BankList data/>
        </RequireRole>
    }
}

#[component]
fn BankList(data: BankListData) -> impl IntoView {
    let i18n = use_i18n();
    let BankListData {
        question_type,
        exam_kind,
        field,
        law,
        difficulty,
        tag,
        status,
        text,
        page,
        filter,
        rows,
    } = data;
    let writer = can_write();
    let export_href = move |format: &str| {
        let f = filter.get();
        format!(
            "/api/bank/export?format={format}&status={}&exam_kind={}&field={}",
            f.status, f.exam_kind, f.field
        )
    };
    let reset_page = move |_| page.set(0);
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, bank.title)}</h1>
            <div class="toolbar">
                <Show when=move || writer.get()>
                    <A href="/bank/new" attr:class="button primary">{move || t_string!(i18n, bank.new_question)}</A>
                    <A href="/bank/import" attr:class="button">{move || t_string!(i18n, bank.import)}</A>
                </Show>
                <a class="button" href=move || export_href("xlsx") download>{move || t_string!(i18n, bank.export_xlsx)}</a>
                <a class="button" href=move || export_href("gift") download>{move || t_string!(i18n, bank.export_gift)}</a>
            </div>
        </section>
        <form class="filters" on:submit=|ev| ev.prevent_default() on:change=reset_page>
            <label>{move || t_string!(i18n, bank.col_type)}
                <select on:change=move |ev| question_type.set(event_target_value(&ev))>
                    <option value="">{move || t_string!(i18n, common.all)}</option>
                    <option value="single">{move || t_string!(i18n, bank.type_single)}</option>
                    <option value="multiple">{move || t_string!(i18n, bank.type_multiple)}</option>
                    <option value="true_false">{move || t_string!(i18n, bank.type_true_false)}</option>
                </select>
            </label>
            <label>{move || t_string!(i18n, bank.col_kind)}
                <select on:change=move |ev| exam_kind.set(event_target_value(&ev))>
                    <option value="">{move || t_string!(i18n, common.all)}</option>
                    <option value="general">{move || t_string!(i18n, bank.kind_general)}</option>
                    <option value="professional">{move || t_string!(i18n, bank.kind_professional)}</option>
                </select>
            </label>
            <label>{move || t_string!(i18n, bank.col_field)}<input type="text" bind:value=field/></label>
            <label>{move || t_string!(i18n, bank.filter_law)}<input type="search" bind:value=law/></label>
            <label>{move || t_string!(i18n, bank.col_difficulty)}
                <select on:change=move |ev| difficulty.set(event_target_value(&ev))>
                    <option value="">{move || t_string!(i18n, common.all)}</option>
                    {(1..=5).map(|d| view! { <option value=d.to_string()>{d}</option> }).collect_view()}
                </select>
            </label>
            <label>{move || t_string!(i18n, bank.filter_tag)}<input type="text" bind:value=tag/></label>
            <label>{move || t_string!(i18n, common.status)}
                <select on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="active" selected>{move || t_string!(i18n, bank.active)}</option>
                    <option value="retired">{move || t_string!(i18n, bank.retired)}</option>
                    <option value="">{move || t_string!(i18n, common.all)}</option>
                </select>
            </label>
            <label>{move || t_string!(i18n, bank.filter_text)}<input type="search" bind:value=text/></label>
        </form>
        <section class="card">
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(p) if p.rows.is_empty() => view! {
                            <p class="muted">{move || t_string!(i18n, bank.empty)}</p>
                        }.into_any(),
                        Ok(p) => view! {
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">{move || t_string!(i18n, bank.col_id)}</th>
                                    <th scope="col">{move || t_string!(i18n, bank.col_type)}</th>
                                    <th scope="col">{move || t_string!(i18n, bank.col_stem)}</th>
                                    <th scope="col">{move || t_string!(i18n, bank.col_basis)}</th>
                                    <th scope="col">{move || t_string!(i18n, bank.col_difficulty)}</th>
                                    <th scope="col">{move || t_string!(i18n, bank.col_field)}</th>
                                    <th scope="col">{move || t_string!(i18n, common.status)}</th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|r| view! { <BankRowView row=r/> }).collect_view()}
                                </tbody>
                            </table>
                            <Pager page=page total=p.total per_page=p.per_page/>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn BankRowView(row: BankRow) -> impl IntoView {
    let i18n = use_i18n();
    let BankRow {
        id,
        revision,
        question_type,
        exam_kind,
        field,
        stem,
        legal_basis,
        difficulty,
        active,
        ..
    } = row;
    let excerpt: String = if stem.chars().count() > 60 {
        stem.chars().take(60).chain("…".chars()).collect()
    } else {
        stem
    };
    view! {
        <tr>
            <td class="num">{id}<span class="muted small">" v"{revision}</span></td>
            <td>{move || type_label(i18n, &question_type)}</td>
            <td><A href=format!("/bank/{id}")>{excerpt}</A></td>
            <td class="small">{legal_basis}</td>
            <td class="num">{difficulty}</td>
            <td>{field.unwrap_or_else(|| kind_label(i18n, &exam_kind).to_owned())}</td>
            <td>{move || if active {
                view! { <Badge kind="ok" label=t_string!(i18n, bank.active)/> }
            } else {
                view! { <Badge kind="muted" label=t_string!(i18n, bank.retired)/> }
            }}</td>
        </tr>
    }
}

/// `/bank/new`.
#[component]
pub fn NewQuestionPage() -> impl IntoView {
    let create = ServerAction::<CreateQuestion>::new();
    view! {
        <RequireRole roles=&[Role::QuestionAuthor]>
            <NewQuestion create/>
        </RequireRole>
    }
}

fn empty_draft() -> QuestionDraft {
    QuestionDraft {
        question_type: "单选题".into(),
        options: vec![String::new(); 4],
        difficulty: "3".into(),
        exam_kind: "综合法律知识".into(),
        ..QuestionDraft::default()
    }
}

#[component]
fn NewQuestion(create: ServerAction<CreateQuestion>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/bank/{id}"), Default::default());
        }
    });
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, bank.new_question)}</h1>
            <A href="/bank">{move || t_string!(i18n, bank.back_to_bank)}</A>
        </section>
        <section class="card">
            <QuestionForm
                initial=empty_draft()
                submit_label=move || t_string!(i18n, bank.save_new)
                pending=create.pending().into()
                server_error=Signal::derive(move || create.value().get().and_then(Result::err))
                on_submit=move |draft| { create.dispatch(CreateQuestion { draft }); }
            />
        </section>
    }
}

/// The question form with live validation: the browser runs the same rules as the server.
#[component]
fn QuestionForm(
    initial: QuestionDraft,
    #[prop(into)] submit_label: Signal<&'static str>,
    pending: Signal<bool>,
    server_error: Signal<Option<AppError>>,
    on_submit: impl Fn(QuestionDraft) + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let question_type = RwSignal::new(initial.question_type.clone());
    let stem = RwSignal::new(initial.stem.clone());
    let mut opts = initial.options.clone();
    opts.resize(opts.len().max(4), String::new());
    let options: Vec<RwSignal<String>> = (0..8)
        .map(|i| RwSignal::new(opts.get(i).cloned().unwrap_or_default()))
        .collect();
    let shown = RwSignal::new(opts.len().min(8));
    let answer = RwSignal::new(initial.answer.clone());
    let difficulty = RwSignal::new(initial.difficulty.clone());
    let exam_kind = RwSignal::new(initial.exam_kind.clone());
    let field = RwSignal::new(initial.field.clone());
    let legal_basis = RwSignal::new(initial.legal_basis.clone());
    let tags = RwSignal::new(initial.tags.clone());
    let explanation = RwSignal::new(initial.explanation.clone());
    let touched = RwSignal::new(false);
    let options = StoredValue::new(options);

    let is_tf = move || {
        let t = question_type.get();
        t.contains('判') || t.eq_ignore_ascii_case("true_false")
    };
    let draft = move || QuestionDraft {
        question_type: question_type.get(),
        stem: stem.get(),
        options: if is_tf() {
            Vec::new()
        } else {
            options.with_value(|o| o.iter().take(shown.get()).map(|s| s.get()).collect())
        },
        answer: answer.get(),
        difficulty: difficulty.get(),
        exam_kind: exam_kind.get(),
        field: if exam_kind.get().contains("专业") {
            field.get()
        } else {
            String::new()
        },
        legal_basis: legal_basis.get(),
        tags: tags.get(),
        explanation: explanation.get(),
    };
    // Live validation: the same rules as the server, in the browser.
    let errors = Memo::new(move |_| match Question::from_draft(&draft()) {
        Ok(_) => Vec::new(),
        Err(errs) => errs
            .iter()
            .map(|e| {
                (
                    field_key(e.field),
                    crate::error::Text::localized(e)
                        .get(i18n.get_locale())
                        .to_owned(),
                )
            })
            .collect::<Vec<_>>(),
    });
    let error_for = move |key: &'static str| {
        move || {
            let local = errors
                .get()
                .into_iter()
                .filter(|(k, _)| k == key)
                .map(|(_, m)| m)
                .collect::<Vec<_>>();
            let server = server_error
                .get()
                .filter(|e| e.field() == Some(key))
                .map(|e| e.message(i18n.get_locale()));
            let all: Vec<String> = local.into_iter().chain(server).collect();
            (touched.get() && !all.is_empty())
                .then(|| view! { <p class="field-error" role="alert">{all.join(" ")}</p> })
        }
    };
    let invalid = move |key: &'static str| {
        move || (touched.get() && errors.get().iter().any(|(k, _)| k == key)).to_string()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if errors.get_untracked().is_empty() {
            on_submit(draft());
        }
    };
    view! {
        <form class="question-form" on:submit=submit on:input=move |_| touched.set(true)>
            <div class="form-row">
                <label for="q-type">{move || t_string!(i18n, bank.col_type)}</label>
                <select id="q-type" on:change=move |ev| question_type.set(event_target_value(&ev))>
                    {["单选题", "多选题", "判断题"].into_iter().map(|t| view! {
                        <option value=t selected=move || question_type.get() == t>
                            {move || type_label(i18n, match t { "单选题" => "single", "多选题" => "multiple", _ => "true_false" })}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <label for="q-stem">{move || t_string!(i18n, bank.stem)}</label>
            <textarea id="q-stem" rows="3" prop:value=move || stem.get()
                on:input=move |ev| stem.set(event_target_value(&ev))
                aria-invalid=invalid("stem")></textarea>
            {error_for("stem")}
            <Show when=move || !is_tf()>
                <fieldset class="options">
                    <legend>{move || t_string!(i18n, bank.option)}</legend>
                    {(0..8usize).map(|i| {
                        let sig = options.with_value(|o| o[i]);
                        let letter = char::from(b'A' + i as u8);
                        let key: &'static str = ["option_0", "option_1", "option_2", "option_3", "option_4", "option_5", "option_6", "option_7"][i];
                        view! {
                            <Show when=move || i < shown.get()>
                                <div class="option-row">
                                    <label for=format!("q-opt-{i}")>{format!("{letter}.")}</label>
                                    <input id=format!("q-opt-{i}") type="text"
                                        aria-label=move || format!("{} {letter}", t_string!(i18n, bank.option))
                                        bind:value=sig aria-invalid=invalid(key)/>
                                </div>
                                {error_for(key)}
                            </Show>
                        }
                    }).collect_view()}
                    <Show when=move || shown.get() < 8>
                        <button type="button" class="link-button" on:click=move |_| shown.update(|n| *n += 1)>
                            {move || t_string!(i18n, bank.add_option)}
                        </button>
                    </Show>
                </fieldset>
            </Show>
            <label for="q-answer">{move || t_string!(i18n, bank.answer)}</label>
            <input id="q-answer" type="text" bind:value=answer aria-invalid=invalid("answer")
                aria-describedby="q-answer-hint"/>
            <p id="q-answer-hint" class="hint">
                {move || if is_tf() { t_string!(i18n, bank.answer_hint_tf) } else { t_string!(i18n, bank.answer_hint_choice) }}
            </p>
            {error_for("answer")}
            <div class="form-grid">
                <div>
                    <label for="q-difficulty">{move || t_string!(i18n, bank.col_difficulty)}</label>
                    <select id="q-difficulty" on:change=move |ev| difficulty.set(event_target_value(&ev))>
                        {(1..=5).map(|d| {
                            let v = d.to_string();
                            let sel = v.clone();
                            view! { <option value=v selected=move || difficulty.get() == sel>{d}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="q-kind">{move || t_string!(i18n, bank.col_kind)}</label>
                    <select id="q-kind" on:change=move |ev| exam_kind.set(event_target_value(&ev))>
                        <option value="综合法律知识" selected=move || !exam_kind.get().contains("专业")>
                            {move || t_string!(i18n, bank.kind_general)}
                        </option>
                        <option value="专业法律知识" selected=move || exam_kind.get().contains("专业")>
                            {move || t_string!(i18n, bank.kind_professional)}
                        </option>
                    </select>
                </div>
                <Show when=move || exam_kind.get().contains("专业")>
                    <div>
                        <label for="q-field">{move || t_string!(i18n, bank.col_field)}</label>
                        <input id="q-field" type="text" bind:value=field aria-invalid=invalid("field")/>
                        {error_for("field")}
                    </div>
                </Show>
            </div>
            <label for="q-basis">{move || t_string!(i18n, bank.legal_basis)}</label>
            <input id="q-basis" type="text" bind:value=legal_basis aria-invalid=invalid("legal_basis")
                placeholder=move || t_string!(i18n, bank.legal_basis_hint)/>
            {error_for("legal_basis")}
            <label for="q-tags">{move || t_string!(i18n, bank.tags)}</label>
            <input id="q-tags" type="text" bind:value=tags aria-describedby="q-tags-hint"/>
            <p id="q-tags-hint" class="hint">{move || t_string!(i18n, bank.tags_hint)}</p>
            {error_for("tags")}
            <label for="q-expl">{move || t_string!(i18n, bank.explanation)}</label>
            <textarea id="q-expl" rows="3" prop:value=move || explanation.get()
                on:input=move |ev| explanation.set(event_target_value(&ev))></textarea>
            {error_for("explanation")}
            {move || server_error.get().filter(|e| e.field().is_none() || matches!(e, AppError::Conflict { .. }))
                .map(|e| view! { <ErrorNotice error=e/> })}
            <button type="submit" class="primary" disabled=move || pending.get()>
                {move || submit_label.get()}
            </button>
        </form>
    }
}

/// `/bank/:id`.
#[component]
pub fn QuestionPage() -> impl IntoView {
    let id = use_id_param();
    let update = ServerAction::<UpdateQuestion>::new();
    let set_active = ServerAction::<SetQuestionActive>::new();
    let detail = Resource::new(
        move || (id.get(), update.version().get(), set_active.version().get()),
        |(id, ..)| load_by_id(id, get_question),
    );
    view! {
        <RequireRole roles=&[Role::QuestionAuthor, Role::OfficeAdmin]>
            <QuestionView detail update set_active/>
        </RequireRole>
    }
}

#[component]
fn QuestionView(
    detail: Resource<Result<QuestionDetail, AppError>>,
    update: ServerAction<UpdateQuestion>,
    set_active: ServerAction<SetQuestionActive>,
) -> impl IntoView {
    let i18n = use_i18n();
    let writer = can_write();
    view! {
        <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! {
                        <QuestionDetailView detail=d update=update set_active=set_active writer=writer/>
                    }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Transition>
        {move || update.value().get().and_then(Result::ok).map(|n| view! {
            <div class="notice notice-ok" role="status" data-testid="saved-revision">
                {t_string!(i18n, bank.saved_revision, n = n).to_string()}
            </div>
        })}
    }
}

#[component]
fn QuestionDetailView(
    detail: QuestionDetail,
    update: ServerAction<UpdateQuestion>,
    set_active: ServerAction<SetQuestionActive>,
    writer: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let QuestionDetail {
        id,
        active,
        revision,
        draft,
        history,
    } = detail;
    let answer = draft.answer.to_uppercase();
    let options = draft.options.clone();
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, bank.col_id)}" "{id}<span class="muted">" · "{move || t_string!(i18n, bank.revision_no)}" "{revision}</span></h1>
            <div class="toolbar">
                <A href="/bank">{move || t_string!(i18n, bank.back_to_bank)}</A>
                {if active {
                    view! { <Badge kind="ok" label=t_string!(i18n, bank.active)/> }.into_any()
                } else {
                    view! { <Badge kind="muted" label=t_string!(i18n, bank.retired)/> }.into_any()
                }}
                <Show when=move || writer.get()>
                    <button type="button" class=if active { "danger" } else { "" }
                        on:click=move |_| {
                            if !active || confirmed(t_string!(i18n, bank.confirm_retire)) {
                                set_active.dispatch(SetQuestionActive { id, active: !active });
                            }
                        }>
                        {move || if active { t_string!(i18n, bank.retire) } else { t_string!(i18n, bank.restore) }}
                    </button>
                </Show>
            </div>
            <ActionError value=move || set_active.value().get()/>
        </section>
        <div class="grid grid-wide">
            <section class="card">
                <p class="question-stem">{draft.stem.clone()}</p>
                <ol class="question-options" type="A">
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let letter = char::from(b'A' + i as u8);
                        let right = answer.contains(letter);
                        view! {
                            <li class:right=right>{o}{right.then(|| view! {
                                " "<Badge kind="ok" label=t_string!(i18n, bank.correct)/>
                            })}</li>
                        }
                    }).collect_view()}
                </ol>
                <dl class="meta">
                    <dt>{move || t_string!(i18n, bank.answer)}</dt><dd data-testid="answer">{draft.answer.clone()}</dd>
                    <dt>{move || t_string!(i18n, bank.legal_basis)}</dt><dd>{draft.legal_basis.clone()}</dd>
                    <dt>{move || t_string!(i18n, bank.col_difficulty)}</dt><dd>{draft.difficulty.clone()}</dd>
                    <dt>{move || t_string!(i18n, bank.col_kind)}</dt><dd>{draft.exam_kind.clone()}" "{draft.field.clone()}</dd>
                    <dt>{move || t_string!(i18n, bank.tags)}</dt><dd>{draft.tags.clone()}</dd>
                    <dt>{move || t_string!(i18n, bank.explanation)}</dt><dd>{draft.explanation.clone()}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>{move || t_string!(i18n, bank.history)}</h2>
                <table class="data" data-testid="history">
                    <thead><tr>
                        <th scope="col">{move || t_string!(i18n, bank.revision_no)}</th>
                        <th scope="col">{move || t_string!(i18n, bank.time)}</th>
                        <th scope="col">{move || t_string!(i18n, bank.author)}</th>
                    </tr></thead>
                    <tbody>
                        {history.into_iter().map(|h| view! {
                            <tr title=h.stem>
                                <td>{h.number}{(h.number == revision).then(|| view! {
                                    " "<span class="muted small">"("{move || t_string!(i18n, bank.current)}")"</span>
                                })}</td>
                                <td>{format_datetime(i18n.get_locale(), h.created_at)}</td>
                                <td>{h.author}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        <Show when=move || writer.get()>
            <section class="card">
                <h2>{move || t_string!(i18n, bank.edit_question)}</h2>
                <QuestionForm
                    initial=draft.clone()
                    submit_label=move || t_string!(i18n, bank.save_revision)
                    pending=update.pending().into()
                    server_error=Signal::derive(move || update.value().get().and_then(Result::err))
                    on_submit=move |draft| { update.dispatch(UpdateQuestion { id, draft }); }
                />
            </section>
        </Show>
    }
}

/// The upload of a bank file: its form data in, its preview or problems out.
type UploadAction = Action<web_sys::FormData, Result<UploadOutcome, AppError>>;

/// `/bank/import`.
#[component]
pub fn ImportPage() -> impl IntoView {
    let upload: UploadAction =
        Action::new_local(|data: &web_sys::FormData| upload_bank_file(data.clone().into()));
    let commit = ServerAction::<CommitImport>::new();
    view! {
        <RequireRole roles=&[Role::QuestionAuthor]>
            <Import upload commit/>
        </RequireRole>
    }
}

#[component]
fn Import(upload: UploadAction, commit: ServerAction<CommitImport>) -> impl IntoView {
    let i18n = use_i18n();
    let skip = RwSignal::new(true);
    let skip_unsupported = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                && let Ok(data) = web_sys::FormData::new_with_form(&form)
            {
                commit.value().set(None);
                upload.dispatch_local(data);
            }
        }
    };
    view! {
        <section class="page-head">
            <h1>{move || t_string!(i18n, bank.import_title)}</h1>
            <p class="muted">{move || t_string!(i18n, bank.import_intro)}</p>
            <a href="/api/bank/template" download>{move || t_string!(i18n, bank.template_link)}</a>
        </section>
        <section class="card">
            <form on:submit=on_submit enctype="multipart/form-data">
                <label for="imp-file">{move || t_string!(i18n, bank.import_file)}</label>
                <input id="imp-file" name="file" type="file" required
                    accept=".xlsx,.csv,.gift,.txt,.aiken"/>
                <details>
                    <summary>{move || t_string!(i18n, bank.import_defaults)}</summary>
                    <div class="form-grid">
                        <div>
                            <label for="imp-kind">{move || t_string!(i18n, bank.col_kind)}</label>
                            <select id="imp-kind" name="exam_kind">
                                <option value="综合法律知识">{move || t_string!(i18n, bank.kind_general)}</option>
                                <option value="专业法律知识">{move || t_string!(i18n, bank.kind_professional)}</option>
                            </select>
                        </div>
                        <div>
                            <label for="imp-field">{move || t_string!(i18n, bank.col_field)}</label>
                            <input id="imp-field" name="field" type="text"/>
                        </div>
                        <div>
                            <label for="imp-diff">{move || t_string!(i18n, bank.col_difficulty)}</label>
                            <select id="imp-diff" name="difficulty">
                                {(1..=5).map(|d| view! { <option value=d.to_string() selected=d == 3>{d}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <label for="imp-basis">{move || t_string!(i18n, bank.legal_basis)}</label>
                    <input id="imp-basis" name="legal_basis" type="text" placeholder=move || t_string!(i18n, bank.legal_basis_hint)/>
                </details>
                <button type="submit" class="primary" disabled=move || upload.pending().get()>
                    {move || t_string!(i18n, bank.preview)}
                </button>
                <Show when=move || upload.pending().get()>
                    <p role="status"><progress></progress>" "{move || t_string!(i18n, bank.previewing)}</p>
                </Show>
            </form>
        </section>
        {move || upload.value().get().map(|res| match res {
            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            Ok(UploadOutcome::Rejected { file_problems, rows }) => view! {
                <section class="card" data-testid="import-rejected">
                    <h2 class="error-title">{move || t_string!(i18n, bank.rejected_title)}</h2>
                    <ul>
                        {file_problems.into_iter().map(|p| view! {
                            <li class="field-error">{move || p.get(i18n.get_locale()).to_owned()}</li>
                        }).collect_view()}
                    </ul>
                    <Show when={let n = rows.len(); move || n > 0}>
                        <p>{move || t_string!(i18n, bank.rejected_intro)}</p>
                    </Show>
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{move || t_string!(i18n, bank.row)}</th>
                            <th scope="col">{move || t_string!(i18n, bank.column)}</th>
                            <th scope="col">{move || t_string!(i18n, bank.problem)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="num">{r.row}</td>
                                    <td>{r.column}</td>
                                    <td>{move || r.message.get(i18n.get_locale()).to_owned()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }.into_any(),
            Ok(UploadOutcome::Preview(p)) => {
                let upload_id = p.upload_id;
                let unsupported = p.unsupported.clone();
                view! {
                    <section class="card" data-testid="import-preview">
                        <h2>{move || t_string!(i18n, bank.preview_title)}": "{p.file_name.clone()}</h2>
                        <dl class="stats">
                            <div><dt>{move || t_string!(i18n, bank.total)}</dt><dd data-testid="preview-total">{p.total}</dd></div>
                            {p.by_type.iter().map(|(k, v)| view! {
                                <div><dt>{k.clone()}</dt><dd>{*v}</dd></div>
                            }).collect_view()}
                            {p.by_kind.iter().map(|(k, v)| view! {
                                <div><dt>{k.clone()}</dt><dd>{*v}</dd></div>
                            }).collect_view()}
                            {p.by_field.iter().map(|(k, v)| view! {
                                <div><dt>{k.clone()}</dt><dd>{*v}</dd></div>
                            }).collect_view()}
                        </dl>
                        <p>{move || t_string!(i18n, bank.col_difficulty)}": "
                            {p.by_difficulty.iter().map(|(d, n)| format!("{d}: {n}")).collect::<Vec<_>>().join(" · ")}
                        </p>
                        <p>{move || t_string!(i18n, bank.dup_in_file)}": "
                            {p.duplicates_in_file.iter().map(|(a, b)| format!("{a}={b}")).collect::<Vec<_>>().join(", ")}
                        </p>
                        <p>{move || t_string!(i18n, bank.dup_in_bank)}": "
                            {p.duplicates_in_bank.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")}
                        </p>
                        <details>
                            <summary>{move || t_string!(i18n, bank.warnings)}" ("{p.warnings.len()}")"</summary>
                            <ul>
                                {p.warnings.into_iter().map(|w| view! {
                                    <li>{move || w.get(i18n.get_locale()).to_owned()}</li>
                                }).collect_view()}
                            </ul>
                        </details>
                        {(!unsupported.is_empty()).then(move || view! {
                            <div data-testid="import-unsupported">
                                <h3>{move || t_string!(i18n, bank.unsupported_title)}</h3>
                                <p class="muted">{move || t_string!(i18n, bank.unsupported_intro)}</p>
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{move || t_string!(i18n, bank.unsupported_name)}</th>
                                        <th scope="col">{move || t_string!(i18n, bank.unsupported_line)}</th>
                                        <th scope="col">{move || t_string!(i18n, bank.unsupported_kind)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {unsupported.into_iter().map(|q| {
                                            let name = q.name.clone();
                                            view! {
                                                <tr>
                                                    <td>{move || name.clone().unwrap_or_else(|| t_string!(i18n, bank.unnamed).to_owned())}</td>
                                                    <td class="num">{q.line}</td>
                                                    <td>{move || q.kind.get(i18n.get_locale()).to_owned()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <label class="check">
                                    <input type="checkbox" bind:checked=skip_unsupported/>
                                    {move || t_string!(i18n, bank.skip_unsupported)}
                                </label>
                            </div>
                        })}
                        <label class="check">
                            <input type="checkbox" bind:checked=skip/>
                            {move || t_string!(i18n, bank.skip_duplicates)}
                        </label>
                        <ActionError value=move || commit.value().get()/>
                        {move || commit.value().get().and_then(Result::ok).map(|r| view! {
                            <div class="notice notice-ok" role="status" data-testid="imported">
                                {t_string!(i18n, bank.imported, n = r.stored, s = r.skipped_duplicates, u = r.skipped_unsupported).to_string()}
                                " "<A href="/bank">{move || t_string!(i18n, bank.back_to_bank)}</A>
                            </div>
                        })}
                        <Show when=move || !matches!(commit.value().get(), Some(Ok(_)))>
                            <button type="button" class="primary" disabled=move || commit.pending().get()
                                on:click=move |_| { commit.dispatch(CommitImport {
                                    upload_id,
                                    skip_duplicates: skip.get(),
                                    skip_unsupported: skip_unsupported.get(),
                                }); }>
                                {move || if commit.pending().get() { t_string!(i18n, bank.committing) } else { t_string!(i18n, bank.commit) }}
                            </button>
                        </Show>
                    </section>
                }.into_any()
            }
        })}
    }
}
