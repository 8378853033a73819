//! The sign-in page and the account page (change password).

use leptos::prelude::*;

use super::{ChangePassword, Login};
use crate::i18n::{t_string, use_i18n};
use crate::{
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
            <h1>{move || t_string!(i18n, auth.login_title)}</h1>
            <p class="muted">{move || t_string!(i18n, auth.login_intro)}</p>
            <form on:submit=submit>
                <label for="username">{move || t_string!(i18n, common.username)}</label>
                <input id="username" name="username" type="text" autocomplete="username"
                    required bind:value=username/>
                <label for="password">{move || t_string!(i18n, common.password)}</label>
                <input id="password" name="password" type="password"
                    autocomplete="current-password" required bind:value=password/>
                <ActionError value=move || login.value().get()/>
                <button type="submit" class="primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { t_string!(i18n, auth.signing_in) } else { t_string!(i18n, common.sign_in) }}
                </button>
            </form>
            <p class="muted small">{move || t_string!(i18n, auth.login_notice)}</p>
            <p><leptos_router::components::A href="/exam/login">{crate::text!(auth.candidates_sign_in_with_your_admission)}</leptos_router::components::A></p>
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
            <h1>{move || t_string!(i18n, auth.my_account_title)}</h1>
            <h2>{move || t_string!(i18n, common.change_password)}</h2>
            <form on:submit=submit>
                <label for="current">{move || t_string!(i18n, auth.current_password)}</label>
                <input id="current" type="password" autocomplete="current-password" required
                    bind:value=current/>
                <label for="new_password">{move || t_string!(i18n, auth.new_password)}</label>
                <input id="new_password" type="password" autocomplete="new-password" required
                    aria-describedby="pw-rules" bind:value=new_password/>
                <p id="pw-rules" class="hint">{move || t_string!(i18n, auth.password_rules)}</p>
                <label for="repeat">{move || t_string!(i18n, auth.new_password_repeat)}</label>
                <input id="repeat" type="password" autocomplete="new-password" required
                    bind:value=repeat aria-invalid=move || differ().to_string()/>
                <Show when=differ>
                    <p class="field-error" role="alert">{move || t_string!(i18n, auth.passwords_differ)}</p>
                </Show>
                <ActionError value=move || action.value().get()/>
                <Show when=move || matches!(action.value().get(), Some(Ok(())))>
                    <div class="notice notice-ok" role="status">{move || t_string!(i18n, auth.password_changed)}</div>
                </Show>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {move || t_string!(i18n, common.change_password)}
                </button>
            </form>
        </section>
    }
}
