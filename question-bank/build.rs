//! Checks the message catalogue (`locales/zh.json`, `locales/en.json`) and turns it into Rust.
//!
//! Each file is a JSON object of snake_case keys, grouped by module in nested objects, whose
//! leaves are the messages; parameters are written `{{ name }}`. The build fails, naming the file
//! and the key, when a key is in one file but not the other, when a message's parameters differ
//! between the files, when a value is empty or neither a string nor an object, or when a key or
//! a `{{ … }}` is malformed. `$OUT_DIR/messages.rs` then holds one constant per message
//! (`key::TEXT_TOO_LONG` for `text.too_long`) and the texts of both languages; `src/lang.rs`
//! includes it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The catalogue's languages, in the order of `Lang`'s variants.
const FILES: [&str; 2] = ["zh.json", "en.json"];

/// One message: its dotted key and its text.
type Messages = BTreeMap<String, String>;

fn main() -> Result<(), String> {
    println!("cargo::rerun-if-changed=build.rs");
    for file in FILES {
        println!("cargo::rerun-if-changed=locales/{file}");
    }
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let mut problems = Vec::new();
    let catalogues: Vec<Messages> = FILES
        .iter()
        .map(|file| load(&dir.join("locales").join(file), file, &mut problems))
        .collect();
    if let [zh, en] = catalogues.as_slice() {
        compare(zh, en, &mut problems);
        if problems.is_empty() {
            let code = generate(zh, en, &mut problems);
            if problems.is_empty() {
                let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
                std::fs::write(out.join("messages.rs"), code)
                    .map_err(|e| format!("cannot write messages.rs: {e}"))?;
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        for problem in &problems {
            println!("cargo::error={problem}");
        }
        Err(format!(
            "the message catalogue has {} problem(s), see the errors above",
            problems.len()
        ))
    }
}

/// Reads one file into dotted keys → texts, noting every problem.
fn load(path: &Path, file: &str, problems: &mut Vec<String>) -> Messages {
    let mut messages = Messages::new();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!("locales/{file}: cannot be read: {e}"));
            return messages;
        }
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) if map.is_empty() => {
            problems.push(format!("locales/{file}: the catalogue is empty"));
        }
        Ok(Value::Object(map)) => {
            for (name, value) in &map {
                flatten(file, name, value, &mut messages, problems);
            }
        }
        Ok(_) => problems.push(format!("locales/{file}: the file must hold a JSON object")),
        Err(e) => problems.push(format!("locales/{file}: not valid JSON: {e}")),
    }
    messages
}

fn flatten(
    file: &str,
    key: &str,
    value: &Value,
    messages: &mut Messages,
    problems: &mut Vec<String>,
) {
    let name = key.rsplit('.').next().unwrap_or(key);
    if !is_snake_case(name) {
        problems.push(format!(
            "locales/{file}: key `{key}`: `{name}` is not a snake_case identifier (a–z, 0–9, _)"
        ));
        return;
    }
    match value {
        Value::String(text) if text.trim().is_empty() => {
            problems.push(format!("locales/{file}: key `{key}`: the message is empty"));
            // Kept (empty) so that the key is not also reported missing.
            messages.insert(key.to_owned(), String::new());
        }
        Value::String(text) => {
            if let Err(e) = parameters(text) {
                problems.push(format!("locales/{file}: key `{key}`: {e}"));
            }
            messages.insert(key.to_owned(), text.clone());
        }
        Value::Object(map) if map.is_empty() => {
            problems.push(format!("locales/{file}: key `{key}`: the group is empty"));
        }
        Value::Object(map) => {
            for (name, value) in map {
                flatten(file, &format!("{key}.{name}"), value, messages, problems);
            }
        }
        _ => {
            problems.push(format!(
                "locales/{file}: key `{key}`: the value must be a string or an object"
            ));
            messages.insert(key.to_owned(), String::new());
        }
    }
}

fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The `{{ name }}` parameters of a message (the same reading as `lang::render`); an error for
/// a `{{` that does not start a well-formed parameter.
fn parameters(text: &str) -> Result<BTreeSet<String>, String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = rest.get(open + 2..).unwrap_or("");
        let inner = after.trim_start();
        let len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let name = inner.get(..len).unwrap_or("");
        let tail = inner.get(len..).unwrap_or("").trim_start();
        match tail.strip_prefix("}}") {
            Some(next) if !name.is_empty() => {
                found.insert(name.to_owned());
                rest = next;
            }
            _ => {
                return Err(format!(
                    "“{}” is not a parameter: write parameters as {{{{ name }}}}",
                    rest.get(open..)
                        .unwrap_or("")
                        .chars()
                        .take(24)
                        .collect::<String>()
                ));
            }
        }
    }
    Ok(found)
}

/// Both files must hold the same keys, with the same parameters.
fn compare(zh: &Messages, en: &Messages, problems: &mut Vec<String>) {
    let pairs = [(FILES[0], zh, FILES[1], en), (FILES[1], en, FILES[0], zh)];
    for (file, these, other_file, others) in pairs {
        for key in these.keys() {
            if !others.contains_key(key) {
                problems.push(format!(
                    "locales/{other_file}: key `{key}` is missing (it is in locales/{file})"
                ));
            }
        }
    }
    for (key, zh_text) in zh {
        let Some(en_text) = en.get(key) else {
            continue;
        };
        // A broken message has been reported already.
        let (Ok(zh_params), Ok(en_params)) = (parameters(zh_text), parameters(en_text)) else {
            continue;
        };
        if zh_text.is_empty() || en_text.is_empty() {
            continue;
        }
        if zh_params != en_params {
            problems.push(format!(
                "locales/{}: key `{key}`: parameters {} differ from locales/{}'s {}",
                FILES[1],
                list(&en_params),
                FILES[0],
                list(&zh_params)
            ));
        }
    }
}

fn list(params: &BTreeSet<String>) -> String {
    if params.is_empty() {
        "(none)".to_owned()
    } else {
        params
            .iter()
            .map(|p| format!("{{{{ {p} }}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `messages.rs`: the keys, and the texts in key order.
fn generate(zh: &Messages, en: &Messages, problems: &mut Vec<String>) -> String {
    let mut consts = BTreeMap::new();
    for key in zh.keys() {
        let name = key.replace('.', "_").to_ascii_uppercase();
        if let Some(other) = consts.insert(name.clone(), key) {
            problems.push(format!(
                "locales/{}: keys `{other}` and `{key}` both become the constant key::{name}: rename one",
                FILES[0]
            ));
        }
    }
    let count = zh.len();
    let mut code = String::new();
    let _ = writeln!(
        code,
        "// Generated by build.rs from locales/zh.json and locales/en.json: edit those, not this.\n"
    );
    let _ = writeln!(
        code,
        "/// The number of messages in the catalogue.\npub(crate) const COUNT: usize = {count};\n"
    );
    let _ = writeln!(
        code,
        "/// One constant per message of the catalogue, named after its key: `text.too_long` is\n\
         /// `key::TEXT_TOO_LONG`.\n\
         #[cfg_attr(not(feature = \"files\"), allow(dead_code, reason = \"some messages are for files only\"))]\n\
         pub(crate) mod key {{\n    use super::Key;"
    );
    for (index, key) in zh.keys().enumerate() {
        let name = key.replace('.', "_").to_ascii_uppercase();
        let doc = format!("`{key}`: {}", en.get(key).map_or("", String::as_str));
        let _ = writeln!(
            code,
            "    #[doc = {doc:?}]\n    pub(crate) const {name}: Key = Key({index});"
        );
    }
    let _ = writeln!(code, "}}\n");
    for (name, doc, messages) in [
        (
            "NAMES",
            "Every key, dotted as in the files (for the tests).",
            None,
        ),
        ("ZH", "The Chinese texts (`locales/zh.json`).", Some(zh)),
        ("EN", "The English texts (`locales/en.json`).", Some(en)),
    ] {
        let _ = writeln!(
            code,
            "/// {doc}\n{cfg}pub(crate) static {name}: [&str; COUNT] = [",
            cfg = if messages.is_none() {
                "#[cfg(test)]\n"
            } else {
                ""
            }
        );
        for key in zh.keys() {
            let text = match messages {
                None => key.as_str(),
                Some(m) => m.get(key).map_or("", String::as_str),
            };
            let _ = writeln!(code, "    {text:?},");
        }
        let _ = writeln!(code, "];\n");
    }
    code
}
