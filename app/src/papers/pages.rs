//! `/batches/:id/papers` (blueprint, coverage report, paper assembly, sample papers) and
//! `/batches/:id/appeal` (regenerate a candidate's paper and compare it with the stored one).
//! Office admin only: these pages show answer keys.

use leptos::prelude::*;
use leptos_router::components::A;
use question_bank::{BlueprintParts, ExamKind, Points, QuestionType, ScoringRule, Section};

use super::{
    Appeal, AssemblePapers, BlueprintInfo, CoverageView, KeyedPaper, PaperProgress, SamplePaper,
    SaveBlueprint, assembly_progress, coverage, format_quota, get_blueprint, parse_quotas,
};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::{
    error::{AppError, Text},
    layout::{
        ActionError, Badge, ErrorNotice, NotFoundPage, RequireRole, load_by_id, use_id_param,
    },
    roles::Role,
};

fn type_label(t: QuestionType, locale: Locale) -> &'static str {
    match t {
        QuestionType::Single => td_string!(locale, papers.type_single),
        QuestionType::Multiple => td_string!(locale, papers.type_multiple),
        QuestionType::TrueFalse => td_string!(locale, papers.type_true_false),
    }
}

fn scoring_label(rule: ScoringRule, locale: Locale) -> String {
    match rule {
        ScoringRule::AllOrNothing => td_string!(locale, papers.scoring_all_or_nothing).to_owned(),
        ScoringRule::PartialCredit { per_option } => {
            td_string!(locale, papers.scoring_partial, points = per_option).to_string()
        }
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

fn views(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.0}"))
}

/// The blueprint and coverage of `/batches/:id/papers`, and the actions of the page.
#[derive(Clone, Copy)]
struct PapersData {
    id: Memo<Option<i64>>,
    blueprint: Resource<Result<BlueprintInfo, AppError>>,
    report: Resource<Result<CoverageView, AppError>>,
    save: ServerAction<SaveBlueprint>,
    sample: ServerAction<SamplePaper>,
}

impl PapersData {
    fn new() -> Self {
        let id = use_id_param();
        let save = ServerAction::<SaveBlueprint>::new();
        // Counts the saves that succeeded: a refused save leaves the page (and the open editor
        // with what the user typed) as it is, beside the message.
        let saved = Memo::new(move |before: Option<&usize>| {
            let version = save.version().get();
            if save.value().with(|v| matches!(v, Some(Ok(_)))) {
                version
            } else {
                before.copied().unwrap_or(version)
            }
        });
        PapersData {
            id,
            blueprint: Resource::new(
                move || (id.get(), saved.get()),
                |(id, _)| load_by_id(id, get_blueprint),
            ),
            report: Resource::new(
                move || (id.get(), saved.get()),
                |(id, _)| load_by_id(id, coverage),
            ),
            save,
            sample: ServerAction::<SamplePaper>::new(),
        }
    }
}

/// `/batches/:id/papers`. The blueprint tells whether the batch exists: when it does not, the
/// page is the 404 page. A saved blueprint renders the page anew (a sample of the old one
/// would be stale anyway).
#[component]
pub fn PapersPage() -> impl IntoView {
    let data = PapersData::new();
    let blueprint = data.blueprint;
    view! {
        <RequireRole roles=&[Role::OfficeAdmin]>
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match blueprint.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        info => view! { <Papers info data/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

#[component]
fn Papers(info: Result<BlueprintInfo, AppError>, data: PapersData) -> impl IntoView {
    let PapersData {
        id,
        report,
        save,
        sample,
        ..
    } = data;
    // Built anew whenever the blueprint loads, which it does again when the id changes.
    let batch_id = id.get_untracked().unwrap_or_default();
    view! {
        <section class="page-head">
            <h1>{crate::text!(papers.papers_and_blueprint)}</h1>
            <p class="muted">{crate::text!(papers.every_candidate_gets_paper_of_their)}</p>
            <div class="toolbar">
                <A href=format!("/batches/{batch_id}") attr:class="button">{crate::text!(papers.back_to_batch)}</A>
                <A href=format!("/batches/{batch_id}/appeal") attr:class="button">{crate::text!(papers.appeal_view)}</A>
            </div>
        </section>
        <div class="grid grid-wide">
            <section class="card">
                <h2>{crate::text!(papers.blueprint)}</h2>
                {match info {
                    Ok(info) => view! { <BlueprintView info=info save=save batch_id=batch_id/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }}
            </section>
            <section class="card">
                <h2>{crate::text!(papers.coverage_report)}</h2>
                <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match report.await {
                            Ok(view) => view! { <CoverageReportView view=view/> }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
        <section class="card">
            <h2>{crate::text!(papers.candidates_papers)}</h2>
            <PaperAssembly batch_id/>
        </section>
        <SampleCard batch_id sample/>
    }
}

#[component]
fn BlueprintView(
    info: BlueprintInfo,
    save: ServerAction<SaveBlueprint>,
    batch_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let BlueprintInfo {
        parts,
        custom,
        editable,
        total_points,
        question_count,
    } = info;
    let sections = parts.sections.clone();
    view! {
        <p>
            <strong data-testid="blueprint-name">{if custom {
                parts.name.clone()
            } else if parts.exam_kind == ExamKind::Professional {
                t_string!(crate::i18n::use_i18n(), papers.default_name_professional).to_owned()
            } else {
                t_string!(crate::i18n::use_i18n(), papers.default_name_general).to_owned()
            }}</strong>" "
            {if custom {
                view! { <Badge kind="info" label=t_string!(crate::i18n::use_i18n(), papers.custom)/> }
            } else {
                view! { <Badge kind="muted" label=t_string!(crate::i18n::use_i18n(), papers.default)/> }
            }}
        </p>
        <p class="muted" data-testid="blueprint-summary">
            {t_string!(crate::i18n::use_i18n(), papers.blueprint_summary, count = question_count, points = total_points.to_string(), pass = parts.pass_mark.to_string(), target = format!("{:.2} ± {:.2}", parts.target_difficulty, parts.tolerance))}
        </p>
        <table class="data">
            <thead><tr>
                <th scope="col">{crate::text!(papers.type_label)}</th>
                <th scope="col">{crate::text!(papers.count)}</th>
                <th scope="col">{crate::text!(papers.points_each)}</th>
                <th scope="col">{crate::text!(papers.scoring)}</th>
                <th scope="col">{crate::text!(papers.quotas)}</th>
            </tr></thead>
            <tbody>
                {sections.into_iter().map(|s| view! {
                    <tr>
                        <td>{move || type_label(s.question_type, i18n.get_locale())}</td>
                        <td class="num">{s.count}</td>
                        <td class="num">{s.points_per_question.to_string()}</td>
                        <td>{move || scoring_label(s.scoring, i18n.get_locale())}</td>
                        <td>{s.quotas.into_iter().map(|q| view! { <div>{move || Text::domain(|l| q.selector.label(l)).get(i18n.get_locale()).to_owned()}" ≥ "{q.count}</div> }).collect_view()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {if editable {
            view! { <BlueprintEditor parts=parts custom=custom save=save batch_id=batch_id/> }.into_any()
        } else {
            view! { <p class="muted small">{crate::text!(papers.batch_is_scheduled_its_blueprint_is)}</p> }.into_any()
        }}
    }
}

/// One section's row of the editor.
#[derive(Clone, Copy)]
struct SectionInputs {
    question_type: QuestionType,
    count: RwSignal<String>,
    points: RwSignal<String>,
    partial: RwSignal<bool>,
    per_option: RwSignal<String>,
    quotas: RwSignal<String>,
}

impl SectionInputs {
    fn new(question_type: QuestionType, parts: &BlueprintParts) -> Self {
        let existing = parts
            .sections
            .iter()
            .find(|s| s.question_type == question_type);
        let (partial, per_option) = match existing.map(|s| s.scoring) {
            Some(ScoringRule::PartialCredit { per_option }) => (true, per_option.to_string()),
            _ => (false, "0.5".to_owned()),
        };
        Self {
            question_type,
            count: RwSignal::new(existing.map_or("0".to_owned(), |s| s.count.to_string())),
            points: RwSignal::new(
                existing.map_or("1".to_owned(), |s| s.points_per_question.to_string()),
            ),
            partial: RwSignal::new(partial),
            per_option: RwSignal::new(per_option),
            quotas: RwSignal::new(
                existing
                    .map(|s| {
                        s.quotas
                            .iter()
                            .map(format_quota)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default(),
            ),
        }
    }

    /// The section, `None` for a count of 0; the error names the section and the field.
    fn section(&self) -> Result<Option<Section>, Text> {
        let question_type = self.question_type;
        let section = move |l: Locale| type_label(question_type, l);
        let count: u32 = self.count.get_untracked().trim().parse().map_err(|_| {
            Text::render(|l| {
                td_string!(
                    l,
                    papers.label_count_must_be_whole_number,
                    label = section(l)
                )
                .to_string()
            })
        })?;
        if count == 0 {
            return Ok(None);
        }
        let points = |raw: String, what: fn(Locale) -> &'static str| {
            raw.trim()
                .parse::<f64>()
                .ok()
                .and_then(Points::from_f64)
                .ok_or_else(|| {
                    Text::render(|l| {
                        td_string!(
                            l,
                            papers.section_points_invalid,
                            section = section(l),
                            what = what(l)
                        )
                        .to_string()
                    })
                })
        };
        let points_per_question = points(self.points.get_untracked(), |l| {
            td_string!(l, papers.what_points)
        })?;
        let scoring =
            if self.question_type == QuestionType::Multiple && self.partial.get_untracked() {
                ScoringRule::PartialCredit {
                    per_option: points(self.per_option.get_untracked(), |l| {
                        td_string!(l, papers.what_per_option)
                    })?,
                }
            } else {
                ScoringRule::AllOrNothing
            };
        let quotas = parse_quotas(&self.quotas.get_untracked()).map_err(|t| {
            Text::render(|l| {
                td_string!(
                    l,
                    papers.section_problem,
                    section = section(l),
                    problem = t.get(l)
                )
                .to_string()
            })
        })?;
        Ok(Some(Section {
            question_type: self.question_type,
            count,
            points_per_question,
            scoring,
            quotas,
        }))
    }
}

fn number(raw: &str, what: fn(Locale) -> &'static str) -> Result<f64, Text> {
    raw.trim().parse::<f64>().map_err(|_| {
        Text::render(|l| td_string!(l, papers.number_invalid, what = what(l)).to_string())
    })
}

/// The blueprint the form describes; the error names the field or the section's line.
fn parts_from_form(
    name: String,
    exam_kind: ExamKind,
    pass_mark: &str,
    target: &str,
    tolerance: &str,
    rows: &[SectionInputs],
) -> Result<BlueprintParts, Text> {
    let mut sections = Vec::new();
    for row in rows {
        sections.extend(row.section()?);
    }
    Ok(BlueprintParts {
        name,
        exam_kind,
        sections,
        pass_mark: number(pass_mark, |l| td_string!(l, papers.what_pass_mark))
            .ok()
            .and_then(Points::from_f64)
            .ok_or_else(|| crate::msg!(papers.pass_mark_must_be_number_with))?,
        target_difficulty: number(target, |l| td_string!(l, papers.what_target))?,
        tolerance: number(tolerance, |l| td_string!(l, papers.what_tolerance))?,
    })
}

#[component]
fn BlueprintEditor(
    parts: BlueprintParts,
    custom: bool,
    save: ServerAction<SaveBlueprint>,
    batch_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let exam_kind: ExamKind = parts.exam_kind;
    let name = RwSignal::new(parts.name.clone());
    let pass_mark = RwSignal::new(parts.pass_mark.to_string());
    let target = RwSignal::new(format!("{}", parts.target_difficulty));
    let tolerance = RwSignal::new(format!("{}", parts.tolerance));
    let rows: Vec<SectionInputs> = QuestionType::ALL
        .into_iter()
        .map(|t| SectionInputs::new(t, &parts))
        .collect();
    let local_error = RwSignal::new(None::<Text>);
    let submit = {
        let rows = rows.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            local_error.set(None);
            let built = parts_from_form(
                name.get_untracked(),
                exam_kind,
                &pass_mark.get_untracked(),
                &target.get_untracked(),
                &tolerance.get_untracked(),
                &rows,
            );
            match built {
                Ok(parts) => {
                    save.dispatch(SaveBlueprint {
                        batch_id,
                        parts: Some(parts),
                    });
                }
                Err(t) => local_error.set(Some(t)),
            }
        }
    };
    view! {
        <details class="editor" open=custom>
            <summary>{crate::text!(papers.edit_blueprint)}</summary>
            <form on:submit=submit>
                <div class="form-grid">
                    <div><label for="bp-name">{crate::text!(papers.name)}</label><input id="bp-name" type="text" required bind:value=name/></div>
                    <div><label for="bp-pass">{crate::text!(papers.pass_mark)}</label><input id="bp-pass" type="text" inputmode="decimal" bind:value=pass_mark/></div>
                    <div><label for="bp-target">{crate::text!(papers.target_difficulty_1_5)}</label><input id="bp-target" type="text" inputmode="decimal" bind:value=target/></div>
                    <div><label for="bp-tolerance">{crate::text!(papers.tolerance)}</label><input id="bp-tolerance" type="text" inputmode="decimal" bind:value=tolerance/></div>
                </div>
                {rows.into_iter().map(|row| {
                    let key = row.question_type.as_str();
                    view! {
                        <fieldset class="section-inputs">
                            <legend>{move || type_label(row.question_type, i18n.get_locale())}</legend>
                            <div class="form-grid">
                                <div><label for=format!("bp-{key}-count")>{crate::text!(papers.count_0_none)}</label>
                                    <input id=format!("bp-{key}-count") type="text" inputmode="numeric" bind:value=row.count/></div>
                                <div><label for=format!("bp-{key}-points")>{crate::text!(papers.points_each)}</label>
                                    <input id=format!("bp-{key}-points") type="text" inputmode="decimal" bind:value=row.points/></div>
                                {(row.question_type == QuestionType::Multiple).then(|| view! {
                                    <div><label><input type="checkbox" bind:checked=row.partial/>" "{crate::text!(papers.partial_credit)}</label>
                                        <label for="bp-per-option">{crate::text!(papers.points_per_correct_option)}</label>
                                        <input id="bp-per-option" type="text" inputmode="decimal" bind:value=row.per_option disabled=move || !row.partial.get()/></div>
                                })}
                            </div>
                            <label for=format!("bp-{key}-quotas")>{crate::text!(papers.quotas_one_line_e_g_law)}</label>
                            <textarea id=format!("bp-{key}-quotas") rows="3" bind:value=row.quotas></textarea>
                        </fieldset>
                    }
                }).collect_view()}
                {move || local_error.get().map(|t| view! { <div class="notice notice-error" role="alert">{t.get(i18n.get_locale()).to_owned()}</div> })}
                <ActionError value=move || save.value().get()/>
                <div class="toolbar">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>{crate::text!(papers.save_blueprint)}</button>
                    {custom.then(|| view! {
                        <button type="button" on:click=move |_| { save.dispatch(SaveBlueprint { batch_id, parts: None }); }>
                            {crate::text!(papers.back_to_default)}
                        </button>
                    })}
                </div>
            </form>
        </details>
    }
}

#[component]
fn CoverageReportView(view: CoverageView) -> impl IntoView {
    let i18n = use_i18n();
    let CoverageView {
        report,
        bank_questions,
        frozen,
    } = view;
    let ok = report.is_ok();
    let difficulty = report.difficulty.clone();
    let problems = report.problems.clone();
    view! {
        <p class="muted">
            {if frozen { t_string!(crate::i18n::use_i18n(), papers.against_snapshot_frozen_at_scheduling) } else { t_string!(crate::i18n::use_i18n(), papers.against_bank_as_it_is_now) }}
            {t_string!(crate::i18n::use_i18n(), papers.coverage_counts, questions = bank_questions, candidates = report.candidates)}
        </p>
        <p data-testid="coverage-verdict" class={if ok { "notice notice-ok" } else { "notice notice-error" }} role="status">
            {if ok { t_string!(crate::i18n::use_i18n(), papers.bank_can_feed_this_blueprint) } else { t_string!(crate::i18n::use_i18n(), papers.bank_cannot_feed_this_blueprint) }}
        </p>
        {(!problems.is_empty()).then(|| view! {
            <ul class="problems" data-testid="coverage-problems">
                {problems.into_iter().map(|p| view! { <li>{move || Text::localized(&p).get(i18n.get_locale()).to_owned()}</li> }).collect_view()}
            </ul>
        })}
        <table class="data" data-testid="coverage">
            <thead><tr>
                <th scope="col">{crate::text!(papers.section_quota)}</th>
                <th scope="col">{crate::text!(papers.needed)}</th>
                <th scope="col">{crate::text!(papers.available)}</th>
                <th scope="col">{crate::text!(papers.shortfall)}</th>
                <th scope="col" title=crate::text!(papers.exposure_hint)>{crate::text!(papers.exposure)}</th>
                <th scope="col">{crate::text!(papers.views_per_question)}</th>
            </tr></thead>
            <tbody>
                {report.sections.into_iter().map(|s| {
                    let quotas = s.quotas.clone();
                    view! {
                        <tr class="section-row">
                            <th scope="row">{format!("{}. ", s.section)}{move || type_label(s.question_type, i18n.get_locale())}</th>
                            <td class="num">{s.needed}</td>
                            <td class="num">{s.available}</td>
                            <td class={if s.shortfall > 0 { "num bad" } else { "num" }}>{s.shortfall}</td>
                            <td class="num">{percent(s.exposure)}</td>
                            <td class="num">{views(s.views_per_question)}</td>
                        </tr>
                        {quotas.into_iter().map(|q| view! {
                            <tr>
                                <td class="indent">{move || Text::domain(|l| q.selector.label(l)).get(i18n.get_locale()).to_owned()}</td>
                                <td class="num">{q.needed}</td>
                                <td class="num">{q.available}</td>
                                <td class={if q.shortfall > 0 { "num bad" } else { "num" }}>{q.shortfall}</td>
                                <td class="num">{percent(q.exposure)}</td>
                                <td class="num">{views(q.views_per_question)}</td>
                            </tr>
                        }).collect_view()}
                    }
                }).collect_view()}
            </tbody>
        </table>
        {difficulty.map(|d| view! {
            <p data-testid="coverage-difficulty">
                {crate::text!(papers.difficulty_target)}{format!("{:.2} ± {:.2}", d.target, d.tolerance)}
                {crate::text!(papers.achievable_mean)}{format!("{:.2} – {:.2}", d.lowest, d.highest)}
                " "{if d.achievable { t_string!(crate::i18n::use_i18n(), papers.achievable) } else { t_string!(crate::i18n::use_i18n(), papers.not_achievable) }}
            </p>
        })}
    }
}

/// The assembly of a scheduled batch's papers: shows progress and keeps calling the server
/// until every ticket has its paper (each call assembles one chunk).
///
/// The first reading of the progress is asked for only in the browser, once the page is
/// hydrated: the server renders "loading" and so does the hydrating page. (A `LocalResource`
/// read here left the enclosing `Transition` pending during server rendering now and then, so
/// the server sent its fallback while the browser hydrated the page: the hydration panic of
/// issue 9.)
#[component]
pub fn PaperAssembly(batch_id: i64) -> impl IntoView {
    let assemble = ServerAction::<AssemblePapers>::new();
    let progress = RwSignal::new(None::<PaperProgress>);
    let failed = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            match assembly_progress(batch_id).await {
                Ok(p) => {
                    if progress.get_untracked().is_none() {
                        progress.set(Some(p));
                    }
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = assemble.value().get() {
            progress.set(Some(p));
        }
    });
    Effect::new(move |_| {
        let Some(p) = progress.get() else { return };
        let failed = matches!(assemble.value().get_untracked(), Some(Err(_)));
        if !p.complete() && !assemble.pending().get_untracked() && !failed {
            assemble.dispatch(AssemblePapers { batch_id });
        }
    });
    view! {
        {move || match (failed.get(), progress.get()) {
            (Some(e), _) => view! { <ErrorNotice error=e/> }.into_any(),
            (_, None) => view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }.into_any(),
            (_, Some(p)) if p.total == 0 => view! {
                <p class="muted">{crate::text!(papers.once_batch_is_scheduled_every_candidate)}</p>
            }.into_any(),
            (_, Some(p)) => view! {
                <p data-testid="paper-progress" class={if p.complete() { "notice notice-ok" } else { "notice" }} role="status">
                    <progress max=p.total value=p.assembled aria-label=crate::text!(papers.assembly_progress)></progress>" "
                    {if p.complete() { t_string!(crate::i18n::use_i18n(), papers.all_papers_assembled) } else { t_string!(crate::i18n::use_i18n(), papers.assembling_papers) }}
                    {p.assembled}" / "{p.total}
                </p>
            }.into_any(),
        }}
        <ActionError value=move || assemble.value().get()/>
        <Show when=move || matches!(assemble.value().get(), Some(Err(_)))>
            <button type="button" on:click=move |_| { assemble.dispatch(AssemblePapers { batch_id }); }>{crate::text!(papers.continue_label)}</button>
        </Show>
    }
}

#[component]
fn SampleCard(batch_id: i64, sample: ServerAction<SamplePaper>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{crate::text!(papers.sample_paper_with_key)}</h2>
            <p class="muted">{crate::text!(papers.each_click_assembles_random_sample_paper)}</p>
            <button type="button" disabled=move || sample.pending().get()
                on:click=move |_| { sample.dispatch(SamplePaper { batch_id }); }>
                {crate::text!(papers.assemble_sample)}
            </button>
            <ActionError value=move || sample.value().get()/>
            {move || sample.value().get().and_then(Result::ok).map(|p| view! { <KeyedPaperView paper=p/> })}
        </section>
    }
}

/// A paper with its key, options in the candidate's order.
#[component]
fn KeyedPaperView(paper: KeyedPaper) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="keyed-paper" data-testid="keyed-paper">
            <p class="muted">
                {crate::text!(papers.total)}{paper.total_points.to_string()}{crate::text!(papers.pass_mark_2)}{paper.pass_mark.to_string()}
                {crate::text!(papers.mean_difficulty)}<span data-testid="paper-difficulty">{format!("{:.2}", paper.mean_difficulty)}</span>
                {crate::text!(papers.algorithm)}{paper.algorithm}
                {crate::text!(papers.pool)}<span class="mono">{paper.pool_fingerprint.chars().take(12).collect::<String>()}</span>
            </p>
            {paper.sections.into_iter().map(|s| view! {
                <h3>{move || type_label(s.question_type, i18n.get_locale())}
                    {crate::text!(papers.text)}{s.points_per_question.to_string()}{crate::text!(papers.points_each_2)}{move || scoring_label(s.scoring, i18n.get_locale())}")"</h3>
                <ol class="questions">
                    {s.items.into_iter().map(|q| view! {
                        <li value=q.number.to_string() data-testid="keyed-item">
                            <p class="stem">{q.stem}</p>
                            {(!q.options.is_empty()).then(|| view! {
                                <ol class="options" type="A">
                                    {q.options.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                                </ol>
                            })}
                            <p class="key"><strong>{crate::text!(papers.key)}<span data-testid="answer">{match q.answer.as_str() {
                                "true" => t_string!(crate::i18n::use_i18n(), papers.answer_true).to_owned(),
                                "false" => t_string!(crate::i18n::use_i18n(), papers.answer_false).to_owned(),
                                _ => q.answer.clone(),
                            }}</span></strong>
                                {crate::text!(papers.difficulty)}{q.difficulty}
                                {crate::text!(papers.question)}{q.question_id}{crate::text!(papers.revision)}{q.revision_id}</p>
                            <p class="muted small">{q.legal_basis}" "{q.explanation}</p>
                        </li>
                    }).collect_view()}
                </ol>
            }).collect_view()}
        </div>
    }
}

/// `/batches/:id/appeal`.
#[component]
pub fn AppealPage() -> impl IntoView {
    let id = use_id_param();
    // The batch's blueprint tells whether the batch exists: a batch that does not answers 404.
    let batch = Resource::new(move || id.get(), |id| load_by_id(id, get_blueprint));
    let appeal = ServerAction::<Appeal>::new();
    view! {
        <RequireRole roles=&[Role::OfficeAdmin]>
            <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match batch.await {
                        Err(AppError::NotFound) => view! { <NotFoundPage/> }.into_any(),
                        _ => {
                            let batch_id = id.get_untracked().unwrap_or_default();
                            view! { <AppealView batch_id appeal/> }.into_any()
                        }
                    }
                })}
            </Transition>
        </RequireRole>
    }
}

#[component]
fn AppealView(batch_id: i64, appeal: ServerAction<Appeal>) -> impl IntoView {
    let ticket_no = RwSignal::new(String::new());
    view! {
        <section class="page-head">
            <h1>{crate::text!(papers.appeal_view)}</h1>
            <p class="muted">{crate::text!(papers.regenerates_candidate_s_paper_from_batch)}</p>
            <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                appeal.dispatch(Appeal { batch_id, ticket_no: ticket_no.get_untracked() });
            }>
                <label for="appeal-ticket">{crate::text!(papers.ticket_number)}</label>
                <input id="appeal-ticket" type="text" inputmode="numeric" required bind:value=ticket_no/>
                <button type="submit" class="primary" disabled=move || appeal.pending().get()>{crate::text!(papers.regenerate_and_compare)}</button>
                <A href=format!("/batches/{batch_id}/papers")>{crate::text!(papers.back_to_papers)}</A>
            </form>
            <ActionError value=move || appeal.value().get()/>
        </section>
        {move || appeal.value().get().and_then(Result::ok).map(|a| view! {
            <section class="card">
                <p data-testid="appeal-verdict" class={if a.identical { "notice notice-ok" } else { "notice notice-error" }} role="status">
                    {if a.identical {
                        t_string!(crate::i18n::use_i18n(), papers.identical_regenerated_paper_equals_stored_one).to_owned()
                    } else {
                        format!("{}{:?}", t_string!(crate::i18n::use_i18n(), papers.different_at_question_numbers), a.differences)
                    }}
                </p>
                <dl class="meta">
                    <dt>{crate::text!(papers.candidate)}</dt><dd>{a.name.clone()}" · "{a.agency.clone()}</dd>
                    <dt>{crate::text!(papers.ticket_number)}</dt><dd class="mono">{a.ticket_no.clone()}</dd>
                    <dt>{crate::text!(papers.dealing_position)}</dt><dd>{a.deal_seq}</dd>
                    <dt>{crate::text!(papers.stored_pool_fingerprint)}</dt><dd class="mono">{a.stored_fingerprint.clone()}</dd>
                    <dt>{crate::text!(papers.regenerated_pool_fingerprint)}</dt><dd class="mono">{a.regenerated_fingerprint.clone()}</dd>
                </dl>
                <KeyedPaperView paper=a.paper.clone()/>
            </section>
        })}
    }
}
