//! Every message of the command line in Japanese and English, in one place:
//! the command line's own errors ([`Msg`]), and the errors of the library
//! it reports (a file that cannot be read or is no document, an export that
//! cannot be made, an import that cannot start) in the language of `--lang`
//! (or of the locale). What the system says (`No space left on device`)
//! stays as the system said it.

use crate::export::ExportError;
use crate::io::import::ImportError;
use crate::io::{LoadError, SchemaError};
use crate::lang::Lang;

/// A message of the command line itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// Standard output could not be written (not a closed pipe).
    StdoutWrite(String),
    /// `export -o FILE` with an extension that names no format.
    UnknownExtension(String),
    /// `-o -` without `--format`.
    FormatNeeded,
    /// A binary format to a terminal.
    BinaryToTerminal(&'static str),
    /// The output is the input file.
    OutputIsInput {
        /// The output as given.
        output: String,
        /// The input as given.
        input: String,
    },
    /// `new -o FILE` over an existing file without `--force`.
    Exists(String),
    /// `new --template NAME` with no such template.
    NoTemplate {
        /// The name asked for.
        name: String,
        /// The names there are.
        names: String,
    },
    /// `analyze --chart … -o -`: the report has standard output.
    ChartToStdout,
    /// A chart file that is neither .svg nor .png.
    ChartExtension(String),
    /// `--goal ID` with no such node.
    NoSuchGoal(String),
    /// `--scenario NAME` with no such scenario.
    NoScenario {
        /// The name asked for.
        name: String,
        /// The names there are ("" when none).
        names: String,
    },
    /// The scenarios of the file cannot be read.
    UnreadableScenarios(String),
    /// An import whose document came from standard input goes to standard output.
    ImportToStdout,
    /// A picture draws characters the bundled font lacks (as boxes).
    GlyphMissing {
        /// The node's id; `None` for the title.
        node: Option<String>,
        /// The characters, each with its code point.
        chars: String,
    },
    /// `merge`: both copies changed one field to different values.
    MergeConflict {
        /// The node's id; `None` for the document's own field.
        node: Option<String>,
        /// The field.
        field: String,
        /// The value kept.
        kept: String,
        /// The value not kept.
        lost: String,
    },
    /// The text report's rows beyond `--top` for one goal.
    MoreRows {
        /// How many rows are not shown.
        count: usize,
        /// What they add up to, with its unit, when they add up (the
        /// attribution's parts).
        sum: Option<String>,
    },
    /// Characters the bundled font lacks, drawn in a font of this machine.
    GlyphFallback {
        /// The node's id; `None` for the title.
        node: Option<String>,
        /// The characters, each with its code point and the font's family.
        chars: String,
    },
}

