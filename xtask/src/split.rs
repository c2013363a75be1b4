//! `cargo xtask split`: trunk's post-build hook that cuts the console's wasm into lazily
//! loaded chunks, one per page route (`crates/web/src/routes.rs`) plus the chunks pages share.
//!
//! Trunk 0.21 cannot split a wasm itself (trunk-rs/trunk#1022): it runs wasm-bindgen on the
//! whole module. So this hook starts again from cargo's output (linked with `--emit-relocs`,
//! which the splitter needs and wasm-bindgen would strip), splits it with
//! `wasm_split_cli_support` (the splitter cargo-leptos uses), runs wasm-bindgen on the main
//! part, and writes the result over the files trunk staged, under trunk's own names, so the
//! `index.html` trunk wrote loads it unchanged. Then it minifies that JavaScript and drops
//! `index.html`'s comments (`minify`). The chunks' loader fetches each chunk relative to
//! itself (`new URL("./chunk_N.wasm", import.meta.url)`), so the console works under any base
//! path (crates/web/src/site.rs).

use std::path::{Path, PathBuf};

use crate::{root, run};

/// The crate trunk builds (`index.html`'s `data-bin`).
const BIN: &str = "ontap-web";

/// Splits the staged console. `profile` is the cargo profile trunk built with.
pub fn split(profile: &str) -> Result<(), String> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("`cargo xtask split` runs as trunk's post_build hook (TRUNK_STAGING_DIR unset)")?;
    let input = root()
        .join("target/wasm32-unknown-unknown")
        .join(profile)
        .join(format!("{BIN}.wasm"));
    let stem = staged_stem(&staging)?;
    let wasm =
        std::fs::read(&input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;

    let work = root().join("target/wasm-split");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let main_wasm = work.join(format!("{stem}.wasm"));
    let main_module = format!("./{stem}.js");
    let link_name = format!("./{stem}_split.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&wasm);
        options.output_dir = &staging;
        options.main_out_path = &main_wasm;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|e| format!("splitting {}: {e:#}", input.display()))?;

    let out_dir = format!("--out-dir={}", staging.display());
    let out_name = format!("--out-name={stem}");
    let main_path = main_wasm.display().to_string();
    run(
        "wasm-bindgen",
        &[
            "--target=web",
            "--no-typescript",
            "--keep-lld-exports",
            "--no-demangle",
            &out_dir,
            &out_name,
            &main_path,
        ],
    )?;
    crate::minify::javascript(&staging.join(format!("{stem}.js")))?;
    crate::minify::javascript(&staging.join(format!("{stem}_split.js")))?;
    crate::minify::html_comments(&staging.join("index.html"))?;
    eprintln!(
        "xtask: split {BIN} into its main module and {} lazily loaded chunks; minified its \
         JavaScript, dropped index.html's comments",
        split.split_modules.len()
    );
    Ok(())
}

/// The name trunk gave the console's JS loader (`ontap-web-<hash>`, without `.js`).
fn staged_stem(staging: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(staging)
        .map_err(|e| format!("cannot read {}: {e}", staging.display()))?;
    let prefix = format!("{BIN}-");
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .find_map(|name| {
            name.strip_suffix(".js")
                .filter(|stem| stem.starts_with(&prefix) && !stem.ends_with("_split"))
                .map(str::to_owned)
        })
        .ok_or_else(|| format!("trunk staged no {prefix}<hash>.js in {}", staging.display()))
}
