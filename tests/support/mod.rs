pub mod pty;
pub mod sim;
