//! Every file the client writes goes through here: it never writes through a
//! symbolic link, never leaves half a file, and gives owner-only modes.
//!
//! A file is first written whole into a temporary file created new (`O_EXCL`,
//! which refuses any existing name, a link included) in the same directory,
//! synced, and then renamed into place. A rename replaces a link at the final
//! name instead of following it.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The mode of the files this module creates when nothing else is asked for.
pub const OWNER_ONLY: u32 = 0o600;
const OWNER_ONLY_DIR: u32 = 0o700;

fn temp_in(dir: &Path, name: &str) -> io::Result<tempfile::NamedTempFile> {
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(OWNER_ONLY));
    }
    builder.tempfile_in(dir)
}

fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Sets the exact mode: the one a file is created with is narrowed by the umask.
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (file, mode);
    Ok(())
}

/// A rename is only durable once the directory that holds it is on disk.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates `dir` and any missing parents, owner-only (0700); an existing one is left as it is.
pub fn create_dirs(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(OWNER_ONLY_DIR);
    }
    builder.create(dir)
}

/// Like [`create_dirs`], and an existing directory of this name (not a link
/// to one) that others may enter is narrowed to 0700: for secrets.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    create_dirs(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = std::fs::symlink_metadata(dir)?;
        if meta.is_dir() && meta.mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(OWNER_ONLY_DIR))?;
        }
    }
    Ok(())
}

/// The permission bits of the regular file at `path`; `None` when nothing is
/// there. A symbolic link or anything else that is not a plain file is an error:
/// the callers replace files, and would otherwise silently drop what the user put there.
pub fn existing_mode(path: &Path) -> io::Result<Option<u32>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err),
    };
    if meta.file_type().is_symlink() {
        return Err(io::Error::other("it is a symbolic link, and rasid does not write through links"));
    }
    if !meta.is_file() {
        return Err(io::Error::other("it is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(Some(meta.permissions().mode() & 0o7777))
    }
    #[cfg(not(unix))]
    Ok(Some(OWNER_ONLY))
}

/// Puts `bytes` at `path` in one step, with `mode`: a reader sees the old
/// file or the new one, never a mix. A symbolic link at `path` is replaced by
/// the file; what it pointed to is not touched.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = dir_of(path);
    let name = path.file_name().map_or_else(|| "rasid".into(), |n| n.to_string_lossy());
    let mut temp = temp_in(dir, &name)?;
    set_mode(temp.as_file(), mode)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// A new file in a directory under a name that was free: `stem.ext`, else
/// `stem-2.ext`, `stem-3.ext`… It is written into a temporary file and only
/// gets its name in [`NewFile::keep`], without overwriting anything that took
/// the name meanwhile, so a failed write leaves nothing behind.
pub struct NewFile {
    temp: tempfile::NamedTempFile,
    dir: PathBuf,
    stem: String,
    ext: String,
}

/// How many numbered names are tried before giving up.
const MAX_TRIES: u32 = 1000;

impl NewFile {
    /// Owner-only (0600). `stem` and `ext` must be plain names, without a path separator.
    pub fn create(dir: &Path, stem: &str, ext: &str) -> io::Result<NewFile> {
        if [stem, ext].iter().any(|s| s.is_empty() || s.contains(['/', '\\']) || s.starts_with('.')) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a file name: {stem}.{ext}")));
        }
        let temp = temp_in(dir, &format!("{stem}.{ext}"))?;
        set_mode(temp.as_file(), OWNER_ONLY)?;
        Ok(NewFile { temp, dir: dir.to_owned(), stem: stem.to_owned(), ext: ext.to_owned() })
    }

    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// Syncs the file and gives it the first free name; returns that name.
    pub fn keep(self) -> io::Result<PathBuf> {
        self.temp.as_file().sync_all()?;
        let mut temp = self.temp;
        for n in 1..=MAX_TRIES {
            let name =
                if n == 1 { format!("{}.{}", self.stem, self.ext) } else { format!("{}-{n}.{}", self.stem, self.ext) };
            let path = self.dir.join(name);
            match temp.persist_noclobber(&path) {
                Ok(_) => {
                    sync_dir(&self.dir)?;
                    return Ok(path);
                }
                Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => temp = e.file,
                Err(e) => return Err(e.error),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{}/{}-*.{}: {MAX_TRIES} names taken", self.dir.display(), self.stem, self.ext),
        ))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_link_at_the_name_is_replaced_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "keep me").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let path = dir.path().join("file");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        replace(&path, b"new", 0o600).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
        assert_eq!(mode(&target), 0o644);
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[test]
    fn a_new_file_takes_the_next_free_name_and_overwrites_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("out.csv"), "mine").unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "theirs").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("out-2.csv")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("out-3.csv")).unwrap();
        let mut file = NewFile::create(dir.path(), "out", "csv").unwrap();
        file.file().write_all(b"a,b\n").unwrap();
        let path = file.keep().unwrap();
        assert_eq!(path, dir.path().join("out-4.csv"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read_to_string(dir.path().join("out.csv")).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
        assert!(!dir.path().join("missing").exists(), "a dangling link is not followed either");
        // Dropped before `keep`: nothing is left.
        drop(NewFile::create(dir.path(), "out", "csv").unwrap());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
        assert!(NewFile::create(dir.path(), "../out", "csv").is_err());
    }

    #[test]
    fn a_private_dir_is_for_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b");
        private_dir(&path).unwrap();
        assert_eq!(mode(&path), 0o700);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&path).unwrap();
        assert_eq!(mode(&path), 0o700);
    }
}
