//! `ownup rules [ID]`: the categories, their rules and the context gates.

use std::fmt::Write as _;

use ownup::lexicon::{Gate, Rule, Scope};
use ownup::{Analyzer, Category, Lexicon, Trait};
use serde::Serialize;

use super::args::{Format, RulesArgs};
use super::{write_stdout, Error, Outcome};

#[derive(Serialize)]
struct JsonRules<'a> {
    categories: Vec<JsonCategory<'a>>,
    gates: Vec<JsonGate<'a>>,
}

#[derive(Serialize)]
struct JsonCategory<'a> {
    id: &'static str,
    kind: &'static str,
    description: &'static str,
    undoing: bool,
    rules: Vec<JsonRule<'a>>,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    role: &'static str,
    weight: i32,
    severity: &'static str,
    scope: &'static str,
    message: &'a str,
    suggestion: Option<&'a str>,
    source: &'a str,
    origin: &'a str,
    flag: &'a [String],
    pass: &'a [String],
}

#[derive(Serialize)]
struct JsonGate<'a> {
    id: &'a str,
    role: &'static str,
    description: &'a str,
    source: &'a str,
    origin: &'a str,
    flag: &'a [String],
    pass: &'a [String],
}

fn json_rule(r: &Rule) -> JsonRule<'_> {
    JsonRule {
        id: &r.id,
        role: r.role.id(),
        weight: r.weight,
        severity: r.severity.id(),
        scope: r.scope.id(),
        message: &r.message,
        suggestion: r.suggestion.as_deref(),
        source: &r.source,
        origin: &r.origin,
        flag: &r.flag,
        pass: &r.pass,
    }
}

fn json_gate(g: &Gate) -> JsonGate<'_> {
    JsonGate {
        id: &g.id,
        role: g.role.id(),
        description: &g.description,
        source: &g.source,
        origin: &g.origin,
        flag: &g.flag,
        pass: &g.pass,
    }
}

/// Runs `ownup rules`.
pub fn run(analyzer: &Analyzer, args: &RulesArgs, format: Format) -> Result<Outcome, Error> {
    let lex = analyzer.lexicon();
    let id = args.id.as_deref().map(str::trim);
    // What to show: categories with (some of) their rules, and gates.
    let mut cats: Vec<(Category, Vec<&Rule>)> = Vec::new();
    let mut gates: Vec<&Gate> = Vec::new();
    match id {
        None => {
            for &c in Category::ALL {
                cats.push((c, lex.rules.iter().filter(|r| r.category == c).collect()));
            }
            gates = lex.gates.iter().collect();
        }
        Some(id) => {
            if let Ok(c) = id.parse::<Category>() {
                cats.push((c, lex.rules.iter().filter(|r| r.category == c).collect()));
            } else if let Some(r) = lex.rule(id) {
                cats.push((r.category, vec![r]));
            } else if let Some(g) = lex.gates.iter().find(|g| &*g.id == id) {
                gates.push(g);
            } else {
                let prefix: Vec<&Rule> = lex
                    .rules
                    .iter()
                    .filter(|r| id.ends_with('.') && r.id.starts_with(id))
                    .collect();
                if prefix.is_empty() {
                    return Err(Error::Msg(format!(
                        "no rule, gate or category named `{id}` (see `ownup rules`)"
                    )));
                }
                for r in prefix {
                    match cats.iter_mut().find(|(c, _)| *c == r.category) {
                        Some((_, v)) => v.push(r),
                        None => cats.push((r.category, vec![r])),
                    }
                }
            }
        }
    }

    let out = match format {
        Format::Json => {
            let doc = JsonRules {
                categories: cats
                    .iter()
                    .map(|(c, rules)| JsonCategory {
                        id: c.id(),
                        kind: c.kind().id(),
                        description: c.description(),
                        undoing: lex.has_trait(*c, Trait::Undoing),
                        rules: rules.iter().map(|r| json_rule(r)).collect(),
                    })
                    .collect(),
                gates: gates.iter().map(|g| json_gate(g)).collect(),
            };
            let mut s = serde_json::to_string(&doc).map_err(std::io::Error::from)?;
            s.push('\n');
            s
        }
        Format::Human => human(lex, &cats, &gates),
    };
    write_stdout(out.as_bytes())?;
    Ok(Outcome::Success)
}

fn examples(out: &mut String, label: &str, xs: &[String]) {
    for x in xs {
        let _ = writeln!(out, "      {label} {x:?}");
    }
}

fn human(lex: &Lexicon, cats: &[(Category, Vec<&Rule>)], gates: &[&Gate]) -> String {
    let mut out = String::new();
    for (c, rules) in cats {
        let undoing = if lex.has_trait(*c, Trait::Undoing) {
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
            let _ = writeln!(out, "      source: {}", r.source);
            let _ = writeln!(out, "      defined at: {}", r.origin);
            examples(&mut out, "flag:", &r.flag);
            examples(&mut out, "pass:", &r.pass);
        }
        out.push('\n');
    }
    if !gates.is_empty() {
        out.push_str("context gates (change what rules mean; not scored):\n");
        for g in gates {
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
