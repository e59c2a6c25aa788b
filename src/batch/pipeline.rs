//! The ordered parallel pipeline: a reader thread, worker threads, and the caller as writer.
//!
//! The reader pulls items from the source (chunks of records, files to report on) and does
//! nothing else; each worker takes the next item and turns it into its finished result
//! (parsed, analyzed, serialized); the calling thread hands the results to the sink in the
//! source's order. At most a fixed number of items are between the reader and the sink at
//! once, so memory stays bounded however long the input and however slow one item is.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

/// How many items may be read and not yet sunk, per worker; and two more, so that the
/// reader and the sink each have one in hand.
const IN_FLIGHT_PER_WORKER: usize = 2;

/// Runs `work` on every item of `source` on `workers` threads (at least one) and gives the
/// results to `sink` in source order, on the calling thread.
///
/// Stops at the first error, from the source or from the sink, and returns it after the
/// results of every earlier item have been sunk; the other threads then stop too.
pub fn ordered<T, R, E, I, W, S>(workers: usize, source: I, work: W, mut sink: S) -> Result<(), E>
where
    T: Send,
    R: Send,
    E: Send,
    I: Iterator<Item = Result<T, E>> + Send,
    W: Fn(T) -> R + Sync,
    S: FnMut(R) -> Result<(), E>,
{
    let workers = workers.max(1);
    let window = IN_FLIGHT_PER_WORKER * workers + 2;
    // A token per item allowed in flight: the reader takes one before reading an item, the
    // writer gives it back once the item's result is sunk.
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        let _ = token_tx.send(());
    }
    let (job_tx, job_rx) = mpsc::sync_channel::<(u64, Result<T, E>)>(workers);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, Result<R, E>)>();
    let work = &work;
    // Set when the writer stops: the reader reads no more, the workers drop what is left.
    let stop = AtomicBool::new(false);
    let stop = &stop;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut source = source;
            for seq in 0u64.. {
                if token_rx.recv().is_err() || stop.load(Ordering::Relaxed) {
                    break;
                }
                let Some(item) = source.next() else { break };
                let failed = item.is_err();
                if job_tx.send((seq, item)).is_err() || failed {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || loop {
                // The lock is held only while waiting for the next item, not while working.
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                // Until the reader is done, items keep coming: after a stop they are taken
                // and dropped, so that the reader never waits on a full queue.
                let Ok((seq, item)) = job else { return };
                if !stop.load(Ordering::Relaxed) {
                    let _ = done_tx.send((seq, item.map(work)));
                }
            });
        }
        drop(done_tx);
        let result = write_in_order(done_rx, token_tx, &mut sink);
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// The writer: results arrive in any order and are sunk in sequence.
fn write_in_order<R, E>(
    done: mpsc::Receiver<(u64, Result<R, E>)>,
    tokens: mpsc::SyncSender<()>,
    sink: &mut impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting: BTreeMap<u64, Result<R, E>> = BTreeMap::new();
    let mut next = 0u64;
    for (seq, result) in done {
        waiting.insert(seq, result);
        while let Some(result) = waiting.remove(&next) {
            sink(result?)?;
            next += 1;
            let _ = tokens.send(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_whatever_the_speed_of_each_item() {
        for workers in 1..4 {
            let items = (0..500u64).map(Ok::<u64, String>);
            let mut seen = Vec::new();
            let r = ordered(
                workers,
                items,
                |i| {
                    // Uneven work, so that items finish out of order.
                    std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 300));
                    i * 2
                },
                |r| {
                    seen.push(r);
                    Ok(())
                },
            );
            assert_eq!(r, Ok(()));
            assert_eq!(seen, (0..500).map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn source_errors_come_after_the_earlier_results() {
        let items = (0..100u32).map(|i| if i == 60 { Err(i) } else { Ok(i) });
        let mut seen = Vec::new();
        let r = ordered(
            3,
            items,
            |i| i,
            |i| {
                seen.push(i);
                Ok(())
            },
        );
        assert_eq!(r, Err(60));
        assert_eq!(seen, (0..60).collect::<Vec<_>>());
    }

    #[test]
    fn a_sink_error_stops_an_endless_source() {
        let mut n = 0;
        let r = ordered(
            2,
            (0..).map(Ok::<u64, &str>),
            |i| i,
            |_| {
                n += 1;
                if n == 3 {
                    Err("closed")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("closed"));
    }
}
