//! The frame of the help screens in the user's language. clap writes its own parts of a help
//! screen in English ("Usage:", "Options:", "[default: 30s]", "Print help"). In Swedish this
//! module sets those parts through clap's template, headings and usage. In English it
//! translates the Swedish placeholders of values (`<FIL>` becomes `<FILE>`).

use clap::builder::{Str, StyledStr};
use clap::{Arg, ArgAction, Command};
use turnus_core::Lang;

const TEMPLATE_SV: &str = "{before-help}{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}";

/// English names of the Swedish value placeholders.
const VALUE_NAMES_EN: [(&str, &str); 16] = [
    ("INDATA", "INPUT"),
    ("SAMLING", "SET"),
    ("LISTA", "LIST"),
    ("MAPP", "DIR"),
    ("TID", "TIME"),
    ("FIL", "FILE"),
    ("SCHEMA", "SCHEDULE"),
    ("TYP", "KIND"),
    ("SEKUNDER", "SECONDS"),
    ("ADRESS", "ADDRESS"),
    ("JA_NEJ", "YES_NO"),
    ("ADRESS_ELLER_CIDR", "ADDRESS_OR_CIDR"),
    ("NAMN", "NAME"),
    ("ROLL", "ROLE"),
    ("SPRÅK", "LANG"),
    ("KOMMANDO", "COMMAND"),
];

/// Sets the help frame of `command` and its subcommands in `lang`. `command` is the root.
pub fn localize(command: Command, lang: Lang) -> Command {
    let name = command.get_name().to_string();
    let command = command
        .disable_help_subcommand(true)
        .subcommand(
            Command::new("help")
                .about(lang.pick(
                    "Visa hjälpen för turnus eller för ett kommando",
                    "Print the help of turnus or of a command",
                ))
                .arg(Arg::new("command").value_name("KOMMANDO").num_args(0..).help(
                    lang.pick("Kommandot, t.ex. solve eller user add", "The command, e.g. solve or user add"),
                )),
        )
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(lang.pick("Visa versionen", "Print the version")),
        );
    localize_tree(command, &name, lang)
}

fn localize_tree(command: Command, path: &str, lang: Lang) -> Command {
    let mut command = command.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help(lang.pick("Visa hjälpen", "Print help")),
    );
    command = match lang {
        Lang::Sv => {
            let usage = usage_sv(&command, path);
            command
                .help_template(TEMPLATE_SV)
                .subcommand_help_heading("Kommandon")
                .subcommand_value_name("KOMMANDO")
                .override_usage(usage)
                .mut_args(arg_sv)
        }
        Lang::En => command.mut_args(arg_en),
    };
    command.mut_subcommands(|sub| {
        let sub_path = format!("{path} {}", sub.get_name());
        localize_tree(sub, &sub_path, lang)
    })
}

/// Builds the usage line as clap writes it, with Swedish words: `turnus solve [FLAGGOR] <INDATA>`.
fn usage_sv(command: &Command, path: &str) -> String {
    let mut usage = format!("{path} [FLAGGOR]");
    let required_options = command.get_arguments().filter(|a| a.is_required_set() && !a.is_positional());
    for arg in required_options {
        let value = arg.get_value_names().and_then(|n| n.first()).map_or("", |n| n.as_str());
        if let Some(long) = arg.get_long() {
            usage.push_str(&format!(" --{long} <{value}>"));
        }
    }
    for arg in command.get_positionals() {
        let name =
            arg.get_value_names().and_then(|n| n.first()).map_or(arg.get_id().as_str(), |n| n.as_str());
        let many = matches!(arg.get_num_args(), Some(range) if range.max_values() > 1);
        let dots = if many { "..." } else { "" };
        if arg.is_required_set() {
            usage.push_str(&format!(" <{name}>{dots}"));
        } else {
            usage.push_str(&format!(" [{name}]{dots}"));
        }
    }
    if command.has_subcommands() {
        usage.push_str(" <KOMMANDO>");
    }
    usage
}

/// Puts an argument under a Swedish heading, with its default and possible values in the
/// help text instead of clap's English brackets.
fn arg_sv(arg: Arg) -> Arg {
    let heading = if arg.is_positional() { "Argument" } else { "Flaggor" };
    let mut notes = Vec::new();
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() && arg.get_action().takes_values() {
        notes.push(format!("[standard: {}]", defaults.join(", ")));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && !arg.is_hide_possible_values_set() && arg.get_action().takes_values() {
        notes.push(format!("[möjliga värden: {}]", possible.join(", ")));
    }
    if let Some(variable) = arg.get_env() {
        notes.push(format!("[miljövariabel: {}]", variable.to_string_lossy()));
    }
    let arg = arg.help_heading(heading);
    if notes.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(StyledStr::to_string).unwrap_or_default();
    let help = if help.is_empty() { notes.join(" ") } else { format!("{help} {}", notes.join(" ")) };
    arg.hide_default_value(true).hide_possible_values(true).hide_env(true).help(help)
}

/// Replaces a Swedish value placeholder by its English name.
fn arg_en(arg: Arg) -> Arg {
    let Some(names) = arg.get_value_names() else {
        return arg;
    };
    let english: Vec<Str> = names
        .iter()
        .map(|name| {
            VALUE_NAMES_EN
                .iter()
                .find(|(sv, _)| *sv == name.as_str())
                .map_or(name.clone(), |(_, en)| Str::from(*en))
        })
        .collect();
    arg.value_names(english)
}

#[cfg(test)]
mod tests {
    use turnus_core::Lang;

    fn help(lang: Lang, args: &[&str]) -> String {
        let error = crate::cli::command(lang).try_get_matches_from(args).expect_err("--help ends parsing");
        error.render().to_string()
    }

    #[test]
    fn swedish_help_has_no_english_frame() {
        let commands = [
            &["turnus", "--help"][..],
            &["turnus", "solve", "--help"],
            &["turnus", "bench", "--help"],
            &["turnus", "serve", "--help"],
        ];
        for args in commands {
            let text = help(Lang::Sv, args);
            let frame = [
                "Usage:",
                "Options:",
                "Commands:",
                "Arguments:",
                "[default:",
                "[possible values:",
                "[env:",
                "Print",
                "[OPTIONS]",
                "<COMMAND>",
            ];
            for english in frame {
                assert!(!text.contains(english), "{english} in {args:?}:\n{text}");
            }
            assert!(text.contains("Användning: "), "{text}");
        }
        let add = help(Lang::Sv, &["turnus", "user", "add", "--help"]);
        assert!(add.contains("Användning: turnus user add [FLAGGOR] --username <NAMN>"), "{add}");
        let solve = help(Lang::Sv, &["turnus", "solve", "--help"]);
        assert!(solve.contains("Användning: turnus solve [FLAGGOR] <INDATA>"), "{solve}");
        assert!(solve.contains("[standard: 30s]"), "{solve}");
        assert!(solve.contains("Visa hjälpen"), "{solve}");
    }

    #[test]
    fn english_help_has_english_placeholders() {
        let text = help(Lang::En, &["turnus", "solve", "--help"]);
        for swedish in ["<TID>", "<FIL>", "<INDATA>", "<SPRÅK>"] {
            assert!(!text.contains(swedish), "{swedish}:\n{text}");
        }
        assert!(text.contains("--time-limit <TIME>"), "{text}");
    }
}
