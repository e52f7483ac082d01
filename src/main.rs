//! Entry point of the web app (built by Trunk into WebAssembly).

fn main() {
    naervaer_app::start();
}
