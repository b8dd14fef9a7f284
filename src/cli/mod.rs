//! See DESIGN.md §2.
pub fn main() -> i32 { 0 }
