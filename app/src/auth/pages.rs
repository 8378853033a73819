//! The sign-in page and the account page (change password).

use leptos::prelude::*;

use super::{ChangePassword, Login};
use crate::{
    i18n::use_i18n,
    layout::{ActionError, RequireRole, reload_at},
    roles::Role,
};

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            reload_at("/");
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch(Login {
            username: username.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <section class="card narrow login">
            <h1>{move || i18n.t().login_title}</h1>
            <p class="muted">{move || i18n.t().login_intro}</p>
            <form on:submit=submit>
                <label for="username">{move || i18n.t().username}</label>
                <input id="username" name="username" type="text" autocomplete="username"
                    required bind:value=username/>
                <label for="password">{move || i18n.t().password}</label>
                <input id="password" name="password" type="password"
                    autocomplete="current-password" required bind:value=password/>
                <ActionError value=move || login.value().get()/>
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { i18n.t().signing_in } else { i18n.t().sign_in }}
                </button>
            </form>
            <p class="muted small">{move || i18n.t().login_notice}</p>
            <p><leptos_router::components::A href="/exam/login">{crate::i18n::tr("考生请使用准考证登录", "Candidates: sign in with your admission ticket")}</leptos_router::components::A></p>
        </section>
    }
}

/// `/account`: the caller's own account.
#[component]
pub fn MyAccountPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    view! {
        <RequireRole roles=&Role::ALL>
            <ChangePasswordForm action/>
        </RequireRole>
    }
}

#[component]
fn ChangePasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let differ = move || !repeat.get().is_empty() && repeat.get() != new_password.get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if differ() {
            return;
        }
        action.dispatch(ChangePassword {
            current: current.get_untracked(),
            new_password: new_password.get_untracked(),
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            current.set(String::new());
            new_password.set(String::new());
            repeat.set(String::new());
        }
    });
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t().my_account_title}</h1>
            <h2>{move || i18n.t().change_password}</h2>
            <form on:submit=submit>
                <label for="current">{move || i18n.t().current_password}</label>
                <input id="current" type="password" autocomplete="current-password" required
                    bind:value=current/>
                <label for="new_password">{move || i18n.t().new_password}</label>
                <input id="new_password" type="password" autocomplete="new-password" required
                    aria-describedby="pw-rules" bind:value=new_password/>
                <p id="pw-rules" class="hint">{move || i18n.t().password_rules}</p>
                <label for="repeat">{move || i18n.t().new_password_repeat}</label>
                <input id="repeat" type="password" autocomplete="new-password" required
                    bind:value=repeat aria-invalid=move || differ().to_string()/>
                <Show when=differ>
                    <p class="field-error" role="alert">{move || i18n.t().passwords_differ}</p>
                </Show>
                <ActionError value=move || action.value().get()/>
                <Show when=move || matches!(action.value().get(), Some(Ok(())))>
                    <div class="notice notice-ok" role="status">{move || i18n.t().password_changed}</div>
                </Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || i18n.t().change_password}
                </button>
            </form>
        </section>
    }
}
