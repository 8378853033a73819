//! `/admin/agencies` and `/admin/accounts`.

use leptos::prelude::*;

use super::{
    AccountFilter, AccountList, AgencyInput, AgencyRow, CreateAccount, NewAccount, ResetPassword,
    SaveAgency, SetAccountActive, list_accounts, list_agencies,
};
use crate::i18n::{t_string, use_i18n};
use crate::locale::role_name;
use crate::{
    error::AppError,
    layout::{ActionError, Badge, ErrorNotice, Pager, RequireRole, confirmed},
    roles::Role,
};

/// The agencies page. Office admin only.
#[component]
pub fn AgenciesPage() -> impl IntoView {
    let save = ServerAction::<SaveAgency>::new();
    let agencies = Resource::new(move || save.version().get(), |_| list_agencies());
    view! {
        <RequireRole roles=&[Role::OfficeAdmin]>
            <Agencies save agencies/>
        </RequireRole>
    }
}

#[component]
fn Agencies(
    save: ServerAction<SaveAgency>,
    agencies: Resource<Result<Vec<AgencyRow>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = RwSignal::new(AgencyInput {
        active: true,
        ..Default::default()
    });
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let edit = move |a: AgencyRow| {
        form.set(AgencyInput {
            id: Some(a.id),
            ..Default::default()
        });
        name.set(a.name);
        code.set(a.code);
        field.set(a.field.unwrap_or_default());
        active.set(a.active);
    };
    let reset = move || {
        form.set(AgencyInput::default());
        name.set(String::new());
        code.set(String::new());
        field.set(String::new());
        active.set(true);
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            reset();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveAgency {
            input: AgencyInput {
                id: form.get_untracked().id,
                name: name.get_untracked(),
                code: code.get_untracked(),
                field: field.get_untracked(),
                active: active.get_untracked(),
            },
        });
    };
    let editing = move || form.get().id.is_some();
    view! {
        <section class="page-head"><h1>{move || t_string!(i18n, admin.agencies_title)}</h1></section>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match agencies.await {
                            Ok(rows) if rows.is_empty() => view! {
                                <p class="muted">{move || t_string!(i18n, admin.agencies_empty)}</p>
                            }.into_any(),
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{move || t_string!(i18n, admin.agency_name)}</th>
                                        <th scope="col">{move || t_string!(i18n, admin.agency_code)}</th>
                                        <th scope="col">{move || t_string!(i18n, admin.agency_field)}</th>
                                        <th scope="col">{move || t_string!(i18n, admin.agency_members)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.status)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.actions)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|a| {
                                            let row = a.clone();
                                            view! {
                                                <tr>
                                                    <td>{a.name}</td>
                                                    <td class="mono">{a.code}</td>
                                                    <td>{a.field.unwrap_or_default()}</td>
                                                    <td class="num">{a.accounts}</td>
                                                    <td><StatusBadge active=a.active/></td>
                                                    <td>
                                                        <button type="button" class="link-button"
                                                            on:click=move |_| edit(row.clone())>
                                                            {move || t_string!(i18n, admin.edit)}
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="card">
                <h2>{move || if editing() { t_string!(i18n, admin.agency_edit) } else { t_string!(i18n, admin.agency_new) }}</h2>
                <form on:submit=submit>
                    <label for="agency-name">{move || t_string!(i18n, admin.agency_name)}</label>
                    <input id="agency-name" type="text" required bind:value=name/>
                    <label for="agency-code">{move || t_string!(i18n, admin.agency_code)}</label>
                    <input id="agency-code" type="text" required bind:value=code/>
                    <label for="agency-field">{move || t_string!(i18n, admin.agency_field)}</label>
                    <input id="agency-field" type="text" bind:value=field/>
                    <Show when=editing>
                        <label class="check">
                            <input type="checkbox" bind:checked=active/>
                            {move || t_string!(i18n, common.active)}
                        </label>
                    </Show>
                    <ActionError value=move || save.value().get()/>
                    <div class="form-actions">
                        <button type="submit" class="primary" disabled=move || save.pending().get()>
                            {move || if editing() { t_string!(i18n, admin.save) } else { t_string!(i18n, common.create) }}
                        </button>
                        <Show when=editing>
                            <button type="button" on:click=move |_| reset()>{move || t_string!(i18n, admin.cancel)}</button>
                        </Show>
                    </div>
                </form>
            </section>
        </div>
    }
}

#[component]
fn StatusBadge(active: bool) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        if active {
            view! { <Badge kind="ok" label=t_string!(i18n, common.active)/> }
        } else {
            view! { <Badge kind="muted" label=t_string!(i18n, admin.disabled)/> }
        }
    }
}

