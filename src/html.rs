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
            link("/borger/1?x=\"", "button", "Ret"),
            "<a href=\"/borger/1?x=&quot;\" class=\"button\">Ret</a>"
        );
    }
}
