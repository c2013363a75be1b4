//! Shrinks what the browser downloads before the sign-in form shows, besides the wasm: the
//! JavaScript `cargo xtask split` writes (wasm-bindgen's glue and the chunks' loader, about
//! 3 KB gzip less with oxc's minifier) and the comments of the staged `index.html` (they explain
//! the file to whoever deploys it, not to browsers).
//!
//! Only comments leave `index.html`: its inline `<script>` (whose hash the Content-Security-
//! Policy names), its `<base href="/" />` (which deployments rewrite by its exact text) and
//! every attribute stay as written.

use std::path::Path;

use lol_html::{doc_comments, rewrite_str, RewriteStrSettings};
use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_minifier::{Minifier, MinifierOptions};
use oxc_parser::Parser;
use oxc_span::SourceType;

/// Minifies the ES module at `path` in place. Exports and top-level names keep their names
/// (oxc mangles only local ones), so the files that import it need no change.
pub fn javascript(path: &Path) -> Result<(), String> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, &source, SourceType::mjs()).parse();
    if parsed.panicked || !parsed.diagnostics.is_empty() {
        return Err(format!(
            "cannot minify {}: it does not parse as an ES module ({} problems)",
            path.display(),
            parsed.diagnostics.len()
        ));
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions::default()).minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    std::fs::write(path, code).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Removes the comments of the HTML page at `path`, in place.
pub fn html_comments(path: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let stripped = rewrite_str(
        &html,
        RewriteStrSettings {
            document_content_handlers: vec![doc_comments!(|comment| {
                comment.remove();
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| format!("cannot rewrite {}: {e}", path.display()))?;
    std::fs::write(path, stripped).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_javascript_keeps_its_exports_and_meaning() {
        let dir = std::env::temp_dir().join(format!("xtask-minify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("glue.js");
        let source = "// the glue\nexport function initSync(module_or_path) {\n    const longLocalName = module_or_path + 1;\n    return longLocalName * 2;\n}\n";
        std::fs::write(&file, source).unwrap();
        javascript(&file).unwrap();
        let out = std::fs::read_to_string(&file).unwrap();
        assert!(out.len() < source.len(), "{out}");
        assert!(out.contains("export function initSync"), "{out}");
        assert!(
            !out.contains("the glue") && !out.contains("longLocalName"),
            "{out}"
        );
        std::fs::write(&file, "export function (").unwrap();
        assert!(javascript(&file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_comments_leave_the_page() {
        let dir = std::env::temp_dir().join(format!("xtask-html-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("index.html");
        let script =
            "<script type=\"module\">\nimport init from './a.js'; // <!-- kept -->\n</script>";
        std::fs::write(
            &file,
            format!("<html><head><!-- why --><base href=\"/\" />\n{script}</head></html>"),
        )
        .unwrap();
        html_comments(&file).unwrap();
        let out = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            out,
            format!("<html><head><base href=\"/\" />\n{script}</head></html>")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