/// The filters, resources and actions of the accounts page.
#[derive(Clone, Copy)]
struct AccountsData {
    create: ServerAction<CreateAccount>,
    set_active: ServerAction<SetAccountActive>,
    reset: ServerAction<ResetPassword>,
    agencies: Resource<Result<Vec<AgencyRow>, AppError>>,
    filter_role: RwSignal<String>,
    filter_agency: RwSignal<String>,
    filter_text: RwSignal<String>,
    page: RwSignal<u64>,
    accounts: Resource<Result<AccountList, AppError>>,
}

impl AccountsData {
    fn new() -> Self {
        let create = ServerAction::<CreateAccount>::new();
        let set_active = ServerAction::<SetAccountActive>::new();
        let reset = ServerAction::<ResetPassword>::new();
        let filter_role = RwSignal::new(String::new());
        let filter_agency = RwSignal::new(String::new());
        let filter_text = RwSignal::new(String::new());
        let page = RwSignal::new(0u64);
        let filter = move || AccountFilter {
            role: Role::parse(&filter_role.get()),
            agency_id: filter_agency.get().parse().ok(),
            text: filter_text.get(),
            page: page.get(),
        };
        AccountsData {
            create,
            set_active,
            reset,
            agencies: Resource::new(|| (), |_| list_agencies()),
            filter_role,
            filter_agency,
            filter_text,
            page,
            accounts: Resource::new(
                move || {
                    (
                        filter(),
                        create.version().get(),
                        set_active.version().get(),
                        reset.version().get(),
                    )
                },
                |(f, ..)| list_accounts(f),
            ),
        }
    }
}

/// The accounts page. Office admin only.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let data = AccountsData::new();
    view! {
        <RequireRole roles=&[Role::OfficeAdmin]>
            <Accounts data/>
        </RequireRole>
    }
}

