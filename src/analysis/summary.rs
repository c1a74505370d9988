//! What calling a function does, summarised once per function ([`crate::analysis::summarize`]
//! computes them): whether it blocks its thread and on what, whether awaiting it suspends on
//! I/O, whether it needs the event loop's thread, how its cost grows, what it writes, and
//! which of its effects depend on a parameter. Each fact carries its evidence (the call path)
//! so that a message can say why.
//!
//! Summaries hold no references into the syntax tree: they can outlive a file's analysis.

use ruff_text_size::TextSize;
use smallvec::SmallVec;

use crate::analysis::library::IoKind;

/// One call on the way from the function asked about to the effect: `helper` at an offset of
/// the file, then `requests.get`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The callee as written (`self.fetch`, `requests.get`).
    pub callee: Box<str>,
    /// Where the call is.
    pub at: TextSize,
}

/// The calls from a function to an effect, outermost first. Bounded by [`MAX_PATH`].
pub type CallPath = SmallVec<[Step; 2]>;

/// Paths longer than this keep their first steps and their last one.
pub const MAX_PATH: usize = 6;

/// `steps` after `first`, bounded to [`MAX_PATH`] (the effect at the end is kept).
pub fn prepend(first: Step, steps: &CallPath) -> CallPath {
    let mut path = CallPath::new();
    path.push(first);
    if steps.len() + 1 > MAX_PATH {
        path.extend(steps.iter().take(MAX_PATH - 2).cloned());
        path.extend(steps.last().cloned());
    } else {
        path.extend(steps.iter().cloned());
    }
    path
}

/// What a parameter must be for a guarded effect to happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Truthy,
    Falsy,
    IsNone,
    IsNotNone,
}

/// A constant a call passes (or a parameter defaults to), as far as a guard can test it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constant {
    None,
    /// `True`, a non-zero number, a non-empty string.
    Truthy,
    /// `False`, zero, an empty string or container.
    Falsy,
}

impl Condition {
    /// Whether the guarded branch runs when the parameter is `value`.
    pub fn holds(self, value: Constant) -> bool {
        match (self, value) {
            (Condition::Truthy, Constant::Truthy) => true,
            (Condition::Truthy, _) => false,
            (Condition::Falsy, Constant::Truthy) => false,
            (Condition::Falsy, _) => true,
            (Condition::IsNone, value) => value == Constant::None,
            (Condition::IsNotNone, value) => value != Constant::None,
        }
    }
}

/// An effect that happens only behind a test of a parameter (`if include_children:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    /// The parameter's position among the positional parameters (`None` for keyword-only).
    pub position: Option<u16>,
    pub name: Box<str>,
    pub condition: Condition,
    /// The parameter's default, when it is a constant.
    pub default: Option<Constant>,
}

/// The function blocks its thread on `kind` along `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocking {
    pub kind: IoKind,
    pub path: CallPath,
    pub guard: Option<Guard>,
    /// The blocking work happens as a returned iterator is consumed (`os.walk`, `rglob`, a
    /// generator function): running the call alone in a thread would not move it.
    pub lazy: bool,
}

/// The function needs the event loop's thread along `path` (`asyncio.create_task`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affinity {
    pub path: CallPath,
    pub guard: Option<Guard>,
}

/// Whether awaiting a coroutine function's coroutine waits on I/O.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Suspension {
    /// It completes without waiting on I/O (dict building, registry lookups, cached values).
    #[default]
    Never,
    /// It awaits something whose behaviour cannot be seen.
    Unknown,
    /// It waits on I/O of `kind`, along `path`.
    Io { kind: IoKind, path: CallPath },
}

impl Suspension {
    /// The join of two awaits in one body: I/O wins, then unknown.
    pub fn join(&mut self, other: Suspension) {
        match (&*self, &other) {
            (Suspension::Io { kind, .. }, Suspension::Io { kind: new, .. })
                if new.rank() <= kind.rank() => {}
            (Suspension::Io { .. }, Suspension::Io { .. }) => *self = other,
            (Suspension::Io { .. }, _) => {}
            (_, Suspension::Io { .. }) => *self = other,
            (Suspension::Never, Suspension::Unknown) => *self = Suspension::Unknown,
            _ => {}
        }
    }

