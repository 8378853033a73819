//! Checks the interface's locale files and derives the pseudo-locale from them (with
//! `pseudo.rs`, which the including crate declares beside this module).
//!
//! Shared by `build.rs` (a problem fails the build) and `tests/locales.rs` (which proves that on
//! deliberately broken copies). Layout: `<dir>/<locale>/<namespace>.json`, one JSON object per
//! namespace, values strings or objects of the same shape; `{{ name }}` marks a parameter.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::{Map, Value};

/// The locale every other locale is compared with.
pub const DEFAULT_LOCALE: &str = "zh";
/// The locales translators write, default first.
pub const LOCALES: [&str; 2] = ["zh", "en"];
/// The test-only pseudo-locale, derived from English by [`pseudo`].
pub const PSEUDO_LOCALE: &str = "qps";

/// One locale: namespace → flattened key → string.
pub type Strings = BTreeMap<String, BTreeMap<String, String>>;

/// Reads every namespace file of `locale` under `dir`.
pub fn read_locale(dir: &Path, locale: &str) -> Result<Strings, Vec<String>> {
    let folder = dir.join(locale);
    let entries = fs::read_dir(&folder).map_err(|e| vec![format!("{}: {e}", folder.display())])?;
    let mut out = Strings::new();
    let mut problems = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let namespace = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let parsed = fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()));
        match parsed {
            Ok(Value::Object(map)) => {
                let mut keys = BTreeMap::new();
                flatten(
                    "",
                    &map,
                    &mut keys,
                    &mut problems,
                    &format!("{locale}/{namespace}.json"),
                );
                out.insert(namespace, keys);
            }
            Ok(_) => problems.push(format!("{locale}/{namespace}.json: must be a JSON object")),
            Err(e) => problems.push(format!("{locale}/{namespace}.json: {e}")),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn flatten(
    prefix: &str,
    map: &Map<String, Value>,
    out: &mut BTreeMap<String, String>,
    problems: &mut Vec<String>,
    file: &str,
) {
    for (key, value) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::String(s) => {
                out.insert(path, s.clone());
            }
            Value::Object(inner) => flatten(&path, inner, out, problems, file),
            _ => problems.push(format!("{file}: \"{path}\" must be a string")),
        }
    }
}

/// The `{{ name }}` parameters of a string.
pub fn parameters(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.insert(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    out
}

/// Every problem of the locale files under `dir`: a namespace or key missing from a locale or
/// present only there, a string whose parameters differ from the default locale's, an empty
/// string. Each problem names the file and the key.
pub fn check(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut locales = Vec::new();
    for locale in LOCALES {
        match read_locale(dir, locale) {
            Ok(strings) => locales.push((locale, strings)),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    let (_, default) = &locales[0];
    for (locale, strings) in &locales {
        for (namespace, keys) in strings {
            for (key, value) in keys {
                if value.is_empty() {
                    problems.push(format!("{locale}/{namespace}.json: \"{key}\" is empty"));
                }
            }
        }
        if *locale == DEFAULT_LOCALE {
            continue;
        }
        for (namespace, keys) in default {
            let Some(theirs) = strings.get(namespace) else {
                problems.push(format!("{locale}/{namespace}.json: file missing"));
                continue;
            };
            for (key, value) in keys {
                match theirs.get(key) {
                    None => problems.push(format!("{locale}/{namespace}.json: missing key \"{key}\"")),
                    Some(their) if parameters(their) != parameters(value) => problems.push(format!(
                        "{locale}/{namespace}.json: \"{key}\" has parameters {:?}, {DEFAULT_LOCALE} has {:?}",
                        parameters(their),
                        parameters(value)
                    )),
                    Some(_) => {}
                }
            }
            for key in theirs.keys().filter(|k| !keys.contains_key(*k)) {
                problems.push(format!(
                    "{locale}/{namespace}.json: key \"{key}\" is not in {DEFAULT_LOCALE}/{namespace}.json"
                ));
            }
        }
        for namespace in strings.keys().filter(|n| !default.contains_key(*n)) {
            problems.push(format!(
                "{locale}/{namespace}.json: no {DEFAULT_LOCALE}/{namespace}.json"
            ));
        }
    }
    problems
}

/// Writes the pseudo-locale of the English files under `dir` into `out/qps`.
pub fn write_pseudo(dir: &Path, out: &Path) -> std::io::Result<()> {
    let target = out.join(PSEUDO_LOCALE);
    fs::create_dir_all(&target)?;
    for entry in fs::read_dir(dir.join("en"))?.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let value: Value = serde_json::from_str(&fs::read_to_string(&path)?)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let text = serde_json::to_string_pretty(&pseudo_value(value))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        fs::write(target.join(entry.file_name()), text)?;
    }
    Ok(())
}

fn pseudo_value(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(super::pseudo::pseudo(&s)),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, pseudo_value(v))).collect())
        }
        other => other,
    }
}
