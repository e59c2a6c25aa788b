//! Reads the built-in lexicons at build time, through the same code that reads user files at
//! run time (`src/lexicon/spec.rs`), and writes them out as Rust static data for
//! `src/lexicon.rs` to include. Start-up is part of every CLI call: this way it parses no
//! TOML, expands no phrase and parses no regex (the regexes' required literals are computed
//! here too). A lexicon error fails the build, naming the file and line.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

#[allow(dead_code)]
#[path = "src/category.rs"]
mod category;
#[allow(dead_code)]
#[path = "src/lexicon/classes.rs"]
mod classes;
#[allow(dead_code)]
#[path = "src/lexicon/frame.rs"]
mod frame;
#[allow(dead_code)]
#[path = "src/lexicon/literals.rs"]
mod literals;
#[allow(dead_code)]
#[path = "src/lexicon/spec.rs"]
mod spec;
#[allow(dead_code)]
#[path = "src/lexicon/weights.rs"]
mod weights;

use category::{Category, Kind, Trait, TraitTable, Traits};
use classes::{Classes, WordClass};
use spec::{Gate, Rule, Written};

/// A regex as `spec` checked it; the generated code gives it to `LazyRegex`.
#[derive(Debug, Clone)]
struct Regex {
    pattern: String,
    literals: Vec<Vec<Vec<u8>>>,
}

impl Regex {
    fn from_checked(pattern: String, literals: Vec<Vec<Vec<u8>>>) -> Regex {
        Regex { pattern, literals }
    }
}

/// The variants of `ownup::Severity` (in `src/analysis.rs`, which the build script cannot
/// include): the generated code names them, so a mismatch fails the build.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Severity {
    Info,
    Warning,
    Error,
}

/// The built-in lexicon files, in load order: a later rule with the id of an earlier one
/// replaces it.
const FILES: &[&str] = &[
    "categories.toml",
    "classes.toml",
    "context.toml",
    "regret.toml",
    "responsibility.toml",
    "specificity.toml",
    "impact.toml",
    "repair.toml",
    "change.toml",
    "forgiveness.toml",
    "but_undoing.toml",
    "conditional.toml",
    "feelings_shift.toml",
    "blame_shift.toml",
    "victim_framing.toml",
    "minimizing.toml",
    "excuse.toml",
    "intent_over_impact.toml",
    "agentless.toml",
    "vague_object.toml",
    "pressure.toml",
    "counter_accusation.toml",
    "pathologizing.toml",
    "denial.toml",
    "self_flagellation.toml",
    "grudging.toml",
];

fn main() {
    for path in [
        "lexicons",
        "src/category.rs",
        "src/lexicon/classes.rs",
        "src/lexicon/literals.rs",
        "src/lexicon/spec.rs",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    match generate() {
        Ok(code) => {
            let out = Path::new(&out_dir).join("builtin_lexicon.rs");
            if let Err(e) = std::fs::write(&out, code) {
                eprintln!("cannot write {}: {e}", out.display());
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("built-in lexicon: {e}");
            std::process::exit(1);
        }
    }
}

fn generate() -> Result<String, String> {
    // A file left out of FILES would be silently left out of the binary.
    let dir = std::fs::read_dir("lexicons").map_err(|e| format!("lexicons: {e}"))?;
    for entry in dir {
        let name = entry.map_err(|e| format!("lexicons: {e}"))?.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".toml") && !FILES.contains(&name.as_ref()) {
            return Err(format!(
                "lexicons/{name} is not listed in FILES in build.rs, which sets the load order"
            ));
        }
    }
    let mut known = Classes::default();
    let mut traits = TraitTable::default();
    let mut categories = String::new();
    let mut formula = "Formula::default()".to_string();
    let mut rules = String::new();
    let mut gates = String::new();
    let mut sources = String::new();
    for name in FILES {
        let src = std::fs::read_to_string(Path::new("lexicons").join(name))
            .map_err(|e| format!("lexicons/{name}: {e}"))?;
        let parsed =
            spec::parse_source(name, &src, &known, &traits).map_err(|e| format!("lexicons/{e}"))?;
        if let Some(f) = parsed.formula {
            formula = format!("{f:?}");
        }
        for c in &parsed.categories {
            if let Some(t) = c.traits {
                traits.set(c.category, t);
            }
            let traits = match c.traits {
                Some(t) => {
                    let list: Vec<String> =
                        t.list().iter().map(|t| format!("Trait::{t:?}")).collect();
                    format!("Some(Traits::of(&[{}]))", list.join(", "))
                }
                None => "None".to_string(),
            };
            writeln!(
                categories,
                "        CategoryDecl {{ category: Category::{:?}, traits: {traits}, weights: {:?} }},",
                c.category, c.weights
            )
            .map_err(|e| e.to_string())?;
        }
        for (class, replace) in parsed.classes {
            // A built-in class extended or replaced by a later built-in file would leave
            // the rules before it compiled with its old words.
            if known.get(&class.id).is_some() {
                return Err(format!(
                    "lexicons/{}: class `{}` is declared twice in the built-in lexicon",
                    class.origin, class.id
                ));
            }
            known.merge(class, replace);
        }
        rules.extend(parsed.rules.iter().map(rule));
        gates.extend(parsed.gates.iter().map(gate));
        let path = format!("/lexicons/{name}");
        writeln!(
            sources,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))),"
        )
        .map_err(|e| e.to_string())?;
    }
    let classes: String = known.iter().map(class).collect();
    Ok(format!(
        "/// The built-in lexicon files, embedded at compile time: `(file name, contents)`, in\n\
         /// load order.\n\
         pub const BUILTIN: &[(&str, &str)] = &[\n{sources}];\n\n\
         fn builtin_formula() -> Formula {{\n    {formula}\n}}\n\n\
         fn builtin_categories() -> Vec<CategoryDecl> {{\n    vec![\n{categories}    ]\n}}\n\n\
         fn builtin_classes() -> Vec<WordClass> {{\n    vec![\n{classes}    ]\n}}\n\n\
         fn builtin_rules() -> Vec<Rule> {{\n    vec![\n{rules}    ]\n}}\n\n\
         fn builtin_gates() -> Vec<Gate> {{\n    vec![\n{gates}    ]\n}}\n"
    ))
}

