//! Precompressed copies of the built console (`.gz`, `.br` next to each file), which
//! `ontap-console serve` sends to browsers that accept them: trunk writes none itself.

use std::io::Write as _;
use std::path::Path;

/// The file kinds the browser downloads at start.
const KINDS: &[&str] = &["wasm", "js", "css", "html"];

/// Writes `NAME.gz` (gzip -9) and `NAME.br` (brotli 11) for every wasm, js, css and html file
/// in `dist`; gives the total sizes (plain, gzip, brotli).
pub fn precompress(dist: &Path) -> Result<(usize, usize, usize), String> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let (mut plain, mut gz, mut br) = (0, 0, 0);
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let kind = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !KINDS.contains(&kind) {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let gzip = gzip(&bytes).map_err(|e| format!("gzip {}: {e}", path.display()))?;
        let brotli = brotli(&bytes).map_err(|e| format!("brotli {}: {e}", path.display()))?;
        write(&path, "gz", &gzip)?;
        write(&path, "br", &brotli)?;
        plain += bytes.len();
        gz += gzip.len();
        br += brotli.len();
    }
    Ok((plain, gz, br))
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn write(path: &Path, suffix: &str, bytes: &[u8]) -> Result<(), String> {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    std::fs::write(&name, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
