
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kpitree' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kpitree'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kpitree' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file)')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the built-in templates')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT''s extension')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing')
            [CompletionResult]::new('seek', 'seek', [CompletionResultType]::ParameterValue, 'The actual a KPI must reach for an ancestor (default: its goal) to hit its target')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import actuals (or targets) per period from a spreadsheet or CSV into a document''s series')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge two copies of a document edited apart (A and B, from BASE) as a room merges them')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes')
            [CompletionResult]::new('room', 'room', [CompletionResultType]::ParameterValue, 'Take part in a room without a window (for scripts)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell''s completion script (bash, zsh, fish, powershell or elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kpitree;check' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object with diagnostics and values')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;templates' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;new' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The template''s name (see `kpitree templates`)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'The template''s name (see `kpitree templates`)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'An outline to make the tree from: indented text or a Markdown list (.txt, .md), or a spreadsheet or CSV with one column per level (.xlsx, .xls, .ods, .csv). One node a line: `[operator] name [(unit)] [[KSF]] [: target [/ actual]]`')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'The sheet of a spreadsheet outline (default: the first)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write (- for standard output)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The file to write (- for standard output)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the file if it exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;export' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt (outline), .mmd (Mermaid); the format follows the extension. - for standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt (outline), .mmd (Mermaid); the format follows the extension. - for standard output')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The format, whatever OUT''s extension (needed with -o -)')
            [CompletionResult]::new('--scale', '--scale', [CompletionResultType]::ParameterName, 'PNG pixels per diagram pixel, 1 to 4')
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'Export only this node and everything below it')
            [CompletionResult]::new('--theme', '--theme', [CompletionResultType]::ParameterName, 'The look: standard (outlined cards) or slide (light tinted cards, larger title)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the labels and of the JSON messages (default: from the locale)')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'How an SVG carries its text: font (text with the glyphs of BIZ UDPGothic it uses embedded: searchable, drawn alike by browsers and slide programs), name (text naming the font only: the smallest file; a viewer without that font draws another) or outline (glyphs as paths, the same picture in every viewer, the text kept invisible on top to select and search). PNG and PDF always embed the font')
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'Which values the cards show: full (the whole period), ytd (year to date), forecast (着地見込: the full target against actuals to date and the plan after) or one period (2026-06, FY2026-Q2)')
            [CompletionResult]::new('--slides', '--slides', [CompletionResultType]::ParameterName, 'PowerPoint: the overview only, or the overview and one slide per KSF subtree')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--transparent', '--transparent', [CompletionResultType]::ParameterName, 'A transparent background instead of white')
            [CompletionResult]::new('--no-values', '--no-values', [CompletionResultType]::ParameterName, 'Cards without targets, actuals and progress bars')
            [CompletionResult]::new('--fit-16x9', '--fit-16x9', [CompletionResultType]::ParameterName, 'Pad the picture to 16:9, the shape of a slide')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;analyze' {
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Work with this saved what-if scenario applied')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the report (default: from the locale)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'How a product''s change is split among its factors: shapley (exact, symmetric), lmdi (log mean Divisia, positive values) or cost (quantity at target prices, then price)')
            [CompletionResult]::new('--sensitivity', '--sensitivity', [CompletionResultType]::ParameterName, 'Move each input this many percent down and up for the sensitivity')
            [CompletionResult]::new('--sensitivity-of', '--sensitivity-of', [CompletionResultType]::ParameterName, 'Which values the sensitivity moves')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Rows per goal (and of the pacing) in the text report, largest first (0 for all): the rest are counted; --json and --csv list every row')
            [CompletionResult]::new('--chart', '--chart', [CompletionResultType]::ParameterName, 'Draw a chart to --output (.svg or .png): waterfall (the gap''s parts), tornado (sensitivity) or scenarios')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The chart''s file')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The chart''s file')
            [CompletionResult]::new('--goal', '--goal', [CompletionResultType]::ParameterName, 'The goal the chart is about (default: the first with values)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object (docs/FORMAT.md, "Analysis")')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Print the attribution, sensitivity and scenario tables as CSV')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;seek' {
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'The id of the node whose actual is sought')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'The id of the ancestor that should reach its target (default: the node''s goal)')
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Work with this saved what-if scenario applied')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the report (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object (docs/FORMAT.md, "Analysis")')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;import' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The spreadsheet or CSV to read (xlsx, xls, ods, csv; CSV in UTF-8 or Shift_JIS)')
            [CompletionResult]::new('--sheet', '--sheet', [CompletionResultType]::ParameterName, 'The sheet to read (default: the first)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the result here instead of over FILE (- for standard output)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the result here instead of over FILE (- for standard output)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the report (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--targets', '--targets', [CompletionResultType]::ParameterName, 'The values of a wide file (one column per period) are targets, not actuals')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Only report what would change; write nothing')
            [CompletionResult]::new('--skip-bad', '--skip-bad', [CompletionResultType]::ParameterName, 'Import the rows that read and leave out the ones that fail (else any failed row stops the import)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;merge' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The merged document (- for standard output)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The merged document (- for standard output)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite OUT if it exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;serve' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port to listen on (0: one the system picks, printed at start)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'The address of the network interface to listen on (default: this machine''s address on the local network; 0.0.0.0 for every interface)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The room code participants must give (default: six random digits, printed at start)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;room' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kpitree;room;sync' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The room code')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name the others see')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;room;help' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kpitree;room;help;sync' {
            break
        }
        'kpitree;room;help;help' {
            break
        }
        'kpitree;schema' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write it to this file instead of standard output')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write it to this file instead of standard output')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;completions' {
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write every page (kpitree.1, kpitree-check.1, …) into this folder instead')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of the messages (default: from the locale)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kpitree;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file)')
            [CompletionResult]::new('templates', 'templates', [CompletionResultType]::ParameterValue, 'List the built-in templates')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT''s extension')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing')
            [CompletionResult]::new('seek', 'seek', [CompletionResultType]::ParameterValue, 'The actual a KPI must reach for an ancestor (default: its goal) to hit its target')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import actuals (or targets) per period from a spreadsheet or CSV into a document''s series')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge two copies of a document edited apart (A and B, from BASE) as a room merges them')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes')
            [CompletionResult]::new('room', 'room', [CompletionResultType]::ParameterValue, 'Take part in a room without a window (for scripts)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell''s completion script (bash, zsh, fish, powershell or elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kpitree;help;check' {
            break
        }
        'kpitree;help;templates' {
            break
        }
        'kpitree;help;new' {
            break
        }
        'kpitree;help;export' {
            break
        }
        'kpitree;help;analyze' {
            break
        }
        'kpitree;help;seek' {
            break
        }
        'kpitree;help;import' {
            break
        }
        'kpitree;help;merge' {
            break
        }
        'kpitree;help;serve' {
            break
        }
        'kpitree;help;room' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back')
            break
        }
        'kpitree;help;room;sync' {
            break
        }
        'kpitree;help;schema' {
            break
        }
        'kpitree;help;completions' {
            break
        }
        'kpitree;help;man' {
            break
        }
        'kpitree;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
