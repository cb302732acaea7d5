
use builtin;
use str;

set edit:completion:arg-completer[kpitree] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kpitree'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kpitree'= {
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file)'
            cand templates 'List the built-in templates'
            cand new 'Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet)'
            cand export 'Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT''s extension'
            cand analyze 'Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing'
            cand seek 'The actual a KPI must reach for an ancestor (default: its goal) to hit its target'
            cand import 'Import actuals (or targets) per period from a spreadsheet or CSV into a document''s series'
            cand merge 'Merge two copies of a document edited apart (A and B, from BASE) as a room merges them'
            cand serve 'Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes'
            cand room 'Take part in a room without a window (for scripts)'
            cand schema 'Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators'
            cand completions 'Print a shell''s completion script (bash, zsh, fish, powershell or elvish)'
            cand man 'Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kpitree;check'= {
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --json 'Print one JSON object with diagnostics and values'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;templates'= {
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;new'= {
            cand -t 'The template''s name (see `kpitree templates`)'
            cand --template 'The template''s name (see `kpitree templates`)'
            cand --from 'An outline to make the tree from: indented text or a Markdown list (.txt, .md), or a spreadsheet or CSV with one column per level (.xlsx, .xls, .ods, .csv). One node a line: `[operator] name [(unit)] [[KSF]] [: target [/ actual]]`'
            cand --sheet 'The sheet of a spreadsheet outline (default: the first)'
            cand -o 'The file to write (- for standard output)'
            cand --output 'The file to write (- for standard output)'
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --force 'Overwrite the file if it exists'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;export'= {
            cand -o 'The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt (outline), .mmd (Mermaid); the format follows the extension. - for standard output'
            cand --output 'The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt (outline), .mmd (Mermaid); the format follows the extension. - for standard output'
            cand --format 'The format, whatever OUT''s extension (needed with -o -)'
            cand --scale 'PNG pixels per diagram pixel, 1 to 4'
            cand --root 'Export only this node and everything below it'
            cand --theme 'The look: standard (outlined cards) or slide (light tinted cards, larger title)'
            cand --lang 'Language of the labels and of the JSON messages (default: from the locale)'
            cand --text 'How an SVG carries its text: font (text with the glyphs of BIZ UDPGothic it uses embedded: searchable, drawn alike by browsers and slide programs), name (text naming the font only: the smallest file; a viewer without that font draws another) or outline (glyphs as paths, the same picture in every viewer, the text kept invisible on top to select and search). PNG and PDF always embed the font'
            cand --period 'Which values the cards show: full (the whole period), ytd (year to date), forecast (着地見込: the full target against actuals to date and the plan after) or one period (2026-06, FY2026-Q2)'
            cand --slides 'PowerPoint: the overview only, or the overview and one slide per KSF subtree'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --transparent 'A transparent background instead of white'
            cand --no-values 'Cards without targets, actuals and progress bars'
            cand --fit-16x9 'Pad the picture to 16:9, the shape of a slide'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;analyze'= {
            cand --scenario 'Work with this saved what-if scenario applied'
            cand --lang 'Language of the report (default: from the locale)'
            cand --method 'How a product''s change is split among its factors: shapley (exact, symmetric), lmdi (log mean Divisia, positive values) or cost (quantity at target prices, then price)'
            cand --sensitivity 'Move each input this many percent down and up for the sensitivity'
            cand --sensitivity-of 'Which values the sensitivity moves'
            cand --top 'Rows per goal (and of the pacing) in the text report, largest first (0 for all): the rest are counted; --json and --csv list every row'
            cand --chart 'Draw a chart to --output (.svg or .png): waterfall (the gap''s parts), tornado (sensitivity) or scenarios'
            cand -o 'The chart''s file'
            cand --output 'The chart''s file'
            cand --goal 'The goal the chart is about (default: the first with values)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --json 'Print one JSON object (docs/FORMAT.md, "Analysis")'
            cand --csv 'Print the attribution, sensitivity and scenario tables as CSV'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;seek'= {
            cand --node 'The id of the node whose actual is sought'
            cand --for 'The id of the ancestor that should reach its target (default: the node''s goal)'
            cand --scenario 'Work with this saved what-if scenario applied'
            cand --lang 'Language of the report (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --json 'Print one JSON object (docs/FORMAT.md, "Analysis")'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;import'= {
            cand --from 'The spreadsheet or CSV to read (xlsx, xls, ods, csv; CSV in UTF-8 or Shift_JIS)'
            cand --sheet 'The sheet to read (default: the first)'
            cand -o 'Write the result here instead of over FILE (- for standard output)'
            cand --output 'Write the result here instead of over FILE (- for standard output)'
            cand --lang 'Language of the report (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --targets 'The values of a wide file (one column per period) are targets, not actuals'
            cand --dry-run 'Only report what would change; write nothing'
            cand --skip-bad 'Import the rows that read and leave out the ones that fail (else any failed row stops the import)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;merge'= {
            cand -o 'The merged document (- for standard output)'
            cand --output 'The merged document (- for standard output)'
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand --force 'Overwrite OUT if it exists'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;serve'= {
            cand --port 'The port to listen on (0: one the system picks, printed at start)'
            cand --bind 'The address of the network interface to listen on (default: this machine''s address on the local network; 0.0.0.0 for every interface)'
            cand --code 'The room code participants must give (default: six random digits, printed at start)'
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;room'= {
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sync 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kpitree;room;sync'= {
            cand --code 'The room code'
            cand --name 'The name the others see'
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;room;help'= {
            cand sync 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kpitree;room;help;sync'= {
        }
        &'kpitree;room;help;help'= {
        }
        &'kpitree;schema'= {
            cand -o 'Write it to this file instead of standard output'
            cand --output 'Write it to this file instead of standard output'
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;completions'= {
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;man'= {
            cand --dir 'Write every page (kpitree.1, kpitree-check.1, …) into this folder instead'
            cand --lang 'Language of the messages (default: from the locale)'
            cand --color 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kpitree;help'= {
            cand check 'Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file)'
            cand templates 'List the built-in templates'
            cand new 'Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet)'
            cand export 'Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT''s extension'
            cand analyze 'Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing'
            cand seek 'The actual a KPI must reach for an ancestor (default: its goal) to hit its target'
            cand import 'Import actuals (or targets) per period from a spreadsheet or CSV into a document''s series'
            cand merge 'Merge two copies of a document edited apart (A and B, from BASE) as a room merges them'
            cand serve 'Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes'
            cand room 'Take part in a room without a window (for scripts)'
            cand schema 'Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators'
            cand completions 'Print a shell''s completion script (bash, zsh, fish, powershell or elvish)'
            cand man 'Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kpitree;help;check'= {
        }
        &'kpitree;help;templates'= {
        }
        &'kpitree;help;new'= {
        }
        &'kpitree;help;export'= {
        }
        &'kpitree;help;analyze'= {
        }
        &'kpitree;help;seek'= {
        }
        &'kpitree;help;import'= {
        }
        &'kpitree;help;merge'= {
        }
        &'kpitree;help;serve'= {
        }
        &'kpitree;help;room'= {
            cand sync 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back'
        }
        &'kpitree;help;room;sync'= {
        }
        &'kpitree;help;schema'= {
        }
        &'kpitree;help;completions'= {
        }
        &'kpitree;help;man'= {
        }
        &'kpitree;help;help'= {
        }
    ]
    $completions[$command]
}
