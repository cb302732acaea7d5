//! The desktop editor (feature `gui`): eframe/egui with kpitree's own canvas.

mod actions;
mod analysis_ui;
mod app;
#[allow(clippy::cast_possible_truncation, reason = "f64 diagram coordinates as f32 points; pixels; indices")]
mod canvas;
mod card;
#[allow(clippy::cast_possible_truncation, reason = "chart coordinates (f64) drawn as egui points (f32)")]
mod chart_ui;
mod commands;
mod derived_ui;
mod diagnostics_ui;
mod disk;
mod export_ui;
mod files;
mod fonts;
mod frame;
mod i18n;
mod import_ui;
mod input_order;
mod inspector_ui;
mod long_text;
mod menu_ui;
mod merge_ui;
mod palette;
mod present;
mod question;
mod recovery_ui;
pub mod renderer;
mod room_ui;
mod search;
mod selection;
mod series_ui;
mod settings_ui;

use std::path::PathBuf;

pub use app::KpiApp;
#[doc(hidden)]
pub use long_text::LongField;
#[doc(hidden)]
pub use recovery_ui::{install_panic_hook, write_at_risk};

/// kpitree's icon at 256 px (`assets/icons/`).
const WINDOW_ICON: &[u8] = include_bytes!("../../assets/icons/kpitree-256.png");

/// Opens the editor window on `file` (or the welcome template) and returns
/// the process exit status when it closes.
pub fn run(file: Option<PathBuf>) -> i32 {
    recovery_ui::install_panic_hook();
    // Read before any window: bounded, never waiting on a FIFO.
    let settings = match crate::io::Settings::default_file() {
        Some(path) => {
            let (settings, problem) = crate::io::Settings::load(&path, crate::lang::Lang::from_env());
            if let Some(problem) = problem {
                eprintln!("kpitree: {problem}");
            }
            settings
        }
        None => crate::io::Settings::in_memory(),
    };
    let (position, size) = settings_ui::window(&settings).map_or((None, [1400.0, 900.0]), |(p, s)| (Some(p), s));
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size(size)
        .with_min_inner_size([640.0, 400.0])
        .with_app_id("kpitree");
    if let Some(position) = position {
        viewport = viewport.with_position(position);
    }
    // The window icon (the desktop entry's icon covers installed copies).
    if let Ok(icon) = eframe::icon_data::from_png_bytes(WINDOW_ICON) {
        viewport = viewport.with_icon(icon);
    }
    // The language the editor would speak: the one chosen in it, else the locale's.
    let lang = settings_ui::lang(&settings).unwrap_or_else(crate::lang::Lang::from_env);
    let forced = std::env::var(renderer::ENV).ok();
    let order = match renderer::order(forced.as_deref(), renderer::BUILT_IN, lang) {
        Ok(order) => order,
        Err(message) => {
            crate::platform::show_error("kpitree", &message);
            return crate::exit::BAD_INPUT;
        }
    };
    // Taken by the first renderer that gets as far as creating the app; a
    // renderer that fails before that leaves them for the next one.
    let start = std::cell::RefCell::new(Some((settings, file)));
    let mut tried = Vec::new();
    let wgpu_backend = std::env::var(renderer::WGPU_ENV).ok();
    'renderers: for choice in order {
        let Some(eframe_renderer) = choice.to_eframe() else { continue };
        for backend in renderer::backends(choice, wgpu_backend.as_deref()) {
            #[allow(unused_mut, reason = "only Windows builds have wgpu's options")]
            let mut options =
                eframe::NativeOptions { renderer: eframe_renderer, viewport: viewport.clone(), ..Default::default() };
            #[cfg(windows)]
            if let (Some(backend), eframe::egui_wgpu::WgpuSetup::CreateNew(setup)) =
                (backend, &mut options.wgpu_options.wgpu_setup)
            {
                setup.instance_descriptor.backends = match backend {
                    renderer::Backend::Dx12 => wgpu::Backends::DX12,
                    renderer::Backend::Vulkan => wgpu::Backends::VULKAN,
                };
            }
            let result = eframe::run_native(
                "kpitree",
                options,
                Box::new(|cc| match start.borrow_mut().take() {
                    Some((settings, file)) => Ok(Box::new(KpiApp::new(&cc.egui_ctx, settings, file))),
                    None => Err("the editor was already started once".into()),
                }),
            );
            match result {
                Ok(()) => return 0,
                Err(e) => {
                    let error = backend.map_or_else(|| e.to_string(), |b| format!("{}: {e}", b.name()));
                    eprintln!("kpitree: the {} renderer cannot open the window: {error}", choice.name());
                    tried.push((choice, error));
                    // Failed after the editor had started: not a start to retry.
                    if start.borrow().is_none() {
                        break 'renderers;
                    }
                }
            }
        }
    }
    crate::platform::show_error("kpitree", &renderer::failure_message(&tried, renderer::BUILT_IN, lang));
    crate::exit::BAD_INPUT
}
