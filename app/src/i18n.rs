//! Interface languages: Simplified Chinese (default) and English.
//!
//! A typed dictionary: [`Dict`] has one field per visible string, and [`ZH`] and [`EN`] must each
//! fill every field, so a missing translation is a compile error. The chosen locale lives in the
//! `lang` cookie, read on the server for rendering and in the browser for hydration, so both
//! render the same text.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::roles::Role;

/// The cookie that holds the chosen interface language.
pub const LANG_COOKIE: &str = "lang";

/// An interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Locale {
    /// The code stored in the cookie and used in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses a cookie value; unknown values fall back to Chinese.
    pub fn from_code(code: &str) -> Locale {
        if code.eq_ignore_ascii_case("en") {
            Locale::En
        } else {
            Locale::Zh
        }
    }

    /// Finds the locale in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .map(|(_, v)| Locale::from_code(v))
            .unwrap_or_default()
    }

    /// The other language (for the switch).
    pub fn other(self) -> Locale {
        match self {
            Locale::Zh => Locale::En,
            Locale::En => Locale::Zh,
        }
    }
}

/// The reactive interface language of the current page.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current locale (tracked).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The dictionary of the current locale (tracked).
    pub fn t(&self) -> &'static Dict {
        dict(self.locale.get())
    }

    /// Switches the language: remembers the choice in the cookie and reloads the page, so the
    /// server renders every part of it — including parts still loading — in the new language.
    pub fn set(&self, locale: Locale) {
        self.locale.set(locale);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let window = web_sys::window();
            if let Some(doc) = window
                .as_ref()
                .and_then(|w| w.document())
                .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            {
                let _ = doc.set_cookie(&format!(
                    "{LANG_COOKIE}={}; path=/; max-age=31536000; SameSite=Lax",
                    if locale == Locale::En { "en" } else { "zh" }
                ));
            }
            if let Some(w) = window {
                let _ = w.location().reload();
            }
        }
    }
}

/// A string in both languages, picked by the current locale (tracked) — for pages whose few
/// strings live beside their markup.
pub fn tr(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let i18n = use_i18n();
    move || if i18n.locale() == Locale::En { en } else { zh }
}

/// Reads the locale of this request (server) or page (browser) and provides [`I18n`].
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        locale: RwSignal::new(initial_locale()),
    };
    provide_context(i18n);
    i18n
}

/// The [`I18n`] provided by the app.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n {
        locale: RwSignal::new(Locale::Zh),
    })
}

fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Locale::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .map(|c| Locale::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::Zh
    }
}

/// The dictionary of `locale`.
pub fn dict(locale: Locale) -> &'static Dict {
    match locale {
        Locale::Zh => &ZH,
        Locale::En => &EN,
    }
}

impl Dict {
    /// The name of a role.
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::OfficeAdmin => self.role_office_admin,
            Role::QuestionAuthor => self.role_question_author,
            Role::CommitteeMember => self.role_committee_member,
            Role::AgencyOfficer => self.role_agency_officer,
            Role::Proctor => self.role_proctor,
            Role::Candidate => self.role_candidate,
        }
    }

    /// What a role does here, shown on its home page.
    pub fn role_duty(&self, role: Role) -> &'static str {
        match role {
            Role::OfficeAdmin => self.duty_office_admin,
            Role::QuestionAuthor => self.duty_question_author,
            Role::CommitteeMember => self.duty_committee_member,
            Role::AgencyOfficer => self.duty_agency_officer,
            Role::Proctor => self.duty_proctor,
            Role::Candidate => self.duty_candidate,
        }
    }

    /// The label of an audit action code; unknown codes are shown as they are.
    pub fn audit_action(&self, code: &str) -> String {
        let label = match code {
            "auth.login" => self.act_login,
            "auth.logout" => self.act_logout,
            "auth.change_password" => self.act_change_password,
            "account.create" => self.act_account_create,
            "account.update" => self.act_account_update,
            "account.disable" => self.act_account_disable,
            "account.enable" => self.act_account_enable,
            "account.reset_password" => self.act_account_reset,
            "agency.create" => self.act_agency_create,
            "agency.update" => self.act_agency_update,
            "system.bootstrap" => self.act_bootstrap,
            "system.demo_data" => self.act_demo,
            "batch.print_tickets" => self.act_batch_print_tickets,
            "batch.reschedule" => self.act_batch_reschedule,
            "batch.schedule" => self.act_batch_schedule,
            "batch.add_room" => self.act_batch_add_room,
            "batch.add_session" => self.act_batch_add_session,
            "batch.include_plan" => self.act_batch_include_plan,
            "batch.create" => self.act_batch_create,
            "meeting.close" => self.act_meeting_close,
            "meeting.vote" => self.act_meeting_vote,
            "meeting.attendance" => self.act_meeting_attendance,
            "meeting.agenda_add" => self.act_meeting_agenda_add,
            "meeting.create" => self.act_meeting_create,
            "plan.revise" => self.act_plan_revise,
            "plan.withdraw" => self.act_plan_withdraw,
            "plan.submit" => self.act_plan_submit,
            "plan.candidates.remove" => self.act_plan_candidates_remove,
            "plan.candidates.add" => self.act_plan_candidates_add,
            "plan.create" => self.act_plan_create,
            "bank.import" => self.act_bank_import,
            "bank.restore" => self.act_bank_restore,
            "bank.retire" => self.act_bank_retire,
            "bank.revise" => self.act_bank_revise,
            "bank.create" => self.act_bank_create,
            _ => return code.to_owned(),
        };
        label.to_owned()
    }
}

