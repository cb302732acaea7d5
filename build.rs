//! Windows only: embeds kpitree's icon, version information and manifest
//! (packaging/windows/) in the executables, so that Explorer, the taskbar
//! and the file's Properties show them. Other targets build nothing here.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=packaging/windows/kpitree.ico");
    println!("cargo:rerun-if-changed=packaging/windows/kpitree.manifest");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = winresource::WindowsResource::new();
    res.set_icon("packaging/windows/kpitree.ico")
        .set_manifest_file("packaging/windows/kpitree.manifest")
        .set("ProductName", "kpitree")
        .set("FileDescription", "kpitree - KPI tree editor")
        .set("CompanyName", "kpitree developers")
        .set("LegalCopyright", "kpitree developers; MIT OR Apache-2.0")
        .set("OriginalFilename", "kpitree.exe")
        .set("InternalName", "kpitree");
    if let Err(e) = res.compile() {
        // An .exe without its icon and manifest (no common controls 6, no
        // UTF-8 code page) is not one to ship: stop with what to install.
        panic!(
            "cannot embed the Windows resources (icon, version, manifest): {e}; \
             cross-building needs x86_64-w64-mingw32-windres (Debian: binutils-mingw-w64-x86-64), \
             building on Windows with MSVC needs the Windows SDK's rc.exe"
        );
    }
}
