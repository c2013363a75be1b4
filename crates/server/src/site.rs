//! The console as a site: `serve --site-config FILE` (the site's `console.json`, checked with
//! `ontap_core::site` at start and served at `/console.json`), `serve --base-path /prefix/` (the
//! `<base href>` written into `index.html` when a proxy in front strips that prefix), and
//! `ontap-console site-config` (prints an example file, or checks one with `--check`).
//!
//! The built console names its assets relative to `<base href="/">` (crates/web/src/site.rs), so
//! one build serves at the root or under any prefix; only that tag changes with the prefix.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use ontap_core::site::{self, SiteConfig, MAX_FILE_BYTES};

/// What `serve` tells the console about its site.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The prefix the browser sees the console under (`/storage/security/`); `None` keeps the
    /// built `<base href="/">`.
    pub base_path: Option<String>,
    /// `console.json`'s text, checked; `None` leaves `/console.json` to the console's folder.
    pub config: Option<Arc<str>>,
    /// The origins of `console.json`'s clusters on another origin: the page's
    /// Content-Security-Policy lets the console call them (`connect-src`).
    pub cluster_origins: Vec<String>,
}

/// Why a `console.json` given on the command line was refused.
#[derive(Debug, thiserror::Error)]
pub enum SiteFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Invalid {
        path: PathBuf,
        source: site::SiteError,
    },
}

/// Reads and checks a `console.json` (its size first, so a huge file is not read).
pub fn load(path: &Path) -> Result<(SiteConfig, String), SiteFileError> {
    use std::io::Read as _;
    let read_error = |source| SiteFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    let size = std::fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
    let invalid = |source| SiteFileError::Invalid {
        path: path.to_path_buf(),
        source,
    };
    if size > MAX_FILE_BYTES {
        return Err(invalid(site::SiteError::TooLarge {
            size,
            max: MAX_FILE_BYTES,
        }));
    }
    let config = site::parse(&bytes).map_err(invalid)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        invalid(site::SiteError::Invalid {
            field: "(the whole file)".into(),
            reason: "is not UTF-8 text".into(),
        })
    })?;
    Ok((config, text))
}

/// Checks `--base-path`: an absolute path, given a trailing `/`, with nothing that could leave
/// the `href` attribute or the origin.
pub fn check_base_path(raw: &str) -> Result<String, String> {
    let refuse = |why: &str| {
        Err(format!(
            "--base-path must be the path the browser sees the console under, e.g. \
             /storage/security/ ({why})"
        ))
    };
    if !raw.starts_with('/') || raw.starts_with("//") {
        return refuse("it starts with one `/`");
    }
    if raw.len() > 256 {
        return refuse("at most 256 characters");
    }
    if raw
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || "\"'<>\\?#`".contains(c))
    {
        return refuse("no spaces, quotes, `<>`, `\\`, `?` or `#`");
    }
    let mut path = raw.to_owned();
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok(path)
}

/// `index.html` with its `<base href>` set to `base_path`.
pub fn rewrite_base(
    html: &[u8],
    base_path: &str,
) -> Result<Vec<u8>, lol_html::errors::RewritingError> {
    let mut out = Vec::with_capacity(html.len() + base_path.len());
    let mut rewriter = lol_html::HtmlRewriter::new(
        lol_html::Settings {
            element_content_handlers: vec![lol_html::element!("base[href]", |el| {
                el.set_attribute("href", base_path)?;
                Ok(())
            })],
            ..lol_html::Settings::new()
        },
        |chunk: &[u8]| out.extend_from_slice(chunk),
    );
    rewriter.write(html)?;
    rewriter.end()?;
    Ok(out)
}

/// `ontap-console site-config`: prints an example `console.json`, or checks one.
#[derive(Debug, Clone, clap::Args)]
pub struct SiteConfigArgs {
    /// Check this file instead (exit 0 when the console would use it, 2 with the reason
    /// when not).
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

/// Runs `site-config`.
pub fn run(args: SiteConfigArgs) -> ExitCode {
    let Some(path) = args.check else {
        println!("{}", SiteConfig::example().to_json());
        return ExitCode::SUCCESS;
    };
    match load(&path) {
        Ok((config, _)) => {
            println!(
                "{}: {} cluster(s), {} page(s) offered{}",
                path.display(),
                config.clusters.len(),
                config.offered_pages().len(),
                if config.banner.is_some() {
                    ", a banner"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ontap-console: {e}");
            ExitCode::from(2)
        }
    }
}
