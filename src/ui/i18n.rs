//! Every string the editor shows, in Japanese and English.

use crate::lang::Lang;

macro_rules! texts {
    ($($key:ident => ($ja:literal, $en:literal),)*) => {
        /// A user-visible text of the editor.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum T { $(#[doc = $en] $key,)* }

        impl T {
            /// The name a new node of `kind` gets.
            pub fn new_name(kind: crate::model::Kind, lang: Lang) -> &'static str {
                match kind {
                    crate::model::Kind::Kgi => T::NewKgi,
                    crate::model::Kind::Ksf => T::NewKsf,
                    crate::model::Kind::Kpi => T::NewKpi,
                }
                .get(lang)
            }

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self { $(T::$key => lang.pick($ja, $en),)* }
            }
        }
    };
}

texts! {
    File => ("ファイル", "File"),
    Edit => ("編集", "Edit"),
    Open => ("開く…", "Open…"),
    Recent => ("最近使ったファイル", "Recent files"),
    NewDocument => ("新しいツリー", "New tree"),
    Blank => ("空のツリー", "Blank tree"),
    Cancel => ("キャンセル", "Cancel"),
    Discard => ("保存しない", "Don't save"),
    UnsavedTitle => ("変更が保存されていません", "Unsaved changes"),
    UnsavedBody => ("変更を保存しますか?", "Save the changes to this tree?"),
    PathPrompt => ("ファイルのパス", "File path"),
    OpenTitle => ("ファイルを開く", "Open file"),
    SaveTitle => ("名前を付けて保存", "Save as"),
    SaveFailed => ("保存できませんでした", "Could not save"),
    PasteFailed => ("貼り付けたアウトラインを読めませんでした", "Could not read the pasted outline"),
    Saved => ("保存しました", "Saved"),
    RecoveryTitle => ("保存されていない作業があります", "Unsaved work was recovered"),
    RecoveryBody => ("保存せずに終了したときの内容が残っています。一つずつ復元するか破棄してください(新しい順)。", "kpitree closed without saving. Restore or discard each copy of that work (newest first)."),
    MinutesAgo => ("分前", "minutes ago"),
    Restore => ("復元する", "Restore"),
    DiscardCopy => ("破棄", "Discard"),
    Later => ("後で", "Later"),
    LaterHint => ("残したまま閉じます。次に起動したときにもう一度表示します。", "Keeps every copy and asks again at the next start."),
    NodesCount => ("ノード", "nodes"),
    Analysis => ("分析", "Analysis"),
    CompactYenHint => ("円の金額を 1.23 億円、3,400 万円 のように表示します(入力欄はそのまま)", "Shows amounts in 円 as 1.23 億円 or 3,400 万円 on cards (input fields keep every digit)"),
    Bottlenecks => ("ボトルネック", "Bottlenecks"),
    BottlenecksHint => ("その KPI だけが目標に届いたとき、ゴールの実績がどれだけ伸びるか(差に占める割合)", "How much the goal's actual gains if that KPI alone reaches its target (and the share of the gap)"),
    NoBottlenecks => ("目標と実績のある末端 KPI が、実績のあるゴールの計算につながっていません。", "No leaf KPI with a target and an actual feeds a goal that has an actual."),
    BottleneckMark => ("ボトルネック上位(分析タブ)", "A top bottleneck (see the Analysis tab)"),
    OverriddenMark => ("What-if シナリオで値を変えています", "Overridden by the what-if scenario"),
    SharedMark => ("複数の親に共有された KPI", "A KPI shared by several parents"),
    Pacing => ("ペース", "Pacing"),
    PacingHint => ("期間の経過に比例した想定値と比べて順調か遅れか(level の KPI は常に目標全体)", "On track or behind the value expected by now (linear over the period; level KPIs: the whole target)"),
    NoPacing => ("期間の開始・終了・時点(period)を入れるとペースを判定します。", "Set the period's start, end and as-of date to see pacing."),
    WhatIf => ("What-if", "What-if"),
    WhatIfHint => ("シナリオでは任意のノードの目標・実績を仮に変え、ツリー全体の計算を確かめられます。ファイルに保存されます。", "A scenario overrides any node's target or actual and recomputes the whole tree; scenarios are saved in the file."),
    NoScenario => ("(シナリオなし)", "(no scenario)"),
    NewScenario => ("+ シナリオ", "+ Scenario"),
    ScenarioName => ("シナリオ", "Scenario"),
    DeleteScenario => ("削除", "Delete"),
    SelectToOverride => ("ノードを選ぶと、その目標・実績を仮に変えられます。", "Select a node to override its target or actual."),
    Own => ("元の値", "own"),
    ResetOverride => ("元に戻す", "Reset"),
    Allocate => ("逆算", "Allocate (逆算)"),
    AllocateHint => ("親の目標が成り立つように、この項の目標を他の項の目標から逆算します", "The target this term needs so that its parent's target holds, given the other terms' targets"),
    AllocateButtonHint => ("この値を目標に設定します(元に戻せます)", "Set this as the target (undoable)"),
    AllocateDone => ("目標はすでにこの値です", "The target already is this value"),
    Seek => ("ゴールシーク", "Goal seek"),
    SeekHint => ("ゴールが目標に届くために、このノードの実績がいくつ必要か(他は現在の実績のまま)", "The actual this node needs for its goal to reach its target, the others at their actuals"),
    SeekFor => ("の目標達成に必要な", "reaches its target with"),
    ExportTitle => ("書き出し", "Export"),
    DiagramCopied => ("図をクリップボードにコピーしました", "Diagram copied to the clipboard"),
    Format => ("形式", "Format"),
    Scale => ("倍率 (PNG)", "Scale (PNG)"),
    Transparent => ("背景を透明に", "Transparent background"),
    ShowValues => ("数値を表示", "Show values"),
    Fit169 => ("16:9 に合わせる", "Fit to 16:9"),
    Theme => ("デザイン", "Theme"),
    ThemeStandard => ("標準", "Standard"),
    ThemeSlide => ("スライド", "Slide"),
    WholeTree => ("ツリー全体", "Whole tree"),
    FromSelected => ("選択中のノード以下", "From the selected node"),
    ExportTo => ("保存先", "File"),
    ExportButton => ("書き出す", "Export"),
    Exported => ("書き出しました", "Exported"),
    Rendering => ("プレビューを作成中…", "Rendering the preview…"),
    ExportFailed => ("書き出せませんでした", "Could not export"),
    View => ("表示", "View"),
    Language => ("言語", "Language"),
    AddKgiHint => ("ゴール (KGI) を追加", "Add a goal (KGI)"),
    AddKsfHint => ("成功要因 (KSF) を追加", "Add a success factor (KSF)"),
    AddKpiHint => ("指標 (KPI) を追加", "Add an indicator (KPI)"),
    NewKgi => ("新しいゴール", "New goal"),
    NewKsf => ("新しい成功要因", "New success factor"),
    NewKpi => ("新しい KPI", "New KPI"),
    ArrangeHint => ("ツリーを左から右へ自動配置 (Ctrl+L)", "Lay the tree out left to right (Ctrl+L)"),
    FitHint => ("ツリー全体を表示 (Home / Ctrl+0)", "Show the whole tree (Home / Ctrl+0)"),
    Inspector => ("プロパティ", "Properties"),
    NothingSelected => ("ノードを選択すると、ここで編集できます。", "Select a node to edit it here."),
    Id => ("ID", "Id"),
    Kind => ("種類", "Kind"),
    Name => ("名前", "Name"),
    Unit => ("単位", "Unit"),
    Target => ("目標", "Target"),
    Actual => ("実績", "Actual"),
    Progress => ("達成率", "Progress"),
    Direction => ("良い方向", "Better when"),
    Up => ("高いほど良い", "higher"),
    Down => ("低いほど良い", "lower"),
    Deadline => ("期限", "Deadline"),
    Owner => ("担当", "Owner"),
    Indicator => ("指標の種類", "Indicator"),
    Leading => ("先行指標", "leading"),
    Lagging => ("遅行指標", "lagging"),
    NotSet => ("—", "—"),
    Source => ("データの出所", "Source"),
    Note => ("メモ", "Note"),
    Terms => ("構成要素 (項)", "Terms"),
    Parents => ("親", "Parents"),
    NoTerms => ("項がありません。右のピンから子ノードへドラッグしてつなぎます。", "No terms. Drag from the pin on the right to a child to connect."),
    MoveUp => ("上へ", "Move up"),
    MoveDown => ("下へ", "Move down"),
    Disconnect => ("切断", "Disconnect"),
    Computed => ("計算値", "computed"),
    ComputedHint => ("下位の項から計算された値", "Computed from its terms"),
    EnteredHint => ("空欄なら下位の項から計算します", "Leave empty to use the value computed from the terms"),
    InvalidNumber => ("数値として読めません", "Not a number"),
    InvalidDate => ("YYYY-MM-DD の形式で入力してください", "Use the form YYYY-MM-DD"),
    Diagnostics => ("診断", "Diagnostics"),
    NoDiagnostics => ("問題は見つかりませんでした。", "No problems found."),
    Evaluating => ("計算中…", "Computing…"),
    ChangeOp => ("演算子を変更", "Change operator"),
    PresentKeys => ("→ 次へ　← 戻る　1–9 階層　Esc 終了", "→ next   ← back   1–9 level   Esc end"),
    OpLink => ("関連 (計算しない)", "link (no arithmetic)"),
    CreateHere => ("ここに作成", "Create here"),
    CreateConnected => ("つないで作成", "Create connected"),
    Untitled => ("無題", "Untitled"),
    OpenFailed => ("ファイルを開けませんでした", "Could not open the file"),
    EmptyCanvas => ("Tab で項を追加 · Enter で同列に追加 · F1 でショートカット一覧", "Tab adds a term · Enter adds a sibling · F1 lists the shortcuts"),
    RefuseGoal => ("KGI(ゴール)は項にできません", "A goal (KGI) cannot be a term"),
    RefuseCycle => ("循環になるためつなげません", "That would make a cycle"),
    RefuseKsf => ("KSF は KPI の下に置けません", "A KSF cannot go under a KPI"),
    RefuseExists => ("すでに項です", "Already a term"),
    RefuseSelf => ("自分自身にはつなげません", "Not to itself"),
    Tree => ("ツリー", "Tree"),
    OpenWhole => ("全文を開く", "Open the whole text"),
    TextTooLong => ("長すぎるため、ここでは 1 ページずつ表示のみです。編集するには短くしてください。", "Too long to edit here: shown page by page. Shorten it to edit it."),
    ShortenText => ("先頭 256 KB に短くする", "Keep the first 256 KB"),
    ShortenTextHint => ("残りを削除します(元に戻せます)。", "Removes the rest (undoable)."),
    ReadOnly => ("読み取り専用", "read-only"),
    ChangedOnDisk => ("ディスク上で変更されました", "The file was changed on disk"),
    FileGone => ("ファイルがディスク上から移動または削除されました。保存すると作り直します", "The file was moved or deleted on disk; saving writes it again"),
    Reload => ("再読み込み", "Reload"),
    KeepEditing => ("このまま編集", "Keep editing"),
    Reloaded => ("ディスク上の変更を読み込みました", "Loaded the changes made on disk"),
    SaveOverChangeBody => ("ファイルはこのウィンドウで開いた後に別のプログラムで変更されています。上書きすると、その変更は失われます。", "Another program changed the file after this window read it. Overwriting it loses those changes."),
    Overwrite => ("上書き保存", "Overwrite"),
    LockedTitle => ("このファイルは別のウィンドウで開かれています", "This file is open in another window"),
    LockedBody => ("両方で編集すると、後から保存した側が他方の変更を消します。", "If both windows edit it, the later save erases the other's changes."),
    OpenReadOnly => ("読み取り専用で開く", "Open read-only"),
    OpenAnyway => ("かまわず開く", "Open anyway"),
    ReplaceTitle => ("このファイルはすでにあります。置き換えますか?", "This file exists. Replace it?"),
    Replace => ("置き換える", "Replace"),
    CommonUnits => ("よく使う単位", "Common units"),
    Title => ("タイトル", "Title"),
    Description => ("説明", "Description"),
    PeriodStart => ("期間の開始", "Period start"),
    PeriodEnd => ("期間の終了", "Period end"),
    PeriodAsOf => ("実績の時点", "Actuals as of"),
    PickDate => ("カレンダーから選ぶ", "Pick from a calendar"),
    Help => ("ヘルプ", "Help"),
    FindHint => ("名前・ID・担当・メモ", "name, id, owner or note"),
    FindNext => ("次へ (Enter)", "Next (Enter)"),
    FindPrevious => ("前へ (Shift+Enter)", "Previous (Shift+Enter)"),
    PaletteHint => ("コマンドを入力…", "Type a command…"),
    NoParentForOperator => ("親のないノードには演算子がありません", "A node without a parent has no operator"),
    AutoLayoutHint => ("オンのとき、構造を変えるたびにツリーを自動で整列します。オフのとき、カードは置いた位置のままです(ファイルに保存されます)", "When on, the tree is laid out again after every structural edit; when off, cards stay where you put them (saved in the file)"),
    Close => ("閉じる", "Close"),
    WorkerFailed => ("計算中に内部エラーが起きました。文書はそのままです。表示中の数値は最後に計算できたものです:", "An internal error stopped the calculation. The document is unchanged; the numbers shown are the last ones computed:"),
}

/// A new node of `kind` with a fresh id and the default name in `lang`:
/// what the toolbar, the keyboard and the canvas menus add. In free
/// placement it goes to `pos`; the automatic layout places it itself.
pub fn new_node(
    doc: &crate::model::Document,
    kind: crate::model::Kind,
    lang: Lang,
    pos: [f64; 2],
) -> crate::model::Node {
    let id = doc.fresh_id(&kind.as_str().to_ascii_lowercase());
    let mut node = crate::model::Node::new(id, kind, T::new_name(kind, lang));
    if doc.layout_mode() == crate::model::LayoutMode::Free {
        node.pos = Some(pos);
    }
    node
}
