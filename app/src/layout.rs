//! The page frame (header, navigation per role, language switch) and small shared components:
//! error notices, the role guard, status badges, error pages, the pager and the route's id.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::{components::A, hooks::use_params_map};

use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::{role_name, switch_to, switchable};
use crate::{
    auth::Logout,
    error::AppError,
    roles::{CurrentUser, Role},
};

/// The signed-in account of this page, fetched once per page load.
pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

/// The [`UserResource`] provided by the app.
pub fn use_user() -> UserResource {
    expect_context::<UserResource>()
}

/// Reloads the whole page at `path` (after sign-in and sign-out, so every part of the page is
/// rendered for the new account).
pub fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = path;
    }
}

/// Set once the browser bundle has hydrated the page it was loaded on.
#[cfg(feature = "hydrate")]
static HYDRATED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records that hydration is over: from now on every route change is a navigation in the
/// browser (see [`LoadFromServer`]).
pub fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    HYDRATED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// A page this browser bundle does not hold (the candidate's bundle holds only the candidate's
/// pages). Reached by a link, the page is loaded from the server, which sends it with the
/// bundle that holds it. Rendered by the server or during hydration it is the 404 page, so a
/// missing page never reloads in a loop.
#[component]
pub fn LoadFromServer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if HYDRATED.load(std::sync::atomic::Ordering::Relaxed) {
        let location = leptos_router::hooks::use_location();
        let mut target = location.pathname.get_untracked();
        for (part, mark) in [(location.search, '?'), (location.hash, '#')] {
            let part = part.get_untracked();
            if !part.is_empty() {
                if !part.starts_with(mark) {
                    target.push(mark);
                }
                target.push_str(&part);
            }
        }
        reload_at(&target);
    }
    view! { <NotFoundPage/> }
}

/// Asks the browser to confirm an irreversible act (always "no" outside the browser).
pub fn confirmed(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        window().confirm_with_message(message).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        false
    }
}

/// A red notice with the message of `error`, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-error" role="alert">
            {move || error.message(i18n.get_locale())}
        </div>
    }
}

/// Shows the error of the last run of an action, if it failed.
#[component]
pub fn ActionError<T, F>(value: F) -> impl IntoView
where
    T: 'static,
    F: Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
{
    move || match value() {
        Some(Err(e)) => Some(view! { <ErrorNotice error=e/> }),
        _ => None,
    }
}

/// A coloured badge for a state.
#[component]
pub fn Badge(#[prop(into)] kind: String, #[prop(into)] label: String) -> impl IntoView {
    view! { <span class=format!("badge badge-{kind}")>{label}</span> }
}

/// Renders `children` for a signed-in caller whose role is in `roles`; otherwise the sign-in
/// link or the 403 page. The server checks again on every call: this only spares a useless page.
///
/// During server rendering a `Suspense` builds its children more than once, so `children` must
/// not make resources or actions (each build would run the server function again, the dropped
/// ones without a request context): the route component makes them above this gate and
/// `children` only reads them.
#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let user = use_user();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) if roles.contains(&u.role) => {
                        children.with_value(|c| c()).into_any()
                    }
                    Ok(Some(_)) => view! { <ForbiddenPage/> }.into_any(),
                    Ok(None) => view! { <SignInPrompt/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Asks an anonymous visitor to sign in.
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <p>{move || t_string!(i18n, errors.err_unauthorized)}</p>
            <A href="/login" attr:class="button primary">{move || t_string!(i18n, common.sign_in)}</A>
        </section>
    }
}

/// 403.
#[component]
pub fn ForbiddenPage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <section class="card narrow error-page">
            <p class="error-code">"403"</p>
            <h1>{move || t_string!(i18n, layout.page_forbidden_title)}</h1>
            <p>{move || t_string!(i18n, layout.page_forbidden_body)}</p>
            <A href="/" attr:class="button">{move || t_string!(i18n, layout.back_home)}</A>
        </section>
    }
}

/// 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card narrow error-page">
            <p class="error-code">"404"</p>
            <h1>{move || t_string!(i18n, layout.page_not_found_title)}</h1>
            <p>{move || t_string!(i18n, layout.page_not_found_body)}</p>
            <A href="/" attr:class="button">{move || t_string!(i18n, layout.back_home)}</A>
        </section>
    }
}

/// What a page shows when the thing it is about did not load: the 404 page (answered with
/// status 404) when it does not exist or is outside the caller's scope, else the error notice.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        error => view! { <ErrorNotice error/> }.into_any(),
    }
}

/// The route's `:id` segment; `None` when it is not a number.
pub fn use_id_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|s| s.parse().ok()))
}

/// Loads the thing a page is about with `load`. An id that is not a number names nothing, so
/// the answer is [`AppError::NotFound`] without asking the server.
pub async fn load_by_id<T, Fut>(
    id: Option<i64>,
    load: impl FnOnce(i64) -> Fut,
) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(AppError::NotFound),
    }
}