impl Msg {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Msg::StdoutWrite(why) => pick(
                ja,
                format!("標準出力に書き込めませんでした ({why})。出力は失われています"),
                format!("cannot write to standard output ({why}); the output is lost"),
            ),
            Msg::UnknownExtension(out) => pick(
                ja,
                format!(
                    "{out}: 出力ファイルの拡張子は .png、.svg、.pdf、.json のどれかにしてください (または --format)"
                ),
                format!("{out}: the output's extension must be .png, .svg, .pdf or .json (or give --format)"),
            ),
            Msg::FormatNeeded => pick(
                ja,
                "-o - (標準出力) には形式の指定が必要です: --format png|svg|pdf|json".to_owned(),
                "-o - (standard output) needs the format: --format png|svg|pdf|json".to_owned(),
            ),
            Msg::BinaryToTerminal(format) => pick(
                ja,
                format!(
                    "{format} を端末には書き出しません。ファイルへのリダイレクトかパイプにしてください (kpitree export … -o - > out)"
                ),
                format!(
                    "not writing {format} to a terminal; redirect it to a file or a pipe (kpitree export … -o - > out)"
                ),
            ),
            Msg::OutputIsInput { output, input } => pick(
                ja,
                format!("{output}: 出力先が入力ファイル {input} と同じです。別の出力ファイルを指定してください"),
                format!("{output}: the output is the input file {input}; choose another output file"),
            ),
            Msg::Exists(path) => pick(
                ja,
                format!("{path} はすでにあります。上書きするには --force を付けてください"),
                format!("{path} already exists; use --force to overwrite it"),
            ),
            Msg::NoTemplate { name, names } => pick(
                ja,
                format!("\"{name}\" というテンプレートはありません。テンプレート: {names}"),
                format!("no template named \"{name}\"; the templates are: {names}"),
            ),
            Msg::ChartToStdout => pick(
                ja,
                "標準出力にはレポートを書き出すため、グラフには -o でファイルを指定してください".to_owned(),
                "the report goes to standard output; give the chart a file with -o".to_owned(),
            ),
            Msg::ChartExtension(path) => pick(
                ja,
                format!("{path}: グラフのファイルは .svg か .png にしてください"),
                format!("{path}: a chart's file must end in .svg or .png"),
            ),
            Msg::NoSuchGoal(id) => pick(
                ja,
                format!("--goal {id}: この ID のノードはありません"),
                format!("--goal {id}: no node has this id"),
            ),
            Msg::NoScenario { name, names } if names.is_empty() => pick(
                ja,
                format!("\"{name}\" というシナリオはありません (この文書にはシナリオがありません)"),
                format!("there is no scenario named \"{name}\" (the document has none)"),
            ),
            Msg::NoScenario { name, names } => pick(
                ja,
                format!("\"{name}\" というシナリオはありません。シナリオ: {names}"),
                format!("there is no scenario named \"{name}\"; the scenarios are: {names}"),
            ),
            Msg::UnreadableScenarios(why) => {
                pick(ja, format!("シナリオを読み取れません: {why}"), format!("the scenarios cannot be read: {why}"))
            }
            Msg::MergeConflict { node, field, kept, lost } => pick(
                ja,
                format!(
                    "情報: {}の {field} は両方で変えられていました。{kept} を残し、{lost} は残していません",
                    node.as_ref().map_or_else(|| "文書".to_owned(), |id| format!("ノード {id} "))
                ),
                format!(
                    "info: {}: {field} was changed in both copies; kept {kept}, not {lost}",
                    node.as_ref().map_or_else(|| "the document".to_owned(), |id| format!("node {id}"))
                ),
            ),
            Msg::GlyphFallback { node, chars } => pick(
                ja,
                format!(
                    "情報: {}: {chars} は同梱フォントにない文字のため、このパソコンのフォントで描きます",
                    node.as_ref().map_or_else(|| "タイトル".to_owned(), |id| format!("ノード {id}"))
                ),
                format!(
                    "info: {}: {chars} are not in the bundled font and are drawn in this machine's font",
                    node.as_ref().map_or_else(|| "the title".to_owned(), |id| format!("node {id}"))
                ),
            ),
            Msg::GlyphMissing { node, chars } => pick(
                ja,
                format!(
                    "情報: {}: {chars} は同梱フォントにない文字のため、図では □ になります",
                    node.as_ref().map_or_else(|| "タイトル".to_owned(), |id| format!("ノード {id}"))
                ),
                format!(
                    "info: {}: {chars} are not in the bundled font and are drawn as boxes",
                    node.as_ref().map_or_else(|| "the title".to_owned(), |id| format!("node {id}"))
                ),
            ),
            Msg::MoreRows { count, sum } => {
                let n = crate::format::format_number(*count as f64);
                pick(
                    ja,
                    format!(
                        "… ほか {n} 件{} (すべて表示するには --top 0、または --json / --csv)",
                        sum.as_ref().map_or_else(String::new, |s| format!(": 計 {s}"))
                    ),
                    format!(
                        "… and {n} more{} (all of them: --top 0, --json or --csv)",
                        sum.as_ref().map_or_else(String::new, |s| format!(", together {s}"))
                    ),
                )
            }
            Msg::ImportToStdout => pick(
                ja,
                "標準入力から読んだ文書の取り込み結果は標準出力に書き出します (報告は標準エラー出力へ)".to_owned(),
                "a document read from standard input is written to standard output (the report goes to standard error)"
                    .to_owned(),
            ),
        }
    }
}

/// The language a command line asks for: `--lang ja|en` (or `--lang=…`)
/// anywhere in it, else the locale's. For clap's own errors, which come
/// before the arguments are known.
pub fn lang_of_argv(argv: &[std::ffi::OsString]) -> Lang {
    let words: Vec<&str> = argv.iter().filter_map(|a| a.to_str()).collect();
    let asked = words.iter().enumerate().find_map(|(i, w)| match w.strip_prefix("--lang") {
        Some("") => words.get(i + 1).copied(),
        Some(rest) => rest.strip_prefix('='),
        None => None,
    });
    match asked {
        Some("ja") => Lang::Ja,
        Some("en") => Lang::En,
        _ => Lang::from_env(),
    }
}

