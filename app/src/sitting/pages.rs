//! The candidate's exam pages inside `/exam`: the waiting room, the exam itself, the receipt.
//!
//! Time: the page measures its offset to the server's clock from every answer it gets and
//! counts down to the server's deadline; a wrong device clock changes nothing. The first render
//! (on the server and at hydration) uses the server's time only, so both render the same.
//!
//! Answers: every change gets the next sequence number, goes into a journal in the browser's
//! storage at once and is sent within a second; the journal entry is dropped only when the
//! server acknowledges it (after its commit). After a network drop the page keeps retrying;
//! after a reload or a crash it merges the journal over the stored answers and sends what the
//! server does not have yet.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use question_bank::{PaperView, QuestionType, Response};
use serde::{Deserialize, Serialize};

use super::{
    AnswerSave, AttemptStatus, AttemptView, ClientEvent, EventKind, Receipt, SittingView,
    save_answers, start_attempt, submit_attempt,
};
use crate::error::AppError;
use crate::i18n::{t_string, use_i18n};
use crate::layout::ErrorNotice;
use crate::locale::format_datetime;

/// How long after a change the page sends it (changes within the window share one save).
const DEBOUNCE_MS: u64 = 400;
/// A heartbeat is sent when nothing else was for this long.
const HEARTBEAT_MS: i64 = 30_000;
/// Minutes before the deadline at which a screen reader is told the time left.
const ANNOUNCE_AT_MINUTES: [i64; 4] = [30, 10, 5, 1];

/// The save indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveState {
    Saved,
    Saving,
    /// Not reachable; this many answers wait in the journal.
    Offline(usize),
}

/// What the journal in the browser's storage holds for one attempt.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Journal {
    /// The last sequence number used.
    seq: i64,
    /// Answers not yet acknowledged: item → (seq, response).
    pending: BTreeMap<u32, (i64, Response)>,
    /// Questions flagged for review (kept in the browser only).
    flagged: BTreeSet<u32>,
}

/// The live state of the exam page.
#[derive(Clone, Copy)]
struct Exam {
    key: StoredValue<String>,
    answers: RwSignal<BTreeMap<u32, Response>>,
    journal: RwSignal<Journal>,
    events: StoredValue<Vec<ClientEvent>>,
    save_state: RwSignal<SaveState>,
    in_flight: StoredValue<bool>,
    again: StoredValue<bool>,
    /// Server time minus the device's time, in milliseconds.
    offset_ms: RwSignal<i64>,
    /// The server's time as the page estimates it, refreshed every second on the client.
    now: RwSignal<DateTime<Utc>>,
    deadline: RwSignal<DateTime<Utc>>,
    last_sent_ms: StoredValue<i64>,
    /// Set when the server says the attempt is closed or the sign-in has ended.
    stopped: RwSignal<Option<AppError>>,
    receipt: RwSignal<Option<Receipt>>,
}

/// The device's clock in milliseconds (0 while rendering on the server).
fn device_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "milliseconds since 1970 fit"
        )]
        let ms = web_sys::js_sys::Date::now() as i64;
        ms
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

