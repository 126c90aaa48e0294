//! Doc text for every language: prose from rustdoc or the spec, wrapped, as JSDoc, rustdoc or
//! Python docstrings.

/// Markdown doc text as one line of prose: rustdoc links become code spans (`Error::x` as
/// `x`), and each code span is quoted with `code` (`` ` `` for JSDoc, ``` `` ``` for Python).
pub fn prose(doc: &str, code: &str) -> String {
    let text = doc.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("`]") else {
            break;
        };
        let target = &after[..end];
        let name = target.rsplit("::").next().unwrap_or(target);
        out.push_str(&format!("`{name}`"));
        rest = &after[end + 2..];
        // A `[`x`](target)` link: drop the target.
        if rest.starts_with('(') {
            if let Some(close) = rest.find(')') {
                rest = &rest[close + 1..];
            }
        }
    }
    out.push_str(rest);
    out.trim().replace('`', code)
}

/// `text` wrapped to lines of at most `width` characters, each starting with `prefix`.
pub fn wrap(text: &str, prefix: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && prefix.len() + line.len() + 1 + word.len() > width {
            lines.push(format!("{prefix}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{prefix}{line}"));
    }
    lines
}

/// A JSDoc comment indented by `indent`.
pub fn jsdoc(text: &str, indent: &str) -> String {
    let lines = wrap(text, &format!("{indent} * "), 96);
    match lines.as_slice() {
        [one] if one.len() <= indent.len() + 90 => {
            format!("{indent}/** {} */\n", &one[indent.len() + 3..])
        }
        _ => format!("{indent}/**\n{}\n{indent} */\n", lines.join("\n")),
    }
}

/// A Python docstring at `indent` (a statement of its own).
pub fn docstring(text: &str, indent: &str) -> String {
    let lines = wrap(text, indent, 92);
    match lines.as_slice() {
        [] => String::new(),
        [one] if one.len() + 6 <= 92 => format!("{indent}\"\"\"{}\"\"\"\n", one.trim()),
        lines => {
            let mut s = format!("{indent}\"\"\"{}\n", lines[0].trim());
            for line in &lines[1..] {
                s += &format!("{line}\n");
            }
            s += &format!("{indent}\"\"\"\n");
            s
        }
    }
}
