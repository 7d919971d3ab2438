; Duka POS till: the Windows installer (Inno Setup 6.3+), built from the PyInstaller bundle in
; dist\duka-till by .github/workflows/installers.yml:
;   iscc /DAppVersion=X.Y.Z installers\windows\duka-till.iss   (X.Y.Z: pyproject.toml's version)
; It installs for the current user, with no administrator rights, to
; %LOCALAPPDATA%\Programs\Duka POS. The till keeps its ledger in %LOCALAPPDATA%\duka-pos and its
; data key in the Windows Credential Manager; the uninstaller removes only what it installed,
; so both stay for a reinstall.

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z
#endif
#define AppName "Duka POS"
#define AppExe "duka-till.exe"

[Setup]
; AppId ties upgrades and the uninstaller to this product: never change it
AppId={{6B1C1B8E-5D7A-4C1E-9F3B-2A4D8E0C7F11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Duka POS
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=duka-till-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\duka-till.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\duka-till\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Point of sale till"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
