//! Running orderdesk to a seeded kill point (`src/killpoint.rs`), and learning from the runs
//! that were not killed how many points each kind of run passes.

use super::{Harness, Res};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;

/// The draw's bound for a kind of run no unkilled run has taught yet: a first sync here passes
/// about 55 points, an operator action 3–15.
const FIRST_BOUND: u64 = 60;

/// What the finished runs of a kind passed: the most points, and where each label was.
#[derive(Default)]
pub(super) struct Learnt {
    points: u64,
    /// Label -> the point numbers it had (from 1) in the last finished run that had it.
    at: std::collections::BTreeMap<String, Vec<u64>>,
}

/// How a run with its kill points logged ended.
pub(super) struct Ran {
    pub killed: bool,
    pub code: i32,
    pub output: String,
    /// Kill points passed (the killing one included).
    pub points: u64,
    /// The label of the last point passed.
    pub last: Option<String>,
}

/// FNV-1a, to fold every round's kill line into one number that two runs can compare.
pub(super) fn fold(digest: u64, line: &str) -> u64 {
    line.bytes().fold(digest, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(super) const FOLD_START: u64 = 0xcbf2_9ce4_8422_2325;

impl Harness {
    /// Runs `args` on `config` with its kill points logged; with `kill_at`, SIGKILL at that
    /// point. A run that was not killed teaches its kind how many points it passes.
    pub(super) fn run_to(
        &mut self,
        config: &Path,
        args: &[&str],
        kind: &str,
        kill_at: Option<u64>,
    ) -> Res<Ran> {
        let log = self.home.join("killpoints.log");
        if log.exists() {
            std::fs::remove_file(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        }
        let mut c = self.cmd_with(config, args);
        c.env("ORDERDESK_KILL_LOG", &log);
        if let Some(k) = kill_at {
            c.env("ORDERDESK_KILL_AT", k.to_string());
        }
        let out = c.output().map_err(|e| e.to_string())?;
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let labels = || {
            lines
                .iter()
                .filter_map(|l| l.split_once(' '))
                .map(|(_, l)| l)
        };
        let ran = Ran {
            killed: out.status.signal() == Some(libc::SIGKILL),
            code: out.status.code().unwrap_or(-1),
            output: String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
            points: lines.len() as u64,
            last: labels().next_back().map(str::to_string),
        };
        // Only a run that did its whole work teaches the bound (a refusal of an order that
        // may not be refused stops after a point or two), and the longest one seen.
        if !ran.killed && ran.code == 0 {
            let learnt = self.learnt.entry(kind.to_string()).or_default();
            learnt.points = learnt.points.max(ran.points);
            // A label keeps its places from the last finished run that had it: a sync pushes
            // to the shop only when something waits, and those places are the ones wanted.
            let mut now: std::collections::BTreeMap<String, Vec<u64>> = Default::default();
            for (n, label) in (1..).zip(labels()) {
                now.entry(label.to_string()).or_default().push(n);
            }
            learnt.at.extend(now);
        }
        Ok(ran)
    }

    /// Runs `args` on `config` to a drawn kill point, a run of `kind` on `store`'s shop; true
    /// when it died there. Prints the round's kill line. Half the draws are uniform up to the
    /// most its kind (on that shop) passed (a little beyond, so that some runs finish first);
    /// the other half pick a kind of point first, then one of its places in a finished run,
    /// so that the few requests to the shop get as many kills as the many store commits.
    pub(super) fn killed(
        &mut self,
        round: u64,
        store: &str,
        config: &Path,
        args: &[&str],
        kind: &str,
    ) -> Res<bool> {
        let kind = format!("{store} {kind}");
        let learnt = self.learnt.get(&kind);
        let bound = learnt.map_or(FIRST_BOUND, |l| l.points + l.points / 8 + 1);
        let by_label = learnt.filter(|l| !l.at.is_empty()).map(|l| &l.at);
        let k = match by_label {
            Some(at) if self.rng.chance(50) => {
                let label = self.rng.below(at.len() as u64) as usize;
                let places = at.values().nth(label).map_or(&[][..], |v| v.as_slice());
                places
                    .get(self.rng.below(places.len() as u64) as usize)
                    .copied()
                    .unwrap_or(1)
            }
            _ => 1 + self.rng.below(bound),
        };
        let ran = self.run_to(config, args, &kind, Some(k))?;
        let at = match (&ran.killed, &ran.last) {
            (true, Some(label)) => {
                let at = (store.to_string(), label.clone());
                *self.kills_at.entry(at).or_default() += 1;
                format!("killed at {label}")
            }
            (true, None) => "killed, no point logged".to_string(),
            (false, _) => {
                self.finished_before_kill += 1;
                format!("finished after {} points (exit {})", ran.points, ran.code)
            }
        };
        let line = format!("round {round}: {kind}, point {k} of 1..={bound}: {at}");
        self.digest = fold(self.digest, &line);
        println!("{line}");
        Ok(ran.killed)
    }
}