/// Previous/next page buttons with "page x of y".
#[component]
pub fn Pager(page: RwSignal<u64>, total: u64, per_page: u64) -> impl IntoView {
    let i18n = use_i18n();
    let pages = total.div_ceil(per_page.max(1)).max(1);
    // Named rather than written inside `view!`: an unbraced `>` in an attribute value ends the
    // tag there, which once left this button disabled for good with `= pages` shown as text.
    let on_last_page = move || page.get() + 1 >= pages;
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, layout.pagination)>
            <button
                type="button"
                disabled=move || page.get() == 0
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
            >
                {move || t_string!(i18n, layout.previous_page)}
            </button>
            <span>
                {move || {
                    t_string!(i18n, layout.page_of, page = page.get() + 1, pages = pages, total = total)
                        .to_string()
                }}
            </span>
            <button
                type="button"
                disabled=on_last_page
                on:click=move |_| page.update(|p| *p += 1)
            >
                {move || t_string!(i18n, layout.next_page)}
            </button>
        </nav>
    }
}

/// A navigation link: its path and how to find its label in the dictionary.
type NavLink = (&'static str, fn(Locale) -> &'static str);

/// The navigation links a role sees.
fn nav_links(role: Role) -> Vec<NavLink> {
    let mut links: Vec<NavLink> = vec![("/", |l| td_string!(l, layout.nav_home))];
    if role == Role::OfficeAdmin {
        links.push(("/admin/agencies", |l| td_string!(l, layout.nav_agencies)));
        links.push(("/admin/accounts", |l| td_string!(l, layout.nav_accounts)));
        links.push(("/admin/audit", |l| td_string!(l, layout.nav_audit)));
    }
    if matches!(
        role,
        Role::AgencyOfficer | Role::OfficeAdmin | Role::CommitteeMember
    ) {
        links.push(("/plans", |l| td_string!(l, layout.nav_plans)));
    }
    if matches!(role, Role::OfficeAdmin | Role::CommitteeMember) {
        links.push(("/meetings", |l| td_string!(l, layout.nav_meetings)));
    }
    if matches!(
        role,
        Role::OfficeAdmin | Role::AgencyOfficer | Role::Proctor
    ) {
        links.push(("/batches", |l| td_string!(l, layout.nav_batches)));
    }
    if matches!(role, Role::OfficeAdmin | Role::Proctor) {
        links.push(("/proctor", |l| td_string!(l, layout.nav_proctor)));
    }
    if role == Role::OfficeAdmin {
        links.push(("/results/statistics", |l| {
            td_string!(l, layout.nav_statistics)
        }));
    }
    if matches!(role, Role::QuestionAuthor | Role::OfficeAdmin) {
        links.push(("/bank", |l| td_string!(l, common.nav_bank)));
    }
    if role == Role::Candidate {
        links.push(("/exam", |l| td_string!(l, layout.nav_exam)));
        links.push(("/result", |l| td_string!(l, layout.nav_result)));
    } else {
        links.push(("/account", |l| td_string!(l, layout.nav_my_account)));
    }
    links
}

/// The frame around every page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            reload_at("/login");
        }
    });
    view! {
        <a class="skip-link" href="#main">{move || t_string!(i18n, layout.skip_to_content)}</a>
        <header class="topbar">
            <div class="brand">
                <span class="emblem" aria-hidden="true" translate="no">"法"</span>
                <div>
                    <div class="brand-title">{move || t_string!(i18n, common.app_title)}</div>
                    <div class="brand-sub">{move || t_string!(i18n, layout.office_name)}</div>
                </div>
            </div>
            <div class="topbar-right">
                {move || {
                    switchable(i18n.get_locale())
                        .into_iter()
                        .map(|locale| view! {
                            // A language's own name, never translated (`translate="no"`).
                            <button
                                type="button"
                                class="link-button lang-switch"
                                lang=locale.as_str()
                                translate="no"
                                on:click=move |_| switch_to(locale)
                            >
                                {td_string!(locale, common.language_name)}
                            </button>
                        })
                        .collect_view()
                }}
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => {
                                let role = u.role;
                                Some(view! {
                                    <span class="whoami">
                                        <span class="sr-only">{move || t_string!(i18n, layout.signed_in_as)}</span>
                                        <strong>{u.display_name.clone()}</strong>
                                        <span class="role-tag">{move || role_name(i18n.get_locale(), role)}</span>
                                    </span>
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| {
                                            logout.dispatch(Logout {});
                                        }
                                    >
                                        {move || t_string!(i18n, layout.sign_out)}
                                    </button>
                                }.into_any())
                            }
                            _ => None,
                        }
                    })}
                </Transition>
            </div>
        </header>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => Some(view! {
                        <nav class="mainnav" aria-label=move || t_string!(i18n, layout.main_navigation)>
                            {nav_links(u.role)
                                .into_iter()
                                .map(|(href, label)| view! {
                                    <A href=href exact=true>{move || label(i18n.get_locale())}</A>
                                })
                                .collect_view()}
                        </nav>
                    }),
                    _ => None,
                }
            })}
        </Transition>
        <main id="main" class="content">{children()}</main>
        <footer class="footer">{move || t_string!(i18n, layout.office_name)}" · "{move || t_string!(i18n, common.app_title)}</footer>
    }
}
