//! The session token of the plain commands, kept between commands in a file
//! only the user can read, and dropped when the server says it has ended.

use std::io::Write;
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

pub fn save(path: &Path, session: &SavedSession) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    // A file left by an older run may have wider permissions than `mode` sets on creation.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(serde_json::to_string(session)?.as_bytes())
}

pub fn forget(path: &Path) {
    let _ = std::fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_file_is_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("session.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "old").unwrap();
        let session = SavedSession {
            server: "http://127.0.0.1:1".into(),
            token: Secret::new("t0k3n"),
            user: Person {
                id_number: "1000000008".into(),
                name_ar: "عبدالله".into(),
                name_en: "Abdullah".into(),
                kind: crate::domain::PersonKind::Citizen,
            },
        };
        save(&path, &session).unwrap();
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
}
