//! The document shell, the router and the security headers of rendered pages.

use leptos::prelude::*;
use leptos_meta::{Meta, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::i18n::{I18nContextProvider, t_string, use_i18n};
use crate::locale::{LANG_COOKIE, LANG_COOKIE_MAX_AGE_MS};
use crate::{
    auth::whoami,
    exam::{CandidateLoginPage, ExamPage},
    layout::{Shell, UserResource},
};
use leptos_i18n::context::CookieOptions;

/// The HTML document around the app (server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_security_headers();
    let stylesheet = stylesheet_href(&options);
    let options = bundle_for_page(options);
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=stylesheet/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <leptos_meta::MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The style sheet's address: `/pkg/exam.<hash>.css` when the site was built with hashed names
/// (the `css:` line of the hash file `.ci/build-site` writes), `/pkg/exam.css` otherwise.
fn stylesheet_href(options: &LeptosOptions) -> String {
    let name = &options.output_name;
    let pkg = &options.site_pkg_dir;
    #[cfg(feature = "ssr")]
    if options.hash_files {
        // Read at every render, as Leptos reads the same file for the scripts: a few bytes.
        let hash = std::fs::read_to_string(options.hash_file.as_ref())
            .ok()
            .and_then(|hashes| {
                hashes
                    .lines()
                    .find_map(|line| line.trim().strip_prefix("css:"))
                    .map(|h| h.trim().to_owned())
            });
        if let Some(hash) = hash {
            return format!("/{pkg}/{name}.{hash}.css");
        }
    }
    format!("/{pkg}/{name}.css")
}

/// The browser bundle of this page. The candidate's pages (`/exam…`) load the small candidate
/// bundle when the site has one (named by `hash-candidate.txt` beside the hash file); every
/// other page, and a site built without hashed names, loads the full bundle.
fn bundle_for_page(options: LeptosOptions) -> LeptosOptions {
    #[cfg(feature = "ssr")]
    if options.hash_files {
        let path = use_context::<http::request::Parts>()
            .map(|parts| parts.uri.path().to_owned())
            .unwrap_or_default();
        if path == "/exam" || path.starts_with("/exam/") {
            let hashes = std::path::Path::new(options.hash_file.as_ref())
                .with_file_name("hash-candidate.txt");
            if hashes.is_file() {
                let mut options = options;
                options.output_name = "candidate".into();
                options.hash_file = hashes.to_string_lossy().into_owned().into();
                return options;
            }
        }
    }
    options
}

/// Content-Security-Policy with this response's nonce: only our own scripts and the inline
/// hydration script carrying the nonce run; no framing.
#[cfg(feature = "ssr")]
fn set_security_headers() {
    let Some(opts) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let script_src = match leptos::nonce::use_nonce() {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    let csp = format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = http::HeaderValue::from_str(&csp) {
        opts.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

/// The application: providers, frame and routes.
///
/// Pages render in `SsrMode::Async`: the server sends them complete, with their data, so the
/// browser hydrates the whole page at once and a click (say, on the language switch) can never
/// land on a part that is not interactive yet.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider
            cookie_name=LANG_COOKIE
            cookie_options=CookieOptions::default().path("/").max_age(LANG_COOKIE_MAX_AGE_MS)
            ssr_lang_header_getter=crate::locale::accept_language()
        >
            <Frame/>
        </I18nContextProvider>
    }
}

/// The page inside the locale: the signed-in user, the title and the routes.
#[component]
fn Frame() -> impl IntoView {
    let i18n = use_i18n();
    let user: UserResource = Resource::new(|| (), |_| whoami());
    provide_context(user);
    // Marks the page as interactive once the wasm has hydrated it (end-to-end tests wait for
    // this: a click before hydration would be lost).
    Effect::new(move |_| {
        crate::layout::mark_hydrated();
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title text=move || t_string!(i18n, common.app_title)/>
        <Meta name="description" content=t_string!(use_i18n(), common.app_title)/>
        <Router>
            <Shell>
                <AppRoutes/>
            </Shell>
        </Router>
    }
}

/// Every page of the system (the server's routes, and the staff pages' browser bundle).
#[cfg(not(feature = "candidate"))]
#[component]
fn AppRoutes() -> impl IntoView {
    use crate::{
        admin::{AccountsPage, AgenciesPage},
        audit::AuditLogPage,
        auth::{LoginPage, MyAccountPage},
        bank::{BankPage, ImportPage, NewQuestionPage, QuestionPage},
        batches::{BatchPage, BatchesPage, RosterPage, TicketsPage},
        home::HomePage,
        layout::NotFoundPage,
        meetings::{MeetingPage, MeetingsPage},
        papers::{AppealPage, PapersPage},
        plans::{PlanPage, PlansPage},
        proctor::{ProctorConsolePage, ProctorRoomsPage, RoomRecordPage},
        results::{
            MyResultPage, NoticesPage, ResultListPage, ResultsPage, ScoreReviewPage,
            StatisticsPage, VerifyPage,
        },
    };
    view! {
        <Routes fallback=|| view! { <NotFoundPage/> }>
            <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
            <Route path=path!("/account") view=MyAccountPage ssr=SsrMode::Async/>
            <Route path=path!("/admin/agencies") view=AgenciesPage ssr=SsrMode::Async/>
            <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async/>
            <Route path=path!("/admin/audit") view=AuditLogPage ssr=SsrMode::Async/>
            <Route path=path!("/plans") view=PlansPage ssr=SsrMode::Async/>
            <Route path=path!("/plans/:id") view=PlanPage ssr=SsrMode::Async/>
            <Route path=path!("/meetings") view=MeetingsPage ssr=SsrMode::Async/>
            <Route path=path!("/meetings/:id") view=MeetingPage ssr=SsrMode::Async/>
            <Route path=path!("/batches") view=BatchesPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id") view=BatchPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/tickets") view=TicketsPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/roster") view=RosterPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/papers") view=PapersPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/appeal") view=AppealPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/results") view=ResultsPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/results/list") view=ResultListPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/results/notices") view=NoticesPage ssr=SsrMode::Async/>
            <Route path=path!("/batches/:id/results/score-review/:review") view=ScoreReviewPage ssr=SsrMode::Async/>
            <Route path=path!("/results/statistics") view=StatisticsPage ssr=SsrMode::Async/>
            <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
            <Route path=path!("/verify/:code") view=VerifyPage ssr=SsrMode::Async/>
            <Route path=path!("/result") view=MyResultPage ssr=SsrMode::Async/>
            <Route path=path!("/exam") view=ExamPage ssr=SsrMode::Async/>
            <Route path=path!("/exam/login") view=CandidateLoginPage ssr=SsrMode::Async/>
            <Route path=path!("/proctor") view=ProctorRoomsPage ssr=SsrMode::Async/>
            <Route path=path!("/proctor/:session/:room") view=ProctorConsolePage ssr=SsrMode::Async/>
            <Route path=path!("/proctor/:session/:room/record") view=RoomRecordPage ssr=SsrMode::Async/>
            <Route path=path!("/bank") view=BankPage ssr=SsrMode::Async/>
            <Route path=path!("/bank/new") view=NewQuestionPage ssr=SsrMode::Async/>
            <Route path=path!("/bank/import") view=ImportPage ssr=SsrMode::Async/>
            <Route path=path!("/bank/:id") view=QuestionPage ssr=SsrMode::Async/>
        </Routes>
    }
}

/// The candidate's pages only: the bundle candidates download holds none of the staff pages.
/// A link to any other page loads that page from the server (with the full bundle).
#[cfg(feature = "candidate")]
#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| view! { <crate::layout::LoadFromServer/> }>
            <Route path=path!("/exam") view=ExamPage ssr=SsrMode::Async/>
            <Route path=path!("/exam/login") view=CandidateLoginPage ssr=SsrMode::Async/>
        </Routes>
    }
}