fn storage() -> Option<web_sys::Storage> {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

impl Exam {
    fn new(key: String, attempt: &AttemptView) -> Exam {
        let answers: BTreeMap<u32, Response> = attempt
            .answers
            .iter()
            .map(|a| (a.item, a.response.clone()))
            .collect();
        Exam {
            key: StoredValue::new(key),
            answers: RwSignal::new(answers),
            journal: RwSignal::new(Journal {
                seq: attempt.last_seq,
                ..Journal::default()
            }),
            events: StoredValue::new(Vec::new()),
            save_state: RwSignal::new(SaveState::Saved),
            in_flight: StoredValue::new(false),
            again: StoredValue::new(false),
            offset_ms: RwSignal::new(0),
            now: RwSignal::new(attempt.now),
            deadline: RwSignal::new(attempt.deadline),
            last_sent_ms: StoredValue::new(0),
            stopped: RwSignal::new(None),
            receipt: RwSignal::new(attempt.receipt.clone()),
        }
    }

    /// Client only: reads the journal left by an earlier page of this attempt and merges it
    /// over the stored answers (a journal entry newer than the stored answer wins).
    fn restore(self, attempt: &AttemptView) {
        let Some(saved) = storage()
            .and_then(|s| s.get_item(&self.key.get_value()).ok().flatten())
            .and_then(|raw| serde_json::from_str::<Journal>(&raw).ok())
        else {
            return;
        };
        let stored: BTreeMap<u32, i64> = attempt.answers.iter().map(|a| (a.item, a.seq)).collect();
        let mut journal = Journal {
            seq: saved.seq.max(attempt.last_seq),
            pending: BTreeMap::new(),
            flagged: saved.flagged,
        };
        self.answers.update(|answers| {
            for (item, (seq, response)) in saved.pending {
                if stored.get(&item).is_none_or(|s| *s < seq) {
                    answers.insert(item, response.clone());
                    journal.pending.insert(item, (seq, response));
                }
            }
        });
        self.journal.set(journal);
        self.persist();
    }

    fn persist(self) {
        if let Some(s) = storage() {
            let raw = self
                .journal
                .with_untracked(|j| serde_json::to_string(j).unwrap_or_default());
            let _ = s.set_item(&self.key.get_value(), &raw);
        }
    }

    fn clear_journal(self) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&self.key.get_value());
        }
    }

    fn locked(self) -> bool {
        self.stopped.with_untracked(Option::is_some)
            || self.receipt.with_untracked(Option::is_some)
            || self.now.get_untracked() >= self.deadline.get_untracked()
    }

    /// Records a change: journal first, then a save soon.
    fn answer(self, item: u32, response: Response) {
        if self.locked() {
            return;
        }
        self.answers.update(|a| {
            a.insert(item, response.clone());
        });
        self.journal.update(|j| {
            j.seq += 1;
            let seq = j.seq;
            j.pending.insert(item, (seq, response));
        });
        self.persist();
        self.show_pending();
        self.flush_soon();
    }

    fn toggle_flag(self, item: u32) {
        self.journal.update(|j| {
            if !j.flagged.remove(&item) {
                j.flagged.insert(item);
            }
        });
        self.persist();
    }

    fn report(self, kind: EventKind, detail: String) {
        if self.locked() {
            return;
        }
        self.events.update_value(|e| {
            if e.len() < super::MAX_EVENTS_PER_SAVE {
                e.push(ClientEvent { kind, detail });
            }
        });
        self.flush_soon();
    }

    fn show_pending(self) {
        let n = self.journal.with_untracked(|j| j.pending.len());
        self.save_state.update(|s| {
            *s = match *s {
                SaveState::Offline(_) if n > 0 => SaveState::Offline(n),
                _ if n > 0 => SaveState::Saving,
                _ => SaveState::Saved,
            }
        });
    }

    /// The journal's unacknowledged answers, as a save sends them.
    fn pending_saves(self) -> Vec<AnswerSave> {
        self.journal.with_untracked(|j| {
            j.pending
                .iter()
                .map(|(item, (seq, response))| AnswerSave {
                    item: *item,
                    seq: *seq,
                    response: response.clone(),
                })
                .collect()
        })
    }

    fn flush_soon(self) {
        set_timeout(
            move || self.flush(),
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
    }

    /// Sends every pending answer and event; on success drops what was acknowledged.
    fn flush(self) {
        if self.stopped.with_untracked(Option::is_some) {
            return;
        }
        if self.in_flight.get_value() {
            self.again.set_value(true);
            return;
        }
        let sent = self.pending_saves();
        let events = self.events.with_value(Clone::clone);
        self.in_flight.set_value(true);
        self.last_sent_ms.set_value(device_ms());
        leptos::task::spawn_local(async move {
            let result = save_answers(sent.clone(), events.clone()).await;
            self.in_flight.set_value(false);
            match result {
                Ok(ack) => {
                    self.events.update_value(|e| {
                        e.drain(..events.len().min(e.len()));
                    });
                    self.journal.update(|j| {
                        for s in &sent {
                            if j.pending.get(&s.item).is_some_and(|(seq, _)| *seq <= s.seq) {
                                j.pending.remove(&s.item);
                            }
                        }
                    });
                    self.persist();
                    self.offset_ms.set(ack.now.timestamp_millis() - device_ms());
                    self.deadline.set(ack.deadline);
                    self.save_state.set(SaveState::Saving);
                    self.show_pending();
                    let more = self.journal.with_untracked(|j| !j.pending.is_empty());
                    if self.again.get_value() || more {
                        self.again.set_value(false);
                        self.flush_soon();
                    }
                }
                Err(AppError::Transport(_)) | Err(AppError::Internal) => {
                    let n = self.journal.with_untracked(|j| j.pending.len());
                    self.save_state.set(SaveState::Offline(n));
                    // Retried by the clock's tick.
                }
                Err(e) => {
                    self.stopped.set(Some(e));
                }
            }
        });
    }

    /// Once a second on the client: the clock, retries, heartbeats, the deadline.
    fn tick(self) {
        let now_ms = device_ms() + self.offset_ms.get_untracked();
        if let Some(now) = DateTime::<Utc>::from_timestamp_millis(now_ms) {
            self.now.set(now);
        }
        if self.stopped.with_untracked(Option::is_some)
            || self.receipt.with_untracked(Option::is_some)
        {
            return;
        }
        let pending = self.journal.with_untracked(|j| !j.pending.is_empty());
        let offline = matches!(self.save_state.get_untracked(), SaveState::Offline(_));
        let quiet = device_ms() - self.last_sent_ms.get_value() > HEARTBEAT_MS;
        if !self.in_flight.get_value() && ((pending && offline) || quiet) {
            self.flush();
        }
    }
}

