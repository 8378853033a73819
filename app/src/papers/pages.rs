//! `/batches/:id/papers` (blueprint, coverage report, paper assembly, sample papers) and
//! `/batches/:id/appeal` (regenerate a candidate's paper and compare it with the stored one).
//! Office admin only: these pages show answer keys.

use leptos::prelude::*;
use leptos_router::components::A;
use question_bank::{
    BlueprintParts, ExamKind, Lang, Localized, Points, QuestionType, ScoringRule, Section,
};

use super::{
    Appeal, AssemblePapers, BlueprintInfo, CoverageView, KeyedPaper, PaperProgress, SamplePaper,
    SaveBlueprint, assembly_progress, coverage, format_quota, get_blueprint, parse_quotas,
};
use crate::{
    error::{AppError, Text},
    i18n::{Locale, tr, use_i18n},
    layout::{
        ActionError, Badge, ErrorNotice, NotFoundPage, RequireRole, load_by_id, use_id_param,
    },
    roles::Role,
};

fn lang(locale: Locale) -> Lang {
    match locale {
        Locale::Zh => Lang::Zh,
        Locale::En => Lang::En,
    }
}

fn type_label(t: QuestionType, locale: Locale) -> &'static str {
    match (t, locale) {
        (_, Locale::Zh) => t.label_zh(),
        (QuestionType::Single, Locale::En) => "Single choice",
        (QuestionType::Multiple, Locale::En) => "Multiple choice",
        (QuestionType::TrueFalse, Locale::En) => "True/false",
    }
}

