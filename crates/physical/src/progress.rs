//! Progress bars on stderr (indicatif), hidden when stderr is not a terminal or when the
//! caller asks for quiet.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar of `len` steps labelled `msg`; hidden unless `show` and stderr is a terminal.
pub fn bar(len: u64, msg: &'static str, show: bool) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>16} [{bar:40}] {percent:>3}% {elapsed} eta {eta}")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(msg);
    pb
}
