pub mod pty;
pub mod serve;
pub mod shop;
pub mod sim;
