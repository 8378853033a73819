//! `/batches/:id/results` (the office's review: overview with the score histogram, item
//! analysis with void and re-key, the review of attempts with evidence, publication),
//! `/batches/:id/results/list` (the results list and downloads: the office, and agency
//! officers for their candidates once published) and `/result` (a candidate's own result).

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};
use question_bank::QuestionType;

use super::{
    AffectedAttempt, AnswerScoreReview, DecideItem, DecisionKind, GroupRate, ItemRow,
    MyPublishedResult, MyResult, NoticeStatus, NoticeView, Publish, READERS,
    RecordCertificateApplications, RequestScoreReview, ResultList, ResultOutcome, ResultsOverview,
    ReviewAttempt, ReviewCase, ReviewDecision, ScoreBatch, ScoreReviewDetail, ScoreReviewLine,
    Statistics, Verification, VerifyNotice, flag_label, load_items, load_list, load_my_result,
    load_notices, load_overview, load_reviews, load_score_review, load_score_reviews,
    load_statistics, option_name, verify_notice,
};
use crate::{
    error::AppError,
    i18n::{Locale, t_string, td_string, use_i18n},
    layout::{ActionError, Badge, LoadError},
    locale::format_datetime,
    roles::Role,
};

const OFFICE: &[Role] = &[Role::OfficeAdmin];

fn use_batch_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id")?.parse().ok())
}

fn outcome_badge(o: ResultOutcome, locale: Locale) -> impl IntoView {
    let kind = match o {
        ResultOutcome::Passed => "ok",
        ResultOutcome::Failed => "warn",
        ResultOutcome::Absent => "muted",
        ResultOutcome::Voided => "bad",
    };
    view! { <Badge kind label=o.label(locale)/> }
}

fn ratio(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format!("{:.1}%", f64::from(part) * 100.0 / f64::from(whole))
    }
}

fn loading() -> impl IntoView {
    view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }
}