/// clap's error about the command line in Japanese (the commonest kinds;
/// `None` for others, which clap then says in English), ending with how to
/// get help.
pub fn clap_error_ja(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        _ => None,
    };
    let near = |kind| get(kind).map_or_else(String::new, |s| format!("。もしかして: {s}"));
    let line = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "「{}」というサブコマンドはありません{}",
            get(ContextKind::InvalidSubcommand)?,
            near(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::UnknownArgument => format!(
            "「{}」というオプションはありません{}",
            get(ContextKind::InvalidArg)?,
            near(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue).map_or_else(String::new, |v| format!(" (使える値: {v})"));
            format!("{} に「{}」は使えません{valid}", get(ContextKind::InvalidArg)?, get(ContextKind::InvalidValue)?)
        }
        ErrorKind::MissingRequiredArgument => format!("必要な引数がありません: {}", get(ContextKind::InvalidArg)?),
        ErrorKind::ValueValidation => {
            format!("{} に「{}」は使えません", get(ContextKind::InvalidArg)?, get(ContextKind::InvalidValue)?)
        }
        _ => return None,
    };
    Some(format!("エラー: {line}\n\n使い方は --help で表示します\n"))
}

fn pick(ja: bool, in_ja: String, in_en: String) -> String {
    if ja { in_ja } else { in_en }
}

/// What a path that is not a regular file is, in Japanese.
fn what_ja(what: &str) -> &str {
    match what {
        "a folder" => "フォルダ",
        "a FIFO (named pipe)" => "FIFO (名前付きパイプ)",
        "a socket" => "ソケット",
        "a character device" => "キャラクタデバイス",
        "a block device" => "ブロックデバイス",
        "a symbolic link" => "シンボリックリンク",
        _ => "通常のファイル以外のもの",
    }
}

/// The commonest reasons a file cannot be read, in Japanese; any other is
/// left as the system said it.
fn io_ja(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "ファイルがありません".to_owned(),
        ErrorKind::PermissionDenied => "読み取る権限がありません".to_owned(),
        ErrorKind::IsADirectory => "フォルダです".to_owned(),
        _ => e.to_string(),
    }
}

/// serde_json's syntax messages (and kpitree's own) in Japanese; one that
/// is not listed is left in English.
fn syntax_ja(message: &str) -> String {
    const TABLE: &[(&str, &str)] = &[
        ("the file is empty", "ファイルが空です。kpitree の文書は JSON のオブジェクトです"),
        ("EOF while parsing a list", "配列の途中でファイルが終わっています"),
        ("EOF while parsing an object", "オブジェクトの途中でファイルが終わっています"),
        ("EOF while parsing a string", "文字列の途中でファイルが終わっています"),
        ("EOF while parsing a value", "値の途中でファイルが終わっています"),
        ("expected `:`", "「:」が必要です"),
        ("expected `,` or `]`", "「,」か「]」が必要です"),
        ("expected `,` or `}`", "「,」か「}」が必要です"),
        ("expected ident", "true、false、null のどれかが必要です"),
        ("expected value", "値が必要です"),
        ("expected `\"`", "「\"」が必要です"),
        ("invalid escape", "エスケープが正しくありません"),
        ("invalid number", "数値が正しくありません"),
        ("a number does not fit", "数値が 64 ビット浮動小数点数に収まりません"),
        ("invalid unicode code point", "Unicode の符号位置が正しくありません"),
        ("control character", "文字列の中に制御文字 (U+0000〜U+001F) があります"),
        ("key must be a string", "キーは文字列でなければなりません"),
        ("lone leading surrogate", "サロゲートが対になっていません"),
        ("trailing comma", "末尾に余分な「,」があります"),
        ("trailing characters", "JSON の後ろに余分な文字があります"),
        ("unexpected end of hex escape", "16 進エスケープの途中で終わっています"),
        ("recursion limit exceeded", "入れ子が深すぎます (128 段まで)"),
    ];
    TABLE.iter().find(|(en, _)| message.starts_with(en)).map_or_else(|| message.to_owned(), |(_, ja)| (*ja).to_owned())
}

/// A schema error in `lang`.
pub fn schema_error(e: &SchemaError, lang: Lang) -> String {
    e.text(lang)
}

/// The message of a document that cannot be loaded, in `lang`; it starts
/// with the file's name (and the line and column where there is one).
pub fn load_error(e: &LoadError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        LoadError::Read { path, source } => format!("{path}: ファイルを読めません: {}", io_ja(source)),
        LoadError::TooLarge { path, size, limit } => {
            format!("{path}: ファイルが {size} バイトあり、kpitree の文書の上限 {limit} バイトを超えています")
        }
        LoadError::NotAFile { path, what } => {
            format!(
                "{path}: {}であり、kpitree の文書ではありません (kpitree は通常のファイルだけを読みます)",
                what_ja(what)
            )
        }
        LoadError::DuplicateKey { path, line, column, key } => {
            let key = serde_json::to_string(key).unwrap_or_else(|_| key.clone());
            format!("{path}:{line}:{column}: キー {key} が重複しています")
        }
        LoadError::Utf8 { path, line, column } => {
            format!("{path}:{line}:{column}: UTF-8 のテキストではありません")
        }
        LoadError::Syntax { path, line, column, message } => {
            format!("{path}:{line}:{column}: JSON の構文エラー: {}", syntax_ja(message))
        }
        LoadError::Invalid { path, problem } => format!("{path}: {}", schema_error(problem, lang)),
    }
}