fn scoring_label(rule: ScoringRule, locale: Locale) -> String {
    match (rule, locale) {
        (ScoringRule::AllOrNothing, Locale::Zh) => "全对得分".to_owned(),
        (ScoringRule::AllOrNothing, Locale::En) => "All or nothing".to_owned(),
        (ScoringRule::PartialCredit { per_option }, Locale::Zh) => {
            format!("少选每项 {per_option} 分")
        }
        (ScoringRule::PartialCredit { per_option }, Locale::En) => {
            format!("{per_option} per correct option when no wrong one")
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
            <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
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
            <h1>{tr("试卷与组卷方案", "Papers and blueprint")}</h1>
            <p class="muted">{tr(
                "千人千卷:每位考生的试卷由批次密钥和准考证号确定地生成,分值相同、难度在容差之内,可随时重新生成以供复核。",
                "Every candidate gets a paper of their own, derived from the batch secret and the ticket number: equal points, difficulty within the tolerance, and reproducible for an appeal.",
            )}</p>
            <div class="toolbar">
                <A href=format!("/batches/{batch_id}") attr:class="button">{tr("返回批次", "Back to the batch")}</A>
                <A href=format!("/batches/{batch_id}/appeal") attr:class="button">{tr("试卷复核", "Appeal view")}</A>
            </div>
        </section>
        <div class="grid grid-wide">
            <section class="card">
                <h2>{tr("组卷方案", "Blueprint")}</h2>
                {match info {
                    Ok(info) => view! { <BlueprintView info=info save=save batch_id=batch_id/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }}
            </section>
            <section class="card">
                <h2>{tr("题库覆盖情况", "Coverage report")}</h2>
                <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
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
            <h2>{tr("考生试卷", "Candidates' papers")}</h2>
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
            <strong data-testid="blueprint-name">{parts.name.clone()}</strong>" "
            {if custom {
                view! { <Badge kind="info" label=tr("自定义方案", "Custom")()/> }
            } else {
                view! { <Badge kind="muted" label=tr("默认方案", "Default")()/> }
            }}
        </p>
        <p class="muted" data-testid="blueprint-summary">
            {tr("共 ", "")}{question_count}{tr(" 题,总分 ", " questions, ")}{total_points.to_string()}
            {tr(" 分,及格 ", " points, pass mark ")}{parts.pass_mark.to_string()}
            {tr(" 分;目标难度 ", "; target difficulty ")}{format!("{:.2} ± {:.2}", parts.target_difficulty, parts.tolerance)}
        </p>
        <table class="data">
            <thead><tr>
                <th scope="col">{tr("题型", "Type")}</th>
                <th scope="col">{tr("题量", "Count")}</th>
                <th scope="col">{tr("每题分值", "Points each")}</th>
                <th scope="col">{tr("计分规则", "Scoring")}</th>
                <th scope="col">{tr("配额", "Quotas")}</th>
            </tr></thead>
            <tbody>
                {sections.into_iter().map(|s| view! {
                    <tr>
                        <td>{move || type_label(s.question_type, i18n.locale())}</td>
                        <td class="num">{s.count}</td>
                        <td class="num">{s.points_per_question.to_string()}</td>
                        <td>{move || scoring_label(s.scoring, i18n.locale())}</td>
                        <td>{s.quotas.into_iter().map(|q| view! { <div>{move || q.selector.label(lang(i18n.locale()))}" ≥ "{q.count}</div> }).collect_view()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {if editable {
            view! { <BlueprintEditor parts=parts custom=custom save=save batch_id=batch_id/> }.into_any()
        } else {
            view! { <p class="muted small">{tr("批次已编排,组卷方案已固定。", "The batch is scheduled: its blueprint is fixed.")}</p> }.into_any()
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
        let label = self.question_type.label_zh();
        let count: u32 = self.count.get_untracked().trim().parse().map_err(|_| {
            Text::new(
                format!("{label}:题量应为整数(0 表示不考此题型)。"),
                format!("{label}: the count must be a whole number (0 leaves the type out)."),
            )
        })?;
        if count == 0 {
            return Ok(None);
        }
        let points = |raw: String, zh: &str, en: &str| {
            raw.trim()
                .parse::<f64>()
                .ok()
                .and_then(Points::from_f64)
                .ok_or_else(|| {
                    Text::new(
                        format!("{label}:{zh}应为数字,最多两位小数。"),
                        format!("{label}: {en} must be a number with at most two decimals."),
                    )
                })
        };
        let points_per_question = points(self.points.get_untracked(), "每题分值", "the points")?;
        let scoring =
            if self.question_type == QuestionType::Multiple && self.partial.get_untracked() {
                ScoringRule::PartialCredit {
                    per_option: points(
                        self.per_option.get_untracked(),
                        "少选每项分值",
                        "the share per option",
                    )?,
                }
            } else {
                ScoringRule::AllOrNothing
            };
        let quotas = parse_quotas(&self.quotas.get_untracked())
            .map_err(|t| Text::new(format!("{label}:{}", t.zh), format!("{label}: {}", t.en)))?;
        Ok(Some(Section {
            question_type: self.question_type,
            count,
            points_per_question,
            scoring,
            quotas,
        }))
    }
}

fn number(raw: &str, zh: &str, en: &str) -> Result<f64, Text> {
    raw.trim()
        .parse::<f64>()
        .map_err(|_| Text::new(format!("{zh}应为数字。"), format!("{en} must be a number.")))
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
        pass_mark: number(pass_mark, "及格分", "The pass mark")
            .ok()
            .and_then(Points::from_f64)
            .ok_or_else(|| {
                Text::new(
                    "及格分应为数字,最多两位小数。",
                    "The pass mark must be a number with at most two decimals.",
                )
            })?,
        target_difficulty: number(target, "目标难度", "The target difficulty")?,
        tolerance: number(tolerance, "难度容差", "The tolerance")?,
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
            <summary>{tr("修改组卷方案", "Edit the blueprint")}</summary>
            <form on:submit=submit>
                <div class="form-grid">
                    <div><label for="bp-name">{tr("方案名称", "Name")}</label><input id="bp-name" type="text" required bind:value=name/></div>
                    <div><label for="bp-pass">{tr("及格分", "Pass mark")}</label><input id="bp-pass" type="text" inputmode="decimal" bind:value=pass_mark/></div>
                    <div><label for="bp-target">{tr("目标难度(1–5)", "Target difficulty (1–5)")}</label><input id="bp-target" type="text" inputmode="decimal" bind:value=target/></div>
                    <div><label for="bp-tolerance">{tr("难度容差", "Tolerance")}</label><input id="bp-tolerance" type="text" inputmode="decimal" bind:value=tolerance/></div>
                </div>
                {rows.into_iter().map(|row| {
                    let key = row.question_type.as_str();
                    view! {
                        <fieldset class="section-inputs">
                            <legend>{move || type_label(row.question_type, i18n.locale())}</legend>
                            <div class="form-grid">
                                <div><label for=format!("bp-{key}-count")>{tr("题量(0 = 不考)", "Count (0 = none)")}</label>
                                    <input id=format!("bp-{key}-count") type="text" inputmode="numeric" bind:value=row.count/></div>
                                <div><label for=format!("bp-{key}-points")>{tr("每题分值", "Points each")}</label>
                                    <input id=format!("bp-{key}-points") type="text" inputmode="decimal" bind:value=row.points/></div>
                                {(row.question_type == QuestionType::Multiple).then(|| view! {
                                    <div><label><input type="checkbox" bind:checked=row.partial/>" "{tr("少选得分", "Partial credit")}</label>
                                        <label for="bp-per-option">{tr("少选每项分值", "Points per correct option")}</label>
                                        <input id="bp-per-option" type="text" inputmode="decimal" bind:value=row.per_option disabled=move || !row.partial.get()/></div>
                                })}
                            </div>
                            <label for=format!("bp-{key}-quotas")>{tr("配额(每行一条,如“法律:行政处罚法 5”“知识点:听证 3”)", "Quotas (one a line, e.g. “law:行政处罚法 5”, “tag:听证 3”)")}</label>
                            <textarea id=format!("bp-{key}-quotas") rows="3" bind:value=row.quotas></textarea>
                        </fieldset>
                    }
                }).collect_view()}
                {move || local_error.get().map(|t| view! { <div class="notice notice-error" role="alert">{t.get(i18n.locale()).to_owned()}</div> })}
                <ActionError value=move || save.value().get()/>
                <div class="toolbar">
                    <button type="submit" class="primary" disabled=move || save.pending().get()>{tr("保存方案", "Save the blueprint")}</button>
                    {custom.then(|| view! {
                        <button type="button" on:click=move |_| { save.dispatch(SaveBlueprint { batch_id, parts: None }); }>
                            {tr("恢复默认方案", "Back to the default")}
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
            {if frozen { tr("依据编排时固定的题库快照:", "Against the snapshot frozen at scheduling: ")() } else { tr("依据当前题库:", "Against the bank as it is now: ")() }}
            {bank_questions}{tr(" 道有效试题;考生 ", " active questions; ")}{report.candidates}{tr(" 人。", " candidates.")}
        </p>
        <p data-testid="coverage-verdict" class={if ok { "notice notice-ok" } else { "notice notice-error" }} role="status">
            {if ok { tr("题库足以按本方案组卷。", "The bank can feed this blueprint.")() } else { tr("题库不足以按本方案组卷:", "The bank cannot feed this blueprint:")() }}
        </p>
        {(!problems.is_empty()).then(|| view! {
            <ul class="problems" data-testid="coverage-problems">
                {problems.into_iter().map(|p| view! { <li>{move || p.message(lang(i18n.locale()))}</li> }).collect_view()}
            </ul>
        })}
        <table class="data" data-testid="coverage">
            <thead><tr>
                <th scope="col">{tr("部分 / 配额", "Section / quota")}</th>
                <th scope="col">{tr("每卷需", "Needed")}</th>
                <th scope="col">{tr("可用", "Available")}</th>
                <th scope="col">{tr("缺口", "Shortfall")}</th>
                <th scope="col" title="每道题出现在多少比例的试卷上">{tr("曝光率", "Exposure")}</th>
                <th scope="col">{tr("每题被看到人次", "Views per question")}</th>
            </tr></thead>
            <tbody>
                {report.sections.into_iter().map(|s| {
                    let quotas = s.quotas.clone();
                    view! {
                        <tr class="section-row">
                            <th scope="row">{format!("{}. ", s.section)}{move || type_label(s.question_type, i18n.locale())}</th>
                            <td class="num">{s.needed}</td>
                            <td class="num">{s.available}</td>
                            <td class={if s.shortfall > 0 { "num bad" } else { "num" }}>{s.shortfall}</td>
                            <td class="num">{percent(s.exposure)}</td>
                            <td class="num">{views(s.views_per_question)}</td>
                        </tr>
                        {quotas.into_iter().map(|q| view! {
                            <tr>
                                <td class="indent">{move || q.selector.label(lang(i18n.locale()))}</td>
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
                {tr("难度:目标 ", "Difficulty: target ")}{format!("{:.2} ± {:.2}", d.target, d.tolerance)}
                {tr(",可组出的平均难度范围 ", "; achievable mean ")}{format!("{:.2} – {:.2}", d.lowest, d.highest)}
                " "{if d.achievable { tr("(可达)", "(achievable)")() } else { tr("(不可达)", "(not achievable)")() }}
            </p>
        })}
    }
}

/// The assembly of a scheduled batch's papers: shows progress and keeps calling the server
/// until every ticket has its paper (each call assembles one chunk).
#[component]
pub fn PaperAssembly(batch_id: i64) -> impl IntoView {
    let assemble = ServerAction::<AssemblePapers>::new();
    let initial = LocalResource::new(move || assembly_progress(batch_id));
    let progress = RwSignal::new(None::<PaperProgress>);
    Effect::new(move |_| {
        if let Some(Ok(p)) = initial.get()
            && progress.get_untracked().is_none()
        {
            progress.set(Some(p));
        }
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
        {move || match (initial.get(), progress.get()) {
            (Some(Err(e)), _) => view! { <ErrorNotice error=e/> }.into_any(),
            (_, None) => view! { <p class="muted">{move || use_i18n().t().loading}</p> }.into_any(),
            (_, Some(p)) if p.total == 0 => view! {
                <p class="muted">{tr("批次编排后,将为每位考生生成试卷。", "Once the batch is scheduled, every candidate's paper is assembled.")}</p>
            }.into_any(),
            (_, Some(p)) => view! {
                <p data-testid="paper-progress" class={if p.complete() { "notice notice-ok" } else { "notice" }} role="status">
                    <progress max=p.total value=p.assembled aria-label="组卷进度"></progress>" "
                    {if p.complete() { tr("试卷已全部生成:", "All papers assembled: ")() } else { tr("正在组卷:", "Assembling papers: ")() }}
                    {p.assembled}" / "{p.total}
                </p>
            }.into_any(),
        }}
        <ActionError value=move || assemble.value().get()/>
        <Show when=move || matches!(assemble.value().get(), Some(Err(_)))>
            <button type="button" on:click=move |_| { assemble.dispatch(AssemblePapers { batch_id }); }>{tr("继续组卷", "Continue")}</button>
        </Show>
    }
}

#[component]
fn SampleCard(batch_id: i64, sample: ServerAction<SamplePaper>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{tr("样卷预览(含答案)", "Sample paper (with the key)")}</h2>
            <p class="muted">{tr(
                "每次生成一份随机样卷,用于检查方案;样卷不发给任何考生。答案仅管理员可见。",
                "Each click assembles a random sample paper to check the blueprint; no candidate gets it. Only the office sees the key.",
            )}</p>
            <button type="button" disabled=move || sample.pending().get()
                on:click=move |_| { sample.dispatch(SamplePaper { batch_id }); }>
                {tr("生成样卷", "Assemble a sample")}
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
                {tr("总分 ", "Total ")}{paper.total_points.to_string()}{tr(" · 及格 ", " · pass mark ")}{paper.pass_mark.to_string()}
                {tr(" · 平均难度 ", " · mean difficulty ")}<span data-testid="paper-difficulty">{format!("{:.2}", paper.mean_difficulty)}</span>
                {tr(" · 算法版本 ", " · algorithm ")}{paper.algorithm}
                {tr(" · 题库指纹 ", " · pool ")}<span class="mono">{paper.pool_fingerprint.chars().take(12).collect::<String>()}</span>
            </p>
            {paper.sections.into_iter().map(|s| view! {
                <h3>{move || type_label(s.question_type, i18n.locale())}
                    {tr("(每题 ", " (")}{s.points_per_question.to_string()}{tr(" 分,", " points each, ")}{move || scoring_label(s.scoring, i18n.locale())}")"</h3>
                <ol class="questions">
                    {s.items.into_iter().map(|q| view! {
                        <li value=q.number.to_string() data-testid="keyed-item">
                            <p class="stem">{q.stem}</p>
                            {(!q.options.is_empty()).then(|| view! {
                                <ol class="options" type="A">
                                    {q.options.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                                </ol>
                            })}
                            <p class="key"><strong>{tr("答案:", "Key: ")}<span data-testid="answer">{q.answer}</span></strong>
                                {tr(" · 难度 ", " · difficulty ")}{q.difficulty}
                                {tr(" · 试题 #", " · question #")}{q.question_id}{tr(" 版本 ", " revision ")}{q.revision_id}</p>
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
            <Transition fallback=|| view! { <p class="muted">{move || use_i18n().t().loading}</p> }>
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
            <h1>{tr("试卷复核", "Appeal view")}</h1>
            <p class="muted">{tr(
                "按批次密钥、准考证号和存档的发卷顺序重新生成考生试卷,并与存档试卷逐题比对。查看记录写入审计日志。",
                "Regenerates a candidate's paper from the batch secret, the ticket number and the stored dealing order, and compares it question by question with the stored paper. Each look is audited.",
            )}</p>
            <form class="filters" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                appeal.dispatch(Appeal { batch_id, ticket_no: ticket_no.get_untracked() });
            }>
                <label for="appeal-ticket">{tr("准考证号", "Ticket number")}</label>
                <input id="appeal-ticket" type="text" inputmode="numeric" required bind:value=ticket_no/>
                <button type="submit" class="primary" disabled=move || appeal.pending().get()>{tr("重新生成并比对", "Regenerate and compare")}</button>
                <A href=format!("/batches/{batch_id}/papers")>{tr("返回试卷", "Back to the papers")}</A>
            </form>
            <ActionError value=move || appeal.value().get()/>
        </section>
        {move || appeal.value().get().and_then(Result::ok).map(|a| view! {
            <section class="card">
                <p data-testid="appeal-verdict" class={if a.identical { "notice notice-ok" } else { "notice notice-error" }} role="status">
                    {if a.identical {
                        tr("一致:重新生成的试卷与存档试卷完全相同(试题、版本、题序、选项顺序)。", "Identical: the regenerated paper equals the stored one (questions, revisions, order, option orders).")().to_owned()
                    } else {
                        format!("{}{:?}", tr("不一致,以下题号不同:", "Different at question numbers: ")(), a.differences)
                    }}
                </p>
                <dl class="meta">
                    <dt>{tr("考生", "Candidate")}</dt><dd>{a.name.clone()}" · "{a.agency.clone()}</dd>
                    <dt>{tr("准考证号", "Ticket number")}</dt><dd class="mono">{a.ticket_no.clone()}</dd>
                    <dt>{tr("发卷顺序", "Dealing position")}</dt><dd>{a.deal_seq}</dd>
                    <dt>{tr("存档题库指纹", "Stored pool fingerprint")}</dt><dd class="mono">{a.stored_fingerprint.clone()}</dd>
                    <dt>{tr("重新生成题库指纹", "Regenerated pool fingerprint")}</dt><dd class="mono">{a.regenerated_fingerprint.clone()}</dd>
                </dl>
                <KeyedPaperView paper=a.paper.clone()/>
            </section>
        })}
    }
}
