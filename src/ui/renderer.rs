//! Which renderer draws the window, and what to do when it cannot start.
//!
//! glow (OpenGL ≥ 2) is tried first everywhere. On Windows the build also
//! has wgpu on DirectX 12, which runs on any GPU with a DirectX 12 driver
//! and, where there is none (Remote Desktop, VDI, a VM offering only
//! OpenGL 1.1), on WARP, Windows' own software rasteriser — and on Vulkan
//! where a driver offers it: when glow cannot start, wgpu is tried. `KPITREE_RENDERER=glow|wgpu` forces one.
//! When none starts, the person who double-clicked the icon is told why in a
//! message box (standard error elsewhere), not left with nothing.

use crate::lang::Lang;

/// The environment variable that forces a renderer.
pub const ENV: &str = "KPITREE_RENDERER";

/// A renderer eframe can draw with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    /// OpenGL 2+ through glutin (WGL, EGL, GLX).
    Glow,
    /// wgpu: DirectX 12 (a GPU or WARP) or Vulkan, on Windows.
    Wgpu,
}

impl Renderer {
    /// The name `KPITREE_RENDERER` takes.
    pub fn name(self) -> &'static str {
        match self {
            Renderer::Glow => "glow",
            Renderer::Wgpu => "wgpu",
        }
    }

    fn parse(name: &str) -> Option<Renderer> {
        match name.trim().to_ascii_lowercase().as_str() {
            "glow" | "opengl" | "gl" => Some(Renderer::Glow),
            "wgpu" | "dx12" | "d3d12" => Some(Renderer::Wgpu),
            _ => None,
        }
    }

    /// What eframe calls it; `None` for a renderer this build lacks.
    pub fn to_eframe(self) -> Option<eframe::Renderer> {
        match self {
            Renderer::Glow => Some(eframe::Renderer::Glow),
            #[cfg(windows)]
            Renderer::Wgpu => Some(eframe::Renderer::Wgpu),
            #[cfg(not(windows))]
            Renderer::Wgpu => None,
        }
    }
}

/// wgpu's own variable that picks its graphics API (`dx12`, `vulkan`, …).
pub const WGPU_ENV: &str = "WGPU_BACKEND";

/// A graphics API wgpu can draw with on Windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// DirectX 12: a GPU's driver, else WARP.
    Dx12,
    /// Vulkan, where a driver offers it (and under Wine, where DirectX 12
    /// fails but Wine's Vulkan bridge draws).
    Vulkan,
}

impl Backend {
    /// How the failure message names it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Dx12 => "DirectX 12",
            Backend::Vulkan => "Vulkan",
        }
    }
}

/// The attempts to make with `renderer`: glow once; wgpu on DirectX 12,
/// then on Vulkan when that fails (wgpu itself settles on one adapter and
/// gives up when its device fails) — or once as wgpu chooses when
/// `wgpu_backend` (the value of [`WGPU_ENV`]) names an API.
pub fn backends(renderer: Renderer, wgpu_backend: Option<&str>) -> Vec<Option<Backend>> {
    match renderer {
        Renderer::Wgpu if wgpu_backend.is_none_or(|b| b.trim().is_empty()) => {
            vec![Some(Backend::Dx12), Some(Backend::Vulkan)]
        }
        _ => vec![None],
    }
}

/// The renderers of this build, in the order they are tried.
pub const BUILT_IN: &[Renderer] = if cfg!(windows) { &[Renderer::Glow, Renderer::Wgpu] } else { &[Renderer::Glow] };

/// The renderers to try, in order: `built_in` as it is, or the one that
/// `forced` (the value of `KPITREE_RENDERER`) names. An empty value forces
/// nothing; an unknown name, or one this build lacks, is an error to show.
pub fn order(forced: Option<&str>, built_in: &[Renderer], lang: Lang) -> Result<Vec<Renderer>, String> {
    let Some(name) = forced.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(built_in.to_vec()) };
    let names = built_in.iter().map(|r| r.name()).collect::<Vec<_>>().join(", ");
    match Renderer::parse(name) {
        Some(r) if built_in.contains(&r) => Ok(vec![r]),
        Some(_) => Err(match lang {
            Lang::Ja => format!("{ENV}={name}: この kpitree にはその描画方式がありません(あるのは {names})"),
            Lang::En => format!("{ENV}={name}: this build of kpitree does not have that renderer (it has {names})"),
        }),
        None => Err(match lang {
            Lang::Ja => format!("{ENV}={name}: 不明な描画方式です({names} のどれかを指定してください)"),
            Lang::En => format!("{ENV}={name}: unknown renderer (use one of {names})"),
        }),
    }
}

