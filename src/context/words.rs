//! The word classes the context stage reads, resolved once per analyzer, and the few ways it
//! looks at words around a match.

use crate::lexicon::{Lexicon, WordSet};
use crate::segment::Span;

macro_rules! word_sets {
    ($( $field:ident => $id:literal, $doc:literal; )*) => {
        /// The word classes the context stage reads (`lexicons/classes.toml`).
        #[derive(Debug, Clone, Default)]
        pub struct Words {
            $( #[doc = $doc] pub $field: WordSet, )*
        }

        impl Words {
            /// The classes of a lexicon; a class it lacks is empty.
            pub fn of(lex: &Lexicon) -> Words {
                Words { $( $field: WordSet::of(lex, $id), )* }
            }

            /// The class ids the context stage reads.
            pub const IDS: &'static [&'static str] = &[ $( $id, )* ];
        }
    };
}

word_sets! {
    negator => "negator", "Cancel a match just after them.";
    soft => "soft_word", "Skipped when looking back from an apology word for its subject.";
    other_subject => "other_subject", "Make an apology someone else's.";
    hearer_subject => "hearer_subject", "Make an apology a demand or a question to the hearer.";
    demand => "demand_cue", "Make an apology demanded or talked about.";
    but_filler => "but_filler", "Skipped after 'but'.";
    but_turn_away => "but_turn_away", "After 'but', turn to someone or something else.";
    but_stance => "but_stance", "After 'but', turn to a stance or a defence.";
    head_adverb => "head_adverb", "Between an apology word and what it is for.";
    empty_word => "empty_word", "Name nothing in an act's object.";
    habit_negation => "habit_negation", "A first-person clause with one names no act.";
    fault_verb => "fault_verb", "Own a fault without naming the act.";
    wellbeing_check => "wellbeing_check", "Ask how the other is, after an apology.";
    modal => "modal", "Passed over looking back from a head for its subject.";
    assertion_verb => "assertion_verb", "Making a point, after a wish to.";
    hesitation => "hesitation", "Hesitations of talk, which are no words.";
    hesitation_glue => "hesitation_glue", "Words a hesitation after stands inside a clause.";
    obligation => "obligation", "Modals of obligation: an apology owed.";
    continuation => "continuation", "A going-on between a negator and what it negates.";
    question_opener => "question_opener", "Open a question about what follows them.";
    condition_word => "condition_word", "Make an admission only supposed.";
    belief_verb => "belief_verb", "After another subject, make an admission that person's view.";
    own_act_question => "own_act_question", "Open a question about the writer's own act.";
    own_state_question => "own_state_question", "Open a question about the writer's present state.";
    question_lead => "question_lead", "Conjunctions a question may open with.";
    trailing_subject => "trailing_subject", "The writer and a verb after an apology word: 'how sorry I am'.";
    refers_to_nothing => "refers_to_nothing", "Make an object refer to nothing in particular.";
    act_adverb => "act_adverb", "Between a first-person subject and its verb.";
    writer_subject => "writer_subject", "The writer as subject.";
    writer_possessive => "writer_possessive", "The writer's.";
    hearer => "hearer", "The person addressed.";
    hearer_possessive => "hearer_possessive", "The hearer's.";
    audience => "audience", "Anyone affected, unnamed.";
    third_person => "third_person", "A third party.";
    deictic => "deictic", "Points at the matter without naming it.";
    feeling_word => "feeling_word", "A reaction, as an adjective or participle.";
    perception_verb => "perception_verb", "Verbs of feeling, perceiving, taking it a way.";
    reaction_noun => "reaction_noun", "Nouns for a reaction.";
    event_verb => "event_verb", "Something that happened.";
    event_noun => "event_noun", "An event as a noun.";
    transgression_noun => "transgression_noun", "A wrong, as a noun.";
    be_aux => "be_aux", "Forms of be and get.";
    aux => "aux", "Auxiliaries and modals.";
    hypothetical => "hypothetical", "Makes the object hypothetical.";
    vague_quantifier => "vague_quantifier", "Makes an object all-purpose.";
    vague_noun => "vague_noun", "Names no act.";
    determiner => "determiner", "Opens a noun phrase.";
    not_gerund => "not_gerund", "Ends in -ing but is no act.";
    participle => "participle", "Irregular past participles.";
    clause_end_word => "clause_end_word", "Ends what an apology is for.";
    person_noun => "person_noun", "People and pets.";
    request_opener => "request_opener", "Opens a question or a request.";
    non_act_verb => "non_act_verb", "States a thought, wish, feeling or plan, not an act.";
    time_word => "time_word", "Times and occasions.";
    conduct_word => "conduct_word", "How the writer behaved.";
    request_turn => "request_turn", "After 'but', a request or a question for help.";
    but_resume => "but_resume", "After 'but', back to the conversation the apology interrupted.";
    talk_marker => "talk_marker", "Open a turn of talk.";
    head_word => "head_word", "The apology word of a head.";
    transitive_head => "transitive_head", "Apology words that take their object directly.";
    story_adverb => "story_adverb", "Place an apology in a story the writer tells.";
    desire_verb => "desire_verb", "Wishing verbs before 'to' and an apology.";
    past_marker => "past_marker", "Date a told apology in the past.";
    perfect_aux => "perfect_aux", "The auxiliary of the perfect.";
    perfect_adverb => "perfect_adverb", "Between the perfect's auxiliary and its verb.";
    ly_not_manner => "ly_not_manner", "Words in -ly that are no manner adverb.";
    telling_verb => "telling_verb", "Tell of an apology the writer made.";
    apology_topic_cue => "apology_topic_cue", "Before the noun 'apology', make it the topic.";
    clause_lead => "clause_lead", "Open a clause before its subject.";
    hedge_word => "hedge_word", "Make an act only possible.";
    address_term => "address_term", "Address the hearer.";
    future_aux => "future_aux", "Put a clause of the writer's in the future.";
    pledge_word => "pledge_word", "Pledge to do better.";
    first_plural => "first_plural", "The writer as 'we'.";
    performative_adverb => "performative_adverb", "Make a statement the act it names.";
    past_act => "past_act", "Irregular simple pasts of acts.";
    third_party_agent => "third_party_agent", "Others a writer works through.";
    outside_firm => "outside_firm", "Firms outside the writer's organisation, even when called 'our'.";
    organisation_noun => "organisation_noun", "An organisation named in the third person.";
    own_organisation => "own_organisation", "Parts of the writer's organisation that act for it.";
    cause_connective => "cause_connective", "Give a reason.";
    mishap_verb => "mishap_verb", "Mishaps someone caused to a thing or plan.";
    misdeed_verb => "misdeed_verb", "Faults in how something was handled.";
    malfunction_verb => "malfunction_verb", "What things do when they go wrong by themselves.";
    failure_word => "failure_word", "Tell something going wrong.";
    served_party => "served_party", "The people an organisation or a writer serves.";
    role_noun => "role_noun", "People named by what they do.";
    disorder_word => "disorder_word", "Make a reaction a disorder.";
    overreaction_word => "overreaction_word", "Call a reaction too much.";
    tu_quoque => "tu_quoque", "Set the hearer's doings against the writer's.";
    suffering_word => "suffering_word", "What the writer says they went through.";
    condition_opener => "condition_opener", "Open a condition on an apology from outside it.";
    open_condition => "open_condition", "After 'if': an offer, a request or a plan.";
    counterfactual => "counterfactual", "After 'if I': what was not or cannot be.";
    upsetting_verb => "upsetting_verb", "Verbs of upsetting someone.";
    doubted_matter => "doubted_matter", "Doubt that the matter happened.";
    bad_manner => "bad_manner", "Call conduct a fault after a conduct verb.";
    misreading => "misreading", "Taking something badly or wrongly.";
    stance_word => "stance_word", "A view of a matter held by someone.";
    habit_phrase => "habit_phrase", "After an apology verb, how often it is made.";
    other_occasion => "other_occasion", "Date a deed to an earlier, separate occasion.";
    unmarked_participle => "unmarked_participle", "Participles that tell no harm done to the writer.";
    done_to_cue => "done_to_cue", "After the writer's 'been' and a participle: done to them by others, or on and on.";
    denial_exempt_verb => "denial_exempt_verb", "Verbs that, negated after an apology, deny no deed.";
    kindness_verb => "kindness_verb", "What someone does for another, not against them.";
    volition_word => "volition_word", "What someone willed or meant by an act.";
    causative_verb => "causative_verb", "Make someone do something: 'made Kyle apologize'.";
    contact_verb => "contact_verb", "Reach someone without saying anything in particular.";
    nothing_left_word => "nothing_left_word", "Leave nothing of what is negated.";
    owed_act_cue => "owed_act_cue", "After a negated verb, make it an omission owned.";
    time_clause_word => "time_clause_word", "Open a clause that tells when something happened.";
    busy_state => "busy_state", "The writer taken up with something else.";
    not_occupied => "not_occupied", "Verbs in -ing that tell no occupation.";
    wrong_act => "wrong_act", "Acts that are wrongs in themselves.";
    harm_verb => "harm_verb", "Verbs of harm done to a person.";
    effect_verb => "effect_verb", "Verbs that tell only what an act did to someone.";
    wrong_evaluation => "wrong_evaluation", "Judgements that call an act wrong.";
    habit_adverb => "habit_adverb", "Adverbs of how often.";
    floating_quantifier => "floating_quantifier", "A group acting together, between a modal and its verb.";
    wh_word => "wh_word", "Open a question or a relative clause.";
    hearers_side => "hearers_side", "Put a failure on the hearer's side.";
    conduct_fault => "conduct_fault", "Conduct as a fault, after 'was' or 'were'.";
    irregular_past => "irregular_past", "Past tenses not ending in -ed ('became', 'went').";
    fault_word => "fault_word", "Adjectives that call someone at fault ('rude', 'unkind').";
    fault_noun => "fault_noun", "Nouns that call someone at fault ('jerk', 'bully').";
    hearer_obstinacy => "hearer_obstinacy", "The other refusing to listen or stop, given as what drove the writer.";
    social_marker => "social_marker", "Mark a social post or banter.";
    public_body => "public_body", "Public bodies nobody in a conversation speaks for.";
    public_matter => "public_matter", "The public world: the economy, the country.";
    kin_noun => "kin_noun", "Family and friends, whose doings are not the writer's.";
    grounds_noun => "grounds_noun", "Open a claim or its grounds after 'but'.";
    present_link => "present_link", "Verbs of how things stand now, after 'but'.";
    owned_thing => "owned_thing", "Things someone said or did that can be judged.";
    part_participle => "part_participle", "Name people by their part in a matter, after them.";
    dependent_noun => "dependent_noun", "Children and pets, whose wrongs to others the writer answers for.";
    people_category => "people_category", "People by a category, named as a group.";
    negated_idiom_end => "negated_idiom_end", "End an idiom whose negator negates nothing after it ('not gonna lie').";
    harmed_person => "harmed_person", "People an act can harm, after a verb of harm ('hurt you').";
    pitied_person => "pitied_person", "People one feels sorry for, named alone after 'sorry for'.";
    writer_side => "writer_side", "Put a misfortune on the writer's side.";
    misfortune_noun => "misfortune_noun", "Misfortunes nobody in a conversation causes.";
    loss_word => "loss_word", "A death or a grave misfortune.";
    news_verb => "news_verb", "The writer learning of something.";
    lament_verb => "lament_verb", "What a collective 'we' went through, not did.";
    ordeal_verb => "ordeal_verb", "What someone went through.";
    people_lead => "people_lead", "Say which people of a kind: 'other', 'some'.";
    others_noun => "others_noun", "People who wrong others: strangers, trolls, bullies.";
    outreach_verb => "outreach_verb", "Getting in touch with someone, to apologize to them.";
    hearer_ordeal => "hearer_ordeal", "What the hearer goes through, as a verb.";
    hearer_trouble => "hearer_trouble", "Troubles the hearer has.";
    ailment => "ailment", "Illnesses and pains someone has.";
    service_cue => "service_cue", "A writer speaking for a service or an organisation.";
    good_faith => "good_faith", "The hearer's good faith, granted in a condition.";
    gratitude_word => "gratitude_word", "Thanks given, as a clause before an apology.";
    befall_verb => "befall_verb", "An event going some way for someone.";
}