/// Every visible string of the interface.
pub struct Dict {
    pub app_title: &'static str,
    pub office_name: &'static str,
    pub switch_language: &'static str,
    pub skip_to_content: &'static str,
    pub loading: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub confirm: &'static str,
    pub create: &'static str,
    pub edit: &'static str,
    pub actions: &'static str,
    pub status: &'static str,
    pub active: &'static str,
    pub disabled: &'static str,
    pub enable: &'static str,
    pub disable: &'static str,
    pub search: &'static str,
    pub all: &'static str,
    pub none: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page_of: &'static str,
    pub saved: &'static str,

    pub nav_home: &'static str,
    pub nav_agencies: &'static str,
    pub nav_accounts: &'static str,
    pub nav_audit: &'static str,
    pub nav_bank: &'static str,
    pub nav_plans: &'static str,
    pub nav_batches: &'static str,
    pub nav_meetings: &'static str,
    pub nav_my_account: &'static str,
    pub nav_exam: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,

    pub role_office_admin: &'static str,
    pub role_question_author: &'static str,
    pub role_committee_member: &'static str,
    pub role_agency_officer: &'static str,
    pub role_proctor: &'static str,
    pub role_candidate: &'static str,
    pub duty_office_admin: &'static str,
    pub duty_question_author: &'static str,
    pub duty_committee_member: &'static str,
    pub duty_agency_officer: &'static str,
    pub duty_proctor: &'static str,
    pub duty_candidate: &'static str,

    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub login_notice: &'static str,