/// The message for a window that no renderer could open: each renderer
/// tried with its error, and what can be done — a renderer of `built_in`
/// not tried yet (`KPITREE_RENDERER` forced another), else the driver.
pub fn failure_message(tried: &[(Renderer, String)], built_in: &[Renderer], lang: Lang) -> String {
    let mut text = lang
        .pick(
            "エディタのウィンドウを開けませんでした。試した描画方式とその理由:",
            "The editor window could not be opened. The renderers tried, and why each failed:",
        )
        .to_owned();
    for (renderer, error) in tried {
        text.push_str(&format!("\n\n• {}: {error}", renderer.name()));
    }
    text.push_str("\n\n");
    text.push_str(lang.pick(
        "OpenGL 2 以上 (glow) か、DirectX 12 (wgpu、GPU がなくても WARP で動きます) または Vulkan が必要です。\
         リモート デスクトップや仮想マシンでは、グラフィックス ドライバーを更新してください。",
        "kpitree needs OpenGL 2 or later (glow), or DirectX 12 (wgpu, which runs on WARP without a GPU) or Vulkan. \
         On Remote Desktop or in a virtual machine, update the graphics driver.",
    ));
    let untried: Vec<&str> =
        built_in.iter().filter(|r| !tried.iter().any(|(t, _)| t == *r)).map(|r| r.name()).collect();
    if !untried.is_empty() {
        let vars = untried.iter().map(|name| format!("{ENV}={name}")).collect::<Vec<_>>().join(lang.pick("、", ", "));
        text.push_str(&match lang {
            Lang::Ja => format!("環境変数 {vars} も試せます (まだ試していません)。"),
            Lang::En => format!(" Not tried yet: the environment variable {vars}."),
        });
    }
    text.push_str(lang.pick(
        "コマンド (kpitree check、kpitree export など) はウィンドウなしで使えます。",
        " The commands (kpitree check, kpitree export, …) work without a window.",
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: &[Renderer] = &[Renderer::Glow, Renderer::Wgpu];

    #[test]
    fn without_the_variable_every_built_in_renderer_is_tried_glow_first() {
        assert_eq!(order(None, BOTH, Lang::En).unwrap(), BOTH);
        assert_eq!(order(Some("  "), BOTH, Lang::En).unwrap(), BOTH);
        assert_eq!(BUILT_IN[0], Renderer::Glow);
        assert_eq!(BUILT_IN.contains(&Renderer::Wgpu), cfg!(windows));
    }

    #[test]
    fn the_variable_forces_one_renderer_in_any_case() {
        assert_eq!(order(Some("wgpu"), BOTH, Lang::En).unwrap(), [Renderer::Wgpu]);
        assert_eq!(order(Some("GLOW"), BOTH, Lang::En).unwrap(), [Renderer::Glow]);
        assert_eq!(order(Some("dx12"), BOTH, Lang::En).unwrap(), [Renderer::Wgpu]);
    }

    #[test]
    fn a_renderer_the_build_lacks_or_an_unknown_name_is_refused_with_what_there_is() {
        let e = order(Some("wgpu"), &[Renderer::Glow], Lang::En).unwrap_err();
        assert!(e.contains("KPITREE_RENDERER=wgpu") && e.contains("it has glow"), "{e}");
        let e = order(Some("vulkan"), BOTH, Lang::En).unwrap_err();
        assert!(e.contains("unknown renderer") && e.contains("glow, wgpu"), "{e}");
        let e = order(Some("vulkan"), BOTH, Lang::Ja).unwrap_err();
        assert!(e.contains("不明な描画方式"), "{e}");
    }

    #[test]
    fn the_failure_message_names_each_renderer_and_its_error() {
        let tried = [
            (Renderer::Glow, "egui_glow requires opengl 2.0+.".to_owned()),
            (Renderer::Wgpu, "no suitable adapter".to_owned()),
        ];
        let en = failure_message(&tried, BOTH, Lang::En);
        assert!(en.contains("• glow: egui_glow requires opengl 2.0+."), "{en}");
        assert!(en.contains("• wgpu: no suitable adapter"), "{en}");
        assert!(!en.contains("KPITREE_RENDERER="), "both were tried: nothing to suggest: {en}");
        let ja = failure_message(&tried, BOTH, Lang::Ja);
        assert!(ja.starts_with("エディタのウィンドウを開けませんでした"), "{ja}");
        assert!(ja.contains("• wgpu: no suitable adapter"), "{ja}");
    }

    /// Forced to wgpu (seen under Wine: the box told to try the very
    /// KPITREE_RENDERER=wgpu that had just failed), the message offers glow.
    #[test]
    fn wgpu_tries_directx_12_then_vulkan_unless_wgpu_backend_names_one() {
        assert_eq!(backends(Renderer::Wgpu, None), [Some(Backend::Dx12), Some(Backend::Vulkan)]);
        assert_eq!(backends(Renderer::Wgpu, Some(" ")), [Some(Backend::Dx12), Some(Backend::Vulkan)]);
        assert_eq!(backends(Renderer::Wgpu, Some("vulkan")), [None], "wgpu's own choice");
        assert_eq!(backends(Renderer::Glow, None), [None]);
    }

    #[test]
    fn the_failure_message_suggests_only_a_renderer_not_tried() {
        let tried = [(Renderer::Wgpu, "Parent device is lost".to_owned())];
        let en = failure_message(&tried, BOTH, Lang::En);
        assert!(en.contains("KPITREE_RENDERER=glow") && !en.contains("KPITREE_RENDERER=wgpu"), "{en}");
        let ja = failure_message(&tried, BOTH, Lang::Ja);
        assert!(ja.contains("環境変数 KPITREE_RENDERER=glow も試せます"), "{ja}");
    }
}
