//! Rule documentation: `pyparallel rule CODE` and the generated `docs/rules/*.md` share this.

use crate::rules::{RuleSpec, RULES};

/// A rule's page: title, metadata line, then its own documentation text.
pub fn rule_page(rule: &RuleSpec) -> String {
    format!(
        "# {} ({})\n\n{}.\n\n- Severity: **{}**\n- Fix: {}\n- Default: {}\n\n{}",
        rule.name,
        rule.code,
        rule.summary,
        rule.severity.as_str(),
        match rule.fix {
            crate::rules::FixAvailability::Always => "always available",
            crate::rules::FixAvailability::Sometimes => "sometimes available",
            crate::rules::FixAvailability::DisplayOnly =>
                "display-only (suggested code, never applied)",
        },
        if rule.opt_in {
            "off (opt-in: select it by code or name)"
        } else {
            "on"
        },
        rule.docs
    )
}

/// `docs/rules/README.md`: every rule with its code, name, severity, fix and default state.
pub fn index_page() -> String {
    let mut page = String::from(
        "# Rules\n\nGenerated from each rule's own documentation (`pyparallel rule --all`).\n\n\
         | Code | Name | Severity | Fix | Default |\n|---|---|---|---|---|\n",
    );
    for rule in RULES {
        page.push_str(&format!(
            "| [{code}]({code}.md) | {name} | {severity} | {fix} | {default} |\n",
            code = rule.code,
            name = rule.name,
            severity = rule.severity.as_str(),
            fix = rule.fix.as_str(),
            default = if rule.opt_in { "opt-in" } else { "on" },
        ));
    }
    page
}

/// Every generated documentation file: (path under `docs/`, contents).
pub fn generated_files() -> Vec<(String, String)> {
    let mut files = vec![("rules/README.md".to_string(), index_page())];
    for rule in RULES {
        files.push((format!("rules/{}.md", rule.code), rule_page(rule)));
    }
    files
}

/// A documentation page rendered for a terminal: headings bold, code blocks indented and
/// coloured, `code` spans coloured, `**bold**` bold, list bullets, links as `text (url)`; the
/// markdown markers themselves are dropped. Piped output stays markdown (see `rule`).
pub fn render_terminal(markdown: &str) -> String {
    const BOLD: &str = "\x1b[1m";
    const UNDERLINE: &str = "\x1b[4m";
    const CODE: &str = "\x1b[36m";
    const DIM: &str = "\x1b[2m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(markdown.len() * 2);
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str(&format!("    {CODE}{line}{RESET}\n"));
        } else if let Some(title) = line.strip_prefix("# ") {
            out.push_str(&format!(
                "{BOLD}{UNDERLINE}{}{RESET}\n",
                inline(title, BOLD)
            ));
        } else if let Some(title) = line.strip_prefix("## ") {
            out.push_str(&format!("{BOLD}{}{RESET}\n", inline(title, BOLD)));
        } else if line == "---" {
            out.push_str(&format!("{DIM}{}{RESET}\n", "─".repeat(72)));
        } else if let Some(item) = line.strip_prefix("- ") {
            out.push_str(&format!("  • {}\n", inline(item, "")));
        } else {
            out.push_str(&inline(line, ""));
            out.push('\n');
        }
    }
    out
}

/// Inline markdown (`code`, `**bold**`, `[text](url)`) as terminal styles; `base` is the style
/// to return to after a span (a heading stays bold).
fn inline(text: &str, base: &str) -> String {
    const BOLD: &str = "\x1b[1m";
    const CODE: &str = "\x1b[36m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find(['`', '*', '[']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(body) = tail.strip_prefix('`') {
            if let Some(end) = body.find('`') {
                out.push_str(&format!("{CODE}{}{RESET}{base}", &body[..end]));
                rest = &body[end + 1..];
                continue;
            }
        } else if let Some(body) = tail.strip_prefix("**") {
            if let Some(end) = body.find("**") {
                out.push_str(&format!("{BOLD}{}{RESET}{base}", &body[..end]));
                rest = &body[end + 2..];
                continue;
            }
        } else if let Some(body) = tail.strip_prefix('[') {
            if let Some((label, after)) = body.split_once("](") {
                if let Some(end) = after.find(')') {
                    if !label.contains(']') {
                        out.push_str(&format!("{label} ({})", &after[..end]));
                        rest = &after[end + 1..];
                        continue;
                    }
                }
            }
        }
        let width = tail.chars().next().map_or(1, char::len_utf8);
        out.push_str(&tail[..width]);
        rest = &tail[width..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_rendering_drops_markdown_markers() {
        let page = "# name (PAR1)\n\n- Severity: **error**\n\n## Example\n```python\nx = `y`\n```\nUse `a` [docs](https://x).\n";
        let rendered = render_terminal(page);
        assert_eq!(
            rendered,
            "\x1b[1m\x1b[4mname (PAR1)\x1b[0m\n\n  • Severity: \x1b[1merror\x1b[0m\n\n\x1b[1mExample\x1b[0m\n    \x1b[36mx = `y`\x1b[0m\nUse \x1b[36ma\x1b[0m docs (https://x).\n"
        );
    }
}
