//! The eight traps of TAXONOMY §4, each from both sides: the look-alike that must not be
//! flagged and the real thing that must be.

use ownup::{Analysis, Analyzer, Category};

fn analyze(text: &str) -> Analysis {
    static A: std::sync::OnceLock<Analyzer> = std::sync::OnceLock::new();
    A.get_or_init(Analyzer::builtin).analyze(text)
}

#[track_caller]
fn has(text: &str, c: Category) {
    let a = analyze(text);
    let got: Vec<_> = a.findings.iter().map(|f| f.rule.to_string()).collect();
    assert!(a.has(c), "{text:?} should have {c}; got {got:?}");
}

#[track_caller]
fn lacks(text: &str, c: Category) {
    let a = analyze(text);
    let got: Vec<_> = a.findings.iter().map(|f| f.rule.to_string()).collect();
    assert!(!a.has(c), "{text:?} should not have {c}; got {got:?}");
}

#[track_caller]
fn apology(text: &str, expected: bool) {
    assert_eq!(analyze(text).apology, expected, "apology for {text:?}");
}

#[test]
fn trap1_phatic_sorry_is_gated_before_deflection_rules() {
    apology("Sorry, but we can't refund orders after 30 days.", false);
    lacks(
        "Sorry, but we can't refund orders after 30 days.",
        Category::ButUndoing,
    );
    apology("I'm so sorry you're going through this.", false);
    lacks(
        "I'm so sorry you're going through this.",
        Category::FeelingsShift,
    );
    apology("Sorry to bother you, but could you look at my PR?", false);
    apology("So sorry for your loss.", false);
    apology("Sorry? I didn't catch that.", false);
    // The real thing on the other side.
    has(
        "I'm sorry I snapped, but you were being annoying.",
        Category::ButUndoing,
    );
    has("I'm sorry you feel that way.", Category::FeelingsShift);
}

#[test]
fn trap2_but_and_if_that_extend_ownership() {
    lacks(
        "I didn't mean to, but I did hurt you, and that's on me.",
        Category::IntentOverImpact,
    );
    lacks(
        "I didn't mean to, but I did hurt you, and that's on me.",
        Category::ButUndoing,
    );
    lacks(
        "I'm sorry I was short with you. I was exhausted, but that's no excuse.",
        Category::Excuse,
    );
    lacks(
        "I'm sorry. If there's anything I can do, tell me.",
        Category::Conditional,
    );
    lacks(
        "Not only am I sorry, but I also want to make it right.",
        Category::ButUndoing,
    );
    lacks(
        "I'm sorry, but I will fix the report tonight.",
        Category::ButUndoing,
    );
    has("I'm sorry if anyone was offended.", Category::Conditional);
    has(
        "I'm sorry I forgot, but I was swamped at work.",
        Category::ButUndoing,
    );
}

#[test]
fn trap3_pronoun_roles_per_clause() {
    lacks("I'm sorry I made you wait so long.", Category::BlameShift);
    has("I'm sorry I made you wait so long.", Category::Impact);
    has("I'm sorry, but you made me do it.", Category::BlameShift);
    lacks("I overreacted, and I'm sorry.", Category::Minimizing);
    has("I'm sorry, but you're overreacting.", Category::Minimizing);
    lacks(
        "I'm sorry. I'm in therapy for my temper now.",
        Category::Pathologizing,
    );
    has("I'm sorry, but you need therapy.", Category::Pathologizing);
}

#[test]
fn trap4_impact_versus_feelings_shift() {
    has(
        "I'm sorry I embarrassed you in front of everyone.",
        Category::Impact,
    );
    lacks(
        "I'm sorry I embarrassed you in front of everyone.",
        Category::FeelingsShift,
    );
    has("I'm sorry you were embarrassed.", Category::FeelingsShift);
    lacks(
        "I'm sorry you were embarrassed by what I did.",
        Category::FeelingsShift,
    );
    has(
        "I'm sorry. You had every right to be upset.",
        Category::Impact,
    );
}

