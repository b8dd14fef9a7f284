pub mod pty;
pub mod shop;
pub mod sim;
