//! Pages of the question bank: `/bank`, `/bank/new`, `/bank/:id`, `/bank/import`.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use question_bank::{Lang, Localized, Question, QuestionDraft};

use super::{
    BankFilter, BankPageData, BankRow, CommitImport, CreateQuestion, QuestionDetail,
    SetQuestionActive, UpdateQuestion, UploadOutcome, WRITERS, field_key, get_question,
    list_questions,
    text::{BankText, bank_text},
    upload_bank_file,
};
use crate::{
    error::AppError,
    i18n::{I18n, Locale, use_i18n},
    layout::{
        ActionError, Badge, ErrorNotice, LoadError, Pager, RequireRole, confirmed, load_by_id,
        use_id_param, use_user,
    },
    roles::Role,
};

fn bt(i18n: I18n) -> &'static BankText {
    bank_text(i18n.locale())
}

fn lang(locale: Locale) -> Lang {
    match locale {
        Locale::Zh => Lang::Zh,
        Locale::En => Lang::En,
    }
}

fn type_label(t: &BankText, code: &str) -> &'static str {
    match code {
        "single" => t.type_single,
        "multiple" => t.type_multiple,
        _ => t.type_true_false,
    }
}

fn kind_label(t: &BankText, code: &str) -> &'static str {
    if code == "professional" {
        t.kind_professional
    } else {
        t.kind_general
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
            <h1>{move || bt(i18n).title}</h1>
            <div class="toolbar">
                <Show when=move || writer.get()>
                    <A href="/bank/new" attr:class="button primary">{move || bt(i18n).new_question}</A>
                    <A href="/bank/import" attr:class="button">{move || bt(i18n).import}</A>
                </Show>
                <a class="button" href=move || export_href("xlsx") download>{move || bt(i18n).export_xlsx}</a>
                <a class="button" href=move || export_href("gift") download>{move || bt(i18n).export_gift}</a>
            </div>
        </section>
        <form class="filters" on:submit=|ev| ev.prevent_default() on:change=reset_page>
            <label>{move || bt(i18n).col_type}
                <select on:change=move |ev| question_type.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t().all}</option>
                    <option value="single">{move || bt(i18n).type_single}</option>
                    <option value="multiple">{move || bt(i18n).type_multiple}</option>
                    <option value="true_false">{move || bt(i18n).type_true_false}</option>
                </select>
            </label>
            <label>{move || bt(i18n).col_kind}
                <select on:change=move |ev| exam_kind.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t().all}</option>
                    <option value="general">{move || bt(i18n).kind_general}</option>
                    <option value="professional">{move || bt(i18n).kind_professional}</option>
                </select>
            </label>
            <label>{move || bt(i18n).col_field}<input type="text" bind:value=field/></label>
            <label>{move || bt(i18n).filter_law}<input type="search" bind:value=law/></label>
            <label>{move || bt(i18n).col_difficulty}
                <select on:change=move |ev| difficulty.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t().all}</option>
                    {(1..=5).map(|d| view! { <option value=d.to_string()>{d}</option> }).collect_view()}
                </select>
            </label>
            <label>{move || bt(i18n).filter_tag}<input type="text" bind:value=tag/></label>
            <label>{move || i18n.t().status}
                <select on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="active" selected>{move || bt(i18n).active}</option>
                    <option value="retired">{move || bt(i18n).retired}</option>
                    <option value="">{move || i18n.t().all}</option>
                </select>
            </label>
            <label>{move || bt(i18n).filter_text}<input type="search" bind:value=text/></label>
        </form>
        <section class="card">
            <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(p) if p.rows.is_empty() => view! {
                            <p class="muted">{move || bt(i18n).empty}</p>
                        }.into_any(),
                        Ok(p) => view! {
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">{move || bt(i18n).col_id}</th>
                                    <th scope="col">{move || bt(i18n).col_type}</th>
                                    <th scope="col">{move || bt(i18n).col_stem}</th>
                                    <th scope="col">{move || bt(i18n).col_basis}</th>
                                    <th scope="col">{move || bt(i18n).col_difficulty}</th>
                                    <th scope="col">{move || bt(i18n).col_field}</th>
                                    <th scope="col">{move || i18n.t().status}</th>
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
            <td>{move || type_label(bt(i18n), &question_type)}</td>
            <td><A href=format!("/bank/{id}")>{excerpt}</A></td>
            <td class="small">{legal_basis}</td>
            <td class="num">{difficulty}</td>
            <td>{field.unwrap_or_else(|| kind_label(bt(i18n), &exam_kind).to_owned())}</td>
            <td>{move || if active {
                view! { <Badge kind="ok" label=bt(i18n).active/> }
            } else {
                view! { <Badge kind="muted" label=bt(i18n).retired/> }
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
            <h1>{move || bt(i18n).new_question}</h1>
            <A href="/bank">{move || bt(i18n).back_to_bank}</A>
        </section>
        <section class="card">
            <QuestionForm
                initial=empty_draft()
                submit_label=move || bt(i18n).save_new
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
            .map(|e| (field_key(e.field), e.message(lang(i18n.locale()))))
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
                .map(|e| e.message(i18n.locale(), i18n.t()));
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
                <label for="q-type">{move || bt(i18n).col_type}</label>
                <select id="q-type" on:change=move |ev| question_type.set(event_target_value(&ev))>
                    {["单选题", "多选题", "判断题"].into_iter().map(|t| view! {
                        <option value=t selected=move || question_type.get() == t>
                            {move || type_label(bt(i18n), match t { "单选题" => "single", "多选题" => "multiple", _ => "true_false" })}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <label for="q-stem">{move || bt(i18n).stem}</label>
            <textarea id="q-stem" rows="3" prop:value=move || stem.get()
                on:input=move |ev| stem.set(event_target_value(&ev))
                aria-invalid=invalid("stem")></textarea>
            {error_for("stem")}
            <Show when=move || !is_tf()>
                <fieldset class="options">
                    <legend>{move || bt(i18n).option}</legend>
                    {(0..8usize).map(|i| {
                        let sig = options.with_value(|o| o[i]);
                        let letter = char::from(b'A' + i as u8);
                        let key: &'static str = ["option_0", "option_1", "option_2", "option_3", "option_4", "option_5", "option_6", "option_7"][i];
                        view! {
                            <Show when=move || i < shown.get()>
                                <div class="option-row">
                                    <label for=format!("q-opt-{i}")>{format!("{letter}.")}</label>
                                    <input id=format!("q-opt-{i}") type="text"
                                        aria-label=move || format!("{} {letter}", bt(i18n).option)
                                        bind:value=sig aria-invalid=invalid(key)/>
                                </div>
                                {error_for(key)}
                            </Show>
                        }
                    }).collect_view()}
                    <Show when=move || shown.get() < 8>
                        <button type="button" class="link-button" on:click=move |_| shown.update(|n| *n += 1)>
                            {move || bt(i18n).add_option}
                        </button>
                    </Show>
                </fieldset>
            </Show>
            <label for="q-answer">{move || bt(i18n).answer}</label>
            <input id="q-answer" type="text" bind:value=answer aria-invalid=invalid("answer")
                aria-describedby="q-answer-hint"/>
            <p id="q-answer-hint" class="hint">
                {move || if is_tf() { bt(i18n).answer_hint_tf } else { bt(i18n).answer_hint_choice }}
            </p>
            {error_for("answer")}
            <div class="form-grid">
                <div>
                    <label for="q-difficulty">{move || bt(i18n).col_difficulty}</label>
                    <select id="q-difficulty" on:change=move |ev| difficulty.set(event_target_value(&ev))>
                        {(1..=5).map(|d| {
                            let v = d.to_string();
                            let sel = v.clone();
                            view! { <option value=v selected=move || difficulty.get() == sel>{d}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="q-kind">{move || bt(i18n).col_kind}</label>
                    <select id="q-kind" on:change=move |ev| exam_kind.set(event_target_value(&ev))>
                        <option value="综合法律知识" selected=move || !exam_kind.get().contains("专业")>
                            {move || bt(i18n).kind_general}
                        </option>
                        <option value="专业法律知识" selected=move || exam_kind.get().contains("专业")>
                            {move || bt(i18n).kind_professional}
                        </option>
                    </select>
                </div>
                <Show when=move || exam_kind.get().contains("专业")>
                    <div>
                        <label for="q-field">{move || bt(i18n).col_field}</label>
                        <input id="q-field" type="text" bind:value=field aria-invalid=invalid("field")/>
                        {error_for("field")}
                    </div>
                </Show>
            </div>
            <label for="q-basis">{move || bt(i18n).legal_basis}</label>
            <input id="q-basis" type="text" bind:value=legal_basis aria-invalid=invalid("legal_basis")
                placeholder=move || bt(i18n).legal_basis_hint/>
            {error_for("legal_basis")}
            <label for="q-tags">{move || bt(i18n).tags}</label>
            <input id="q-tags" type="text" bind:value=tags aria-describedby="q-tags-hint"/>
            <p id="q-tags-hint" class="hint">{move || bt(i18n).tags_hint}</p>
            {error_for("tags")}
            <label for="q-expl">{move || bt(i18n).explanation}</label>
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
        <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
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
                {bt(i18n).saved_revision.replace("{n}", &n.to_string())}
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
            <h1>{move || bt(i18n).col_id}" "{id}<span class="muted">" · "{move || bt(i18n).revision_no}" "{revision}</span></h1>
            <div class="toolbar">
                <A href="/bank">{move || bt(i18n).back_to_bank}</A>
                {if active {
                    view! { <Badge kind="ok" label=bt(i18n).active/> }.into_any()
                } else {
                    view! { <Badge kind="muted" label=bt(i18n).retired/> }.into_any()
                }}
                <Show when=move || writer.get()>
                    <button type="button" class=if active { "danger" } else { "" }
                        on:click=move |_| {
                            if !active || confirmed(bt(i18n).confirm_retire) {
                                set_active.dispatch(SetQuestionActive { id, active: !active });
                            }
                        }>
                        {move || if active { bt(i18n).retire } else { bt(i18n).restore }}
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
                                " "<Badge kind="ok" label=bt(i18n).correct/>
                            })}</li>
                        }
                    }).collect_view()}
                </ol>
                <dl class="meta">
                    <dt>{move || bt(i18n).answer}</dt><dd data-testid="answer">{draft.answer.clone()}</dd>
                    <dt>{move || bt(i18n).legal_basis}</dt><dd>{draft.legal_basis.clone()}</dd>
                    <dt>{move || bt(i18n).col_difficulty}</dt><dd>{draft.difficulty.clone()}</dd>
                    <dt>{move || bt(i18n).col_kind}</dt><dd>{draft.exam_kind.clone()}" "{draft.field.clone()}</dd>
                    <dt>{move || bt(i18n).tags}</dt><dd>{draft.tags.clone()}</dd>
                    <dt>{move || bt(i18n).explanation}</dt><dd>{draft.explanation.clone()}</dd>
                </dl>
            </section>
            <section class="card">
                <h2>{move || bt(i18n).history}</h2>
                <table class="data" data-testid="history">
                    <thead><tr>
                        <th scope="col">{move || bt(i18n).revision_no}</th>
                        <th scope="col">{move || bt(i18n).time}</th>
                        <th scope="col">{move || bt(i18n).author}</th>
                    </tr></thead>
                    <tbody>
                        {history.into_iter().map(|h| view! {
                            <tr title=h.stem>
                                <td>{h.number}{(h.number == revision).then(|| view! {
                                    " "<span class="muted small">"("{move || bt(i18n).current}")"</span>
                                })}</td>
                                <td>{h.created_at.format("%Y-%m-%d %H:%M").to_string()}</td>
                                <td>{h.author}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
        <Show when=move || writer.get()>
            <section class="card">
                <h2>{move || bt(i18n).edit_question}</h2>
                <QuestionForm
                    initial=draft.clone()
                    submit_label=move || bt(i18n).save_revision
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
            <h1>{move || bt(i18n).import_title}</h1>
            <p class="muted">{move || bt(i18n).import_intro}</p>
            <a href="/api/bank/template" download>{move || bt(i18n).template_link}</a>
        </section>
        <section class="card">
            <form on:submit=on_submit enctype="multipart/form-data">
                <label for="imp-file">{move || bt(i18n).import_file}</label>
                <input id="imp-file" name="file" type="file" required
                    accept=".xlsx,.csv,.gift,.txt,.aiken"/>
                <details>
                    <summary>{move || bt(i18n).import_defaults}</summary>
                    <div class="form-grid">
                        <div>
                            <label for="imp-kind">{move || bt(i18n).col_kind}</label>
                            <select id="imp-kind" name="exam_kind">
                                <option value="综合法律知识">{move || bt(i18n).kind_general}</option>
                                <option value="专业法律知识">{move || bt(i18n).kind_professional}</option>
                            </select>
                        </div>
                        <div>
                            <label for="imp-field">{move || bt(i18n).col_field}</label>
                            <input id="imp-field" name="field" type="text"/>
                        </div>
                        <div>
                            <label for="imp-diff">{move || bt(i18n).col_difficulty}</label>
                            <select id="imp-diff" name="difficulty">
                                {(1..=5).map(|d| view! { <option value=d.to_string() selected=d == 3>{d}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <label for="imp-basis">{move || bt(i18n).legal_basis}</label>
                    <input id="imp-basis" name="legal_basis" type="text" placeholder=move || bt(i18n).legal_basis_hint/>
                </details>
                <button type="submit" class="primary" disabled=move || upload.pending().get()>
                    {move || bt(i18n).preview}
                </button>
                <Show when=move || upload.pending().get()>
                    <p role="status"><progress></progress>" "{move || bt(i18n).previewing}</p>
                </Show>
            </form>
        </section>
        {move || upload.value().get().map(|res| match res {
            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            Ok(UploadOutcome::Rejected { file_problems, rows }) => view! {
                <section class="card" data-testid="import-rejected">
                    <h2 class="error-title">{move || bt(i18n).rejected_title}</h2>
                    <ul>
                        {file_problems.into_iter().map(|p| view! {
                            <li class="field-error">{move || p.get(i18n.locale()).to_owned()}</li>
                        }).collect_view()}
                    </ul>
                    <Show when={let n = rows.len(); move || n > 0}>
                        <p>{move || bt(i18n).rejected_intro}</p>
                    </Show>
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{move || bt(i18n).row}</th>
                            <th scope="col">{move || bt(i18n).column}</th>
                            <th scope="col">{move || bt(i18n).problem}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="num">{r.row}</td>
                                    <td>{r.column}</td>
                                    <td>{move || r.message.get(i18n.locale()).to_owned()}</td>
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
                        <h2>{move || bt(i18n).preview_title}": "{p.file_name.clone()}</h2>
                        <dl class="stats">
                            <div><dt>{move || bt(i18n).total}</dt><dd data-testid="preview-total">{p.total}</dd></div>
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
                        <p>{move || bt(i18n).col_difficulty}": "
                            {p.by_difficulty.iter().map(|(d, n)| format!("{d}: {n}")).collect::<Vec<_>>().join(" · ")}
                        </p>
                        <p>{move || bt(i18n).dup_in_file}": "
                            {p.duplicates_in_file.iter().map(|(a, b)| format!("{a}={b}")).collect::<Vec<_>>().join(", ")}
                        </p>
                        <p>{move || bt(i18n).dup_in_bank}": "
                            {p.duplicates_in_bank.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")}
                        </p>
                        <details>
                            <summary>{move || bt(i18n).warnings}" ("{p.warnings.len()}")"</summary>
                            <ul>
                                {p.warnings.into_iter().map(|w| view! {
                                    <li>{move || w.get(i18n.locale()).to_owned()}</li>
                                }).collect_view()}
                            </ul>
                        </details>
                        {(!unsupported.is_empty()).then(move || view! {
                            <div data-testid="import-unsupported">
                                <h3>{move || bt(i18n).unsupported_title}</h3>
                                <p class="muted">{move || bt(i18n).unsupported_intro}</p>
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{move || bt(i18n).unsupported_name}</th>
                                        <th scope="col">{move || bt(i18n).unsupported_line}</th>
                                        <th scope="col">{move || bt(i18n).unsupported_kind}</th>
                                    </tr></thead>
                                    <tbody>
                                        {unsupported.into_iter().map(|q| {
                                            let name = q.name.clone();
                                            view! {
                                                <tr>
                                                    <td>{move || name.clone().unwrap_or_else(|| bt(i18n).unnamed.to_owned())}</td>
                                                    <td class="num">{q.line}</td>
                                                    <td>{move || q.kind.get(i18n.locale()).to_owned()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <label class="check">
                                    <input type="checkbox" bind:checked=skip_unsupported/>
                                    {move || bt(i18n).skip_unsupported}
                                </label>
                            </div>
                        })}
                        <label class="check">
                            <input type="checkbox" bind:checked=skip/>
                            {move || bt(i18n).skip_duplicates}
                        </label>
                        <ActionError value=move || commit.value().get()/>
                        {move || commit.value().get().and_then(Result::ok).map(|r| view! {
                            <div class="notice notice-ok" role="status" data-testid="imported">
                                {bt(i18n).imported.replace("{n}", &r.stored.to_string())
                                    .replace("{s}", &r.skipped_duplicates.to_string())
                                    .replace("{u}", &r.skipped_unsupported.to_string())}
                                " "<A href="/bank">{move || bt(i18n).back_to_bank}</A>
                            </div>
                        })}
                        <Show when=move || !matches!(commit.value().get(), Some(Ok(_)))>
                            <button type="button" class="primary" disabled=move || commit.pending().get()
                                on:click=move |_| { commit.dispatch(CommitImport {
                                    upload_id,
                                    skip_duplicates: skip.get(),
                                    skip_unsupported: skip_unsupported.get(),
                                }); }>
                                {move || if commit.pending().get() { bt(i18n).committing } else { bt(i18n).commit }}
                            </button>
                        </Show>
                    </section>
                }.into_any()
            }
        })}
    }
}
