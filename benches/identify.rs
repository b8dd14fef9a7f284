//! Identify-customer search: engine query per keystroke over 200,000 customers with
//! non-ASCII names (generated), as an operator types a name. Prints figures; asserts nothing.
//!
//! Run: `cargo bench --bench identify` (CUSTOMERS=N to change the count).

use orderdesk::engine::Engine;
use std::time::{Duration, Instant};

const FIRST: &[&str] = &[
    "Ilona",
    "Ödön",
    "Łukasz",
    "Zoë",
    "Gábor",
    "Márta",
    "Éva",
    "Ágnes",
    "Jiří",
    "Søren",
    "Björn",
    "Anna",
    "Péter",
    "Zsófia",
    "Kristóf",
    "Małgorzata",
    "Štěpán",
    "Renée",
    "François",
    "Jürgen",
    "Ingrid",
    "Åsa",
];
const LAST: &[&str] = &[
    "Tündér",
    "Kovács",
    "Szabó",
    "Nagy",
    "Tóth",
    "Horváth",
    "Varga",
    "Kiss",
    "Molnár",
    "Németh",
    "Farkas",
    "Żółć",
    "Wiśniewski",
    "Dvořák",
    "Novák",
    "Ørsted",
    "Müller",
    "Schäfer",
    "Lefèvre",
    "Åkesson",
    "Lakatos",
    "Fehér",
    "Balogh",
    "Papp",
    "Takács",
    "Juhász",
    "Mészáros",
    "Oláh",
    "Simon",
    "Rácz",
    "Fekete",
    "Szilágyi",
];

/// A deterministic generator (splitmix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
}

fn customers_csv(n: usize) -> String {
    let mut rng = Rng(7);
    let mut out = String::from(
        "id,first_name,last_name,email,phone,address,city,postal_code,country,remote_ids\n",
    );
    for i in 1..=n {
        let (f, l) = (rng.pick(FIRST), rng.pick(LAST));
        // A suffix keeps names varied beyond the pools (as real customer lists are).
        let l = if i % 3 == 0 {
            format!("{l}-{}", rng.pick(LAST))
        } else {
            l.to_string()
        };
        out.push_str(&format!(
            "C{i},{f},{l},c{i}@example.com,+3630{:07},Fő utca {},Budapest,1011,HU,\n",
            i,
            i % 200
        ));
    }
    out
}

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q) as usize];
    format!("p50 {:?}  p99 {:?}  max {:?}", at(0.5), at(0.99), at(1.0))
}

fn main() {
    let n: usize = std::env::var("CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = std::env::temp_dir().join(format!("orderdesk-bench-identify-{}", std::process::id()));
    let engine = Engine::open(&dir, "bench", vec![]).expect("store");
    let t = Instant::now();
    let csv = customers_csv(n);
    let imported = engine
        .import_customers("bench.csv", &csv, Some("HU"))
        .expect("import");
    println!(
        "imported {imported} customers in {:.1?} ({:.0}/s)",
        t.elapsed(),
        imported as f64 / t.elapsed().as_secs_f64()
    );

    // What an operator types, one keystroke at a time; each prefix is one query.
    let typed = [
        "tunder ilona",
        "Kovács Éva",
        "zolc lukasz",
        "orsted",
        "szab",
        "ji",
        "dvorak jiri",
        "nobody here",
    ];
    let mut all = Vec::new();
    for phrase in typed {
        let mut times = Vec::new();
        let mut last = 0;
        for end in phrase.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let q = &phrase[..end];
            for _ in 0..20 {
                let t = Instant::now();
                let r = engine.search_customers(q, 50).expect("search");
                times.push(t.elapsed());
                last = r.len();
            }
        }
        println!(
            "{phrase:>14}: {} ({} results at the full phrase)",
            stats(times.clone()),
            last
        );
        all.extend(times);
    }
    println!(
        "every keystroke ({} queries over {n} customers): {}",
        all.len(),
        stats(all)
    );
    drop(engine);
    let _ = std::fs::remove_dir_all(dir);
}
