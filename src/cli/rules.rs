//! `ownup rules [ID]`: the categories, their rules and the context gates.

use std::fmt::Write as _;

use ownup::lexicon::Scope;
use ownup::report::rules::Selection;
use ownup::Analyzer;

use super::args::{Format, RulesArgs};
use super::{write_stdout, Error, Outcome};

/// Runs `ownup rules`.
pub fn run(analyzer: &Analyzer, args: &RulesArgs, format: Format) -> Result<Outcome, Error> {
    let lex = analyzer.lexicon();
    let sel = match args.id.as_deref().map(str::trim) {
        None => Selection::all(lex),
        Some(id) => Selection::find(lex, id).ok_or_else(|| {
            Error::Msg(format!(
                "no rule, gate or category named `{id}` (see `ownup rules`)"
            ))
        })?,
    };
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string(&sel.wire()).map_err(std::io::Error::from)?;
            s.push('\n');
            s
        }
        Format::Human => human(&sel),
    };
    write_stdout(out.as_bytes())?;
    Ok(Outcome::Success)
}

fn examples(out: &mut String, label: &str, xs: &[String]) {
    for x in xs {
        let _ = writeln!(out, "      {label} {x:?}");
    }
}

fn human(sel: &Selection<'_>) -> String {
    let mut out = String::new();
    for (c, rules) in &sel.categories {
        let undoing = if sel.undoing(*c) {
            ", undoing: caps the score"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{} ({}{undoing}): {}",
            c.id(),
            c.kind(),
            c.description()
        );
        if rules.is_empty() {
            out.push_str("  (no rules)\n");
        }
        for r in rules {
            let sign = if c.kind() == ownup::Kind::Deflection {
                "-"
            } else {
                "+"
            };
            let _ = writeln!(
                out,
                "  {}  {sign}{}  {}  {}{}",
                r.id,
                r.weight,
                r.severity.id(),
                r.role.id(),
                if r.scope == Scope::Anywhere {
                    ", anywhere"
                } else {
                    ""
                }
            );
            let _ = writeln!(out, "      {}", r.message);
            if let Some(f) = &r.frame {
                let _ = writeln!(out, "      frame: {}", f.describe());
            }
            if let Some(s) = &r.suggestion {
                let _ = writeln!(out, "      suggestion: {s}");
            }
            for (setting, s) in r.setting_suggestions() {
                let _ = writeln!(out, "      suggestion ({setting}): {s}");
            }
            let _ = writeln!(out, "      source: {}", r.source);
            let _ = writeln!(out, "      defined at: {}", r.origin);
            examples(&mut out, "flag:", &r.flag);
            examples(&mut out, "pass:", &r.pass);
        }
        out.push('\n');
    }
    if !sel.gates.is_empty() {
        out.push_str("context gates (change what rules mean; not scored):\n");
        for g in &sel.gates {
            let _ = writeln!(out, "  {}  {}", g.id, g.role.id());
            let _ = writeln!(out, "      {}", g.description);
            let _ = writeln!(out, "      source: {}", g.source);
            let _ = writeln!(out, "      defined at: {}", g.origin);
            examples(&mut out, "flag:", &g.flag);
            examples(&mut out, "pass:", &g.pass);
        }
    }
    out
}