/// The words of `lower[span]`, in order: runs of ASCII letters, digits and apostrophes.
pub fn words_in(lower: &str, span: Span) -> impl DoubleEndedIterator<Item = &str> {
    lower[span.start..span.end]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// Up to `n` words before `at` within `from..at`, nearest first.
pub fn words_before(lower: &str, from: usize, at: usize, n: usize) -> Vec<&str> {
    words_in(
        lower,
        Span {
            start: from.min(at),
            end: at,
        },
    )
    .rev()
    .take(n)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_punctuation_and_keep_apostrophes() {
        let text = "well, i'm sorry - you're right.";
        let all: Vec<&str> = words_in(
            text,
            Span {
                start: 0,
                end: text.len(),
            },
        )
        .collect();
        assert_eq!(all, ["well", "i'm", "sorry", "you're", "right"]);
        assert_eq!(words_before(text, 0, 15, 2), ["sorry", "i'm"]);
    }

    #[test]
    fn prefix_of_several_words() {
        let lex = Lexicon::builtin().expect("built-in lexicon");
        let w = Words::of(&lex);
        assert_eq!(
            w.but_filler.prefix_len(&["to", "be", "honest", "you"]),
            Some(3)
        );
        assert_eq!(w.but_filler.prefix_len(&["you", "were"]), None);
        assert!(w.negator.contains("dont") && w.negator.contains("don't"));
    }
}
