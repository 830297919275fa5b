//! A progress line on standard error for steps that take more than a
//! second: nothing is drawn for fast steps, nor when standard error is not a
//! terminal (a pipe, a log file, a test), nor with `--quiet`.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Steps shorter than this draw nothing.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Redraw interval of the spinner.
const TICK: Duration = Duration::from_millis(100);

/// Draws progress for the steps of one command.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    enabled: bool,
}

impl Progress {
    /// Progress that draws only on a terminal and when not `quiet`.
    pub fn new(quiet: bool) -> Progress {
        Progress { enabled: !quiet && std::io::stderr().is_terminal() }
    }

    /// Runs `work`, showing `label` with a spinner and the elapsed time once
    /// it has run for a second; the line is erased when it ends.
    pub fn step<T>(&self, label: &str, work: impl FnOnce() -> T) -> T {
        if !self.enabled {
            return work();
        }
        let (done, wait) = mpsc::channel::<()>();
        let label = label.to_string();
        let drawer = thread::spawn(move || {
            let start = Instant::now();
            if wait.recv_timeout(QUIET_FOR) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let frames = ['|', '/', '-', '\\'];
            let mut i = 0;
            let mut err = std::io::stderr();
            loop {
                let _ = write!(err, "\r{} {label} {:.1}s", frames[i % 4], start.elapsed().as_secs_f64());
                let _ = err.flush();
                i += 1;
                if wait.recv_timeout(TICK) != Err(RecvTimeoutError::Timeout) {
                    let _ = write!(err, "\r\x1b[2K");
                    let _ = err.flush();
                    return;
                }
            }
        });
        let out = work();
        let _ = done.send(());
        let _ = drawer.join();
        out
    }
}
