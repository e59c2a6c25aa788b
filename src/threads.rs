//! Thread-level summaries of comment records (`ownup threads`).
//!
//! Records stream through [`Threads::add`] in input order; only per-thread and per-author
//! tallies are kept, never texts or analyses. To link each apologizing reply to the comment
//! it answers, the aggregator also keeps a map from every comment id to its author, and the
//! list of apologizing replies. That map is the only state that grows with every comment, so
//! it holds a 64-bit hash of the id and an author number (12 bytes an entry) rather than the
//! id: memory is proportional to the number of comments at a few bytes each, plus threads and
//! authors, never to the size of the texts. Two ids collide with odds near n^2/2^65 (about
//! 1e-9 for 200,000 comments, 3e-6 for 10 million); a collision can only name the wrong
//! parent author, never drop or merge a record. Threads are written at the end, in order of first appearance; a parent that
//! appears after its reply is still linked.
//!
//! Conventions: a comment without a thread id is a thread of its own, named by the
//! comment's id; a comment without an author counts in its thread but in no author's
//! tallies; ids and thread ids that are JSON numbers are compared as their decimal text; a
//! comment without an id goes by its line number.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::analysis::Analysis;
use crate::batch::Record;
use crate::category::{Category, Kind};

/// What the aggregator needs from one analyzed comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// The comment id, as text.
    pub id: String,
    /// The thread id; `None` makes the comment its own thread.
    pub thread: Option<String>,
    /// The author.
    pub author: Option<String>,
    /// The id of the comment this one answers.
    pub parent: Option<String>,
    /// Whether the comment is an apology.
    pub apology: bool,
    /// Its score.
    pub score: Option<u8>,
    /// Categories of its counted deflection findings, one entry per finding.
    pub deflections: Vec<Category>,
}

impl Comment {
    /// Builds a comment from a record whose [`Record::extra`] fields are, in order, the
    /// thread, author and parent fields, and its analysis. A record without an id goes by
    /// its line number, so that it is still a thread of its own.
    pub fn new(record: &Record<'_>, analysis: &Analysis) -> Comment {
        let extra = |i: usize| record.extra.get(i).cloned().flatten().map(String::from);
        Comment {
            id: record
                .id
                .as_deref()
                .map_or_else(|| record.line.to_string(), str::to_string),
            thread: extra(0),
            author: extra(1),
            parent: extra(2),
            apology: analysis.apology,
            score: analysis.score,
            deflections: analysis
                .counted()
                .filter(|f| f.kind == Kind::Deflection)
                .map(|f| f.category)
                .collect(),
        }
    }
}

/// Tallies for a thread or an author.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Comments.
    pub comments: u64,
    /// Comments that are apologies.
    pub apologies: u64,
    score_sum: u64,
    /// Lowest score of an apology.
    pub min_score: Option<u8>,
    /// Counted deflection findings by category.
    pub deflections: BTreeMap<Category, u64>,
}

impl Tally {
    fn add(&mut self, c: &Comment) {
        self.comments += 1;
        if c.apology {
            self.apologies += 1;
        }
        if let Some(s) = c.score {
            self.score_sum += u64::from(s);
            self.min_score = Some(self.min_score.map_or(s, |m| m.min(s)));
        }
        for &cat in &c.deflections {
            *self.deflections.entry(cat).or_default() += 1;
        }
    }

    /// Mean score of the apologies, to two decimals; `None` without apologies.
    pub fn mean_score(&self) -> Option<f64> {
        (self.apologies > 0)
            .then(|| (self.score_sum as f64 / self.apologies as f64 * 100.0).round() / 100.0)
    }

    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("comments", &self.comments)?;
        map.serialize_entry("apologies", &self.apologies)?;
        map.serialize_entry("mean_score", &self.mean_score())?;
        map.serialize_entry("min_score", &self.min_score)?;
        let d: BTreeMap<&str, u64> = self.deflections.iter().map(|(c, n)| (c.id(), *n)).collect();
        map.serialize_entry("deflections", &d)?;
        Ok(())
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        self.serialize_fields(&mut map)?;
        map.end()
    }
}

#[derive(Debug, Clone)]
struct Reply {
    id: String,
    parent: String,
    author: Option<Arc<str>>,
    score: Option<u8>,
}

#[derive(Debug, Default)]
struct ThreadAgg {
    id: String,
    tally: Tally,
    authors: Vec<(Arc<str>, Tally)>,
    author_index: HashMap<Arc<str>, usize>,
    replies: Vec<Reply>,
}

/// Aggregates comments into threads.
#[derive(Debug, Default)]
pub struct Threads {
    threads: Vec<ThreadAgg>,
    index: HashMap<String, usize>,
    /// Hash of a comment id -> its author's number (0: no author).
    author_of: HashMap<u64, u32>,
    /// Author number - 1 -> author.
    authors: Vec<Arc<str>>,
    interned: HashMap<Arc<str>, u32>,
}

