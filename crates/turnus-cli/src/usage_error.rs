//! Usage errors worded in the user's language. clap writes its parse errors in English
//! ("unexpected argument", "invalid value"), so this module words the common kinds itself
//! from the context clap collects: the argument, the value and the possible values. The usage
//! line and the pointer to `--help` are those of the command that `args` name. Exit code 2, as
//! clap's own usage errors have.

use std::process::ExitCode;

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use turnus_core::Lang;

/// Prints a parse error of `turnus` for the command line `args` and returns its exit code.
/// Help and version requests print as clap writes them (in `lang` already, through the help
/// frame).
pub fn report(error: &clap::Error, args: &[String], lang: Lang) -> ExitCode {
    let code = u8::try_from(error.exit_code()).unwrap_or(2);
    let Some(message) = message(error, lang) else {
        // Help and version output, or a kind too rare to word (clap's I/O and format errors).
        let _ = error.print();
        return ExitCode::from(code);
    };
    let (command, usage) = usage_of(crate::cli::command(lang), args);
    let mut text = format!("{}: {message}\n", lang.pick("fel", "error"));
    text.push_str(&format!("\n{} {usage}\n", lang.pick("Användning:", "Usage:")));
    text.push_str(&match lang {
        Lang::Sv => format!("\nSe {command} --help för mer information."),
        Lang::En => format!("\nFor more information, run {command} --help."),
    });
    eprintln!("{text}");
    ExitCode::from(2)
}

/// Finds the deepest subcommand that `args` name, such as `turnus user add`, and returns its
/// path and its usage line without the `Usage:` title. clap leaves the usage out of some
/// errors (an invalid value), so it is rendered here for every error alike.
fn usage_of(mut root: Command, args: &[String]) -> (String, String) {
    root.build();
    let mut path = Vec::new();
    let mut command = &root;
    for arg in args.iter().skip(1).take_while(|arg| *arg != "--") {
        if let Some(sub) = command.find_subcommand(arg) {
            path.push(arg.clone());
            command = sub;
        }
    }
    let mut command = &mut root;
    for name in &path {
        command = command.find_subcommand_mut(name).expect("found in the walk above");
    }
    let usage = command.render_usage().to_string();
    let usage = usage.trim_start().trim_start_matches("Usage:").trim().to_string();
    let path = std::iter::once("turnus").chain(path.iter().map(String::as_str)).collect::<Vec<_>>();
    (path.join(" "), usage)
}

/// Words the error in `lang`, or returns `None` for help and version output and for the
/// kinds left to clap.
fn message(error: &clap::Error, lang: Lang) -> Option<String> {
    let arg = string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
    let message = match error.kind() {
        ErrorKind::UnknownArgument => {
            let suggested = strings(error, ContextKind::SuggestedArg);
            let is_option = arg.starts_with('-');
            let text = match (lang, is_option) {
                (Lang::Sv, true) => format!("okänd flagga {arg}"),
                (Lang::Sv, false) => format!("oväntat argument {arg:?}"),
                (Lang::En, true) => format!("unknown option {arg}"),
                (Lang::En, false) => format!("unexpected argument {arg:?}"),
            };
            with_suggestion(text, &suggested, lang)
        }
        ErrorKind::InvalidSubcommand => {
            let name = string(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            let suggested = strings(error, ContextKind::SuggestedSubcommand);
            let text = match lang {
                Lang::Sv => format!("okänt kommando {name:?}"),
                Lang::En => format!("unknown command {name:?}"),
            };
            with_suggestion(text, &suggested, lang)
        }
        ErrorKind::InvalidValue => {
            let possible = strings(error, ContextKind::ValidValue).join(", ");
            let mut text = match (lang, value.is_empty()) {
                (Lang::Sv, true) => format!("{arg} saknar värde"),
                (Lang::Sv, false) => format!("ogiltigt värde {value:?} för {arg}"),
                (Lang::En, true) => format!("{arg} needs a value"),
                (Lang::En, false) => format!("invalid value {value:?} for {arg}"),
            };
            if !possible.is_empty() {
                text.push_str(&format!("; {} {possible}", lang.pick("möjliga värden:", "possible values:")));
            }
            text
        }
        ErrorKind::ValueValidation => {
            // The value parser words the reason in `lang` (see the `values` module).
            let reason = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
            match lang {
                Lang::Sv => format!("ogiltigt värde {value:?} för {arg}: {reason}"),
                Lang::En => format!("invalid value {value:?} for {arg}: {reason}"),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(error, ContextKind::InvalidArg);
            match (lang, missing.len()) {
                (Lang::Sv, 1) => format!("argumentet {} saknas", missing[0]),
                (Lang::Sv, _) => format!("argumenten {} saknas", missing.join(", ")),
                (Lang::En, 1) => format!("the argument {} is missing", missing[0]),
                (Lang::En, _) => format!("the arguments {} are missing", missing.join(", ")),
            }
        }
        ErrorKind::MissingSubcommand => {
            let parent = string(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            let valid = strings(error, ContextKind::ValidSubcommand).join(", ");
            match lang {
                Lang::Sv => format!("{parent} behöver ett kommando: {valid}"),
                Lang::En => format!("{parent} needs a command: {valid}"),
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = strings(error, ContextKind::PriorArg).join(", ");
            match lang {
                Lang::Sv => format!("{arg} kan inte användas tillsammans med {prior}"),
                Lang::En => format!("{arg} cannot be used with {prior}"),
            }
        }
        ErrorKind::TooManyValues => match lang {
            Lang::Sv => format!("för många värden för {arg}: {value:?}"),
            Lang::En => format!("too many values for {arg}: {value:?}"),
        },
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => match lang {
            Lang::Sv => format!("fel antal värden för {arg}"),
            Lang::En => format!("wrong number of values for {arg}"),
        },
        ErrorKind::NoEquals => match lang {
            Lang::Sv => format!("{arg} behöver sitt värde efter =, t.ex. {arg}=VÄRDE"),
            Lang::En => format!("{arg} needs its value after =, e.g. {arg}=VALUE"),
        },
        ErrorKind::InvalidUtf8 => {
            lang.pick("ett argument är inte giltig UTF-8", "an argument is not valid UTF-8").to_string()
        }
        _ => return None,
    };
    Some(message)
}

/// Adds clap's suggestions, such as the options a misspelt one is closest to.
fn with_suggestion(text: String, suggested: &[String], lang: Lang) -> String {
    let Some((last, others)) = suggested.split_last() else {
        return text;
    };
    let mut names = others.join(", ");
    if !names.is_empty() {
        names.push_str(lang.pick(" eller ", " or "));
    }
    names.push_str(last);
    format!("{text}; {} {names}?", lang.pick("menade du", "did you mean"))
}

fn string(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::StyledStr(text) => Some(text.to_string()),
        other => Some(other.to_string()),
    }
}

fn strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::Strings(values)) => values.clone(),
        Some(ContextValue::StyledStrs(values)) => values.iter().map(ToString::to_string).collect(),
        Some(ContextValue::String(value)) => vec![value.clone()],
        _ => Vec::new(),
    }
}