/// The candidate's exam: waiting room, exam or receipt, as the attempt stands.
#[component]
pub fn SittingPanel(sitting: SittingView) -> impl IntoView {
    let attempt = RwSignal::new(sitting.attempt.clone());
    let sitting = StoredValue::new(sitting);
    move || match attempt.get() {
        None => view! {
            <section class="page-head"><h1>{crate::text!(exam.my_exam)}</h1></section>
            <crate::exam::TicketCard t=sitting.with_value(|s| s.ticket.clone())/>
            <WaitingRoom sitting attempt/>
        }
        .into_any(),
        Some(a) if a.status == AttemptStatus::InProgress && a.receipt.is_none() => {
            let key = format!(
                "exam-journal:{}",
                sitting.with_value(|s| s.ticket.ticket_no.clone())
            );
            view! { <ExamRunner key attempt=a/> }.into_any()
        }
        Some(a) => match a.receipt {
            Some(r) => view! { <ReceiptCard receipt=r/> }.into_any(),
            None => view! { <ErrorNotice error=super::closed_error(a.status)/> }.into_any(),
        },
    }
}

/// 候考 — the waiting room: rules, identity, countdown, start.
#[component]
fn WaitingRoom(
    sitting: StoredValue<SittingView>,
    attempt: RwSignal<Option<AttemptView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = sitting.get_value();
    let offset = RwSignal::new(0i64);
    let now = RwSignal::new(s.now);
    Effect::new(move |_| {
        offset.set(s.now.timestamp_millis() - device_ms());
        let handle = set_interval_with_handle(
            move || {
                if let Some(t) =
                    DateTime::<Utc>::from_timestamp_millis(device_ms() + offset.get_untracked())
                {
                    now.set(t);
                }
            },
            std::time::Duration::from_millis(500),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    let start = Action::new(move |_: &()| start_attempt());
    Effect::new(move |_| {
        if let Some(Ok(a)) = start.value().get() {
            request_fullscreen();
            attempt.set(Some(a));
        }
    });
    let starts_at = s.starts_at;
    let late_until = s.late_entry_until;
    let ready = s.papers_ready;
    let t = s.ticket.clone();
    view! {
        <section class="card waiting" data-testid="waiting-room">
            <h2>{crate::text!(sitting.waiting_room)}</h2>
            <div class="identity">
                <div class="photo-box" aria-label=move || t_string!(i18n, sitting.photo_box)>{crate::text!(sitting.photo_box)}</div>
                <dl class="meta">
                    <dt>{crate::text!(exam.name)}</dt><dd data-testid="candidate-name">{t.name.clone()}</dd>
                    <dt>{crate::text!(exam.ticket_number)}</dt><dd class="mono">{t.ticket_no.clone()}</dd>
                    <dt>{crate::text!(exam.room_seat)}</dt><dd>{t.room.clone()}" · "{format!("{:02}", t.seat)}</dd>
                    <dt>{crate::text!(exam.start_beijing_time)}</dt><dd>{move || format_datetime(i18n.get_locale(), starts_at)}</dd>
                </dl>
            </div>
            <h3>{crate::text!(sitting.rules_title)}</h3>
            <ol class="rules">
                <li>{crate::text!(sitting.rule_own_work)}</li>
                <li>{crate::text!(sitting.rule_full_screen)}</li>
                <li>{crate::text!(sitting.rule_autosave)}</li>
                <li>{crate::text!(sitting.rule_deadline)}</li>
            </ol>
            <p class="countdown" role="status" data-testid="countdown">{move || {
                let n = now.get();
                if n < starts_at {
                    t_string!(i18n, sitting.starts_in, time = clock(starts_at - n)).to_string()
                } else if n > late_until {
                    t_string!(i18n, sitting.late_entry_closed).to_string()
                } else if !ready {
                    t_string!(i18n, papers.your_paper_is_not_ready_ask).to_string()
                } else {
                    t_string!(i18n, sitting.you_may_start).to_string()
                }
            }}</p>
            <ErrorOf value=move || start.value().get()/>
            <button class="primary big" data-testid="start"
                disabled=move || { let n = now.get(); n < starts_at || n > late_until || !ready || start.pending().get() }
                on:click=move |_| { start.dispatch(()); }>
                {crate::text!(sitting.start_exam)}
            </button>
        </section>
    }
}

/// Shows the error of an action's last run.
#[component]
fn ErrorOf<T, F>(value: F) -> impl IntoView
where
    T: 'static,
    F: Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
{
    view! { <crate::layout::ActionError value/> }
}

fn request_fullscreen() {
    #[cfg(feature = "hydrate")]
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.request_fullscreen();
    }
}

/// `H:MM:SS` (or `MM:SS` under an hour) of a duration, never negative.
fn clock(d: chrono::Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// The exam itself.
#[component]
fn ExamRunner(key: String, attempt: AttemptView) -> impl IntoView {
    let i18n = use_i18n();
    let exam = Exam::new(key, &attempt);
    let paper: RwSignal<Option<Result<PaperView, AppError>>> = RwSignal::new(None);
    let current = RwSignal::new(1u32);
    let confirming = RwSignal::new(false);
    let announce = RwSignal::new(String::new());
    let total = attempt.item_count;
    let attempt = StoredValue::new(attempt);

    // Client only: the journal, the paper, the clock and the browser's signals.
    Effect::new(move |_| {
        exam.offset_ms
            .set(attempt.with_value(|a| a.now.timestamp_millis()) - device_ms());
        attempt.with_value(|a| exam.restore(a));
        exam.last_sent_ms.set_value(device_ms());
        leptos::task::spawn_local(async move {
            paper.set(Some(crate::exam::my_paper().await));
        });
        if exam.journal.with_untracked(|j| !j.pending.is_empty()) {
            exam.show_pending();
            exam.flush();
        }
        let announced = StoredValue::new(BTreeSet::<i64>::new());
        let handle = set_interval_with_handle(
            move || {
                exam.tick();
                let left = (exam.deadline.get_untracked() - exam.now.get_untracked()).num_seconds();
                for m in ANNOUNCE_AT_MINUTES {
                    if left <= m * 60
                        && left > m * 60 - 5
                        && !announced.with_value(|a| a.contains(&m))
                    {
                        announced.update_value(|a| {
                            a.insert(m);
                        });
                        announce
                            .set(t_string!(i18n, sitting.minutes_left, minutes = m).to_string());
                    }
                }
                if left <= 0
                    && exam.receipt.with_untracked(Option::is_none)
                    && exam.stopped.with_untracked(Option::is_none)
                {
                    finish(exam);
                }
            },
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
        install_signals(exam, current, total, paper);
    });

    let submit = move || finish(exam);
    let unanswered = move || {
        exam.answers.with(|a| {
            (1..=total)
                .filter(|n| !a.get(n).is_some_and(answered))
                .collect::<Vec<_>>()
        })
    };
    let flagged = move || {
        exam.journal
            .with(|j| j.flagged.iter().copied().collect::<Vec<_>>())
    };

    view! {
        <div class="exam" data-testid="exam">
            <div class="sr-only" aria-live="assertive" data-testid="timer-announcement">{move || announce.get()}</div>
            <header class="exam-bar">
                <span class="timer" aria-hidden="true" data-testid="timer">
                    {crate::text!(sitting.time_left)}" "
                    <strong>{move || clock(exam.deadline.get() - exam.now.get())}</strong>
                </span>
                <span class="save-state" role="status" data-testid="save-state" class:offline=move || matches!(exam.save_state.get(), SaveState::Offline(_))>
                    {move || match exam.save_state.get() {
                        SaveState::Saved => t_string!(i18n, sitting.saved).to_string(),
                        SaveState::Saving => t_string!(i18n, sitting.saving).to_string(),
                        SaveState::Offline(n) => t_string!(i18n, sitting.offline_unsent, count = n).to_string(),
                    }}
                </span>
                <button class="primary" data-testid="submit" on:click=move |_| confirming.set(true)
                    disabled=move || exam.receipt.with(Option::is_some)>{crate::text!(sitting.submit)}</button>
            </header>
            {move || exam.stopped.get().map(|e| view! { <StoppedNotice error=e/> })}
            {move || exam.receipt.get().map(|r| view! { <ReceiptCard receipt=r/> })}
            <Show when=move || confirming.get() && exam.receipt.with(Option::is_none)>
                <div class="dialog" role="dialog" aria-modal="true" data-testid="confirm-submit">
                    <h2>{crate::text!(sitting.confirm_submit_title)}</h2>
                    <p>{move || t_string!(i18n, sitting.unanswered_count, count = unanswered().len())}" "
                        <span class="mono">{move || numbers(&unanswered())}</span></p>
                    <p>{move || t_string!(i18n, sitting.flagged_count, count = flagged().len())}" "
                        <span class="mono">{move || numbers(&flagged())}</span></p>
                    <p class="muted">{crate::text!(sitting.submit_is_final)}</p>
                    <div class="actions">
                        <button on:click=move |_| confirming.set(false)>{crate::text!(sitting.back_to_exam)}</button>
                        <button class="primary" data-testid="confirm" on:click=move |_| { confirming.set(false); submit(); }>{crate::text!(sitting.submit_now)}</button>
                    </div>
                </div>
            </Show>
            <Show when=move || exam.receipt.with(Option::is_none)>
                {move || match paper.get() {
                    None => view! { <p class="muted">{crate::text!(sitting.loading_paper)}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                    Some(Ok(p)) => view! { <PaperPane paper=p exam current/> }.into_any(),
                }}
            </Show>
        </div>
    }
}

fn numbers(items: &[u32]) -> String {
    items
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn answered(r: &Response) -> bool {
    match r {
        Response::Choices(c) => !c.is_empty(),
        Response::TrueFalse(_) => true,
    }
}

/// Sends what is pending, then submits; shows the receipt and clears the journal.
fn finish(exam: Exam) {
    if exam.in_flight.get_value() {
        exam.again.set_value(true);
    }
    exam.in_flight.set_value(true);
    leptos::task::spawn_local(async move {
        let pending = exam.pending_saves();
        if !pending.is_empty() {
            match save_answers(pending, Vec::new()).await {
                Ok(_) => exam.journal.update(|j| j.pending.clear()),
                Err(AppError::Transport(_)) => {
                    exam.in_flight.set_value(false);
                    let n = exam.journal.with_untracked(|j| j.pending.len());
                    exam.save_state.set(SaveState::Offline(n));
                    return;
                }
                Err(_) => {}
            }
        }
        let result = submit_attempt().await;
        exam.in_flight.set_value(false);
        match result {
            Ok(r) => {
                exam.clear_journal();
                exam.save_state.set(SaveState::Saved);
                exam.receipt.set(Some(r));
                exit_fullscreen();
            }
            Err(AppError::Transport(_)) => {
                let n = exam.journal.with_untracked(|j| j.pending.len());
                exam.save_state.set(SaveState::Offline(n));
            }
            Err(e) => exam.stopped.set(Some(e)),
        }
    });
}

fn exit_fullscreen() {
    #[cfg(feature = "hydrate")]
    if let Some(d) = web_sys::window().and_then(|w| w.document())
        && d.fullscreen_element().is_some()
    {
        d.exit_fullscreen();
    }
}

/// Keyboard use and the integrity signals (client only).
fn install_signals(
    exam: Exam,
    current: RwSignal<u32>,
    total: u32,
    paper: RwSignal<Option<Result<PaperView, AppError>>>,
) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        let n = current.get_untracked();
        match key.as_str() {
            "ArrowRight" | "n" | "N" => current.set((n + 1).min(total.max(1))),
            "ArrowLeft" | "p" | "P" => current.set(n.saturating_sub(1).max(1)),
            "f" | "F" => exam.toggle_flag(n),
            k if k.len() == 1 => {
                let c = k.chars().next().unwrap_or(' ').to_ascii_uppercase();
                if ('A'..='H').contains(&c) {
                    let pos = c as u8 - b'A';
                    if let Some(q) = item_type(paper, n) {
                        choose(exam, n, q.0, q.1, pos);
                    }
                }
            }
            _ => {}
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |ev| {
        ev.prevent_default();
        exam.report(EventKind::Paste, String::new());
    });
    let menu = window_event_listener(leptos::ev::contextmenu, move |ev| {
        ev.prevent_default();
        exam.report(EventKind::ContextMenu, String::new());
    });
    let blur = window_event_listener(leptos::ev::blur, move |_| {
        exam.report(EventKind::WindowBlur, String::new());
    });
    on_cleanup(move || {
        keys.remove();
        paste.remove();
        menu.remove();
        blur.remove();
    });
    #[cfg(feature = "hydrate")]
    document_signals(exam);
}

#[cfg(feature = "hydrate")]
fn document_signals(exam: Exam) {
    use wasm_bindgen::{JsCast, closure::Closure};
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let d = doc.clone();
    let visibility = Closure::<dyn Fn()>::new(move || {
        if d.hidden() {
            exam.report(EventKind::PageHidden, String::new());
        } else {
            // Back: send what waited.
            exam.flush();
        }
    });
    let _ = doc
        .add_event_listener_with_callback("visibilitychange", visibility.as_ref().unchecked_ref());
    visibility.forget();
    let d = doc.clone();
    let fullscreen = Closure::<dyn Fn()>::new(move || {
        if d.fullscreen_element().is_none() {
            exam.report(EventKind::FullscreenExit, String::new());
        }
    });
    let _ = doc
        .add_event_listener_with_callback("fullscreenchange", fullscreen.as_ref().unchecked_ref());
    fullscreen.forget();
    let online = Closure::<dyn Fn()>::new(move || exam.flush());
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    }
    online.forget();
}

/// The type and option count of question `n`.
fn item_type(
    paper: RwSignal<Option<Result<PaperView, AppError>>>,
    n: u32,
) -> Option<(QuestionType, usize)> {
    paper.with_untracked(|p| {
        p.as_ref()?.as_ref().ok()?.sections.iter().find_map(|s| {
            s.items
                .iter()
                .find(|i| i.number == n)
                .map(|i| (s.question_type, i.question.options.len()))
        })
    })
}

/// Chooses option `pos` of question `n` (toggles it on a 多选题).
fn choose(exam: Exam, n: u32, kind: QuestionType, options: usize, pos: u8) {
    let before = exam.answers.with_untracked(|a| a.get(&n).cloned());
    let response = match kind {
        QuestionType::TrueFalse => match pos {
            0 => Response::TrueFalse(true),
            1 => Response::TrueFalse(false),
            _ => return,
        },
        _ if usize::from(pos) >= options => return,
        QuestionType::Multiple => {
            let mut chosen = match before {
                Some(Response::Choices(c)) => c,
                _ => Vec::new(),
            };
            if let Some(i) = chosen.iter().position(|c| *c == pos) {
                chosen.remove(i);
            } else {
                chosen.push(pos);
                chosen.sort_unstable();
            }
            Response::Choices(chosen)
        }
        _ => Response::Choices(vec![pos]),
    };
    exam.answer(n, response);
}

/// The navigator and the current question.
#[component]
fn PaperPane(paper: PaperView, exam: Exam, current: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let items: Vec<(u32, QuestionType, String, Vec<String>)> = paper
        .sections
        .iter()
        .flat_map(|s| {
            s.items.iter().map(move |i| {
                (
                    i.number,
                    s.question_type,
                    i.question.stem.clone(),
                    i.question.options.clone(),
                )
            })
        })
        .collect();
    let total = u32::try_from(items.len()).unwrap_or(0);
    let items = StoredValue::new(items);
    let nav = move || {
        items.with_value(|items| {
            items
                .iter()
                .map(|(n, _, _, _)| {
                    let n = *n;
                    let state = move || {
                        let a = exam.answers.with(|a| a.get(&n).is_some_and(answered));
                        let f = exam.journal.with(|j| j.flagged.contains(&n));
                        match (a, f) {
                            (_, true) => "nav flagged",
                            (true, _) => "nav answered",
                            _ => "nav",
                        }
                    };
                    view! {
                        <button class=state class:current=move || current.get() == n
                            data-testid=format!("nav-{n}")
                            aria-current=move || (current.get() == n).then_some("true")
                            on:click=move |_| current.set(n)>{n}</button>
                    }
                })
                .collect_view()
        })
    };
    let question = move || {
        let n = current.get();
        items.with_value(|items| {
            items.iter().find(|(k, _, _, _)| *k == n).cloned()
        })
        .map(|(n, kind, stem, options)| {
            let labels: Vec<String> = match kind {
                QuestionType::TrueFalse => vec![
                    t_string!(i18n, sitting.true_label).to_string(),
                    t_string!(i18n, sitting.false_label).to_string(),
                ],
                _ => options,
            };
            let count = labels.len();
            let kind_label = match kind {
                QuestionType::Single => t_string!(i18n, sitting.single_choice).to_string(),
                QuestionType::Multiple => t_string!(i18n, sitting.multiple_choice).to_string(),
                QuestionType::TrueFalse => t_string!(i18n, sitting.true_false).to_string(),
            };
            view! {
                <article class="question" data-testid="question" data-number=n>
                    <p class="muted">{kind_label}" · "{t_string!(i18n, sitting.question_of, number = n, total = total)}</p>
                    <p class="stem">{stem}</p>
                    <div class="options" role="group">
                        {labels.into_iter().enumerate().map(|(i, text)| {
                            let pos = u8::try_from(i).unwrap_or(u8::MAX);
                            let letter = char::from(b'A' + pos);
                            let chosen = move || exam.answers.with(|a| match a.get(&n) {
                                Some(Response::Choices(c)) => c.contains(&pos),
                                Some(Response::TrueFalse(t)) => (pos == 0) == *t,
                                None => false,
                            });
                            view! {
                                <button class="option" class:chosen=chosen aria-pressed=move || chosen().to_string()
                                    data-testid=format!("option-{letter}")
                                    on:click=move |_| choose(exam, n, kind, count, pos)>
                                    <span class="letter">{letter.to_string()}</span>" "{text}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                    <div class="actions">
                        <button on:click=move |_| current.set(n.saturating_sub(1).max(1)) disabled={n <= 1} data-testid="previous">{crate::text!(sitting.previous)}</button>
                        <button data-testid="flag" aria-pressed=move || exam.journal.with(|j| j.flagged.contains(&n)).to_string()
                            on:click=move |_| exam.toggle_flag(n)>{crate::text!(sitting.flag_for_review)}</button>
                        <button on:click=move |_| current.set((n + 1).min(total)) disabled={n >= total} data-testid="next">{crate::text!(sitting.next)}</button>
                    </div>
                    <p class="muted small">{crate::text!(sitting.keyboard_help)}</p>
                </article>
            }
        })
    };
    view! {
        <div class="exam-body">
            <nav class="navigator" aria-label=move || t_string!(i18n, sitting.navigator)>{nav}</nav>
            {question}
        </div>
    }
}

/// The session ended or the attempt closed while the page was open.
#[component]
fn StoppedNotice(error: AppError) -> impl IntoView {
    let unauthorized = matches!(error, AppError::Unauthorized);
    view! {
        <div class="notice notice-error" role="alert" data-testid="stopped">
            {if unauthorized {
                view! { <p>{crate::text!(sitting.sign_in_ended_elsewhere)}</p> }.into_any()
            } else {
                view! { <ErrorNotice error/> }.into_any()
            }}
        </div>
    }
}

/// 答卷回执.
#[component]
pub fn ReceiptCard(receipt: Receipt) -> impl IntoView {
    let i18n = use_i18n();
    let at = receipt.submitted_at;
    let status = receipt.status;
    view! {
        <section class="card receipt" data-testid="receipt">
            <h2>{crate::text!(sitting.receipt_title)}</h2>
            <p>{move || match status {
                AttemptStatus::AutoSubmitted => t_string!(i18n, sitting.submitted_at_deadline).to_string(),
                AttemptStatus::ForceSubmitted => t_string!(i18n, sitting.collected_by_proctor).to_string(),
                _ => t_string!(i18n, sitting.your_answers_are_submitted).to_string(),
            }}</p>
            <dl class="meta">
                <dt>{crate::text!(sitting.receipt_code)}</dt><dd class="mono big" data-testid="receipt-code">{receipt.code.clone()}</dd>
                <dt>{crate::text!(sitting.answered)}</dt><dd data-testid="receipt-answered">{move || t_string!(i18n, sitting.answered_of, answered = receipt.answered, total = receipt.total)}</dd>
                <dt>{crate::text!(sitting.submitted_at)}</dt><dd>{move || format_datetime(i18n.get_locale(), at)}</dd>
            </dl>
            <p class="muted small">{crate::text!(sitting.keep_the_code)}</p>
        </section>
    }
}