/// The key of a comment id in [`Threads::author_of`]. SipHash with fixed keys: the same id
/// always hashes the same, in every run.
fn id_key(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Threads {
    /// An empty aggregator.
    pub fn new() -> Threads {
        Threads::default()
    }

    /// The author and its number.
    fn intern(&mut self, s: &str) -> (Arc<str>, u32) {
        if let Some((a, &n)) = self.interned.get_key_value(s) {
            return (a.clone(), n);
        }
        let a: Arc<str> = Arc::from(s);
        self.authors.push(a.clone());
        let n = self.authors.len() as u32;
        self.interned.insert(a.clone(), n);
        (a, n)
    }

    /// Adds one comment.
    pub fn add(&mut self, c: Comment) {
        let (author, number) = match c.author.as_deref().map(|a| self.intern(a)) {
            Some((a, n)) => (Some(a), n),
            None => (None, 0),
        };
        self.author_of.insert(id_key(&c.id), number);
        let key = c.thread.clone().unwrap_or_else(|| c.id.clone());
        let ti = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.threads.push(ThreadAgg {
                    id: key.clone(),
                    ..ThreadAgg::default()
                });
                self.index.insert(key, self.threads.len() - 1);
                self.threads.len() - 1
            }
        };
        let t = &mut self.threads[ti];
        t.tally.add(&c);
        if let Some(a) = &author {
            let ai = match t.author_index.get(a) {
                Some(&i) => i,
                None => {
                    t.authors.push((a.clone(), Tally::default()));
                    t.author_index.insert(a.clone(), t.authors.len() - 1);
                    t.authors.len() - 1
                }
            };
            t.authors[ai].1.add(&c);
        }
        if c.apology {
            if let Some(parent) = c.parent {
                t.replies.push(Reply {
                    id: c.id,
                    parent,
                    author,
                    score: c.score,
                });
            }
        }
    }

    /// How many threads so far.
    pub fn len(&self) -> usize {
        self.threads.len()
    }

    /// Whether no comment was added.
    pub fn is_empty(&self) -> bool {
        self.threads.is_empty()
    }

    /// The thread summaries, in order of first appearance.
    pub fn finish(self) -> Vec<ThreadSummary> {
        let author_of = self.author_of;
        let authors = self.authors;
        self.threads
            .into_iter()
            .map(|t| ThreadSummary {
                thread_id: t.id,
                tally: t.tally,
                authors: t.authors,
                apology_replies: t
                    .replies
                    .into_iter()
                    .map(|r| ApologyReply {
                        parent_author: author_of
                            .get(&id_key(&r.parent))
                            .and_then(|&n| authors.get((n as usize).checked_sub(1)?))
                            .map(|a| a.to_string()),
                        id: r.id,
                        parent_id: r.parent,
                        author: r.author.map(|a| a.to_string()),
                        score: r.score,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// An apologizing reply and the comment it answers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApologyReply {
    /// The reply's id.
    pub id: String,
    /// The id of the comment it answers.
    pub parent_id: String,
    /// The author of that comment, `null` when unknown (no such comment, or no author).
    pub parent_author: Option<String>,
    /// The reply's author.
    pub author: Option<String>,
    /// The reply's score.
    pub score: Option<u8>,
}

/// One thread's summary; serializes as `{"thread_id", "comments", "apologies",
/// "mean_score", "min_score", "deflections", "authors", "apology_replies"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadSummary {
    /// The thread id.
    pub thread_id: String,
    /// Tallies over the whole thread.
    pub tally: Tally,
    /// Tallies per author, in order of first appearance.
    pub authors: Vec<(Arc<str>, Tally)>,
    /// Apologizing replies with their parents.
    pub apology_replies: Vec<ApologyReply>,
}

struct Authors<'a>(&'a [(Arc<str>, Tally)]);

impl Serialize for Authors<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (a, t) in self.0 {
            map.serialize_entry(&**a, t)?;
        }
        map.end()
    }
}

impl Serialize for ThreadSummary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("thread_id", &self.thread_id)?;
        self.tally.serialize_fields(&mut map)?;
        map.serialize_entry("authors", &Authors(&self.authors))?;
        map.serialize_entry("apology_replies", &self.apology_replies)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn c(id: &str, thread: &str, author: &str, parent: Option<&str>, score: Option<u8>) -> Comment {
        Comment {
            id: id.into(),
            thread: Some(thread.into()),
            author: Some(author.into()),
            parent: parent.map(Into::into),
            apology: score.is_some(),
            score,
            deflections: if score == Some(10) {
                vec![Category::BlameShift]
            } else {
                vec![]
            },
        }
    }

    #[test]
    fn links_replies_and_keeps_first_appearance_order() {
        let mut t = Threads::new();
        t.add(c("1", "b", "ann", None, None));
        t.add(c("2", "a", "bob", None, None));
        t.add(c("3", "b", "cy", Some("1"), Some(10)));
        t.add(c("4", "b", "ann", Some("3"), Some(60)));
        t.add(c("5", "b", "cy", Some("9"), Some(40)));
        let out = t.finish();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].thread_id, "b");
        let j = serde_json::to_value(&out[0]).unwrap_or_default();
        assert_eq!(j["comments"], 4);
        assert_eq!(j["apologies"], 3);
        assert_eq!(j["mean_score"], 36.67);
        assert_eq!(j["min_score"], 10);
        assert_eq!(j["deflections"]["blame_shift"], 1);
        assert_eq!(j["authors"]["cy"]["apologies"], 2);
        assert_eq!(j["apology_replies"][0]["parent_author"], "ann");
        assert_eq!(j["apology_replies"][1]["parent_author"], "cy");
        assert_eq!(j["apology_replies"][2]["parent_author"], Value::Null);
        assert_eq!(
            serde_json::to_value(&out[1]).unwrap_or_default()["mean_score"],
            Value::Null
        );
    }
}
