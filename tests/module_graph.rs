//! The app's modules depend one way: no circle of `crate::` imports between
//! the files of `src/`, and no module outside the views (`app.rs`,
//! `components/`, `pages/`) imports a component or a page. Read from the
//! source text, so it runs natively with the other tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of `src/` (as `a::b`), with the text of its file; test
/// modules (`*_tests.rs`) are left out.
fn modules() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    read_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        "",
        &mut found,
    );
    found
}

fn read_dir(dir: &Path, prefix: &str, found: &mut BTreeMap<String, String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            read_dir(&path, &format!("{prefix}{name}::"), found);
            continue;
        }
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        if stem.ends_with("_tests") || stem == "main" {
            continue;
        }
        let module = match stem {
            "mod" | "lib" => prefix.trim_end_matches("::").to_owned(),
            _ => format!("{prefix}{stem}"),
        };
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        found.insert(module, text);
    }
}

/// The modules `text` names through `crate::` paths (`use crate::a::b::{..}`
/// and inline `crate::a::b::f()`), each resolved to the longest path that is
/// a module. Comments (doc links) are not dependencies.
fn imports(text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = code.as_str();
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        for n in (1..=segments.len()).rev() {
            let candidate = segments[..n].join("::");
            if known.contains(&candidate) {
                out.insert(candidate);
                break;
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, text)| {
            let mut uses = imports(text, &known);
            uses.remove(module);
            (module.clone(), uses)
        })
        .collect()
}

/// A circle through `from`, if there is one: the path back to it.
fn circle_from(from: &str, graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_owned(), vec![from.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == from {
                let mut circle = path.clone();
                circle.push(from.to_owned());
                return Some(circle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

fn is_view(module: &str) -> bool {
    module == "app"
        || module == "components"
        || module == "pages"
        || module.starts_with("components::")
        || module.starts_with("pages::")
}

#[test]
fn the_apps_modules_form_no_circle() {
    let graph = graph();
    assert!(graph.len() > 30, "only {} modules found", graph.len());
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|m| circle_from(m, &graph))
        .map(|c| c.join(" → "))
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn only_views_import_components_and_pages() {
    let graph = graph();
    let wrong: Vec<String> = graph
        .iter()
        .filter(|(module, _)| !is_view(module) && module.as_str() != "")
        .flat_map(|(module, uses)| {
            uses.iter()
                .filter(|u| is_view(u))
                .map(move |u| format!("{module} imports {u}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_circle_when_there_is_one() {
    let known: BTreeSet<String> = ["a", "b", "c::d"].iter().map(|s| s.to_string()).collect();
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), imports("use crate::b::thing;", &known));
    graph.insert(
        "b".to_owned(),
        imports("fn f() { crate::c::d::g() }", &known),
    );
    graph.insert(
        "c::d".to_owned(),
        imports("/// See [`crate::b`].\nuse crate::a::{x, y};", &known),
    );
    assert_eq!(
        circle_from("a", &graph),
        Some(vec!["a".into(), "b".into(), "c::d".into(), "a".into()])
    );
    graph.insert("c::d".to_owned(), BTreeSet::new());
    assert_eq!(circle_from("a", &graph), None);
}
