; kpitree's Windows installer (NSIS 3.08 or later; Debian's `nsis` builds it).
; Built by scripts/build-windows.sh, which passes:
;   -DVERSION=0.1.0  -DSTAGE=<folder with kpitree.exe, kpitree.com, licenses\>
;   -DOUTFILE=<installer .exe>  [-DSIGN=<command that signs "%1" in place>]
;
; Per user, without administrator rights: %LOCALAPPDATA%\Programs\kpitree,
; registry entries under HKCU only. Sections: the program (always), a Start
; menu entry, .kpitree.json / .json "Open with" association with the icon,
; kpitree on the user's PATH (for `kpitree check …` in cmd and PowerShell),
; and, unticked, a desktop shortcut. Silent: `kpitree-setup.exe /S`
; (`/D=C:\path` as the last argument picks the folder); the uninstaller
; takes /S too. Settings and crash copies in %APPDATA%\kpitree are the
; user's and stay.

; kpitree is x86-64 only: so is its installer (which also lets Wine run it without
; 32-bit support).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinMessages.nsh
!include StrFunc.nsh
${StrLoc}
${UnStrRep}

!ifndef VERSION | STAGE | OUTFILE
  !error "pass -DVERSION=… -DSTAGE=… -DOUTFILE=… (scripts/build-windows.sh does)"
!endif
!ifdef SIGN
  !finalize '${SIGN}'
  !uninstfinalize '${SIGN}'
!endif

!define APP "kpitree"
!define PROGID "kpitree.document"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\kpitree"
!define APPPATHS_KEY "Software\Microsoft\Windows\CurrentVersion\App Paths\kpitree.exe"
!define CLASSES "Software\Classes"

Name "kpitree"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\kpitree"
InstallDirRegKey HKCU "Software\kpitree" "InstallDir"
BrandingText "kpitree ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "kpitree"
VIAddVersionKey /LANG=0 "FileDescription" "kpitree ${VERSION} setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "kpitree developers"
VIAddVersionKey /LANG=0 "LegalCopyright" "kpitree developers; MIT OR Apache-2.0"

!define MUI_ICON "kpitree.ico"
!define MUI_UNICON "kpitree.ico"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\kpitree.exe"
!define MUI_FINISHPAGE_NOAUTOCLOSE

!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first is the default; Windows' display language picks between them.
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

LangString NameMain ${LANG_JAPANESE} "kpitree (必須)"
LangString NameMain ${LANG_ENGLISH} "kpitree (required)"
LangString DescMain ${LANG_JAPANESE} "エディタとコマンド (kpitree.exe, kpitree.com)、ライセンス、アンインストーラー"
LangString DescMain ${LANG_ENGLISH} "The editor and the commands (kpitree.exe, kpitree.com), licences, uninstaller"
LangString NameStart ${LANG_JAPANESE} "スタート メニュー"
LangString NameStart ${LANG_ENGLISH} "Start menu entry"
LangString DescStart ${LANG_JAPANESE} "スタート メニューに kpitree を追加します"
LangString DescStart ${LANG_ENGLISH} "kpitree in the Start menu"
LangString NameAssoc ${LANG_JAPANESE} "ファイルの関連付け"
LangString NameAssoc ${LANG_ENGLISH} "File association"
LangString DescAssoc ${LANG_JAPANESE} ".kpitree.json を kpitree で開けるようにします (「プログラムから開く」とアイコン)"
LangString DescAssoc ${LANG_ENGLISH} "Open .kpitree.json files with kpitree ($\"Open with$\" and the icon)"
LangString NamePath ${LANG_JAPANESE} "PATH に追加"
LangString NamePath ${LANG_ENGLISH} "Add to PATH"
LangString DescPath ${LANG_JAPANESE} "コマンド プロンプトや PowerShell で kpitree check などを使えるようにします"
LangString DescPath ${LANG_ENGLISH} "Use kpitree check, export, … from cmd and PowerShell"
LangString NameDesktop ${LANG_JAPANESE} "デスクトップのショートカット"
LangString NameDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString DescDesktop ${LANG_JAPANESE} "デスクトップに kpitree のショートカットを作ります"
LangString DescDesktop ${LANG_ENGLISH} "A kpitree shortcut on the desktop"
LangString DocType ${LANG_JAPANESE} "KPI ツリー"
LangString DocType ${LANG_ENGLISH} "KPI tree"
LangString PathTooLong ${LANG_JAPANESE} "PATH が長すぎるため変更しません。kpitree のフォルダーを手で追加してください: $INSTDIR"
LangString PathTooLong ${LANG_ENGLISH} "PATH is too long to change safely; not changed. Add kpitree's folder by hand: $INSTDIR"
LangString Running ${LANG_JAPANESE} "kpitree が実行中です。閉じてから「再試行」を押してください。"
LangString Running ${LANG_ENGLISH} "kpitree is running. Close it, then press Retry."

; Longer than this, the user's PATH could have been cut short when read
; (NSIS strings hold NSIS_MAX_STRLEN characters): then it is left alone.
!define PATH_SAFE_LEN 900

Section "!$(NameMain)" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A running kpitree.exe cannot be replaced: ask, rather than fail half-way.
  SetOverwrite try
  retry:
  ClearErrors
  File "${STAGE}\kpitree.exe"
  File "${STAGE}\kpitree.com"
  ${If} ${Errors}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(Running)" /SD IDCANCEL IDRETRY retry
    Abort
  ${EndIf}
  SetOverwrite on
  SetOutPath "$INSTDIR\licenses"
  File "${STAGE}\licenses\*.*"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "Software\kpitree" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "kpitree"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "kpitree developers"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\kpitree.exe,0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
  ; Win+R and the Start menu's search find "kpitree".
  WriteRegStr HKCU "${APPPATHS_KEY}" "" "$INSTDIR\kpitree.exe"