/// A struct literal, one line.
fn literal(ty: &str, fields: &[(&str, String)]) -> String {
    let fields: Vec<String> = fields.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    format!("        {ty} {{ {} }},\n", fields.join(", "))
}

fn text(s: &str) -> String {
    format!("{s:?}.into()")
}

fn optional_text<S: AsRef<str>>(s: &Option<S>) -> String {
    match s {
        Some(s) => format!("Some({})", text(s.as_ref())),
        None => "None".to_string(),
    }
}

fn strings(list: &[String]) -> String {
    let items: Vec<String> = list.iter().map(|s| format!("{s:?}")).collect();
    format!("strings(&[{}])", items.join(", "))
}

fn regexes(list: &[Regex]) -> String {
    let bytes = |l: &Vec<u8>| format!("b\"{}\"", l.escape_ascii());
    let items: Vec<String> = list
        .iter()
        .map(|r| {
            let sets: Vec<String> = r
                .literals
                .iter()
                .map(|set| {
                    format!(
                        "&[{}]",
                        set.iter().map(bytes).collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            format!("({:?}, &[{}])", r.pattern, sets.join(", "))
        })
        .collect();
    format!("builtin_regexes(&[{}])", items.join(", "))
}

fn written(w: &Written) -> String {
    format!(
        "Written {{ phrases: {}, regex: {}, unless: {}, when: {}, except: {}, triggers: {} }}",
        strings(&w.phrases),
        strings(&w.regex),
        strings(&w.unless),
        strings(&w.when),
        strings(&w.except),
        strings(&w.triggers)
    )
}

fn class(c: &WordClass) -> String {
    literal(
        "WordClass",
        &[
            ("id", text(&c.id)),
            ("description", text(&c.description)),
            ("words", strings(&c.words)),
            ("flag", strings(&c.flag)),
            ("pass", strings(&c.pass)),
            ("origin", text(&c.origin)),
        ],
    )
}

fn frame_condition(f: &Option<frame::FrameCondition>) -> String {
    let Some(f) = f else {
        return "None".to_string();
    };
    let set = |s: frame::AnyOf| format!("AnyOf::of(&{:?})", s.positions());
    format!(
        "Some(FrameCondition {{ complement: {}, actor: {}, predicate: {}, modality: {}, object: {} }})",
        set(f.complement),
        set(f.actor),
        set(f.predicate),
        set(f.modality),
        set(f.object)
    )
}

fn rule(r: &Rule) -> String {
    let by_setting: Vec<String> = r.suggestion_by_setting.iter().map(optional_text).collect();
    literal(
        "Rule",
        &[
            ("id", text(&r.id)),
            ("category", format!("Category::{:?}", r.category)),
            ("role", format!("Role::{:?}", r.role)),
            ("strength", format!("Strength::{:?}", r.strength)),
            ("weight", "0".to_string()),
            ("severity", format!("Severity::{:?}", r.severity)),
            ("scope", format!("Scope::{:?}", r.scope)),
            ("negatable", r.negatable.to_string()),
            ("unless", regexes(&r.unless)),
            ("except", regexes(&r.except)),
            ("written", written(&r.written)),
            ("expanded", strings(&r.expanded)),
            ("regexes", regexes(&r.regexes)),
            ("triggers", strings(&r.triggers)),
            ("frame", frame_condition(&r.frame)),
            ("message", text(&r.message)),
            ("suggestion", optional_text(&r.suggestion)),
            (
                "suggestion_by_setting",
                format!("[{}]", by_setting.join(", ")),
            ),
            ("source", text(&r.source)),
            ("flag", strings(&r.flag)),
            ("pass", strings(&r.pass)),
            ("origin", text(&r.origin)),
        ],
    )
}

fn gate(g: &Gate) -> String {
    literal(
        "Gate",
        &[
            ("id", text(&g.id)),
            ("role", format!("GateRole::{:?}", g.role)),
            ("written", written(&g.written)),
            ("expanded", strings(&g.expanded)),
            ("regexes", regexes(&g.regexes)),
            ("triggers", strings(&g.triggers)),
            ("unless", regexes(&g.unless)),
            ("when", regexes(&g.when)),
            ("except", regexes(&g.except)),
            ("description", text(&g.description)),
            ("source", text(&g.source)),
            ("flag", strings(&g.flag)),
            ("pass", strings(&g.pass)),
            ("origin", text(&g.origin)),
        ],
    )
}
