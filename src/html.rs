//! Read-only lists rendered as escaped HTML text: one `inner_html` instead of
//! a typed view per row keeps the download small (see NOTES.md, "size").
//! Every value from people or the server goes through [`esc`]. Plain links
//! still navigate inside the app: the router listens for clicks on any `<a>`.

/// Escapes text for HTML content and for double-quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `<tag class="…">text</tag>` with the text escaped; nothing when the text is empty.
pub fn el(tag: &str, class: &str, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("<{tag} class=\"{class}\">{}</{tag}>", esc(text))
}

/// A link inside the app.
pub fn link(href: &str, class: &str, text: &str) -> String {
    format!(
        "<a href=\"{}\" class=\"{class}\">{}</a>",
        esc(href),
        esc(text)
    )
}

/// Big radio buttons over (value, label); `chosen` is checked.
pub fn radios(name: &str, chosen: &str, items: &[(&str, String)]) -> String {
    choices("radio", "radios\" role=\"radiogroup", name, items, |v| {
        v == chosen
    })
}

/// Big checkboxes over (value, label); those in `chosen` are checked.
pub fn checks(name: &str, chosen: &[String], items: &[(&str, String)]) -> String {
    choices("checkbox", "choices\" role=\"group", name, items, |v| {
        chosen.iter().any(|c| c == v)
    })
}

fn choices(
    kind: &str,
    class: &str,
    name: &str,
    items: &[(&str, String)],
    on: impl Fn(&str) -> bool,
) -> String {
    let inputs: String = items
        .iter()
        .map(|(value, label)| {
            format!(
                "<label class=\"choice\"><input type=\"{kind}\" name=\"{name}\" value=\"{}\"{}><span>{}</span></label>",
                esc(value),
                if on(value) { " checked" } else { "" },
                esc(label)
            )
        })
        .collect();
    format!("<div class=\"{class}\">{inputs}</div>")
}

/// A labelled input: `attrs` are written as given, the value is escaped.
pub fn input(class: &str, label: &str, attrs: &str, value: &str) -> String {
    format!(
        "<label class=\"{class}\">{}<input {attrs} value=\"{}\"></label>",
        esc(label),
        esc(value)
    )
}

/// A labelled text area.
pub fn textarea(class: &str, label: &str, name: &str, rows: u8, value: &str) -> String {
    format!(
        "<label class=\"{class}\">{}<textarea name=\"{name}\" rows=\"{rows}\">{}</textarea></label>",
        esc(label),
        esc(value)
    )
}

/// The `<button data-act>` a click in an HTML block landed on, if any (the
/// delegated click handlers of the read-only lists start here).
pub fn clicked_button(ev: &leptos::ev::MouseEvent) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("button[data-act]")
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_people_s_text_is_shown_not_run() {
        assert_eq!(
            esc(r#"<img src=x onerror="alert(1)"> & 'x'"#),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;x&#39;"
        );
        assert_eq!(el("p", "quote", "a<b"), "<p class=\"quote\">a&lt;b</p>");
        assert_eq!(el("p", "x", ""), "");
        assert_eq!(
            radios(
                "level",
                "red",
                &[("yellow", "Gul".into()), ("red", "Rød".into())]
            ),
            "<div class=\"radios\" role=\"radiogroup\"><label class=\"choice\"><input type=\"radio\" name=\"level\" value=\"yellow\"><span>Gul</span></label>\
             <label class=\"choice\"><input type=\"radio\" name=\"level\" value=\"red\" checked><span>Rød</span></label></div>"
        );
        assert!(
            checks("signs", &["other".into()], &[("other", "Andet".into())])
                .contains("value=\"other\" checked")
        );
        assert_eq!(
            textarea("", "Ord", "w", 3, "</textarea>"),
            "<label class=\"\">Ord<textarea name=\"w\" rows=\"3\">&lt;/textarea&gt;</textarea></label>"
        );
        assert_eq!(
            link("/borger/1?x=\"", "button", "Ret"),
            "<a href=\"/borger/1?x=&quot;\" class=\"button\">Ret</a>"
        );
    }
}
