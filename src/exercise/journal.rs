//! Where a session's journal goes: a file in `cimsim play`, memory for a
//! fuzzer (and, later, other front ends).

use super::Fault;
use crate::hash::{fnv1a64, hex16};
use crate::record;

/// A journal's bytes closed with their checksum line, as `quit` closes it
/// and as `save` copies it: `cimsim replay` verifies such a file.
pub fn closed(written: &[u8]) -> Vec<u8> {
    let mut bytes = written.to_vec();
    bytes.extend_from_slice(checksum_line(written).as_bytes());
    bytes
}

/// The checksum line that closes a journal whose bytes are `written`.
pub(super) fn checksum_line(written: &[u8]) -> String {
    record::checksum_line(&hex16(fnv1a64(written)))
}

/// The journal of a session: what it appends must be durable before the
/// session answers the command that wrote it.
pub trait Journal {
    /// Appends bytes and makes them durable before returning.
    fn append(&mut self, bytes: &[u8]) -> Result<(), Fault>;
    /// The journal as written so far.
    fn written(&self) -> Result<Vec<u8>, Fault>;
    /// The journal as named in messages.
    fn shown(&self) -> String;
    /// Writes a closed copy of the journal so far ([`closed`]) to `to`, or to
    /// the journal's default copy: `Ok(Ok(_))` says where, `Ok(Err(_))` why
    /// it was refused (the exercise goes on); `Err` ends the session.
    fn save_copy(&self, to: Option<&str>) -> Result<Result<String, String>, Fault>;
}

/// A journal kept in memory: nothing is written to a file, and `save` is
/// refused.
pub struct MemoryJournal(Vec<u8>);

impl MemoryJournal {
    /// A journal whose first bytes are `first`.
    pub fn new(first: &[u8]) -> Self {
        MemoryJournal(first.to_vec())
    }
}

impl Journal for MemoryJournal {
    fn append(&mut self, bytes: &[u8]) -> Result<(), Fault> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn written(&self) -> Result<Vec<u8>, Fault> {
        Ok(self.0.clone())
    }

    fn shown(&self) -> String {
        "(in memory)".to_string()
    }

    fn save_copy(&self, _to: Option<&str>) -> Result<Result<String, String>, Fault> {
        Ok(Err(
            "this session keeps its journal in memory and writes no file".to_string()
        ))
    }
}