    pub home_welcome: &'static str,
    pub home_your_role: &'static str,
    pub home_waiting: &'static str,
    pub home_nothing_waiting: &'static str,
    pub home_must_change_password: &'static str,
    pub home_agency: &'static str,
    pub home_summary: &'static str,
    pub home_agencies_count: &'static str,
    pub home_accounts_count: &'static str,
    pub home_accounts_disabled: &'static str,
    pub home_audit_chain: &'static str,
    pub home_recent_activity: &'static str,
    pub home_bank_title: &'static str,
    pub home_bank_active: &'static str,
    pub home_bank_retired: &'static str,
    pub mark_read: &'static str,
    pub procedure_steps: [&'static str; 5],

    pub agencies_title: &'static str,
    pub agency_name: &'static str,
    pub agency_code: &'static str,
    pub agency_field: &'static str,
    pub agency_new: &'static str,
    pub agency_edit: &'static str,
    pub agency_members: &'static str,
    pub agencies_empty: &'static str,

    pub accounts_title: &'static str,
    pub account_new: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub agency: &'static str,
    pub initial_password: &'static str,
    pub initial_password_hint: &'static str,
    pub reset_password: &'static str,
    pub confirm_disable: &'static str,
    pub confirm_reset: &'static str,
    pub new_password_once: &'static str,
    pub accounts_empty: &'static str,
    pub filter_role: &'static str,
    pub filter_agency: &'static str,
    pub filter_text: &'static str,
    pub created_at: &'static str,

    pub audit_title: &'static str,
    pub audit_seq: &'static str,
    pub audit_time: &'static str,
    pub audit_actor: &'static str,
    pub audit_action: &'static str,
    pub audit_target: &'static str,
    pub audit_detail: &'static str,
    pub audit_verify: &'static str,
    pub audit_intact: &'static str,
    pub audit_broken: &'static str,
    pub audit_empty: &'static str,

    pub my_account_title: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub new_password_repeat: &'static str,
    pub change_password: &'static str,
    pub password_changed: &'static str,
    pub password_rules: &'static str,
    pub passwords_differ: &'static str,

    pub err_unauthorized: &'static str,
    pub err_bad_credentials: &'static str,
    pub err_account_disabled: &'static str,
    pub err_too_many: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_bad_request: &'static str,
    pub err_bad_request_field: &'static str,
    pub err_too_large: &'static str,
    pub err_internal: &'static str,
    pub err_transport: &'static str,
    pub page_not_found_title: &'static str,
    pub page_not_found_body: &'static str,
    pub page_forbidden_title: &'static str,
    pub page_forbidden_body: &'static str,
    pub page_error_title: &'static str,
    pub back_home: &'static str,

    pub act_login: &'static str,
    pub act_logout: &'static str,
    pub act_change_password: &'static str,
    pub act_account_create: &'static str,
    pub act_account_update: &'static str,
    pub act_account_disable: &'static str,
    pub act_account_enable: &'static str,
    pub act_account_reset: &'static str,
    pub act_agency_create: &'static str,
    pub act_agency_update: &'static str,
    pub act_bootstrap: &'static str,
    pub act_demo: &'static str,
    pub act_batch_print_tickets: &'static str,
    pub act_batch_reschedule: &'static str,
    pub act_batch_schedule: &'static str,
    pub act_batch_add_room: &'static str,
    pub act_batch_add_session: &'static str,
    pub act_batch_include_plan: &'static str,
    pub act_batch_create: &'static str,
    pub act_meeting_close: &'static str,
    pub act_meeting_vote: &'static str,
    pub act_meeting_attendance: &'static str,
    pub act_meeting_agenda_add: &'static str,
    pub act_meeting_create: &'static str,
    pub act_plan_revise: &'static str,
    pub act_plan_withdraw: &'static str,
    pub act_plan_submit: &'static str,
    pub act_plan_candidates_remove: &'static str,
    pub act_plan_candidates_add: &'static str,
    pub act_plan_create: &'static str,
    pub act_bank_import: &'static str,
    pub act_bank_restore: &'static str,
    pub act_bank_retire: &'static str,
    pub act_bank_revise: &'static str,
    pub act_bank_create: &'static str,
}

/// 简体中文.
pub static ZH: Dict = Dict {
    app_title: "行政执法资格考试系统",
    office_name: "政府法制机构",
    switch_language: "English",
    skip_to_content: "跳到正文",
    loading: "正在加载…",
    save: "保存",
    cancel: "取消",
    confirm: "确定",
    create: "新建",
    edit: "编辑",
    actions: "操作",
    status: "状态",
    active: "启用",
    disabled: "已停用",
    enable: "启用",
    disable: "停用",
    search: "查询",
    all: "全部",
    none: "无",
    previous_page: "上一页",
    next_page: "下一页",
    page_of: "第 {page} 页,共 {pages} 页({total} 条)",
    saved: "已保存",

    nav_home: "首页",
    nav_agencies: "执法机关",
    nav_accounts: "账号管理",
    nav_audit: "审计日志",
    nav_bank: "题库",
    nav_plans: "考试计划",
    nav_batches: "考试批次",
    nav_exam: "我的考试",
    nav_meetings: "审核会议",
    nav_my_account: "我的账号",
    sign_out: "退出登录",
    signed_in_as: "当前用户",

    role_office_admin: "法制机构管理员",
    role_question_author: "题库管理员",
    role_committee_member: "审核委员",
    role_agency_officer: "执法机关经办人",
    role_proctor: "监考员",
    role_candidate: "考生",
    duty_office_admin: "管理执法机关、账号、审核委员会、考试批次与考场;审核并发布考试成绩。",
    duty_question_author: "编写、导入、修订和停用试题,查看试题统计。",
    duty_committee_member: "参加审核会议,审阅议程上的考试计划并逐项表决。",
    duty_agency_officer: "为本机关申报考试计划、登记考生、打印准考证、查看本机关考生成绩。",
    duty_proctor: "在分配的考场签到考生、监看考场、处理延时与违纪。",
    duty_candidate: "凭准考证参加考试,查看本人已发布的成绩。",

    login_title: "登录",
    login_intro: "请使用法制机构分配的账号登录。",
    username: "用户名",
    password: "密码",
    sign_in: "登录",
    signing_in: "正在登录…",
    login_notice: "连续多次输入错误密码后,需等待一段时间才能再次尝试。",

    home_welcome: "您好,{name}",
    home_your_role: "您的角色",
    home_waiting: "待办事项",
    home_nothing_waiting: "目前没有需要您处理的事项。",
    home_must_change_password: "您的密码由管理员设置,请先修改密码。",
    home_agency: "所属机关",
    home_summary: "系统概况",
    home_agencies_count: "执法机关",
    home_accounts_count: "启用账号",
    home_accounts_disabled: "停用账号",
    home_audit_chain: "审计链",
    home_recent_activity: "最近操作",
    home_bank_title: "题库概况",
    home_bank_active: "在用试题",
    home_bank_retired: "已停用试题",
    mark_read: "标为已读",
    procedure_steps: [
        "申报考试计划",
        "集体讨论决定",
        "确定考试批次",
        "集中组织考试",
        "公布考试成绩",
    ],

    agencies_title: "执法机关管理",
    agency_name: "机关名称",
    agency_code: "机关代码",
    agency_field: "执法领域",
    agency_new: "新建执法机关",
    agency_edit: "编辑执法机关",
    agency_members: "账号数",
    agencies_empty: "还没有执法机关。",

    accounts_title: "账号管理",
    account_new: "新建账号",
    display_name: "姓名",
    role: "角色",
    agency: "执法机关",
    initial_password: "初始密码",
    initial_password_hint: "留空则由系统生成,创建后只显示一次。",
    reset_password: "重置密码",
    confirm_disable: "停用后该账号将立即退出登录且无法再登录。确定停用吗?",
    confirm_reset: "重置后原密码失效,该账号将立即退出登录。确定重置吗?",
    new_password_once: "新密码(只显示这一次,请转交本人):",
    accounts_empty: "没有符合条件的账号。",
    filter_role: "按角色",
    filter_agency: "按机关",
    filter_text: "用户名或姓名",
    created_at: "创建时间",

    audit_title: "审计日志",
    audit_seq: "序号",
    audit_time: "时间",
    audit_actor: "操作人",
    audit_action: "操作",
    audit_target: "对象",
    audit_detail: "详情",
    audit_verify: "校验审计链",
    audit_intact: "审计链完整:共 {n} 条记录,未发现篡改。",
    audit_broken: "审计链已被破坏:第 {seq} 条记录 {reason}。",
    audit_empty: "暂无审计记录。",

    my_account_title: "我的账号",
    current_password: "当前密码",
    new_password: "新密码",
    new_password_repeat: "再次输入新密码",
    change_password: "修改密码",
    password_changed: "密码已修改。",
    password_rules: "至少 10 个字符,且同时包含字母和数字。",
    passwords_differ: "两次输入的新密码不一致。",

    err_unauthorized: "请先登录,或登录已过期,请重新登录。",
    err_bad_credentials: "用户名或密码错误。",
    err_account_disabled: "该账号已停用,请联系法制机构管理员。",
    err_too_many: "尝试次数过多,请在 {secs} 秒后再试。",
    err_forbidden: "您没有执行此操作的权限。",
    err_not_found: "要找的记录不存在。",
    err_bad_request: "请求内容有误,请检查后重试。",
    err_bad_request_field: "请求内容有误:字段 {field} 缺失或格式不对,请检查后重试。",
    err_too_large: "提交的内容太大:本操作最多接受 {mb} MB。",
    err_internal: "系统出现错误,请稍后重试。如果问题持续,请联系管理员。",
    err_transport: "无法连接服务器,请检查网络后重试。",
    page_not_found_title: "页面不存在",
    page_not_found_body: "您访问的页面不存在或已被移除。",
    page_forbidden_title: "无权访问",
    page_forbidden_body: "您的角色不能访问此页面。",
    page_error_title: "系统错误",
    back_home: "返回首页",

    act_login: "登录",
    act_logout: "退出登录",
    act_change_password: "修改密码",
    act_account_create: "新建账号",
    act_account_update: "修改账号",
    act_account_disable: "停用账号",
    act_account_enable: "启用账号",
    act_account_reset: "重置密码",
    act_agency_create: "新建执法机关",
    act_agency_update: "修改执法机关",
    act_bootstrap: "系统初始化",
    act_demo: "载入演示数据",
    act_batch_print_tickets: "打印准考证",
    act_batch_reschedule: "重新编排",
    act_batch_schedule: "编排考场座位",
    act_batch_add_room: "增加考场",
    act_batch_add_session: "增加场次",
    act_batch_include_plan: "编入考试计划",
    act_batch_create: "新建考试批次",
    act_meeting_close: "结束会议并形成决议",
    act_meeting_vote: "表决",
    act_meeting_attendance: "记录出席",
    act_meeting_agenda_add: "列入议程",
    act_meeting_create: "召开审核会议",
    act_plan_revise: "修改退回的计划",
    act_plan_withdraw: "撤回考试计划",
    act_plan_submit: "申报考试计划",
    act_plan_candidates_remove: "移除考生",
    act_plan_candidates_add: "登记考生",
    act_plan_create: "新建考试计划",
    act_bank_import: "导入试题",
    act_bank_restore: "恢复试题",
    act_bank_retire: "停用试题",
    act_bank_revise: "修订试题",
    act_bank_create: "新建试题",
};

/// English.
pub static EN: Dict = Dict {
    app_title: "Enforcement Qualification Exam System",
    office_name: "Government Legal Affairs Office",
    switch_language: "中文",
    skip_to_content: "Skip to content",
    loading: "Loading…",
    save: "Save",
    cancel: "Cancel",
    confirm: "Confirm",
    create: "Create",
    edit: "Edit",
    actions: "Actions",
    status: "Status",
    active: "Active",
    disabled: "Disabled",
    enable: "Enable",
    disable: "Disable",
    search: "Search",
    all: "All",
    none: "None",
    previous_page: "Previous",
    next_page: "Next",
    page_of: "Page {page} of {pages} ({total} rows)",
    saved: "Saved",

    nav_home: "Home",
    nav_agencies: "Agencies",
    nav_accounts: "Accounts",
    nav_audit: "Audit log",
    nav_bank: "Question bank",
    nav_plans: "Exam plans",
    nav_batches: "Exam batches",
    nav_exam: "My exam",
    nav_meetings: "Review meetings",
    nav_my_account: "My account",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",

    role_office_admin: "Office admin",
    role_question_author: "Question author",
    role_committee_member: "Committee member",
    role_agency_officer: "Agency officer",
    role_proctor: "Proctor",
    role_candidate: "Candidate",
    duty_office_admin: "Manage agencies, accounts, the committee, exam batches and rooms; review and publish results.",
    duty_question_author: "Write, import, revise and retire questions; see item statistics.",
    duty_committee_member: "Attend review meetings, read the plans on the agenda and vote on each.",
    duty_agency_officer: "Declare your agency's exam plans, register candidates, print admission tickets and see your candidates' results.",
    duty_proctor: "Check candidates in at your rooms, watch the room, handle extensions and misconduct.",
    duty_candidate: "Sit the exam on your admission ticket and see your published result.",

    login_title: "Sign in",
    login_intro: "Sign in with the account the legal office gave you.",
    username: "User name",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    login_notice: "After repeated wrong passwords you must wait a while before trying again.",

    home_welcome: "Welcome, {name}",
    home_your_role: "Your role",
    home_waiting: "What waits for you",
    home_nothing_waiting: "Nothing waits for you right now.",
    home_must_change_password: "An administrator set your password: please change it first.",
    home_agency: "Agency",
    home_summary: "System overview",
    home_agencies_count: "Agencies",
    home_accounts_count: "Active accounts",
    home_accounts_disabled: "Disabled accounts",
    home_audit_chain: "Audit chain",
    home_recent_activity: "Recent activity",
    home_bank_title: "Question bank",
    home_bank_active: "Active questions",
    home_bank_retired: "Retired questions",
    mark_read: "Mark as read",
    procedure_steps: [
        "Plans declared",
        "Collective decision",
        "Batches fixed",
        "Central exam",
        "Results published",
    ],

    agencies_title: "Enforcement agencies",
    agency_name: "Agency name",
    agency_code: "Agency code",
    agency_field: "Enforcement field",
    agency_new: "New agency",
    agency_edit: "Edit agency",
    agency_members: "Accounts",
    agencies_empty: "No agencies yet.",

    accounts_title: "Accounts",
    account_new: "New account",
    display_name: "Full name",
    role: "Role",
    agency: "Agency",
    initial_password: "Initial password",
    initial_password_hint: "Leave empty to have one generated; it is shown once.",
    reset_password: "Reset password",
    confirm_disable: "The account will be signed out at once and cannot sign in again. Disable it?",
    confirm_reset: "The old password stops working and the account is signed out at once. Reset it?",
    new_password_once: "New password (shown only this once; hand it to the person):",
    accounts_empty: "No accounts match.",
    filter_role: "Role",
    filter_agency: "Agency",
    filter_text: "User name or full name",
    created_at: "Created",

    audit_title: "Audit log",
    audit_seq: "No.",
    audit_time: "Time",
    audit_actor: "By",
    audit_action: "Action",
    audit_target: "Object",
    audit_detail: "Details",
    audit_verify: "Verify the audit chain",
    audit_intact: "The audit chain is intact: {n} entries, no tampering found.",
    audit_broken: "The audit chain is broken: entry {seq} {reason}.",
    audit_empty: "No audit entries yet.",

    my_account_title: "My account",
    current_password: "Current password",
    new_password: "New password",
    new_password_repeat: "New password again",
    change_password: "Change password",
    password_changed: "Your password was changed.",
    password_rules: "At least 10 characters, with both letters and digits.",
    passwords_differ: "The two new passwords differ.",

    err_unauthorized: "Please sign in; your session may have expired.",
    err_bad_credentials: "Wrong user name or password.",
    err_account_disabled: "This account is disabled. Contact the legal office's administrator.",
    err_too_many: "Too many attempts. Try again in {secs} seconds.",
    err_forbidden: "You are not allowed to do this.",
    err_not_found: "The record does not exist.",
    err_bad_request: "The request could not be read. Check it and try again.",
    err_bad_request_field: "The request could not be read: field {field} is missing or malformed.",
    err_too_large: "The request is too large: this action accepts at most {mb} MB.",
    err_internal: "Something went wrong on the server. Try again later; if it persists, contact the administrator.",
    err_transport: "Cannot reach the server. Check the network and try again.",
    page_not_found_title: "Page not found",
    page_not_found_body: "The page you asked for does not exist or was removed.",
    page_forbidden_title: "Access denied",
    page_forbidden_body: "Your role cannot open this page.",
    page_error_title: "System error",
    back_home: "Back to the home page",

    act_login: "Sign in",
    act_logout: "Sign out",
    act_change_password: "Password changed",
    act_account_create: "Account created",
    act_account_update: "Account changed",
    act_account_disable: "Account disabled",
    act_account_enable: "Account enabled",
    act_account_reset: "Password reset",
    act_agency_create: "Agency created",
    act_agency_update: "Agency changed",
    act_bootstrap: "System initialised",
    act_demo: "Demo data loaded",
    act_batch_print_tickets: "Admission tickets printed",
    act_batch_reschedule: "Batch rescheduled",
    act_batch_schedule: "Batch scheduled",
    act_batch_add_room: "Room added",
    act_batch_add_session: "Session added",
    act_batch_include_plan: "Plan included in a batch",
    act_batch_create: "Batch created",
    act_meeting_close: "Meeting closed",
    act_meeting_vote: "Vote cast",
    act_meeting_attendance: "Attendance recorded",
    act_meeting_agenda_add: "Plan put on the agenda",
    act_meeting_create: "Meeting convened",
    act_plan_revise: "Returned plan revised",
    act_plan_withdraw: "Plan withdrawn",
    act_plan_submit: "Plan submitted",
    act_plan_candidates_remove: "Candidate removed",
    act_plan_candidates_add: "Candidates registered",
    act_plan_create: "Plan created",
    act_bank_import: "Questions imported",
    act_bank_restore: "Question restored",
    act_bank_retire: "Question retired",
    act_bank_revise: "Question revised",
    act_bank_create: "Question created",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lang_cookie_selects_english_and_anything_else_chinese() {
        assert_eq!(Locale::from_cookie_header("a=b; lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("lang=zh"), Locale::Zh);
        assert_eq!(Locale::from_cookie_header("lang=xx"), Locale::Zh);
        assert_eq!(Locale::from_cookie_header(""), Locale::Zh);
    }

    #[test]
    fn both_dictionaries_name_every_role_differently() {
        for role in Role::ALL {
            assert_ne!(ZH.role(role), EN.role(role));
        }
    }
}
