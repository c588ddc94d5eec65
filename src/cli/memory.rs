//! Whether the worlds a command is about to build fit in the memory there is,
//! decided before the first one is built (`sim::footprint` estimates them).
//! A run that cannot fit is refused with exit 2 and what to do, instead of
//! being killed by the kernel or aborting with "memory allocation failed"
//! half-way, which is what a scenario received from another ministry would
//! otherwise do to the facilitator who opens it.

use std::path::Path;

use bytesize::ByteSize;

use super::output::Failure;
use cimsim::report::text::count;
use cimsim::scenario::Scenario;
use cimsim::sim::footprint::{self, Footprint};

/// The memory this process may use, and where that figure comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Available {
    pub bytes: u64,
    pub source: String,
}

/// Parses `--max-memory`: a byte count with an optional unit (`4G`, `512MiB`,
/// `1.5GB`, `2000000000`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let size: ByteSize = text
        .trim()
        .parse()
        .map_err(|e| format!("expected a size such as 4G, 512MiB or 1.5GB, found `{text}` ({e})"))?;
    if size.as_u64() == 0 {
        return Err("a memory size must be more than 0".to_string());
    }
    Ok(size.as_u64())
}

/// The smallest of the limits that apply to this process: the memory the
/// kernel says is available, the cgroup's limit less what it uses (a
/// container, a Slurm job), the address-space limit (`ulimit -v`), and the
/// user's `--max-memory`. `None` when none can be read (not Linux) and none
/// was given: the check is then skipped.
pub fn available(max_memory: Option<u64>) -> Option<Available> {
    let mut found: Vec<Available> = Vec::new();
    if let Some(bytes) = max_memory {
        found.push(Available {
            bytes,
            source: "--max-memory".to_string(),
        });
    }
    if let Some(kb) = meminfo_available_kb() {
        found.push(Available {
            bytes: kb.saturating_mul(1024),
            source: "MemAvailable in /proc/meminfo".to_string(),
        });
    }
    if let Some(a) = cgroup_room() {
        found.push(a);
    }
    if let Some(bytes) = address_space_limit() {
        // The address space holds more than the resident set: the binary and
        // thread stacks are mapped whether touched or not, and vectors that
        // double while households are generated map 1.5 times what they
        // keep.
        found.push(Available {
            bytes: (bytes / 4 * 3).saturating_sub(ADDRESS_SPACE_RESERVED),
            source: format!(
                "three quarters of the address-space limit (ulimit -v) of {}, less {} for the binary and stacks",
                ByteSize::b(bytes),
                ByteSize::b(ADDRESS_SPACE_RESERVED)
            ),
        });
    }
    found.into_iter().min_by_key(|a| a.bytes)
}

/// Address space mapped beyond the resident set whatever the scenario:
/// the scored tutorial run (12 MiB resident) needs a `ulimit -v` between
/// 30 and 40 MiB; the scored run of the tutorial with a million households
/// (438 MiB resident) between 600 and 650 MiB.
const ADDRESS_SPACE_RESERVED: u64 = 64 * 1024 * 1024;

fn meminfo_available_kb() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Room left under the cgroup's memory limit (v2, then v1), if it has one.
fn cgroup_room() -> Option<Available> {
    let read = |p: &str| std::fs::read_to_string(Path::new(p)).ok();
    let number = |s: Option<String>| s.and_then(|s| s.trim().parse::<u64>().ok());
    for (limit, usage, name) in [
        (
            "/sys/fs/cgroup/memory.max",
            "/sys/fs/cgroup/memory.current",
            "memory.max",
        ),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
            "memory.limit_in_bytes",
        ),
    ] {
        // "max", or v1's huge "no limit" value, means no limit here.
        let Some(max) = number(read(limit)).filter(|&m| m < 1 << 60) else {
            continue;
        };
        let used = number(read(usage)).unwrap_or(0);
        return Some(Available {
            bytes: max.saturating_sub(used),
            source: format!(
                "the cgroup's {name} of {} less the {} it uses",
                ByteSize::b(max),
                ByteSize::b(used)
            ),
        });
    }
    None
}

/// The soft address-space limit of this process, from `/proc/self/limits`.
fn address_space_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max address space"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// What a command will hold at once: `worlds` worlds of `scenario`.
pub struct Need<'a> {
    pub scenario: &'a Scenario,
    pub families_per_entity: u32,
    pub days: u32,
    pub worlds: u64,
    /// What would lower the need, in the command's own flags (beyond
    /// `--family-per-entity`, which is always offered when it helps).
    pub fewer_worlds: Option<&'a str>,
}

/// Refuses, with exit 2 and what to do, when the worlds will not fit.
pub fn check(need: &Need, max_memory: Option<u64>) -> Result<(), Failure> {
    let Some(available) = available(max_memory) else {
        return Ok(());
    };
    let world = Footprint::of(need.scenario, need.families_per_entity, need.days);
    let bytes = footprint::process_bytes(&world, need.worlds);
    if bytes <= available.bytes {
        return Ok(());
    }
    let mut help = Vec::new();
    if let Some(k) = footprint::coarsest_needed(need.scenario, need.days, need.worlds, available.bytes, 10_000)
        .filter(|&k| k > need.families_per_entity)
    {
        let coarse = footprint::process_bytes(&Footprint::of(need.scenario, k, need.days), need.worlds);
        help.push(format!("`--family-per-entity {k}` (about {})", ByteSize::b(coarse)));
    }
    if let Some(flags) = need.fewer_worlds {
        help.push(flags.to_string());
    }
    help.push("a machine with more memory".to_string());
    Err(Failure::Input(format!(
        "this needs about {} of memory and {} is available ({}): {} of {} and {} each, over {}; \
         it would not finish. Try {}, or --max-memory SIZE if you know better",
        ByteSize::b(bytes),
        ByteSize::b(available.bytes),
        available.source,
        count(need.worlds, "world", "worlds"),
        count(world.entities, "household entity", "household entities"),
        count(world.crews, "crew", "crews"),
        count(need.days.into(), "day", "days"),
        help.join(", ")
    )))
}
