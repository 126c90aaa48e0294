//! Markdown to HTML for the guide: pulldown-cmark, GitHub-style heading anchors, `.md` links
//! turned into `.html`, links outside the site into the repository's URL, one page template.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The repository's web address, for links to files outside the site.
pub const REPOSITORY: &str = "https://github.com/vivamo/vivamo/blob/main";

/// One rendered page: its title (the first `#` heading) and its HTML body.
pub struct Rendered {
    /// The text of the first level-1 heading.
    pub title: String,
    /// The body, to be put into the template.
    pub body: String,
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to `-`.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Where a link of a page at `page_path` (relative to the repository root, e.g.
/// `docs/kyc.md` or `README.md`) points in the site: `.md` pages of the guide become
/// `.html`; any other relative path becomes its URL in the repository.
fn rewrite_link(page_path: &str, dest: &str) -> String {
    if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
        return dest.to_string();
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, format!("#{a}")),
        None => (dest, String::new()),
    };
    let base = page_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let joined = normalize(&format!("{base}/{path}"));
    match joined.strip_prefix("docs/") {
        // The guide is flat (docs/*.md, one page each at the site's root): its pages and the
        // reference sections stay relative.
        Some(inner) if inner.ends_with(".md") => {
            format!("{}{anchor}", inner.replace(".md", ".html"))
        }
        Some(inner) => format!("{inner}{anchor}"),
        None => format!("{REPOSITORY}/{joined}{anchor}"),
    }
}

/// `a/b/../c` to `a/c`, without a leading `/`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Renders `markdown` (the file `page_path` of the repository).
pub fn render(page_path: &str, markdown: &str) -> Rendered {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();

    // First pass: the text of every heading, for its anchor and the title.
    let mut title = String::new();
    let mut anchors = Vec::new();
    let mut current: Option<String> = None;
    let mut level1 = false;
    for event in &events {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some(String::new());
                level1 = *level == HeadingLevel::H1;
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = current.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = current.take().unwrap_or_default();
                if level1 && title.is_empty() {
                    title = text.clone();
                }
                anchors.push(unique(&mut Vec::new(), slug(&text)));
            }
            _ => {}
        }
    }
    let mut seen = Vec::new();
    let anchors: Vec<String> = anchors.into_iter().map(|a| unique(&mut seen, a)).collect();

    // Second pass: ids on headings, links rewritten.
    let mut next_anchor = anchors.into_iter();
    let events = events.into_iter().map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) => Event::Start(Tag::Heading {
            level,
            id: next_anchor.next().map(CowStr::from),
            classes,
            attrs,
        }),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(rewrite_link(page_path, &dest_url)),
            title,
            id,
        }),
        Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => {
            // Only the language reaches the HTML (`python,sandbox` is `python`).
            let lang = info
                .split([',', ' '])
                .next()
                .unwrap_or_default()
                .to_string();
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(
                CowStr::from(lang),
            )))
        }
        other => other,
    });
    let mut body = String::new();
    html::push_html(&mut body, events);
    Rendered { title, body }
}

/// `anchor`, or `anchor-1`, `anchor-2` … when a heading of the same text came before.
fn unique(seen: &mut Vec<String>, anchor: String) -> String {
    let mut candidate = anchor.clone();
    let mut n = 1;
    while seen.contains(&candidate) {
        candidate = format!("{anchor}-{n}");
        n += 1;
    }
    seen.push(candidate.clone());
    candidate
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_github() {
        assert_eq!(
            slug("Retries and exactly-once creates"),
            "retries-and-exactly-once-creates"
        );
        assert_eq!(slug("The `vivamo` command"), "the-vivamo-command");
        assert_eq!(slug("KYC, the current flow"), "kyc-the-current-flow");
    }

    #[test]
    fn links_are_rewritten() {
        assert_eq!(rewrite_link("docs/a.md", "b.md#x"), "b.html#x");
        assert_eq!(rewrite_link("docs/a.md", "#x"), "#x");
        assert_eq!(
            rewrite_link("docs/a.md", "rust/vivamo/index.html"),
            "rust/vivamo/index.html"
        );
        assert_eq!(
            rewrite_link("docs/a.md", "../testdata/webhooks.json"),
            format!("{REPOSITORY}/testdata/webhooks.json")
        );
        assert_eq!(rewrite_link("docs/a.md", "https://x.y/z"), "https://x.y/z");
    }

    #[test]
    fn headings_get_anchors_and_the_title() {
        let page = render("docs/a.md", "# Title\n\n## Same\n\n## Same\n");
        assert_eq!(page.title, "Title");
        assert!(page.body.contains("<h2 id=\"same\">"));
        assert!(page.body.contains("<h2 id=\"same-1\">"));
    }
}
