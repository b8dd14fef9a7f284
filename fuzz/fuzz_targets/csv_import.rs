//! A products or customers CSV as `orderdesk import` checks it before writing anything: header,
//! rows, prices, stock, emails, phones, remote ids.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderdesk::engine::{read_customers, read_products};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = read_products("products.csv", text);
    let _ = read_customers("customers.csv", text, Some("HU"));
    let _ = read_customers("customers.csv", text, None);
});