SectionEnd

Section "$(NameStart)" SecStart
  CreateShortcut "$SMPROGRAMS\kpitree.lnk" "$INSTDIR\kpitree.exe" "" "$INSTDIR\kpitree.exe" 0 SW_SHOWNORMAL "" "kpitree"
SectionEnd

Section "$(NameAssoc)" SecAssoc
  ; Windows knows a file's type by its last extension, so a.kpitree.json is
  ; a .json file to Explorer: kpitree is offered under "Open with" for
  ; .json, and becomes the default only where no program had claimed .json.
  ; .kpitree.json is registered too, for programs that look at the whole name.
  WriteRegStr HKCU "${CLASSES}\${PROGID}" "" "$(DocType)"
  WriteRegStr HKCU "${CLASSES}\${PROGID}" "FriendlyTypeName" "$(DocType)"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\DefaultIcon" "" "$INSTDIR\kpitree.exe,0"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\shell" "" "open"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\shell\open\command" "" '"$INSTDIR\kpitree.exe" "%1"'
  WriteRegStr HKCU "${CLASSES}\.kpitree.json" "" "${PROGID}"
  WriteRegStr HKCU "${CLASSES}\.kpitree.json" "Content Type" "application/x-kpitree+json"
  WriteRegStr HKCU "${CLASSES}\.kpitree.json\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "${CLASSES}\.json\OpenWithProgids" "${PROGID}" ""
  ReadRegStr $0 HKCR ".json" ""
  ${If} $0 == ""
    WriteRegStr HKCU "${CLASSES}\.json" "" "${PROGID}"
  ${EndIf}
  WriteRegStr HKCU "${CLASSES}\Applications\kpitree.exe" "FriendlyAppName" "kpitree"
  WriteRegStr HKCU "${CLASSES}\Applications\kpitree.exe\DefaultIcon" "" "$INSTDIR\kpitree.exe,0"
  WriteRegStr HKCU "${CLASSES}\Applications\kpitree.exe\shell\open\command" "" '"$INSTDIR\kpitree.exe" "%1"'
  WriteRegStr HKCU "${CLASSES}\Applications\kpitree.exe\SupportedTypes" ".json" ""
  WriteRegStr HKCU "${CLASSES}\Applications\kpitree.exe\SupportedTypes" ".kpitree.json" ""
  ; SHCNE_ASSOCCHANGED: Explorer shows the new icon and entry at once.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "$(NamePath)" SecPath
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  ${StrLoc} $2 "$0;" "$INSTDIR;" ">"
  ${If} $2 != ""
    ; Already there.
  ${ElseIf} $1 > ${PATH_SAFE_LEN}
    DetailPrint "$(PathTooLong)"
  ${Else}
    ${If} $0 == ""
      StrCpy $0 "$INSTDIR"
    ${Else}
      StrCpy $0 "$0;$INSTDIR"
    ${EndIf}
    WriteRegExpandStr HKCU "Environment" "Path" "$0"
    WriteRegDWORD HKCU "Software\kpitree" "AddedToPath" 1
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
  ${EndIf}
SectionEnd

Section /o "$(NameDesktop)" SecDesktop
  CreateShortcut "$DESKTOP\kpitree.lnk" "$INSTDIR\kpitree.exe" "" "$INSTDIR\kpitree.exe" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMain} "$(DescMain)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStart} "$(DescStart)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAssoc} "$(DescAssoc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecPath} "$(DescPath)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(DescDesktop)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  Delete "$INSTDIR\kpitree.exe"
  Delete "$INSTDIR\kpitree.com"
  Delete "$INSTDIR\licenses\*.*"
  RMDir "$INSTDIR\licenses"
  Delete "$INSTDIR\uninstall.exe"
  ; Only if empty: never a folder with the user's own files in it.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\kpitree.lnk"
  Delete "$DESKTOP\kpitree.lnk"

  DeleteRegKey HKCU "${CLASSES}\${PROGID}"
  DeleteRegKey HKCU "${CLASSES}\Applications\kpitree.exe"
  DeleteRegValue HKCU "${CLASSES}\.json\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.json\OpenWithProgids"
  ReadRegStr $0 HKCU "${CLASSES}\.json" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue HKCU "${CLASSES}\.json" ""
  ${EndIf}
  DeleteRegKey /ifempty HKCU "${CLASSES}\.json"
  ReadRegStr $0 HKCU "${CLASSES}\.kpitree.json" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "${CLASSES}\.kpitree.json"
  ${EndIf}

  ReadRegDWORD $0 HKCU "Software\kpitree" "AddedToPath"
  ${If} $0 == 1
    ReadRegStr $1 HKCU "Environment" "Path"
    StrLen $2 $1
    ${If} $2 < ${NSIS_MAX_STRLEN}
      ${UnStrRep} $1 "$1" ";$INSTDIR" ""
      ${UnStrRep} $1 "$1" "$INSTDIR;" ""
      ${If} $1 == "$INSTDIR"
        StrCpy $1 ""
      ${EndIf}
      ${If} $1 == ""
        DeleteRegValue HKCU "Environment" "Path"
      ${Else}
        WriteRegExpandStr HKCU "Environment" "Path" "$1"
      ${EndIf}
      SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
    ${EndIf}
  ${EndIf}

  DeleteRegKey HKCU "${APPPATHS_KEY}"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\kpitree"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
