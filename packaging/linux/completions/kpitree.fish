# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kpitree_global_optspecs
    string join \n color= h/help V/version
end

function __fish_kpitree_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kpitree_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kpitree_using_subcommand
    set -l cmd (__fish_kpitree_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kpitree -n "__fish_kpitree_needs_command" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_needs_command" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "check" -d 'Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file)'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "templates" -d 'List the built-in templates'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "new" -d 'Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet)'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "export" -d 'Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT\'s extension'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "analyze" -d 'Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "seek" -d 'The actual a KPI must reach for an ancestor (default: its goal) to hit its target'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "import" -d 'Import actuals (or targets) per period from a spreadsheet or CSV into a document\'s series'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "merge" -d 'Merge two copies of a document edited apart (A and B, from BASE) as a room merges them'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "serve" -d 'Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "room" -d 'Take part in a room without a window (for scripts)'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "schema" -d 'Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "completions" -d 'Print a shell\'s completion script (bash, zsh, fish, powershell or elvish)'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "man" -d 'Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder'
complete -c kpitree -n "__fish_kpitree_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kpitree -n "__fish_kpitree_using_subcommand check" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand check" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand check" -l json -d 'Print one JSON object with diagnostics and values'
complete -c kpitree -n "__fish_kpitree_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand check" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand templates" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand templates" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand templates" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand templates" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -s t -l template -d 'The template\'s name (see `kpitree templates`)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -l from -d 'An outline to make the tree from: indented text or a Markdown list (.txt, .md), or a spreadsheet or CSV with one column per level (.xlsx, .xls, .ods, .csv). One node a line: `[operator] name [(unit)] [[KSF]] [: target [/ actual]]`' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -l sheet -d 'The sheet of a spreadsheet outline (default: the first)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -s o -l output -d 'The file to write (- for standard output)' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -l force -d 'Overwrite the file if it exists'
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand new" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -s o -l output -d 'The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt (outline), .mmd (Mermaid); the format follows the extension. - for standard output' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l format -d 'The format, whatever OUT\'s extension (needed with -o -)' -r -f -a "png\t'PNG picture'
svg\t'SVG picture'
pdf\t'One-page PDF'
json\t'The document with its values'
xlsx\t'Excel workbook with live formulas'
pptx\t'PowerPoint slide with editable shapes'
md\t'The outline as a Markdown list'
txt\t'The outline as indented text'
mmd\t'Mermaid flowchart'"
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l scale -d 'PNG pixels per diagram pixel, 1 to 4' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l root -d 'Export only this node and everything below it' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l theme -d 'The look: standard (outlined cards) or slide (light tinted cards, larger title)' -r -f -a "standard\t'White cards outlined in the colour of their kind'
slide\t'Light tinted cards for a white slide'"
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l lang -d 'Language of the labels and of the JSON messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l text -d 'How an SVG carries its text: font (text with the glyphs of BIZ UDPGothic it uses embedded: searchable, drawn alike by browsers and slide programs), name (text naming the font only: the smallest file; a viewer without that font draws another) or outline (glyphs as paths, the same picture in every viewer, the text kept invisible on top to select and search). PNG and PDF always embed the font' -r -f -a "font\t'Text with the font\'s glyphs it uses embedded: selectable and searchable'
name\t'Text that names the font without embedding it'
outline\t'Glyphs drawn as paths, needing no font; the text kept invisible on top to select and search'"
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l period -d 'Which values the cards show: full (the whole period), ytd (year to date), forecast (着地見込: the full target against actuals to date and the plan after) or one period (2026-06, FY2026-Q2)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l slides -d 'PowerPoint: the overview only, or the overview and one slide per KSF subtree' -r -f -a "overview\t'The whole tree on one slide'
subtrees\t'The overview, then one slide per KSF subtree'"
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l transparent -d 'A transparent background instead of white'
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l no-values -d 'Cards without targets, actuals and progress bars'
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -l fit-16x9 -d 'Pad the picture to 16:9, the shape of a slide'
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand export" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l scenario -d 'Work with this saved what-if scenario applied' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l lang -d 'Language of the report (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l method -d 'How a product\'s change is split among its factors: shapley (exact, symmetric), lmdi (log mean Divisia, positive values) or cost (quantity at target prices, then price)' -r -f -a "shapley\t'Shapley value'
lmdi\t'LMDI-I'
cost\t'Cost accounting: quantity and price variances'"
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l sensitivity -d 'Move each input this many percent down and up for the sensitivity' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l sensitivity-of -d 'Which values the sensitivity moves' -r -f -a "actual\t'The actuals'
target\t'The targets'"
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l top -d 'Rows per goal (and of the pacing) in the text report, largest first (0 for all): the rest are counted; --json and --csv list every row' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l chart -d 'Draw a chart to --output (.svg or .png): waterfall (the gap\'s parts), tornado (sensitivity) or scenarios' -r -f -a "waterfall\t'The gap from target to actual, part by part'
tornado\t'The goal with each input lower and higher'
scenarios\t'Each scenario\'s change to the goals'"
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -s o -l output -d 'The chart\'s file' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l goal -d 'The goal the chart is about (default: the first with values)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l json -d 'Print one JSON object (docs/FORMAT.md, "Analysis")'
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -l csv -d 'Print the attribution, sensitivity and scenario tables as CSV'
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand analyze" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -l node -d 'The id of the node whose actual is sought' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -l for -d 'The id of the ancestor that should reach its target (default: the node\'s goal)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -l scenario -d 'Work with this saved what-if scenario applied' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -l lang -d 'Language of the report (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -l json -d 'Print one JSON object (docs/FORMAT.md, "Analysis")'
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand seek" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l from -d 'The spreadsheet or CSV to read (xlsx, xls, ods, csv; CSV in UTF-8 or Shift_JIS)' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l sheet -d 'The sheet to read (default: the first)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -s o -l output -d 'Write the result here instead of over FILE (- for standard output)' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l lang -d 'Language of the report (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l targets -d 'The values of a wide file (one column per period) are targets, not actuals'
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l dry-run -d 'Only report what would change; write nothing'
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -l skip-bad -d 'Import the rows that read and leave out the ones that fail (else any failed row stops the import)'
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand import" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand merge" -s o -l output -d 'The merged document (- for standard output)' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand merge" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand merge" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand merge" -l force -d 'Overwrite OUT if it exists'
complete -c kpitree -n "__fish_kpitree_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand merge" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -l port -d 'The port to listen on (0: one the system picks, printed at start)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -l bind -d 'The address of the network interface to listen on (default: this machine\'s address on the local network; 0.0.0.0 for every interface)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -l code -d 'The room code participants must give (default: six random digits, printed at start)' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand serve" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and not __fish_seen_subcommand_from sync help" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and not __fish_seen_subcommand_from sync help" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and not __fish_seen_subcommand_from sync help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and not __fish_seen_subcommand_from sync help" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and not __fish_seen_subcommand_from sync help" -f -a "sync" -d 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and not __fish_seen_subcommand_from sync help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from sync" -l code -d 'The room code' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from sync" -l name -d 'The name the others see' -r
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from sync" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from sync" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back'
complete -c kpitree -n "__fish_kpitree_using_subcommand room; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kpitree -n "__fish_kpitree_using_subcommand schema" -s o -l output -d 'Write it to this file instead of standard output' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand schema" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand schema" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand schema" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand completions" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand completions" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand completions" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand man" -l dir -d 'Write every page (kpitree.1, kpitree-check.1, …) into this folder instead' -r -F
complete -c kpitree -n "__fish_kpitree_using_subcommand man" -l lang -d 'Language of the messages (default: from the locale)' -r -f -a "ja\t'日本語'
en\t'English'"
complete -c kpitree -n "__fish_kpitree_using_subcommand man" -l color -d 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kpitree -n "__fish_kpitree_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kpitree -n "__fish_kpitree_using_subcommand man" -s V -l version -d 'Print version'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "check" -d 'Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file)'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "templates" -d 'List the built-in templates'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "new" -d 'Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet)'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "export" -d 'Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT\'s extension'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "analyze" -d 'Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "seek" -d 'The actual a KPI must reach for an ancestor (default: its goal) to hit its target'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "import" -d 'Import actuals (or targets) per period from a spreadsheet or CSV into a document\'s series'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "merge" -d 'Merge two copies of a document edited apart (A and B, from BASE) as a room merges them'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "serve" -d 'Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "room" -d 'Take part in a room without a window (for scripts)'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "schema" -d 'Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "completions" -d 'Print a shell\'s completion script (bash, zsh, fish, powershell or elvish)'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "man" -d 'Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and not __fish_seen_subcommand_from check templates new export analyze seek import merge serve room schema completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kpitree -n "__fish_kpitree_using_subcommand help; and __fish_seen_subcommand_from room" -f -a "sync" -d 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back'
