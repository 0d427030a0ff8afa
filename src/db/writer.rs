//! Group commit for SQLite: one writer thread runs the writing transactions that requests hand
//! it, as many as are waiting at once inside one `BEGIN IMMEDIATE ... COMMIT`, each in a
//! savepoint of its own.
//!
//! Why: with `synchronous = FULL` every commit waits for the disk, and SQLite has one writer at
//! a time, so a server that commits each request on its own is bound by commits per second, not
//! by work (an intake used under 70% of one core while 32 clients waited). Here a batch pays for
//! one commit however many requests it holds. Nothing waits to fill a batch: the thread takes
//! whatever queued while the previous batch was committing.
//!
//! What each request keeps: its closure runs in a savepoint, so an error rolls back exactly its
//! own writes and the others' stand; it is answered only after the batch's COMMIT returned, so
//! what it was told is on disk; if the COMMIT fails, every request of the batch gets the error and
//! none of their writes exist. Requests run one after another on the thread, as they would have
//! under the write lock, so each sees the writes of those before it.

use super::{immediate_transaction_begin, DbConn, DbError, DbUrl};
use diesel::connection::{Connection, TransactionManager};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// At most this many requests share one commit, so that one batch's answers are not held up long.
const MAX_BATCH: usize = 64;

/// What a finished request still needs: the batch's outcome, to send the right answer.
type Finish = Box<dyn FnOnce(Result<(), &DbError>) + Send>;

/// One request's writing work. `run` executes it inside the batch's transaction (in a savepoint)
/// and returns how to answer once the batch is committed; `refuse` answers without running it.
pub(super) trait Job: Send {
    fn run(self: Box<Self>, conn: &mut DbConn) -> Finish;
    fn refuse(self: Box<Self>, err: &DbError);
}

/// A closure and the channel its answer goes back on.
pub(super) struct Write<F, T, E> {
    pub f: F,
    pub reply: tokio::sync::oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Job for Write<F, T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + From<diesel::result::Error> + Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut DbConn) -> Finish {
        let Write { f, reply } = *self;
        // Inside the batch's transaction, diesel's `transaction` is a savepoint: released when
        // `f` succeeds, rolled back to when it fails.
        let outcome = conn.transaction(f);
        Box::new(move |committed| {
            let answer = match (outcome, committed) {
                (Ok(value), Ok(())) => Ok(value),
                (Ok(_), Err(err)) => Err(E::from(DbError::Other(format!(
                    "the transaction was not committed: {err}"
                )))),
                (Err(err), _) => Err(err),
            };
            // The request may have gone away (client disconnected); its writes stand regardless.
            let _ = reply.send(answer);
        })
    }

    fn refuse(self: Box<Self>, err: &DbError) {
        let _ = self.reply.send(Err(E::from(DbError::Other(format!(
            "the transaction could not begin: {err}"
        )))));
    }
}

/// The handle requests send their work through. When the last handle is dropped the thread
/// finishes the jobs queued, closes its connection and ends, and the drop waits for it: a process
/// that drops its pool before exiting has every write answered and no thread left inside SQLite.
#[derive(Clone)]
pub(super) struct Writer {
    thread: Arc<Thread>,
}

struct Thread {
    jobs: Option<mpsc::Sender<Box<dyn Job>>>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Thread {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(handle) = self.handle.take() {
            // The last handle can go with a job's closure on the thread itself, which cannot
            // wait for itself; it ends once that job returns.
            if handle.thread().id() != std::thread::current().id() {
                let _ = handle.join();
            }
        }
    }
}

impl Writer {
    /// Starts the writer thread with a connection of its own. `lock` is the in-process write
    /// lock that the other writers of this process (the command line, long imports) take too.
    pub fn start(url: &DbUrl, lock: Arc<Mutex<()>>) -> Result<Writer, DbError> {
        let mut conn = url.connect()?;
        let url = url.clone();
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        let handle = std::thread::Builder::new()
            .name("tiaojie-writer".into())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    if let Err(err) = commit_batch(&mut conn, &lock, batch) {
                        // A failed batch may leave the connection unusable; start afresh.
                        tracing::error!(error = %err, "group commit failed");
                        if let Ok(fresh) = url.connect() {
                            conn = fresh;
                        }
                    }
                }
            })
            .map_err(DbError::Folder)?;
        Ok(Writer {
            thread: Arc::new(Thread {
                jobs: Some(jobs),
                handle: Some(handle),
            }),
        })
    }

    /// Queues a job; answers it with an error at once if the thread is gone.
    pub fn submit(&self, job: Box<dyn Job>) {
        let sent = match &self.thread.jobs {
            Some(jobs) => jobs.send(job).map_err(|mpsc::SendError(job)| job),
            None => Err(job),
        };
        if let Err(job) = sent {
            job.refuse(&DbError::Blocking);
        }
    }
}

/// Runs every job of the batch in one transaction and answers them all once it is committed (or
/// has failed). An error here means the batch failed and its requests were told so.
fn commit_batch(
    conn: &mut DbConn,
    lock: &Mutex<()>,
    batch: Vec<Box<dyn Job>>,
) -> Result<(), DbError> {
    // A poisoned lock only means another writer panicked; the data is in SQLite.
    let guard = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Err(err) = immediate_transaction_begin(conn) {
        let err = DbError::from(err);
        batch.into_iter().for_each(|job| job.refuse(&err));
        return Err(err);
    }
    let mut finishes = Vec::with_capacity(batch.len());
    let mut panicked = false;
    for job in batch {
        match catch_unwind(AssertUnwindSafe(|| job.run(conn))) {
            Ok(finish) => finishes.push(finish),
            // The job's own reply channel went with it, so its request sees the writer gone.
            Err(_) => panicked = true,
        }
    }
    let committed = match panicked {
        // A job that panicked may have left its savepoint open: keep nothing of this batch.
        true => Err(DbError::Other(
            "a write panicked; the batch was rolled back".into(),
        )),
        false => <DbConn as Connection>::TransactionManager::commit_transaction(conn)
            .map_err(DbError::from),
    };
    if committed.is_err() {
        let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
    }
    drop(guard);
    for finish in finishes {
        finish(committed.as_ref().map(|_| ()));
    }
    committed
}