/// `/batches/:id/results`: the office's review before publication.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let id = use_batch_id();
    let score = ServerAction::<ScoreBatch>::new();
    let decide = ServerAction::<DecideItem>::new();
    let review = ServerAction::<ReviewAttempt>::new();
    let publish = ServerAction::<Publish>::new();
    let changes = move || {
        (
            id.get(),
            score.version().get(),
            decide.version().get(),
            review.version().get(),
            publish.version().get(),
        )
    };
    let overview = Resource::new(changes, |(id, ..)| async move {
        load_overview(id.ok_or(AppError::NotFound)?).await
    });
    let items = Resource::new(changes, |(id, ..)| async move {
        load_items(id.ok_or(AppError::NotFound)?).await
    });
    let reviews = Resource::new(changes, |(id, ..)| async move {
        load_reviews(id.ok_or(AppError::NotFound)?).await
    });
    let score_reviews = Resource::new(changes, |(id, ..)| async move {
        load_score_reviews(id.ok_or(AppError::NotFound)?).await
    });
    view! {
        <crate::layout::RequireRole roles=OFFICE>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! { <Overview o score publish/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=move || score.value().get()/>
            <ActionError value=move || publish.value().get()/>
            <section>
                <h2>{crate::text!(results.reviews_title)}</h2>
                <p class="muted">{crate::text!(results.reviews_help)}</p>
                <ActionError value=move || review.value().get()/>
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match reviews.await {
                            Ok(cases) => view! { <Reviews cases review/> }.into_any(),
                            Err(e) => view! { <LoadError error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section>
                <h2>{crate::text!(results.score_review_title)}</h2>
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match (score_reviews.await, id.get_untracked()) {
                            (Ok(lines), Some(batch_id)) => view! { <ScoreReviews lines batch_id/> }.into_any(),
                            (Err(e), _) => view! { <LoadError error=e/> }.into_any(),
                            (_, None) => ().into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section>
                <h2>{crate::text!(results.items_title)}</h2>
                <p class="muted">{crate::text!(results.items_help)}</p>
                <ActionError value=move || decide.value().get()/>
                {move || decide.value().get().and_then(Result::ok).map(|affected| view! { <Affected affected/> })}
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match items.await {
                            Ok(rows) => view! { <Items rows decide/> }.into_any(),
                            Err(AppError::Conflict { .. }) => view! { <p class="muted">{crate::text!(results.score_first)}</p> }.into_any(),
                            Err(e) => view! { <LoadError error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </crate::layout::RequireRole>
    }
}

#[component]
fn Overview(
    o: ResultsOverview,
    score: ServerAction<ScoreBatch>,
    publish: ServerAction<Publish>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let batch_id = o.batch_id;
    let published = o.publication.is_some();
    let list = format!("/batches/{batch_id}/results/list");
    let batch = format!("/batches/{batch_id}");
    let d = o.distribution;
    let scoring = o.scoring.clone().map(|s| {
        td_string!(
            locale,
            results.scored_line,
            revision = s.revision,
            at = format_datetime(locale, s.scored_at),
            by = s.by_name
        )
        .to_string()
    });
    let can_publish = o.scoring.is_some() && o.open_reviews == 0 && !published;
    let rescoring = o.scoring.is_some();
    view! {
        <section class="page-head">
            <h1>{crate::text!(results.title)}" · "{o.batch_name.clone()}</h1>
            <p class="toolbar">
                <A href=batch attr:class="button">{crate::text!(results.back_to_batch)}</A>
                <A href=list attr:class="button">{crate::text!(results.open_list)}</A>
                <A href="/results/statistics" attr:class="button">{crate::text!(results.statistics_title)}</A>
            </p>
            <p class="muted" data-testid="scoring-line">{scoring.unwrap_or_else(|| td_string!(locale, results.not_scored).to_owned())}</p>
        </section>
        {o.publication.clone().map(|p| view! {
            <p class="notice" data-testid="published">
                {td_string!(locale, results.published_line, at = format_datetime(locale, p.published_at), head = p.audit_head).to_string()}
            </p>
        })}
        {(!published).then(|| view! {
            <div class="toolbar">
                <button class="primary" data-testid="score" disabled=move || score.pending().get()
                    on:click=move |_| { score.dispatch(ScoreBatch { batch_id }); }>
                    {move || if rescoring { t_string!(i18n, results.rescore) } else { t_string!(i18n, results.score) }}
                </button>
                <button class="primary" data-testid="publish" disabled=move || !can_publish || publish.pending().get()
                    on:click=move |_| {
                        let confirm = t_string!(i18n, results.publish_confirm);
                        if window().confirm_with_message(confirm).unwrap_or(false) {
                            publish.dispatch(Publish { batch_id });
                        }
                    }>
                    {crate::text!(results.publish)}
                </button>
                {(o.open_reviews > 0).then(|| view! {
                    <span class="muted" data-testid="open-reviews">{td_string!(locale, results.open_reviews, count = o.open_reviews).to_string()}</span>
                })}
            </div>
        })}
        <dl class="facts" data-testid="overview">
            <dt>{crate::text!(results.registered)}</dt><dd>{o.registered}</dd>
            <dt>{crate::text!(results.sat)}</dt><dd data-testid="sat">{o.sat}</dd>
            <dt>{crate::text!(results.absent)}</dt><dd>{o.absent}</dd>
            <dt>{crate::text!(results.voided)}</dt><dd>{o.voided}</dd>
            <dt>{crate::text!(results.passed)}</dt><dd data-testid="passed">{o.passed}</dd>
            <dt>{crate::text!(results.pass_rate)}</dt><dd>{percent(o.passed, o.sat)}</dd>
            <dt>{crate::text!(results.mean)}</dt><dd>{d.map_or_else(|| "—".to_owned(), |d| format!("{:.2}", d.mean))}</dd>
            <dt>{crate::text!(results.median)}</dt><dd>{d.map_or_else(|| "—".to_owned(), |d| format!("{:.2}", d.median))}</dd>
            <dt>{crate::text!(results.standard_deviation)}</dt><dd>{d.map_or_else(|| "—".to_owned(), |d| format!("{:.2}", d.standard_deviation))}</dd>
            <dt>{crate::text!(results.reliability)}</dt><dd>{ratio(o.reliability)}</dd>
            <dt>{crate::text!(results.flagged_items)}</dt><dd>{o.flagged_items}</dd>
        </dl>
        {(!o.histogram_svg.is_empty() && o.scoring.is_some()).then(|| view! {
            <figure class="chart" data-testid="histogram">
                <div inner_html=o.histogram_svg.clone()></div>
                <figcaption>{crate::text!(results.histogram_caption)}</figcaption>
            </figure>
        })}
        <div class="columns">
            <Rates title=td_string!(locale, results.by_agency).to_owned() rows=o.by_agency.clone()/>
            <Rates title=td_string!(locale, results.by_room).to_owned() rows=o.by_room.clone()/>
        </div>
    }
}

#[component]
fn ScoreReviews(lines: Vec<ScoreReviewLine>, batch_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p class="muted">{crate::text!(results.no_score_reviews)}</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="score-reviews">
            <thead><tr>
                <th scope="col">{crate::text!(results.column_ticket)}</th>
                <th scope="col">{crate::text!(results.column_name)}</th>
                <th scope="col">{crate::text!(results.score_review_request)}</th>
                <th scope="col">{crate::text!(results.review)}</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|l| {
                    let href = format!("/batches/{batch_id}/results/score-review/{}", l.id);
                    let state = if l.answered { t_string!(i18n, results.review_answered) } else { t_string!(i18n, results.review_pending) };
                    view! {
                        <tr data-testid="score-review">
                            <td>{l.ticket_no.clone()}</td>
                            <td>{l.name.clone()}</td>
                            <td>{l.request.clone()}</td>
                            <td><A href=href>{state}</A></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn Rates(title: String, rows: Vec<GroupRate>) -> impl IntoView {
    view! {
        <table class="data">
            <caption>{title}</caption>
            <thead><tr>
                <th scope="col"></th>
                <th scope="col" class="num">{crate::text!(results.registered)}</th>
                <th scope="col" class="num">{crate::text!(results.sat)}</th>
                <th scope="col" class="num">{crate::text!(results.passed)}</th>
                <th scope="col" class="num">{crate::text!(results.pass_rate)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|g| view! {
                    <tr>
                        <th scope="row">{g.name}</th>
                        <td class="num">{g.registered}</td>
                        <td class="num">{g.sat}</td>
                        <td class="num">{g.passed}</td>
                        <td class="num">{percent(g.passed, g.sat)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Reviews(cases: Vec<ReviewCase>, review: ServerAction<ReviewAttempt>) -> impl IntoView {
    let i18n = use_i18n();
    if cases.is_empty() {
        return view! { <p class="muted" data-testid="no-reviews">{crate::text!(results.no_reviews)}</p> }.into_any();
    }
    view! {
        <table class="data" data-testid="reviews">
            <thead><tr>
                <th scope="col">{crate::text!(results.column_ticket)}</th>
                <th scope="col">{crate::text!(results.column_name)}</th>
                <th scope="col">{crate::text!(results.column_agency)}</th>
                <th scope="col">{crate::text!(results.evidence)}</th>
                <th scope="col">{crate::text!(results.review)}</th>
            </tr></thead>
            <tbody>
                {cases.into_iter().map(|c| {
                    let attempt_id = c.attempt_id;
                    let reason = RwSignal::new(String::new());
                    let locale = i18n.get_locale_untracked();
                    let evidence = {
                        let mut parts = vec![c.status_label(locale)];
                        if c.signals > 0 {
                            parts.push(td_string!(locale, results.signals, count = c.signals).to_string());
                        }
                        for (category, description) in &c.misconduct {
                            parts.push(format!("{}:{description}", category.get(locale)));
                        }
                        parts.join(";")
                    };
                    let decided = c.review.clone().map(|r| format!("{} — {}({})", r.decision.label(locale), r.reason, r.by_name));
                    let send = move |decision: ReviewDecision| {
                        review.dispatch(ReviewAttempt { attempt_id, decision, reason: reason.get_untracked() });
                    };
                    view! {
                        <tr data-testid="review-case">
                            <td>{c.ticket_no.clone()}</td>
                            <td>{c.name.clone()}</td>
                            <td>{c.agency.clone()}</td>
                            <td>{evidence}</td>
                            <td>
                                {decided.map(|d| view! { <p data-testid="review-decision">{d}</p> })}
                                <label class="small">{crate::text!(results.reason)}
                                    <input type="text" data-testid="review-reason" prop:value=move || reason.get()
                                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                                </label>
                                <div class="toolbar">
                                    <button data-testid="uphold" on:click=move |_| send(ReviewDecision::Upheld)>{crate::text!(results.uphold)}</button>
                                    <button data-testid="lift" on:click=move |_| send(ReviewDecision::Lifted)>{crate::text!(results.lift)}</button>
                                </div>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

impl ReviewCase {
    fn status_label(&self, locale: Locale) -> String {
        crate::proctor::SeatState::of_attempt(self.status)
            .label(locale)
            .to_owned()
    }
}

/// The attempts a decision re-scored.
#[component]
fn Affected(affected: Vec<AffectedAttempt>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let changed = affected.iter().filter(|a| a.before != a.after).count();
    view! {
        <details class="notice" open data-testid="affected">
            <summary>{td_string!(locale, results.affected_summary, count = affected.len(), changed = changed).to_string()}</summary>
            <table class="data">
                <thead><tr>
                    <th scope="col">{crate::text!(results.column_ticket)}</th>
                    <th scope="col">{crate::text!(results.column_name)}</th>
                    <th scope="col" class="num">{crate::text!(results.before)}</th>
                    <th scope="col" class="num">{crate::text!(results.after)}</th>
                    <th scope="col">{crate::text!(results.column_outcome)}</th>
                </tr></thead>
                <tbody>
                    {affected.into_iter().map(|a| view! {
                        <tr data-testid="affected-row">
                            <td>{a.ticket_no}</td>
                            <td>{a.name}</td>
                            <td class="num">{a.before.to_string()}</td>
                            <td class="num">{a.after.to_string()}</td>
                            <td>{outcome_badge(a.outcome_after, locale)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

fn key_name(key: &str, question_type: QuestionType, locale: Locale) -> String {
    match (question_type, key) {
        (QuestionType::TrueFalse, "T") => option_name(0, Some(question_type), locale),
        (QuestionType::TrueFalse, _) => option_name(1, Some(question_type), locale),
        _ => key.to_owned(),
    }
}

#[component]
fn Items(rows: Vec<ItemRow>, decide: ServerAction<DecideItem>) -> impl IntoView {
    let i18n = use_i18n();
    let flagged_only = RwSignal::new(false);
    let rows = StoredValue::new(rows);
    view! {
        <label class="check">
            <input type="checkbox" data-testid="flagged-only" prop:checked=move || flagged_only.get()
                on:change=move |ev| flagged_only.set(event_target_checked(&ev))/>
            " "{crate::text!(results.flagged_only)}
        </label>
        <table class="data" data-testid="items">
            <thead><tr>
                <th scope="col">{crate::text!(results.question)}</th>
                <th scope="col" class="num">{crate::text!(results.candidates)}</th>
                <th scope="col" class="num">{crate::text!(results.facility)}</th>
                <th scope="col" class="num">{crate::text!(results.discrimination)}</th>
                <th scope="col" class="num">{crate::text!(results.upper_lower)}</th>
                <th scope="col">{crate::text!(results.options)}</th>
                <th scope="col">{crate::text!(results.flags)}</th>
                <th scope="col">{crate::text!(results.decision)}</th>
            </tr></thead>
            <tbody>
                {move || {
                    let only = flagged_only.get();
                    let locale = i18n.get_locale();
                    rows.get_value().into_iter().filter(|r| !only || !r.flags.is_empty()).map(|r| {
                        let options = r.chosen.iter().enumerate().map(|(i, n)| {
                            let name = option_name(u8::try_from(i).unwrap_or(u8::MAX), Some(r.question_type), locale);
                            format!("{name}:{n}")
                        }).collect::<Vec<_>>().join(" ");
                        let flags = r.flags.iter().map(|f| flag_label(*f, locale)).collect::<Vec<_>>().join(";");
                        let key = key_name(&r.bank_key, r.question_type, locale);
                        let decided = r.decision.clone().map(|d| {
                            let key = d.answer_key.map(|k| format!(" → {}", key_name(&k, r.question_type, locale))).unwrap_or_default();
                            format!("{}{key}({};{})", d.kind.label(locale), d.reason, d.by_name)
                        });
                        let has_decision = decided.is_some();
                        view! {
                            <tr data-testid="item-row" data-revision=r.revision_id class:flagged=!r.flags.is_empty()>
                                <td>
                                    <a href=format!("/bank/{}", r.question_id)>{format!("#{}", r.question_id)}</a>
                                    " "{r.stem.clone()}
                                    <div class="small muted">{r.law.clone()}" · "{td_string!(locale, results.key_is, key = key).to_string()}</div>
                                </td>
                                <td class="num">{r.candidates}</td>
                                <td class="num">{format!("{:.2}", r.facility)}</td>
                                <td class="num">{ratio(r.discrimination)}</td>
                                <td class="num">{ratio(r.upper_lower)}</td>
                                <td class="small">{options}{(r.unanswered > 0).then(|| format!(" —:{}", r.unanswered))}</td>
                                <td class="small" data-testid="item-flags">{flags}</td>
                                <td>
                                    {decided.map(|d| view! { <p data-testid="item-decision">{d}</p> })}
                                    <DecisionForm batch_question=(r.revision_id, r.question_type) has_decision decide/>
                                </td>
                            </tr>
                        }
                    }).collect_view()
                }}
            </tbody>
        </table>
    }
}

#[component]
fn DecisionForm(
    batch_question: (i64, QuestionType),
    has_decision: bool,
    decide: ServerAction<DecideItem>,
) -> impl IntoView {
    let (revision_id, question_type) = batch_question;
    let id = use_batch_id();
    let kind = RwSignal::new(DecisionKind::VoidAward.as_str().to_owned());
    let key = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let i18n = use_i18n();
    view! {
        <details class="editor">
            <summary data-testid="decide">{crate::text!(results.decide)}</summary>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let Some(batch_id) = id.get_untracked() else { return };
                let decision = DecisionKind::parse(&kind.get_untracked());
                decide.dispatch(DecideItem {
                    batch_id,
                    revision_id,
                    decision,
                    new_key: (decision == Some(DecisionKind::Rekey)).then(|| key.get_untracked()),
                    reason: reason.get_untracked(),
                });
            }>
                <select data-testid="decision-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    {DecisionKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || k.label(i18n.get_locale())}</option>
                    }).collect_view()}
                    {has_decision.then(|| view! { <option value="">{crate::text!(results.take_back)}</option> })}
                </select>
                <label class="small" class:hidden=move || kind.get() != DecisionKind::Rekey.as_str()>
                    {move || if question_type == QuestionType::TrueFalse { t_string!(i18n, results.new_key_tf) } else { t_string!(i18n, results.new_key) }}
                    <input type="text" size="6" data-testid="new-key" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
                </label>
                <label class="small">{crate::text!(results.reason)}
                    <input type="text" required data-testid="decision-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="primary" disabled=move || decide.pending().get()>{crate::text!(results.apply)}</button>
            </form>
        </details>
    }
}

/// `/batches/:id/results/list`: the results list and its downloads.
#[component]
pub fn ResultListPage() -> impl IntoView {
    let id = use_batch_id();
    let certify = ServerAction::<RecordCertificateApplications>::new();
    let list = Resource::new(
        move || (id.get(), certify.version().get()),
        |(id, _)| async move { load_list(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <crate::layout::RequireRole roles=READERS>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match (list.await, id.get_untracked()) {
                        (Ok(list), Some(batch_id)) => view! { <ListView list batch_id certify/> }.into_any(),
                        (Err(e), _) => view! { <LoadError error=e/> }.into_any(),
                        (_, None) => view! { <LoadError error=AppError::NotFound/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=move || certify.value().get()/>
        </crate::layout::RequireRole>
    }
}

#[component]
fn ListView(
    list: ResultList,
    batch_id: i64,
    certify: ServerAction<RecordCertificateApplications>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let href = move |which: &str, format: &str| {
        format!("/api/results/export?batch_id={batch_id}&list={which}&format={format}")
    };
    let published = list.publication.is_some();
    view! {
        <section class="page-head">
            <h1>{crate::text!(results.list_title)}" · "{list.batch_name.clone()}</h1>
            {match list.publication.clone() {
                Some(p) => view! {
                    <p class="notice" data-testid="published">
                        {td_string!(locale, results.published_line, at = format_datetime(locale, p.published_at), head = p.audit_head).to_string()}
                    </p>
                }.into_any(),
                None => view! { <p class="notice" data-testid="not-published">{crate::text!(results.not_published_line)}</p> }.into_any(),
            }}
            <p class="toolbar">
                <a class="button" data-testid="download-xlsx" href=href("all", "xlsx") download rel="external">{crate::text!(results.download_xlsx)}</a>
                <a class="button" data-testid="download-csv" href=href("all", "csv") download rel="external">{crate::text!(results.download_csv)}</a>
                <a class="button" data-testid="download-pass-xlsx" href=href("pass", "xlsx") download rel="external">{crate::text!(results.download_pass_list)}</a>
                {published.then(|| view! {
                    <A href=format!("/batches/{batch_id}/results/notices") attr:class="button">{crate::text!(results.notices_title)}</A>
                })}
            </p>
        </section>
        <table class="data" data-testid="result-list">
            <thead><tr>
                <th scope="col">{crate::text!(results.column_ticket)}</th>
                <th scope="col">{crate::text!(results.column_name)}</th>
                <th scope="col">{crate::text!(results.column_agency)}</th>
                <th scope="col">{crate::text!(results.column_room)}</th>
                <th scope="col" class="num">{crate::text!(results.column_total)}</th>
                <th scope="col">{crate::text!(results.column_outcome)}</th>
                <th scope="col">{crate::text!(results.certificate)}</th>
            </tr></thead>
            <tbody>
                {list.lines.into_iter().map(|l| {
                    let ticket = l.ticket_no.clone();
                    let certificate = match (l.certificate_applied, l.pass_valid_until) {
                        (true, _) => view! { <span data-testid="certificate-applied">{crate::text!(results.certificate_applied)}</span> }.into_any(),
                        (false, Some(until)) => view! {
                            <span class="small muted">{td_string!(locale, results.pass_valid_until, until = format_datetime(locale, until)).to_string()}</span>
                            " "
                            <button type="button" data-testid="record-certificate" disabled=move || certify.pending().get()
                                on:click=move |_| { certify.dispatch(RecordCertificateApplications { batch_id, ticket_nos: vec![ticket.clone()] }); }>
                                {crate::text!(results.record_certificate)}
                            </button>
                        }.into_any(),
                        (false, None) => "—".into_any(),
                    };
                    view! {
                        <tr data-testid="result-line">
                            <td>{l.ticket_no}</td>
                            <td>{l.name}</td>
                            <td>{l.agency}</td>
                            <td>{l.room}</td>
                            <td class="num">{format!("{} / {}", l.total, l.possible)}</td>
                            <td>{outcome_badge(l.outcome, locale)}</td>
                            <td>{certificate}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/result`: the candidate's own result, its notice and score review requests.
#[component]
pub fn MyResultPage() -> impl IntoView {
    let request = ServerAction::<RequestScoreReview>::new();
    let mine = Resource::new(move || request.version().get(), |_| load_my_result());
    view! {
        <crate::layout::RequireRole roles=&[Role::Candidate]>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(MyResult::Published(r)) => view! { <MyResultView r=*r request/> }.into_any(),
                        Ok(MyResult::NotPublished { batch_name }) => view! {
                            <section class="page-head">
                                <h1>{crate::text!(results.my_result)}</h1>
                                <p class="notice" data-testid="not-published">{batch_name}" — "{crate::text!(results.not_published_yet)}</p>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </crate::layout::RequireRole>
    }
}

#[component]
fn MyResultView(r: MyPublishedResult, request: ServerAction<RequestScoreReview>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let text = RwSignal::new(String::new());
    let open = r.reviews.iter().any(|l| !l.answered);
    let until = format_datetime(locale, r.review_until);
    view! {
        <section class="page-head no-print">
            <h1>{crate::text!(results.my_result)}</h1>
            <p class="toolbar">
                <button type="button" on:click=move |_| { let _ = window().print(); }>{crate::text!(results.print_notice)}</button>
            </p>
        </section>
        <Notice n=r.notice/>
        <section class="no-print">
            <h2>{crate::text!(results.score_review_title)}</h2>
            <p class="muted">{td_string!(locale, results.score_review_help, until = until).to_string()}</p>
            {r.reviews.into_iter().map(|l| view! { <ReviewLineView l/> }).collect_view()}
            {(!open).then(|| view! {
                <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    request.dispatch(RequestScoreReview { request: text.get_untracked() });
                }>
                    <label>{crate::text!(results.score_review_request)}
                        <textarea data-testid="review-request" rows="3" prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" class="primary" disabled=move || request.pending().get()>{crate::text!(results.score_review_send)}</button>
                </form>
            })}
            <ActionError value=move || request.value().get()/>
        </section>
    }
}

#[component]
fn ReviewLineView(l: ScoreReviewLine) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let changed = match (l.total_before, l.total_after) {
        (Some(b), Some(a)) => td_string!(
            locale,
            results.total_changed,
            before = b.to_string(),
            after = a.to_string()
        )
        .to_string(),
        _ => String::new(),
    };
    view! {
        <div class="card" data-testid="review-line">
            <p><strong>{format_datetime(locale, l.requested_at)}</strong>" "{l.request}</p>
            {match l.answer {
                Some(a) => view! { <p data-testid="review-answer">{a}" "{changed}</p> }.into_any(),
                None => view! { <p class="muted">{crate::text!(results.review_pending)}</p> }.into_any(),
            }}
        </div>
    }
}

/// A result notice (成绩通知单): one A4 page.
#[component]
fn Notice(n: NoticeView) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let r = n.result;
    view! {
        <article class="notice-sheet" data-testid="notice">
            <h2 class="center">{crate::text!(layout.office_name)}</h2>
            <h1 class="center">{crate::text!(results.notice_title)}</h1>
            <dl class="facts">
                <dt>{crate::text!(results.column_name)}</dt><dd>{r.name.clone()}</dd>
                <dt>{crate::text!(results.column_ticket)}</dt><dd>{r.ticket_no.clone()}</dd>
                <dt>{crate::text!(results.column_agency)}</dt><dd>{n.agency.clone()}</dd>
                <dt>{crate::text!(results.exam)}</dt><dd>{r.exam.get(locale).to_owned()}" · "{r.batch_name.clone()}</dd>
                <dt>{crate::text!(results.column_total)}</dt><dd data-testid="my-total">{format!("{} / {}", r.total, r.possible)}</dd>
                <dt>{crate::text!(results.pass_mark)}</dt><dd>{r.pass_mark.to_string()}</dd>
                <dt>{crate::text!(results.column_outcome)}</dt><dd data-testid="my-outcome">{outcome_badge(r.outcome, locale)}</dd>
                <dt>{crate::text!(results.published_at)}</dt><dd>{format_datetime(locale, r.published_at)}</dd>
                <dt>{crate::text!(results.notice_status)}</dt><dd data-testid="notice-status">{n.status.label(locale)}</dd>
            </dl>
            {(!r.areas.is_empty()).then(|| view! {
                <table class="data" data-testid="my-areas">
                    <thead><tr>
                        <th scope="col">{crate::text!(results.area)}</th>
                        <th scope="col" class="num">{crate::text!(results.column_total)}</th>
                    </tr></thead>
                    <tbody>
                        {r.areas.iter().map(|a| view! {
                            <tr>
                                <td>{a.name.get(locale).to_owned()}</td>
                                <td class="num">{format!("{} / {}", a.earned, a.possible)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <div class="verify-box">
                <div class="qr" inner_html=n.qr_svg.clone()></div>
                <div>
                    <p>{crate::text!(results.verification_code)}" "<strong class="code" data-testid="notice-code">{n.code.clone()}</strong></p>
                    <p class="small">{crate::text!(results.verify_at)}" "<span data-testid="verify-url">{n.verify_url.clone()}</span></p>
                    <p class="small muted">{crate::text!(results.audit_head)}" "<code>{n.audit_head.clone()}</code></p>
                </div>
            </div>
        </article>
    }
}

/// `/batches/:id/results/notices`: every notice in the caller's scope, one per A4 page.
#[component]
pub fn NoticesPage() -> impl IntoView {
    let id = use_batch_id();
    let notices = Resource::new(
        move || id.get(),
        |id| async move { load_notices(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <crate::layout::RequireRole roles=READERS>
            <section class="page-head no-print">
                <h1>{crate::text!(results.notices_title)}</h1>
                <p class="toolbar">
                    <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>{crate::text!(results.print_notice)}</button>
                </p>
            </section>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(all) => all.into_iter().map(|n| view! { <Notice n/> }).collect_view().into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </crate::layout::RequireRole>
    }
}

/// `/verify` and `/verify/:code`: the public verification of a result notice.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let i18n = use_i18n();
    let from_path = params.read_untracked().get("code").unwrap_or_default();
    let typed = RwSignal::new(from_path.clone());
    let verify = ServerAction::<VerifyNotice>::new();
    let first = Resource::new(
        move || from_path.clone(),
        |code| async move {
            if code.is_empty() {
                Ok(None)
            } else {
                verify_notice(code).await.map(Some)
            }
        },
    );
    view! {
        <section class="page-head">
            <h1>{crate::text!(results.verify_title)}</h1>
            <p class="muted">{crate::text!(results.verify_help)}</p>
        </section>
        <form class="inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            verify.dispatch(VerifyNotice { code: typed.get_untracked() });
        }>
            <label>{crate::text!(results.verification_code)}
                <input type="text" data-testid="verify-code" autocomplete="off" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="primary" disabled=move || verify.pending().get()>{crate::text!(results.verify)}</button>
        </form>
        {move || match verify.value().get() {
            Some(Ok(v)) => view! { <Verified v/> }.into_any(),
            Some(Err(e)) => view! { <crate::layout::ErrorNotice error=e/> }.into_any(),
            None => view! {
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match first.await {
                            Ok(Some(v)) => view! { <Verified v/> }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(e) => view! { <crate::layout::ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            }.into_any(),
        }}
        <p class="small muted">{move || t_string!(i18n, results.verify_privacy)}</p>
    }
}

#[component]
fn Verified(v: Verification) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let valid = v.status == NoticeStatus::Valid;
    view! {
        <section class=if valid { "card verified" } else { "card not-valid" } data-testid="verified">
            <p class="lead" data-testid="verified-status">{v.status.label(locale)}</p>
            <dl class="facts">
                <dt>{crate::text!(results.issuer)}</dt><dd>{v.office.get(locale).to_owned()}</dd>
                <dt>{crate::text!(results.exam)}</dt><dd>{v.exam.get(locale).to_owned()}</dd>
                <dt>{crate::text!(results.batch)}</dt><dd>{v.batch_name.clone()}</dd>
                <dt>{crate::text!(results.exam_date)}</dt><dd>{format_datetime(locale, v.exam_date)}</dd>
                <dt>{crate::text!(results.column_name)}</dt><dd data-testid="verified-name">{v.name.clone()}</dd>
                <dt>{crate::text!(results.column_outcome)}</dt><dd data-testid="verified-outcome">{outcome_badge(v.outcome, locale)}</dd>
                <dt>{crate::text!(results.column_total)}</dt><dd>{format!("{} / {}", v.total, v.possible)}</dd>
                <dt>{crate::text!(results.issued_at)}</dt><dd>{format_datetime(locale, v.issued_at)}</dd>
            </dl>
        </section>
    }
}

/// `/batches/:id/results/score-review/:review`: one score review for the office to answer.
#[component]
pub fn ScoreReviewPage() -> impl IntoView {
    let params = use_params_map();
    let review_id = Memo::new(move |_| params.read().get("review")?.parse::<i64>().ok());
    let answer = ServerAction::<AnswerScoreReview>::new();
    let detail = Resource::new(
        move || (review_id.get(), answer.version().get()),
        |(id, _)| async move { load_score_review(id.ok_or(AppError::NotFound)?).await },
    );
    view! {
        <crate::layout::RequireRole roles=OFFICE>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <ReviewDetail d answer/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionError value=move || answer.value().get()/>
        </crate::layout::RequireRole>
    }
}

#[component]
fn ReviewDetail(d: ScoreReviewDetail, answer: ServerAction<AnswerScoreReview>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = d.line.id;
    let text = RwSignal::new(String::new());
    let corrected = RwSignal::new(String::new());
    let keys: std::collections::HashMap<u32, String> = d
        .appeal
        .paper
        .sections
        .iter()
        .flat_map(|s| s.items.iter().map(|i| (i.number, i.answer.clone())))
        .collect();
    let answered = d.line.answered;
    view! {
        <section class="page-head">
            <h1>{crate::text!(results.score_review_title)}" · "{d.line.name.clone()}" "{d.line.ticket_no.clone()}</h1>
            <p>{d.line.request.clone()}</p>
        </section>
        <dl class="facts" data-testid="review-facts">
            <dt>{crate::text!(results.column_total)}</dt><dd>{format!("{} / {}", d.total, d.possible)}" "{outcome_badge(d.outcome, locale)}</dd>
            <dt>{crate::text!(results.regenerated)}</dt>
            <dd data-testid="regenerated">{if d.appeal.identical { td_string!(locale, results.regenerated_identical).to_owned() } else { td_string!(locale, results.regenerated_differs, numbers = format!("{:?}", d.appeal.differences)).to_string() }}</dd>
            <dt>{crate::text!(results.receipt)}</dt>
            <dd data-testid="receipt">{d.receipt_code.clone().unwrap_or_else(|| "—".to_owned())}" "{if d.receipt_matches { td_string!(locale, results.receipt_matches).to_owned() } else { td_string!(locale, results.receipt_differs).to_owned() }}</dd>
        </dl>
        <table class="data" data-testid="review-items">
            <thead><tr>
                <th scope="col" class="num">{crate::text!(results.number)}</th>
                <th scope="col">{crate::text!(results.given)}</th>
                <th scope="col">{crate::text!(results.key)}</th>
                <th scope="col" class="num">{crate::text!(results.column_total)}</th>
            </tr></thead>
            <tbody>
                {d.items.into_iter().map(|i| view! {
                    <tr class:flagged=i.voided>
                        <td class="num">{i.number}</td>
                        <td>{i.given.as_ref().map_or_else(|| "—".to_owned(), |g| g.get(locale).to_owned())}</td>
                        <td>{keys.get(&i.number).cloned().unwrap_or_default()}</td>
                        <td class="num">{format!("{} / {}", i.earned, i.possible)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(!answered).then(|| view! {
            <form class="card" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let c = corrected.get_untracked();
                answer.dispatch(AnswerScoreReview { id, answer: text.get_untracked(), corrected_total: (!c.trim().is_empty()).then_some(c) });
            }>
                <label>{crate::text!(results.review_answer)}
                    <textarea data-testid="review-answer-text" rows="3" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
                <label>{crate::text!(results.corrected_total)}
                    <input type="text" size="6" data-testid="corrected-total" prop:value=move || corrected.get() on:input=move |ev| corrected.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="primary" disabled=move || answer.pending().get()>{crate::text!(results.send_answer)}</button>
            </form>
        })}
        {answered.then(|| view! { <ReviewLineView l=d.line.clone()/> })}
    }
}

/// `/results/statistics`: pass rates across published batches.
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let stats = Resource::new(|| (), |()| load_statistics());
    view! {
        <crate::layout::RequireRole roles=OFFICE>
            <section class="page-head">
                <h1>{crate::text!(results.statistics_title)}</h1>
                <p class="muted">{crate::text!(results.statistics_help)}</p>
            </section>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match stats.await {
                        Ok(s) => view! { <StatisticsView s/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </crate::layout::RequireRole>
    }
}

#[component]
fn StatisticsView(s: Statistics) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        {(!s.chart_svg.is_empty()).then(|| view! {
            <figure class="chart" data-testid="statistics-chart">
                <div inner_html=s.chart_svg.clone()></div>
                <figcaption>{crate::text!(results.rate_by_year)}</figcaption>
            </figure>
        })}
        <div class="columns" data-testid="statistics">
            <Rates title=td_string!(locale, results.by_year).to_owned() rows=s.by_year/>
            <Rates title=td_string!(locale, results.by_agency).to_owned() rows=s.by_agency/>
            <Rates title=td_string!(locale, results.by_field).to_owned() rows=s.by_field.into_iter().map(|mut g| {
                if g.name.is_empty() {
                    g.name = td_string!(locale, results.area_general).to_owned();
                }
                g
            }).collect()/>
        </div>
    }
}
