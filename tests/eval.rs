//! Accuracy regression guard: `eval` on the project's corpora always, and on the shared dev
//! set when `../shared/data` exists. A figure that drops more than 0.02 below the recorded
//! baseline (`corpora/baseline.json`) fails the test. After a deliberate improvement, record
//! the new figures with `OWNUP_UPDATE_BASELINE=1 cargo test --release --test eval`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use ownup::eval::{evaluate, read_labels, EvalReport, Labelled, Split};
use ownup::{Analyzer, Category, Verdict};

const TOLERANCE: f64 = 0.02;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(paths: &[PathBuf]) -> Vec<Labelled> {
    let mut items = Vec::new();
    for p in paths {
        let src = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        items.extend(read_labels(&src, &p.display().to_string()).unwrap_or_else(|e| panic!("{e}")));
    }
    items
}

fn corpora_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("corpora"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn figures(r: &EvalReport) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    m.insert("detection_f1".to_string(), r.detection.f1);
    m.insert("spearman".to_string(), r.spearman.unwrap_or(0.0));
    m.insert("components_f1".to_string(), r.components.f1);
    m.insert("deflections_f1".to_string(), r.deflections.f1);
    if let Some(b) = r.band_accuracy {
        m.insert("band_accuracy".to_string(), b);
    }
    m
}

/// The tests run in parallel and each rewrites the baseline file when updating it.
static BASELINE_FILE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn guard(name: &str, report: &EvalReport) {
    let _file = BASELINE_FILE.lock().unwrap_or_else(|e| e.into_inner());
    let path = root().join("corpora").join("baseline.json");
    let mut baseline: BTreeMap<String, BTreeMap<String, f64>> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let now = figures(report);
    println!("{name}:\n{}", report.to_text());
    if std::env::var_os("OWNUP_UPDATE_BASELINE").is_some() {
        baseline.insert(name.to_string(), now);
        let json = serde_json::to_string_pretty(&baseline).unwrap_or_default();
        std::fs::write(&path, json + "\n").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let Some(base) = baseline.get(name) else {
        panic!(
            "no baseline for {name} in {}; run with OWNUP_UPDATE_BASELINE=1",
            path.display()
        );
    };
    let mut drops = Vec::new();
    for (k, b) in base {
        let v = now.get(k).copied().unwrap_or(0.0);
        if v < b - TOLERANCE {
            drops.push(format!("{k}: {v:.3} < baseline {b:.3} - {TOLERANCE}"));
        }
    }
    assert!(drops.is_empty(), "{name} regressed:\n{}", drops.join("\n"));
}

#[test]
fn corpora_are_well_formed() {
    let files = corpora_files();
    assert!(!files.is_empty(), "no corpora/*.jsonl");
    let mut ids = HashSet::new();
    let mut n = 0;
    let mut categories = HashSet::new();
    for p in &files {
        let src = std::fs::read_to_string(p).unwrap_or_default();
        for (i, line) in src
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", p.display(), i + 1));
            let at = format!("{}:{}", p.display(), i + 1);
            let id = v["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{at}: no id"))
                .to_string();
            assert!(ids.insert(id.clone()), "{at}: duplicate id {id}");
            for key in ["components", "deflections", "absent"] {
                for c in v[key].as_array().into_iter().flatten() {
                    let c = c.as_str().unwrap_or_default();
                    let cat: Category = c.parse().unwrap_or_else(|e| panic!("{at}: {e}"));
                    if key != "absent" {
                        categories.insert(cat);
                    }
                }
            }
            let band: Verdict = v["band"]
                .as_str()
                .unwrap_or_default()
                .parse()
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            let own = v["ownership"].as_f64().map(|o| o.round() as u8);
            assert_eq!(
                Verdict::from_score(own),
                band,
                "{at}: band does not match ownership"
            );
            assert_eq!(
                v["apology"].as_bool(),
                Some(own.is_some()),
                "{at}: apology vs ownership"
            );
            n += 1;
        }
    }
    assert!(n >= 300, "corpora hold {n} texts; at least 300 expected");
    for c in Category::ALL {
        assert!(
            categories.contains(c),
            "no corpus text is labelled with {c}"
        );
    }
}

#[test]
fn corpora_accuracy_does_not_regress() {
    let items = load(&corpora_files());
    let report = evaluate(&Analyzer::builtin(), &items, 25);
    guard("corpora", &report);
}

/// The shared dev set, in its two parts: rules are written from the tuning part; the check
/// part is only measured (its texts are never printed here).
#[test]
fn dev_set_accuracy_does_not_regress() {
    let dev = root().join("../shared/data/dev/apologies.jsonl");
    if !Path::new(&dev).exists() {
        println!("skipped: {} is not present", dev.display());
        return;
    }
    let items = load(&[dev]);
    let analyzer = Analyzer::builtin();
    for (name, part, worst) in [
        ("dev_tuning", Split::Tuning, 25),
        ("dev_check", Split::Check, 0),
    ] {
        let part: Vec<Labelled> = items
            .iter()
            .filter(|it| Split::of(&it.id) == part)
            .cloned()
            .collect();
        guard(name, &evaluate(&analyzer, &part, worst));
    }
}

#[test]
fn split_is_stable_and_about_one_third() {
    let ids: Vec<serde_json::Value> = (0..3000)
        .map(|i| serde_json::Value::String(format!("t-{i}")))
        .collect();
    let check = ids
        .iter()
        .filter(|id| Split::of(id) == Split::Check)
        .count();
    assert!((900..1100).contains(&check), "{check} of 3000 in check");
    // Pinned: moving the split would leak check texts into tuning.
    assert_eq!(Split::of(&serde_json::json!("a")), Split::Tuning);
    assert_eq!(Split::of(&serde_json::json!("c")), Split::Check);
    assert_eq!(
        Split::of(&serde_json::json!(7)),
        Split::of(&serde_json::json!("7"))
    );
}
