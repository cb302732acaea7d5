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
    New => ("新規…", "New…"),
    Open => ("開く…", "Open…"),
    Save => ("保存", "Save"),
    SaveAs => ("名前を付けて保存…", "Save As…"),
    Recent => ("最近使ったファイル", "Recent files"),
    Undo => ("元に戻す", "Undo"),
    Copy => ("コピー", "Copy"),
    Cut => ("切り取り", "Cut"),
    Paste => ("貼り付け", "Paste"),
    Duplicate => ("複製", "Duplicate"),
    Redo => ("やり直す", "Redo"),
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
    Saved => ("保存しました", "Saved"),
    RecoveryTitle => ("保存されていない作業があります", "Unsaved work was recovered"),
    RecoveryBody => ("前回、保存せずに終了したときの内容を復元できます。", "kpitree closed without saving last time. Restore that work?"),
    WrittenAgo => ("", "written"),
    MinutesAgo => ("分前", "minutes ago"),
    Restore => ("復元する", "Restore"),
    Quit => ("終了", "Quit"),
    Export => ("書き出し…", "Export…"),
    Analysis => ("分析", "Analysis"),
    CompactYen => ("金額を万円・億円で表示", "Show yen in 万 / 億"),
    CompactYenHint => ("円の金額を 1.23 億円、3,400 万円 のように表示します(入力欄はそのまま)", "Shows amounts in 円 as 1.23 億円 or 3,400 万円 on cards (input fields keep every digit)"),
    Bottlenecks => ("ボトルネック", "Bottlenecks"),
    BottlenecksHint => ("その KPI だけが目標に届いたとき、ゴールの実績がどれだけ伸びるか(差に占める割合)", "How much the goal's actual gains if that KPI alone reaches its target (and the share of the gap)"),
    NoBottlenecks => ("目標と実績のある末端 KPI が、実績のあるゴールの計算につながっていません。", "No leaf KPI with a target and an actual feeds a goal that has an actual."),
    BottleneckMark => ("ボトルネック上位(分析タブ)", "A top bottleneck (see the Analysis tab)"),
    OverriddenMark => ("What-if シナリオで値を変えています", "Overridden by the what-if scenario"),
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
    CopyImage => ("図を画像としてコピー", "Copy diagram as image"),
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
    ExportFailed => ("書き出せませんでした", "Could not export"),
    View => ("表示", "View"),
    Language => ("言語", "Language"),
    AddKgi => ("＋ KGI", "+ KGI"),
    AddKsf => ("＋ KSF", "+ KSF"),
    AddKpi => ("＋ KPI", "+ KPI"),
    AddKgiHint => ("ゴール (KGI) を追加", "Add a goal (KGI)"),
    AddKsfHint => ("成功要因 (KSF) を追加", "Add a success factor (KSF)"),
    AddKpiHint => ("指標 (KPI) を追加", "Add an indicator (KPI)"),
    NewKgi => ("新しいゴール", "New goal"),
    NewKsf => ("新しい成功要因", "New success factor"),
    NewKpi => ("新しい KPI", "New KPI"),
    Delete => ("削除", "Delete"),
    Arrange => ("整列", "Arrange"),
    ArrangeHint => ("ツリーを左から右へ自動配置 (Ctrl+L)", "Lay the tree out left to right (Ctrl+L)"),
    Fit => ("全体表示", "Fit"),
    FitHint => ("ツリー全体を表示 (Home / Ctrl+0)", "Show the whole tree (Home / Ctrl+0)"),
    Rename => ("名前を変更", "Rename"),
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
    Evaluating => ("計算中…", "Evaluating…"),
    ChangeOp => ("演算子を変更", "Change operator"),
    OpLink => ("関連 (計算しない)", "link (no arithmetic)"),
    CreateHere => ("ここに作成", "Create here"),
    CreateConnected => ("つないで作成", "Create connected"),
    Untitled => ("無題", "Untitled"),
    OpenFailed => ("ファイルを開けませんでした", "Could not open the file"),
    Close => ("閉じる", "Close"),
}

/// A new node of `kind` at `pos` with a fresh id and the default name in
/// `lang`: what the toolbar, the canvas menu and the dropped-wire menu add.
pub fn new_node(
    doc: &crate::model::Document,
    kind: crate::model::Kind,
    lang: Lang,
    pos: [f64; 2],
) -> crate::model::Node {
    let id = doc.fresh_id(&kind.as_str().to_ascii_lowercase());
    let mut node = crate::model::Node::new(id, kind, T::new_name(kind, lang));
    node.pos = Some(pos);
    node
}
