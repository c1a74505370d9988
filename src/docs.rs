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