#[component]
fn Accounts(data: AccountsData) -> impl IntoView {
    let i18n = use_i18n();
    let AccountsData {
        create,
        set_active,
        reset,
        agencies,
        filter_role,
        filter_agency,
        filter_text,
        page,
        accounts,
    } = data;

    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::AgencyOfficer.as_str().to_owned());
    let agency = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            username.set(String::new());
            display_name.set(String::new());
            password.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateAccount {
            input: NewAccount {
                username: username.get_untracked(),
                display_name: display_name.get_untracked(),
                role: Role::parse(&role.get_untracked()).unwrap_or(Role::Candidate),
                agency_id: agency.get_untracked().parse().ok(),
                password: password.get_untracked(),
            },
        });
    };

    let agency_options = move |selected: RwSignal<String>| {
        Suspend::new(async move {
            agencies
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|a| {
                    let id = a.id.to_string();
                    let sel = id.clone();
                    view! { <option value=id selected=move || selected.get() == sel>{a.name}</option> }
                })
                .collect_view()
        })
    };
    let role_options = move |selected: RwSignal<String>| {
        Role::ALL
            .into_iter()
            .map(|r| {
                view! {
                    <option value=r.as_str() selected=move || selected.get() == r.as_str()>
                        {move || role_name(i18n.get_locale(), r)}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <section class="page-head"><h1>{move || t_string!(i18n, admin.accounts_title)}</h1></section>
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label>
                {move || t_string!(i18n, admin.filter_role)}
                <select on:change=move |ev| { filter_role.set(event_target_value(&ev)); page.set(0); }>
                    <option value="">{move || t_string!(i18n, common.all)}</option>
                    {role_options(filter_role)}
                </select>
            </label>
            <label>
                {move || t_string!(i18n, admin.filter_agency)}
                <select on:change=move |ev| { filter_agency.set(event_target_value(&ev)); page.set(0); }>
                    <option value="">{move || t_string!(i18n, common.all)}</option>
                    <Suspense>{agency_options(filter_agency)}</Suspense>
                </select>
            </label>
            <label>
                {move || t_string!(i18n, common.filter_text)}
                <input type="search" bind:value=filter_text on:input=move |_| page.set(0)/>
            </label>
        </form>
        {move || reset.value().get().and_then(Result::ok).map(|pw| view! {
            <div class="notice notice-ok" role="status">
                {move || t_string!(i18n, admin.new_password_once)}" "<code data-testid="new-password">{pw.clone()}</code>
            </div>
        })}
        <ActionError value=move || reset.value().get()/>
        <ActionError value=move || set_active.value().get()/>
        <div class="grid grid-wide">
            <section class="card">
                <Transition fallback=|| view! { <p class="muted">{move || t_string!(use_i18n(), common.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match accounts.await {
                            Ok(list) if list.rows.is_empty() => view! {
                                <p class="muted">{move || t_string!(i18n, admin.accounts_empty)}</p>
                            }.into_any(),
                            Ok(list) => view! {
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{move || t_string!(i18n, common.username)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.display_name)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.role)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.agency)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.status)}</th>
                                        <th scope="col">{move || t_string!(i18n, common.actions)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.rows.into_iter().map(|a| {
                                            let id = a.id;
                                            let is_active = a.active;
                                            let role = a.role;
                                            view! {
                                                <tr>
                                                    <td class="mono">{a.username}</td>
                                                    <td>{a.display_name}</td>
                                                    <td>{move || role_name(i18n.get_locale(), role)}</td>
                                                    <td>{a.agency.map(|g| g.name).unwrap_or_default()}</td>
                                                    <td><StatusBadge active=a.active/></td>
                                                    <td class="row-actions">
                                                        <button type="button" class="link-button"
                                                            on:click=move |_| {
                                                                if !is_active || confirmed(t_string!(i18n, admin.confirm_disable)) {
                                                                    set_active.dispatch(SetAccountActive { id, active: !is_active });
                                                                }
                                                            }>
                                                            {move || if is_active { t_string!(i18n, admin.disable) } else { t_string!(i18n, admin.enable) }}
                                                        </button>
                                                        <button type="button" class="link-button danger"
                                                            on:click=move |_| {
                                                                if confirmed(t_string!(i18n, admin.confirm_reset)) {
                                                                    reset.dispatch(ResetPassword { id });
                                                                }
                                                            }>
                                                            {move || t_string!(i18n, admin.reset_password)}
                                                        </button>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <Pager page=page total=list.total per_page=list.per_page/>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            <section class="card">
                <h2>{move || t_string!(i18n, admin.account_new)}</h2>
                <form on:submit=submit>
                    <label for="acc-username">{move || t_string!(i18n, common.username)}</label>
                    <input id="acc-username" type="text" required bind:value=username/>
                    <label for="acc-name">{move || t_string!(i18n, common.display_name)}</label>
                    <input id="acc-name" type="text" required bind:value=display_name/>
                    <label for="acc-role">{move || t_string!(i18n, common.role)}</label>
                    <select id="acc-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {role_options(role)}
                    </select>
                    <label for="acc-agency">{move || t_string!(i18n, common.agency)}</label>
                    <select id="acc-agency" on:change=move |ev| agency.set(event_target_value(&ev))>
                        <option value="">{move || t_string!(i18n, admin.none)}</option>
                        <Suspense>{agency_options(agency)}</Suspense>
                    </select>
                    <label for="acc-password">{move || t_string!(i18n, admin.initial_password)}</label>
                    <input id="acc-password" type="text" autocomplete="off" bind:value=password
                        aria-describedby="acc-pw-hint"/>
                    <p id="acc-pw-hint" class="hint">{move || t_string!(i18n, admin.initial_password_hint)}</p>
                    <ActionError value=move || create.value().get()/>
                    {move || create.value().get().and_then(Result::ok).and_then(|c| c.password).map(|pw| view! {
                        <div class="notice notice-ok" role="status">
                            {move || t_string!(i18n, admin.new_password_once)}" "<code data-testid="created-password">{pw.clone()}</code>
                        </div>
                    })}
                    <button type="submit" class="primary" disabled=move || create.pending().get()>
                        {move || t_string!(i18n, common.create)}
                    </button>
                </form>
            </section>
        </div>
    }
}
