//! Generates the `i18n` module from the locale files in `locales/` (see `build/locales.rs`).
//!
//! The build fails, naming the file and key, when a locale misses a key or has one the default
//! lacks, or when a string's `{{ parameters }}` differ between locales; a misspelt key or
//! parameter in the code is a compile error of the `t!` macros themselves. The pseudo-locale
//! `qps` is derived from English here, so it can never be stale.

#[path = "build/locales.rs"]
mod locales;
#[path = "build/pseudo.rs"]
mod pseudo;

use std::path::{Path, PathBuf};

use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build");
    println!("cargo::rerun-if-changed=locales");
    let source = Path::new("locales");
    let problems = locales::check(source);
    if !problems.is_empty() {
        for problem in &problems {
            println!("cargo::error=locales/{problem}");
        }
        return Err(format!("{} problem(s) in the locale files", problems.len()).into());
    }

    // The parser reads one folder holding every locale: the written ones, then `qps`.
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);
    let assembled = out.join("locales");
    let _ = std::fs::remove_dir_all(&assembled);
    let mut namespaces = Vec::new();
    for locale in locales::LOCALES {
        let target = assembled.join(locale);
        std::fs::create_dir_all(&target)?;
        for entry in std::fs::read_dir(source.join(locale))?.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) == Some("json") {
                println!("cargo::rerun-if-changed={}", path.display());
                std::fs::copy(&path, target.join(entry.file_name()))?;
                if locale == locales::DEFAULT_LOCALE
                    && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                {
                    namespaces.push(stem.to_owned());
                }
            }
        }
    }
    namespaces.sort();
    locales::write_pseudo(source, &assembled)?;

    let mut cfg = Config::new(locales::DEFAULT_LOCALE)?;
    for locale in locales::LOCALES.iter().skip(1) {
        cfg = cfg.add_locale(locale)?;
    }
    let cfg = cfg
        .add_locale(locales::PSEUDO_LOCALE)?
        .add_namespaces(namespaces)?
        .locales_path(assembled.clone())
        .parse_options(ParseOptions::default().interpolate_display(true));
    // `None`: a relative path in `cfg` would be read from CARGO_MANIFEST_DIR (ours is absolute).
    let parsed = parse_locales(None, cfg)?;
    for warning in parsed.diag.warnings().iter() {
        println!("cargo::warning={warning}");
    }
    for error in parsed.diag.errors().iter() {
        println!("cargo::error={error}");
    }
    // No crate-path override, diagnostics printed above, no extra attributes, with docs.
    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, None, true)?;
    let module = out.join("i18n");
    std::fs::create_dir_all(&module)?;
    std::fs::write(module.join("mod.rs"), code.to_string())?;
    Ok(())
}
