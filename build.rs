// sqlx's `migrate!` reads the migration folders while compiling; without this, a new migration
// file alone would not make cargo compile the crate again.
fn main() {
    println!("cargo:rerun-if-changed=assets/migrations");
    println!("cargo:rerun-if-changed=assets/migrations-pg");
}
