//! The few browser services the console uses directly: the clipboard, file downloads, and the
//! "ready" mark the benchmark reads.

use wasm_bindgen::JsCast;

/// Copies `text` to the clipboard (best effort: browsers refuse without a user gesture).
pub fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _promise = window.navigator().clipboard().write_text(text);
    }
}

/// Offers `text` as a file download named `file_name`.
pub fn download(file_name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Records when the console became interactive (`window.__console_ready_ms`, milliseconds since
/// navigation start), for `cargo xtask bench`.
pub fn mark_ready() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(now) = window.performance().map(|p| p.now()) else {
        return;
    };
    let _ = js_sys::Reflect::set(
        &window,
        &wasm_bindgen::JsValue::from_str("__console_ready_ms"),
        &wasm_bindgen::JsValue::from_f64(now),
    );
}

/// Milliseconds since navigation start (`performance.now()`), 0 when unknown.
pub fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Puts a figure on `window` (`window.NAME = value`) for `cargo xtask bench` to read.
pub fn mark(name: &str, value: f64) {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(
            &window,
            &wasm_bindgen::JsValue::from_str(name),
            &wasm_bindgen::JsValue::from_f64(value),
        );
    }
}

/// Opens the browser's print dialog (the print stylesheet decides what is printed).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Milliseconds since the Unix epoch, for rules that depend on "now" (core takes it as input).
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(js_sys::Date::now() as i64)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
