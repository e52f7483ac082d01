//! Timings the browser keeps (`performance.measure`), for the developer
//! tools and the benchmarks: how long reading the device's data and saving
//! a change took in the real build.

/// A running timing; [`Timing::end`] records it under its name.
pub struct Timing {
    name: &'static str,
}

impl Timing {
    /// Starts the timing `name` (e.g. `naervaer:save`).
    pub fn start(name: &'static str) -> Timing {
        if let Some(p) = performance() {
            let _marked = p.mark(&format!("{name}:start"));
        }
        Timing { name }
    }

    /// Records the time since the start as a measure named as the timing.
    pub fn end(self) {
        if let Some(p) = performance() {
            let _measured = p.measure_with_start_mark(self.name, &format!("{}:start", self.name));
        }
    }
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}