#[test]
fn trap5_negation_and_reclaim() {
    lacks("I'm not blaming you.", Category::BlameShift);
    lacks("It's not your fault, I'm sorry.", Category::BlameShift);
    lacks(
        "I never should have said that. I'm sorry.",
        Category::Denial,
    );
    has(
        "I never should have said that. I'm sorry.",
        Category::Responsibility,
    );
    lacks(
        "I'm sorry. There's no excuse for what I did.",
        Category::Excuse,
    );
    apology("I'm not sorry.", false);
    apology("I won't apologize for telling the truth.", false);
    has("Sorry, but it wasn't my fault.", Category::Denial);
}

#[test]
fn trap6_quotes_and_reported_speech() {
    let a = analyze("He said 'it's your fault' and walked out.");
    assert!(a.findings.iter().all(|f| f.reported), "{:?}", a.findings);
    assert!(!a.apology);
    let a = analyze("My boss told me I was overreacting.");
    assert!(!a.has(Category::Minimizing));
    apology("She apologized to me yesterday.", false);
    // An apostrophe never opens a quote: the writer's own words still count.
    has(
        "I don't think the '90s excuse works. I'm sorry, but you started it.",
        Category::BlameShift,
    );
    has(
        "Sorry, but it's their fault, the kids' friends started it.",
        Category::ButUndoing,
    );
}

#[test]
fn trap7_organisational_voice() {
    let t = "We got this wrong. We exposed your data, and here is the fix: we have reset every password.";
    has(t, Category::Responsibility);
    has(t, Category::Specificity);
    apology(t, true);
    let a = analyze("Sorry for the wait!");
    assert!(a.apology && a.findings.iter().all(|f| f.kind == ownup::Kind::Ownership));
    has(
        "We regret any inconvenience this may have caused.",
        Category::VagueObject,
    );
    assert!(
        analyze("We regret any inconvenience.").score < analyze(t).score,
        "distancing scores below owned corporate apology"
    );
}

#[test]
fn trap8_explanation_order() {
    // Explanation after ownership, marked as no excuse: fine.
    lacks(
        "I'm sorry I missed your recital. I was swamped at work, but that's not an excuse.",
        Category::Excuse,
    );
    // Explanation instead of ownership: an excuse.
    has(
        "Sorry I missed your recital, I was swamped at work.",
        Category::Excuse,
    );
}

#[test]
fn scores_order_like_a_careful_reader() {
    let full = analyze(
        "I'm sorry I yelled at you. It was wrong of me, I'll apologize to your team tomorrow, and it won't happen again.",
    );
    let bare = analyze("Sorry.");
    let but = analyze("I'm sorry I yelled at you, but you provoked me.");
    let feelings = analyze("I'm sorry you feel that way.");
    let (f, b, u, e) = (full.score, bare.score, but.score, feelings.score);
    assert!(f > b && b > u && b > e, "{f:?} {b:?} {u:?} {e:?}");
    assert_eq!(full.verdict(), ownup::Verdict::Full);
    assert_eq!(analyze("Mistakes were made.").score, None);
}

/// Not one of the eight, but the same kind of look-alike: a definite object ("the mess") is
/// vague only when nothing near the apology names or owns the act.
#[test]
fn a_definite_object_beside_a_named_act_is_not_vague() {
    has("Sorry for the mess, everyone.", Category::VagueObject);
    lacks(
        "We billed you twice for March. Sorry for the mess.",
        Category::VagueObject,
    );
    lacks(
        "Sorry for the mess: I deleted the shared folder by mistake.",
        Category::VagueObject,
    );
    // "any inconvenience" is all-purpose wherever it stands.
    has(
        "We billed you twice. We apologize for any inconvenience.",
        Category::VagueObject,
    );
}

/// Two overlapping matches of one rule are one finding, so the same words score once.
#[test]
fn overlapping_matches_of_one_rule_are_one_finding() {
    let a = analyze("My apologies for the late reply.");
    let regret = a
        .findings
        .iter()
        .filter(|f| f.category == Category::Regret)
        .count();
    assert_eq!(regret, 1, "{:?}", a.findings);
}
