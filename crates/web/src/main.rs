//! The console's entry point: trunk builds this binary to wasm and index.html loads it.

fn main() {
    ontap_web::start();
}