/// The message of an export that cannot be made, in `lang`.
pub fn export_error(e: &ExportError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        ExportError::UnknownRoot(id) => format!("\"{id}\" という ID のノードはありません"),
        ExportError::Scale(s) => format!("倍率は 1 から 4 までです ({s} は使えません)"),
        ExportError::TooLarge(w, h) => format!(
            "画像が {w} × {h} ピクセルになります。PNG は各辺 16,384 ピクセルまでです。\
             倍率を下げるか、部分木を書き出すか (--root ID)、PDF にしてください (ページに合わせて縮小されます)"
        ),
        ExportError::TooManyCards { cards, limit, format } => format!(
            "図のカードが {cards} 枚あり、{format} に描ける {limit} 枚を超えています。\
             部分木を書き出すか (--root ID)、枝を折りたたんでください (文書全体は JSON で書き出せます)"
        ),
        ExportError::Unreadable(w, h, pt) => format!(
            "図が {w} × {h} ピクセルあり、PDF のページ (各辺 14,400 pt まで) では文字が {pt:.1} pt になって読めません。\
             部分木を書き出すか (--root ID)、枝を折りたたむか、SVG (ページの大きさがありません) にしてください"
        ),
        ExportError::Render(why) => format!("描画に失敗しました: {why}"),
        ExportError::JsonTooLarge(why) => format!("JSON が大きすぎます: {why}"),
    }
}

/// The message of an import that cannot start, in `lang`.
pub fn import_error(e: &ImportError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        ImportError::Read(why) => format!("読み込めません: {why}"),
        ImportError::Format(file) => {
            format!("{file}: 表計算ファイルでも CSV でもありません (xlsx、xls、ods、csv)")
        }
        ImportError::NoSheet { file, sheet, sheets } => {
            format!("{file}: シート \"{sheet}\" はありません (ブックのシート: {})", sheets.join(", "))
        }
        ImportError::NoHeader => {
            "見出し行がありません: 最初の行でノードの列と期間 (または期間と実績) を示してください".to_owned()
        }
        ImportError::NoPeriods => {
            "文書に期間がありません。先に period.start と period.end を設定してください".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_a_japanese_text_that_is_not_the_english_one() {
        let all = [
            Msg::StdoutWrite("No space left on device".into()),
            Msg::UnknownExtension("a.txt".into()),
            Msg::FormatNeeded,
            Msg::BinaryToTerminal("PNG"),
            Msg::OutputIsInput { output: "a".into(), input: "b".into() },
            Msg::Exists("a".into()),
            Msg::NoTemplate { name: "x".into(), names: "a, b".into() },
            Msg::ChartToStdout,
            Msg::ChartExtension("a.txt".into()),
            Msg::NoSuchGoal("g".into()),
            Msg::NoScenario { name: "s".into(), names: String::new() },
            Msg::NoScenario { name: "s".into(), names: "a".into() },
            Msg::UnreadableScenarios("x".into()),
            Msg::ImportToStdout,
            Msg::GlyphMissing { node: Some("a".into()), chars: "x".into() },
            Msg::GlyphFallback { node: None, chars: "x".into() },
            Msg::MoreRows { count: 3, sum: None },
            Msg::MoreRows { count: 39_980, sum: Some("+12".into()) },
            Msg::MergeConflict { node: None, field: "title".into(), kept: "a".into(), lost: "b".into() },
        ];
        for m in all {
            let (ja, en) = (m.text(Lang::Ja), m.text(Lang::En));
            assert_ne!(ja, en, "{m:?}");
            assert!(ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)), "{ja}");
            assert!(en.is_ascii() || en.contains('…'), "{en}");
        }
    }

    #[test]
    fn a_missing_file_is_said_to_be_missing_in_japanese() {
        let e = LoadError::Read { path: "a.json".into(), source: std::io::ErrorKind::NotFound.into() };
        assert_eq!(load_error(&e, Lang::Ja), "a.json: ファイルを読めません: ファイルがありません");
    }

    #[test]
    fn known_syntax_messages_are_translated_and_unknown_ones_kept() {
        assert_eq!(syntax_ja("expected `,` or `}`"), "「,」か「}」が必要です");
        assert_eq!(syntax_ja("something new"), "something new");
    }
}