    pub fn io_kind(&self) -> Option<IoKind> {
        match self {
            Suspension::Io { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// How a function's running time grows, and why it counts as CPU-bound work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CpuWork {
    /// A configured `cpu-functions` call (assumed to hold the GIL).
    Configured,
    /// A heavy native routine that releases the GIL (`hashlib.pbkdf2_hmac`).
    HeavyNative,
    /// A data-dependent loop doing arithmetic on each step (`for i in range(n)`, a
    /// checksum over bytes).
    Linear,
    /// Nested data-dependent loops doing work on each step.
    Superlinear,
    /// Recursion that branches: two or more recursive calls per frame, or backtracking.
    Exponential,
}

impl CpuWork {
    pub fn describe(self) -> &'static str {
        match self {
            CpuWork::Configured => "listed in `cpu-functions`",
            CpuWork::HeavyNative => "heavy native work",
            CpuWork::Linear => "grows with the input",
            CpuWork::Superlinear => "superlinear: nested loops",
            CpuWork::Exponential => "exponential: branching recursion",
        }
    }

    /// Pure-Python work holds the GIL: threads do not scale it.
    pub fn holds_the_gil(self) -> bool {
        self != CpuWork::HeavyNative
    }
}

/// The cost of a call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cost {
    /// Data-dependent loop nesting around any work: 0 bounded, 1 grows with the input, 2 or
    /// more superlinear ([`EXPONENTIAL`] for branching recursion).
    pub degree: u8,
    /// Why it is CPU-bound, if it is.
    pub cpu: Option<CpuWork>,
    /// What the CPU-bound work loops over or calls: "loops over `range(n)`" (with where).
    pub evidence: Option<(Box<str>, TextSize)>,
    /// Positions of the parameters whose value or size drives the CPU-bound work's loops.
    pub drivers: u32,
    /// The CPU-bound work also loops over something that is not a parameter.
    pub driven_elsewhere: bool,
}

/// The degree of branching recursion.
pub const EXPONENTIAL: u8 = u8::MAX;

impl Cost {
    /// Keeps the costlier of two parts of one body.
    pub fn join(&mut self, other: &Cost) {
        self.degree = self.degree.max(other.degree);
        if other.cpu > self.cpu {
            self.cpu = other.cpu;
            self.evidence.clone_from(&other.evidence);
            self.drivers = other.drivers;
            self.driven_elsewhere = other.driven_elsewhere;
        } else if other.cpu.is_some() && other.cpu == self.cpu {
            self.drivers |= other.drivers;
            self.driven_elsewhere |= other.driven_elsewhere;
        }
    }
}

/// What a function writes besides its own locals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mutation {
    /// Positions (below 32) of the positional parameters it changes in place (item or
    /// attribute stores, mutating methods), directly or through the functions it calls.
    pub parameters: u32,
    /// Keyword-only parameters it changes in place.
    pub keyword_parameters: SmallVec<[Box<str>; 1]>,
    /// Attributes of `self` it writes.
    pub self_attributes: SmallVec<[Box<str>; 2]>,
    /// An attribute of `self` it both reads and writes (a check-then-set cache): calls of it
    /// depend on each other's order.
    pub self_read_and_written: bool,
    /// Module globals it writes or mutates.
    pub globals: SmallVec<[Box<str>; 1]>,
    /// For statements summarised in place (a loop's body): the names of the enclosing scope
    /// they change in place, directly or through the functions they call
    /// (`process(item, results)` filling `results`).
    pub outer_names: SmallVec<[Box<str>; 1]>,
    /// Positions (below 32) of the positional parameters it calls methods of unknown effect
    /// on (`conn.cursor()`, `client.send(...)`), directly or through the functions it calls:
    /// a connection or client whose state such calls may change. Statements summarised in
    /// place count a shared object handed there as changed (an HTTP client excepted).
    pub driven_parameters: u32,
}

impl Mutation {
    pub fn join(&mut self, other: &Mutation) {
        self.parameters |= other.parameters;
        self.driven_parameters |= other.driven_parameters;
        for name in &other.keyword_parameters {
            if !self.keyword_parameters.contains(name) {
                self.keyword_parameters.push(name.clone());
            }
        }
        for name in &other.self_attributes {
            if !self.self_attributes.contains(name) {
                self.self_attributes.push(name.clone());
            }
        }
        self.self_read_and_written |= other.self_read_and_written;
        for name in &other.globals {
            if !self.globals.contains(name) {
                self.globals.push(name.clone());
            }
        }
        for name in &other.outer_names {
            if !self.outer_names.contains(name) {
                self.outer_names.push(name.clone());
            }
        }
    }

    /// Whether it changes any argument in place.
    pub fn mutates_arguments(&self) -> bool {
        self.parameters != 0 || !self.keyword_parameters.is_empty()
    }
}

