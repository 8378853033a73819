//! The locale files pass the check `build.rs` runs, and the check fails — naming the file and
//! the key — on deliberately broken copies: a key missing in one locale, a misspelt parameter,
//! a key only one locale has, an empty string.

#[path = "../build/locales.rs"]
mod locales;
#[path = "../build/pseudo.rs"]
mod pseudo;

use std::fs;
use std::path::{Path, PathBuf};

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// A copy of the locale files whose `locale/namespace.json` is changed by `edit`.
fn broken_copy(
    locale: &str,
    namespace: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for l in locales::LOCALES {
        fs::create_dir_all(dir.path().join(l)).expect("locale dir");
        for entry in fs::read_dir(source().join(l))
            .expect("locale files")
            .flatten()
        {
            fs::copy(entry.path(), dir.path().join(l).join(entry.file_name())).expect("copy");
        }
    }
    let path = dir.path().join(locale).join(format!("{namespace}.json"));
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
    edit(value.as_object_mut().expect("object"));
    fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    dir
}

#[test]
fn the_locale_files_are_complete_and_consistent() {
    assert_eq!(locales::check(&source()), Vec::<String>::new());
}

#[test]
fn a_key_missing_in_english_fails_naming_file_and_key() {
    let dir = broken_copy("en", "common", |m| {
        m.remove("app_title");
    });
    assert_eq!(
        locales::check(dir.path()),
        vec!["en/common.json: missing key \"app_title\"".to_owned()]
    );
}

#[test]
fn a_misspelt_parameter_fails() {
    let dir = broken_copy("en", "errors", |m| {
        m.insert(
            "err_too_many".into(),
            "Too many attempts; try again in {{ sec }} seconds.".into(),
        );
    });
    let problems = locales::check(dir.path());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("en/errors.json: \"err_too_many\" has parameters {\"sec\"}"),
        "{problems:?}"
    );
}

#[test]
fn a_key_only_one_locale_has_and_an_empty_string_fail() {
    let dir = broken_copy("en", "home", |m| {
        m.insert("only_in_english".into(), "Hello".into());
        m.insert("home_welcome".into(), "".into());
    });
    let problems = locales::check(dir.path());
    assert!(
        problems.contains(&"en/home.json: \"home_welcome\" is empty".to_owned()),
        "{problems:?}"
    );
    assert!(
        problems
            .contains(&"en/home.json: key \"only_in_english\" is not in zh/home.json".to_owned()),
        "{problems:?}"
    );
}

#[test]
fn the_pseudo_locale_wraps_lengthens_and_keeps_parameters() {
    let p = pseudo::pseudo("Welcome, {{ name }}");
    assert!(
        p.starts_with("⟦Welcome, {{ name }}") && p.ends_with('⟧'),
        "{p}"
    );
    assert!(p.chars().count() >= "Welcome, {{ name }}".chars().count() * 13 / 10);
    let out = tempfile::tempdir().expect("temp dir");
    locales::write_pseudo(&source(), out.path()).expect("pseudo files");
    let qps = locales::read_locale(out.path(), locales::PSEUDO_LOCALE).expect("qps");
    let en = locales::read_locale(&source(), "en").expect("en");
    assert_eq!(
        qps.keys().collect::<Vec<_>>(),
        en.keys().collect::<Vec<_>>()
    );
    for (namespace, keys) in &en {
        for (key, value) in keys {
            let wrapped = &qps[namespace][key];
            assert!(
                wrapped.starts_with('⟦') && wrapped.ends_with('⟧'),
                "{namespace}.{key}"
            );
            assert_eq!(locales::parameters(wrapped), locales::parameters(value));
        }
    }
}
