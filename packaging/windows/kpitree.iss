; Inno Setup 6 script for kpitree (see README.md). Not built on the project's Linux CI.
#define AppName "kpitree"
#define AppVersion "0.1.0"

[Setup]
AppId={{6B1D3C52-4E07-4C3E-9F54-7A0D2B9C1E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=kpitree developers
DefaultDirName={autopf}\kpitree
DefaultGroupName=kpitree
OutputDir=..\..\target\windows
OutputBaseFilename=kpitree-{#AppVersion}-setup
SetupIconFile=kpitree.ico
UninstallDisplayIcon={app}\kpitree.exe
LicenseFile=..\..\LICENSE-MIT
ChangesAssociations=yes
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "japanese"; MessagesFile: "compiler:Languages\Japanese.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\target\release\kpitree.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "kpitree.ico"; DestDir: "{app}"
Source: "..\..\LICENSE-MIT"; DestDir: "{app}\licenses"
Source: "..\..\LICENSE-APACHE"; DestDir: "{app}\licenses"
Source: "..\..\assets\fonts\OFL.txt"; DestDir: "{app}\licenses"; DestName: "OFL-BIZ-UDPGothic.txt"

[Icons]
Name: "{group}\kpitree"; Filename: "{app}\kpitree.exe"; IconFilename: "{app}\kpitree.ico"

[Registry]
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "kpitree.document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\kpitree.document"; ValueType: string; ValueName: ""; ValueData: "KPI tree document"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\kpitree.document\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\kpitree.ico"
Root: HKA; Subkey: "Software\Classes\kpitree.document\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\kpitree.exe"" ""%1"""