/// Everything calling a function (or evaluating an expression) does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The kinds of I/O it blocks on, each with one path (at most one entry per kind).
    pub blocking: SmallVec<[Blocking; 1]>,
    /// Whether it needs the event loop's thread.
    pub affinity: Option<Affinity>,
    /// For a coroutine function: whether awaiting it waits on I/O.
    pub suspension: Suspension,
    pub cost: Cost,
    pub mutation: Mutation,
    /// It calls something whose effects cannot be seen (an unknown library, a callable
    /// parameter, a method of an object of unknown type): the absence of an effect above is
    /// then no proof.
    pub unknown: bool,
    /// One cheap expression (`return x * 2`): not worth a pool's overhead.
    pub trivial: bool,
    /// An `async def`: calling it only makes a coroutine.
    pub coroutine: bool,
    /// A generator function: calling it runs nothing until the generator is iterated.
    pub generator: bool,
    /// It calls itself, directly or through other functions of the file.
    pub recursive: bool,
}

impl Summary {
    /// Adds a blocking effect, keeping one path per kind (the first found, which is the
    /// shortest in source order).
    pub fn add_blocking(&mut self, blocking: Blocking) {
        match self.blocking.iter_mut().find(|b| b.kind == blocking.kind) {
            Some(existing) => {
                // An unconditional effect replaces a guarded one; eager replaces lazy.
                if (existing.guard.is_some() && blocking.guard.is_none())
                    || (existing.lazy && !blocking.lazy)
                {
                    *existing = blocking;
                }
            }
            None => self.blocking.push(blocking),
        }
    }

    pub fn add_affinity(&mut self, affinity: Affinity) {
        match &self.affinity {
            Some(existing) if existing.guard.is_none() || affinity.guard.is_some() => {}
            _ => self.affinity = Some(affinity),
        }
    }

    /// The dominant kind of I/O it blocks on (see [`IoKind::rank`]).
    pub fn dominant_blocking(&self) -> Option<&Blocking> {
        self.blocking
            .iter()
            .max_by_key(|blocking| blocking.kind.rank())
    }

    /// Whether it is CPU-bound, and why: cost that grows with the input doing work on each
    /// step, branching recursion, or a heavy routine. Unknown calls make pure-Python growth
    /// unproven (an unknown call in the loop may be the I/O); blocking I/O makes it
    /// I/O-bound instead.
    pub fn cpu_work(&self) -> Option<CpuWork> {
        let cpu = self.cost.cpu?;
        match cpu {
            CpuWork::Configured => Some(cpu),
            _ if !self.blocking.is_empty() || self.unknown => None,
            _ => Some(cpu),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str) -> Step {
        Step {
            callee: name.into(),
            at: TextSize::new(0),
        }
    }

    #[test]
    fn paths_are_bounded_and_keep_the_effect() {
        let mut path = CallPath::new();
        for index in 0..10 {
            path.push(step(&format!("f{index}")));
        }
        let longer = prepend(step("top"), &path);
        assert_eq!(longer.len(), MAX_PATH);
        assert_eq!(&*longer[0].callee, "top");
        assert_eq!(&*longer.last().unwrap().callee, "f9");
    }

    #[test]
    fn suspension_join_prefers_io_then_unknown() {
        let io = Suspension::Io {
            kind: IoKind::Network,
            path: CallPath::new(),
        };
        let mut s = Suspension::Never;
        s.join(Suspension::Unknown);
        assert_eq!(s, Suspension::Unknown);
        s.join(io.clone());
        assert_eq!(s, io);
        s.join(Suspension::Unknown);
        assert_eq!(s, io);
    }

    #[test]
    fn guards_hold_for_constants() {
        assert!(Condition::Truthy.holds(Constant::Truthy));
        assert!(!Condition::Truthy.holds(Constant::Falsy));
        assert!(!Condition::Truthy.holds(Constant::None));
        assert!(Condition::Falsy.holds(Constant::None));
        assert!(Condition::IsNone.holds(Constant::None));
        assert!(!Condition::IsNone.holds(Constant::Falsy));
        assert!(Condition::IsNotNone.holds(Constant::Falsy));
    }

    #[test]
    fn cpu_work_needs_no_io_and_no_unknown_calls() {
        let mut summary = Summary::default();
        summary.cost.cpu = Some(CpuWork::Linear);
        assert_eq!(summary.cpu_work(), Some(CpuWork::Linear));
        summary.unknown = true;
        assert_eq!(summary.cpu_work(), None);
        summary.cost.cpu = Some(CpuWork::Configured);
        assert_eq!(summary.cpu_work(), Some(CpuWork::Configured));
    }
}
