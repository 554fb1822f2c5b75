//! The session token of the plain commands, kept between commands in a file
//! only the user can read, and dropped when the server says it has ended.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::{Person, Secret};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedSession {
    /// The server the token belongs to: another server never sees it.
    pub server: String,
    pub token: Secret,
    pub user: Person,
}

/// `$XDG_STATE_HOME/rasid/session.json` on Linux.
pub fn default_path() -> Option<PathBuf> {
    crate::config::state_dir().map(|d| d.join("session.json"))
}

pub fn load(path: &Path) -> Option<SavedSession> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// A new file replaces the old one (or a symbolic link put in its place,
/// whose target is left alone), owner-only, in an owner-only directory.
pub fn save(path: &Path, session: &SavedSession) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fsutil::private_dir(dir)?;
    }
    let text = zeroize::Zeroizing::new(serde_json::to_string(session)?);
    crate::fsutil::replace(path, text.as_bytes(), crate::fsutil::OWNER_ONLY)
}

pub fn forget(path: &Path) {
    let _ = std::fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SavedSession {
        SavedSession {
            server: "http://127.0.0.1:1".into(),
            token: Secret::new("t0k3n"),
            user: Person {
                id_number: "1000000008".into(),
                name_ar: "عبدالله".into(),
                name_en: "Abdullah".into(),
                kind: crate::domain::PersonKind::Citizen,
            },
        }
    }

    #[test]
    fn the_token_file_is_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("session.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "old").unwrap();
        save(&path, &sample()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let back = load(&path).unwrap();
        assert_eq!(back.token.expose(), "t0k3n");
        forget(&path);
        assert!(load(&path).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_token_file_is_replaced_and_its_target_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("notes.txt");
        std::fs::write(&target, "mine").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let state = dir.path().join("state").join("rasid");
        std::fs::create_dir_all(&state).unwrap();
        std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = state.join("session.json");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        save(&path, &sample()).unwrap();
        // Compared, not printed: on failure the target would hold the token.
        assert!(std::fs::read_to_string(&target).unwrap() == "mine", "the link's target is not written");
        assert_eq!(mode(&target), 0o644, "nor its mode changed");
        assert!(std::fs::symlink_metadata(&path).unwrap().file_type().is_file());
        assert_eq!(mode(&path), 0o600);
        assert_eq!(load(&path).unwrap().token.expose(), "t0k3n");
        assert_eq!(mode(&state), 0o700, "the token's directory is its owner's only");
    }
}
