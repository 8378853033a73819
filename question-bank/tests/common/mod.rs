//! Builders for banks and blueprints shared by the paper tests.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]
#![expect(
    clippy::unwrap_used,
    reason = "test fixtures: failing is failing the test"
)]

use question_bank::answer::AnswerKey;
use question_bank::{
    BankSnapshot, Blueprint, BlueprintParts, Difficulty, EnforcementField, ExamKind, ExamScope,
    LegalBasis, OptionText, PaperItem, Points, Question, QuestionParts, QuestionRef, QuestionType,
    Quota, Response, ScoringRule, Section, Selector, Stem, Tag,
};

pub const LAWS: [&str; 3] = ["行政处罚法", "行政许可法", "行政强制法"];
pub const TAGS: [&str; 3] = ["听证", "程序", "管辖"];
pub const FIELDS: [&str; 2] = ["市场监管", "生态环境"];

/// A question of the given shape; `scope` 0 = general, 1/2 = professional in FIELDS[0/1].
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub question_type: QuestionType,
    pub difficulty: u8,
    pub scope: u8,
    pub law: u8,
    /// Bit i ⇔ TAGS[i].
    pub tags: u8,
    /// Options for choice questions (2–8).
    pub options: u8,
}

pub fn field(i: usize) -> EnforcementField {
    EnforcementField::parse(FIELDS[i]).unwrap()
}

pub fn scope_of(scope: u8) -> ExamScope {
    match scope {
        0 => ExamScope::General,
        s => ExamScope::Professional(field(usize::from(s) - 1)),
    }
}

pub fn question(i: usize, spec: Spec) -> Question {
    let t = spec.question_type;
    let (options, key) = match t {
        QuestionType::TrueFalse => (vec![], AnswerKey::true_false(i.is_multiple_of(2))),
        QuestionType::Single => (
            spec.options.clamp(2, 8),
            AnswerKey::choices([i % usize::from(spec.options.clamp(2, 8))]).unwrap(),
        )
            .into_options(),
        QuestionType::Multiple => {
            let n = spec.options.clamp(3, 8);
            (n, AnswerKey::choices([0, usize::from(n) - 1]).unwrap()).into_options()
        }
    };
    Question::new(QuestionParts {
        question_type: t,
        stem: Stem::parse(&format!(
            "第{i}题:依据{}的规定,下列说法正确的是?",
            LAWS[usize::from(spec.law) % 3]
        ))
        .unwrap(),
        options,
        key,
        scope: scope_of(spec.scope),
        legal_basis: LegalBasis::parse(&format!(
            "《中华人民共和国{}》第{}条",
            LAWS[usize::from(spec.law) % 3],
            i % 50 + 1
        ))
        .unwrap(),
        difficulty: Difficulty::new(spec.difficulty).unwrap(),
        tags: (0..3)
            .filter(|b| spec.tags & (1 << b) != 0)
            .map(|b| Tag::parse(TAGS[b]).unwrap())
            .collect(),
        explanation: None,
    })
    .unwrap()
}

trait IntoOptions {
    fn into_options(self) -> (Vec<OptionText>, AnswerKey);
}

impl IntoOptions for (u8, AnswerKey) {
    fn into_options(self) -> (Vec<OptionText>, AnswerKey) {
        let options = (0..self.0)
            .map(|o| OptionText::parse(&format!("选项内容{o}")).unwrap())
            .collect();
        (options, self.1)
    }
}

/// Question `i` gets id `i + 1` and revision `1000 + i`.
pub fn reference(i: usize) -> QuestionRef {
    QuestionRef {
        question_id: i as i64 + 1,
        revision_id: 1000 + i as i64,
    }
}

pub fn snapshot(specs: &[Spec]) -> BankSnapshot {
    BankSnapshot::new(
        specs
            .iter()
            .enumerate()
            .map(|(i, &s)| (reference(i), question(i, s)))
            .collect(),
    )
    .unwrap()
}

/// `n` questions of type `t` and `scope` whose difficulties cycle through `levels`, laws and
/// tags cycling too.
pub fn specs(t: QuestionType, scope: u8, n: usize, levels: &[u8]) -> Vec<Spec> {
    (0..n)
        .map(|i| Spec {
            question_type: t,
            difficulty: levels[i % levels.len()],
            scope,
            law: (i % 3) as u8,
            tags: (i % 8) as u8,
            options: 4 + (i % 3) as u8,
        })
        .collect()
}

pub fn pts(n: u32) -> Points {
    Points::whole(n).unwrap()
}

pub fn section(t: QuestionType, count: u32, points: u32, quotas: Vec<Quota>) -> Section {
    Section {
        question_type: t,
        count,
        points_per_question: pts(points),
        scoring: ScoringRule::AllOrNothing,
        quotas,
    }
}

pub fn blueprint(
    exam_kind: ExamKind,
    sections: Vec<Section>,
    pass_mark: u32,
    target: f64,
    tolerance: f64,
) -> Blueprint {
    Blueprint::new(BlueprintParts {
        name: "测试方案".into(),
        exam_kind,
        sections,
        pass_mark: pts(pass_mark),
        target_difficulty: target,
        tolerance,
    })
    .unwrap()
}

pub fn law(i: usize) -> Selector {
    Selector::Law(LAWS[i].to_owned())
}

pub fn tag(i: usize) -> Selector {
    Selector::Tag(Tag::parse(TAGS[i]).unwrap())
}

