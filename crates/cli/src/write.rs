//! Writing `-o FILE` safely: atomically (a temporary file in the same folder, then rename),
//! only over a regular file that is not one of the command's inputs, keeping the old file's
//! permissions, and without leaving the temporary file behind on SIGINT, SIGTERM or SIGHUP.
//!
//! - A symbolic link, FIFO, device, socket or folder at the path is refused (`InvalidValue`
//!   on `output`): renaming over it would replace it (as root, `-o /dev/null` would replace
//!   the device node with a regular file).
//! - An input the command read ([`note_input`]: `--pairs`, `--legs-file`, …) is refused by
//!   identity (device and inode), whatever path names it.
//! - An existing file keeps its mode (0600 stays 0600); a new one is 0644.
//! - While the temporary file exists a signal handler removes it before the process dies of
//!   the signal (it only calls `unlink`, `signal` and `raise`, all async-signal-safe).

use std::ffi::CString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

use corridor_engine::QueryError;

use crate::Failure;

/// (device, inode) of every file the command has read.
static INPUTS: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());

/// Records `path` as an input of this command: `-o` will not replace it.
pub(crate) fn note_input(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(m), Ok(mut v)) = (std::fs::metadata(path), INPUTS.lock()) {
            v.push((m.dev(), m.ino()));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn refuse(p: &Path, why: String) -> Failure {
    Failure::from(QueryError::InvalidValue {
        field: "output".into(),
        message: format!("{}: {why}", p.display()),
        suggestions: vec![],
    })
}

/// Why `p` may not be replaced, if it may not; else the mode to give the new file.
fn check_target(p: &Path) -> Result<u32, String> {
    let m = match std::fs::symlink_metadata(p) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0o644),
        Err(e) => return Err(format!("cannot be checked: {e}")),
    };
    let ft = m.file_type();
    let kind = if ft.is_symlink() {
        Some("a symbolic link")
    } else if ft.is_dir() {
        Some("a folder")
    } else if ft.is_file() {
        None
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            Some(if ft.is_fifo() {
                "a FIFO"
            } else if ft.is_char_device() || ft.is_block_device() {
                "a device"
            } else if ft.is_socket() {
                "a socket"
            } else {
                "not a regular file"
            })
        }
        #[cfg(not(unix))]
        Some("not a regular file")
    };
    if let Some(k) = kind {
        return Err(format!(
            "is {k}; -o writes regular files only (give the path of a new or regular file, or use stdout)"
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let id = (m.dev(), m.ino());
        if INPUTS.lock().map(|v| v.contains(&id)).unwrap_or(false) {
            return Err("is an input of this command; write the answer to another file".into());
        }
        Ok(m.mode() & 0o7777)
    }
    #[cfg(not(unix))]
    Ok(0o644)
}

/// The temporary file to remove if a signal ends the process (a leaked `CString`, or null).
static PENDING: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn on_signal(sig: libc::c_int) {
    let p = PENDING.swap(std::ptr::null_mut(), Ordering::SeqCst);
    // SAFETY: `p` is null or a NUL-terminated path leaked by `Pending::new`, never freed while
    // it is published; unlink, signal and raise are async-signal-safe.
    unsafe {
        if !p.is_null() {
            libc::unlink(p);
        }
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// Publishes a temporary path to the signal handler while it lives.
struct Pending;

impl Pending {
    fn new(path: &Path) -> Pending {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: installs a handler that only uses async-signal-safe calls.
                unsafe {
                    libc::signal(sig, on_signal as *const () as libc::sighandler_t);
                }
            }
        });
        use std::os::unix::ffi::OsStrExt;
        if let Ok(c) = CString::new(path.as_os_str().as_bytes()) {
            let old = PENDING.swap(c.into_raw(), Ordering::SeqCst);
            free(old);
        }
        Pending
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        free(PENDING.swap(std::ptr::null_mut(), Ordering::SeqCst));
    }
}

fn free(p: *mut libc::c_char) {
    if !p.is_null() {
        // SAFETY: every non-null pointer in PENDING came from `CString::into_raw`, and it was
        // swapped out, so nothing else holds it.
        drop(unsafe { CString::from_raw(p) });
    }
}

/// Writes `text` to `p` as described in the module documentation.
pub(crate) fn atomic(text: &str, p: &Path) -> Result<(), Failure> {
    let mode = check_target(p).map_err(|why| refuse(p, why))?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| Failure {
        code: 2,
        json: Some(
            serde_json::json!({"code": "InvalidValue", "field": "output", "message": format!("cannot write {}: {e}", p.display())}),
        ),
        text: format!("cannot write {}: {e}", p.display()),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
    let pending = Pending::new(tmp.path());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(fail)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    // Test aid: a pause with the temporary file in place (tests send signals in it).
    if let Some(ms) = std::env::var("CORRIDOR_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(10_000)));
    }
    // The target may have changed while we wrote: check again just before the rename.
    check_target(p).map_err(|why| refuse(p, why))?;
    tmp.persist(p).map_err(|e| fail(e.error))?;
    drop(pending);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_links_and_folders_are_not_targets() {
        // Read-only checks: nothing is written.
        let e = check_target(Path::new("/dev/null")).unwrap_err();
        assert!(e.contains("a device"), "{e}");
        let e = check_target(Path::new("/tmp")).unwrap_err();
        assert!(e.contains("a folder"), "{e}");
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("f.txt");
        std::fs::write(&f, "x").unwrap();
        std::os::unix::fs::symlink(&f, d.path().join("l")).unwrap();
        let e = check_target(&d.path().join("l")).unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        assert_eq!(check_target(&d.path().join("new")), Ok(0o644));
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(check_target(&f), Ok(0o600));
        note_input(&f);
        let e = check_target(&f).unwrap_err();
        assert!(e.contains("input"), "{e}");
    }
}