/// Everything a paper must satisfy, checked independently of the assembler: shape, points, no
/// repeats, valid permutations, scopes, every quota, the stated mean, and the tolerance.
pub fn check_paper(
    paper: &question_bank::Paper,
    bp: &Blueprint,
    snap: &BankSnapshot,
    field: Option<&EnforcementField>,
) -> Result<(), String> {
    use std::collections::HashSet;
    let pool = match bp.exam_kind() {
        ExamKind::General => ExamScope::General,
        ExamKind::Professional => ExamScope::Professional(field.ok_or("no field")?.clone()),
    };
    if paper.sections().len() != bp.sections().len() {
        return Err("section count".into());
    }
    if paper.total_points() != bp.total_points() || paper.pass_mark() != bp.pass_mark() {
        return Err("points".into());
    }
    let mut seen = HashSet::new();
    let (mut sum, mut weight) = (0f64, 0f64);
    for (i, (ps, s)) in paper.sections().iter().zip(bp.sections()).enumerate() {
        if ps.question_type() != s.question_type
            || ps.points_per_question() != s.points_per_question
            || ps.scoring() != s.scoring
            || ps.items().len() != s.count as usize
        {
            return Err(format!("section {i} shape"));
        }
        let mut questions = Vec::new();
        for item in ps.items() {
            if !seen.insert(item.question().question_id) {
                return Err(format!("question {:?} repeats", item.question()));
            }
            let q = snap
                .get(item.question())
                .ok_or("question not in snapshot")?;
            if q.question_type() != s.question_type {
                return Err("type".into());
            }
            let mut order = item.option_order().to_vec();
            order.sort_unstable();
            if order != (0..q.options().len() as u8).collect::<Vec<_>>() {
                return Err(format!("option order {:?}", item.option_order()));
            }
            let w = ps.points_per_question().as_f64();
            sum += w * f64::from(q.difficulty().get());
            weight += w;
            questions.push(q);
        }
        let mut outside_scopes = Vec::new();
        for (k, quota) in s.quotas.iter().enumerate() {
            let scope = match &quota.selector {
                Selector::General => Some(ExamScope::General),
                Selector::CandidateField => Some(pool.clone()),
                Selector::Field(f) => Some(ExamScope::Professional(f.clone())),
                _ => None,
            };
            let (n, exact) = match (&quota.selector, scope) {
                (_, Some(scope)) if scope != pool => {
                    outside_scopes.push(scope.clone());
                    (
                        questions.iter().filter(|q| *q.scope() == scope).count(),
                        true,
                    )
                }
                (_, Some(_)) => (
                    questions.iter().filter(|q| *q.scope() == pool).count(),
                    false,
                ),
                (Selector::Law(l), None) => (
                    questions
                        .iter()
                        .filter(|q| *q.scope() == pool && q.legal_basis().cites(l))
                        .count(),
                    false,
                ),
                (Selector::Tag(t), None) => (
                    questions
                        .iter()
                        .filter(|q| *q.scope() == pool && q.tags().contains(t))
                        .count(),
                    false,
                ),
                _ => unreachable!(),
            };
            let ok = if exact {
                n == quota.count as usize
            } else {
                n >= quota.count as usize
            };
            if !ok {
                return Err(format!("section {i} quota {k} has {n} of {}", quota.count));
            }
        }
        for q in &questions {
            if *q.scope() != pool && !outside_scopes.contains(q.scope()) {
                return Err(format!("a question of scope {:?} on the paper", q.scope()));
            }
        }
    }
    let mean = sum / weight;
    if (mean - paper.mean_difficulty()).abs() > 1e-9 {
        return Err(format!(
            "stated mean {} but {}",
            paper.mean_difficulty(),
            mean
        ));
    }
    if (mean - bp.target_difficulty()).abs() > bp.tolerance() + 1e-9 {
        return Err(format!(
            "mean {mean} outside {} ± {}",
            bp.target_difficulty(),
            bp.tolerance()
        ));
    }
    Ok(())
}

/// Mean 2.6, like the default target.
pub const LEVELS: [u8; 10] = [1, 2, 2, 3, 3, 3, 4, 2, 3, 3];

/// A bank of 综合 questions and 专业 ones of both fields, enough for the default blueprints.
pub fn general_bank() -> BankSnapshot {
    use QuestionType::{Multiple, Single, TrueFalse};
    let mut s = specs(Single, 0, 120, &LEVELS);
    s.extend(specs(Multiple, 0, 60, &LEVELS));
    s.extend(specs(TrueFalse, 0, 60, &LEVELS));
    for field in [1, 2] {
        s.extend(specs(Single, field, 40, &LEVELS));
        s.extend(specs(Multiple, field, 20, &LEVELS));
        s.extend(specs(TrueFalse, field, 20, &LEVELS));
    }
    snapshot(&s)
}

/// The displayed positions of the correct options of the question at `item`.
pub fn correct_positions(bank: &BankSnapshot, item: &PaperItem) -> Response {
    let q = bank.get(item.question()).unwrap();
    match q.answer_key().as_true_false() {
        Some(b) => Response::TrueFalse(b),
        None => Response::Choices(
            item.option_order()
                .iter()
                .enumerate()
                .filter(|&(_, &o)| q.answer_key().is_correct_option(usize::from(o)))
                .map(|(shown, _)| shown as u8)
                .collect(),
        ),
    }
}
