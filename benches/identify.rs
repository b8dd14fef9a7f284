//! Identify-customer search: per keystroke over 200,000 customers with non-ASCII names
//! (generated), the engine query alone, then the whole console path — the key into the
//! identify form, the engine query, the answer into the form, and a 120x40 frame drawn.
//! Prints figures; asserts nothing.
//!
//! Run: `cargo bench --bench identify` (CUSTOMERS=N to change the count).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use orderdesk::domain::FetchedOrder;
use orderdesk::domain::intake::{IntakeOptions, NoContact, UnknownCustomer};
use orderdesk::domain::shop_order::{RemoteFinancial, RemoteFulfillment, ShopCustomer, ShopLine};
use orderdesk::domain::{Money, ShopOrder};
use orderdesk::engine::command::{Operator, Role};
use orderdesk::engine::{Engine, StoreSettings};
use orderdesk::sample::customers_csv;
use orderdesk::tui::app::{App, Effect, Intent, Msg};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

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
    let web = StoreSettings {
        id: "web".into(),
        platform: "shopify".into(),
        read_only: false,
        initial_days: 60,
        carriers: Default::default(),
        statuses: None,
        order_notes: false,
        catalog_from_orders: false,
        intake: IntakeOptions {
            product_key: Default::default(),
            unknown_customer: UnknownCustomer::Park,
            no_contact: NoContact::Unspecified,
            currency: "EUR".into(),
            phone_region: Some("HU".into()),
        },
    };
    let engine = Engine::open(&dir, "bench", vec![web]).expect("store");
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
        "engine query, every keystroke ({} queries over {n} customers): {}",
        all.len(),
        stats(all)
    );
    console_path(&engine, &typed);
    drop(engine);
    let _ = std::fs::remove_dir_all(dir);
}

/// An order needing its customer identified, as the shop sent it.
fn parked_order(engine: &Engine) -> u64 {
    let now = chrono::Utc::now();
    let shop = ShopOrder {
        remote_id: "1".into(),
        name: "1042".into(),
        created_at: now,
        updated_at: now,
        test: false,
        currency: "EUR".into(),
        total: Money::new(1000, 2),
        subtotal: Money::new(1000, 2),
        tax_total: Money::ZERO,
        discount_total: Money::ZERO,
        shipping_total: Money::ZERO,
        taxes_included: true,
        financial: RemoteFinancial::Paid,
        financial_label: "paid".into(),
        fulfillment: RemoteFulfillment::Unfulfilled,
        cancelled: false,
        email: Some("someone.new@example.org".into()),
        phone: None,
        customer: Some(ShopCustomer {
            remote_id: "77".into(),
            first_name: "Ilona".into(),
            last_name: "Tündér".into(),
            email: Some("someone.new@example.org".into()),
            phone: None,
        }),
        billing_address: None,
        shipping_address: None,
        shipping: None,
        lines: vec![ShopLine {
            remote_id: "1".into(),
            variant_id: None,
            product_remote_id: None,
            sku: Some("NONE".into()),
            name: "Tea".into(),
            quantity: 1,
            unit_price: Money::new(1000, 2),
            total: Money::new(1000, 2),
        }],
        authorization: None,
        payment_gateways: vec![],
    };
    let inc = FetchedOrder {
        remote_id: "1".into(),
        name: Some("1042".into()),
        updated_at: Some(now),
        raw: "{}".into(),
        order: Ok(shop),
    };
    engine.intake_batch("web", vec![inc]).expect("intake");
    engine
        .order_by_ref("web:1042")
        .expect("ref")
        .expect("order")
}

/// The console's whole path per keystroke in the identify form.
fn console_path(engine: &Engine, typed: &[&str]) {
    let id = parked_order(engine);
    let detail = engine.order_detail(id).expect("detail").expect("order");
    let keymap = orderdesk::tui::load_keymap("default", None).expect("keymap");
    let settings = orderdesk::tui::app::Settings {
        zone: orderdesk::tui::format::Zone::Tz(chrono_tz::UTC),
        theme: orderdesk::tui::theme::Theme::named(),
        configured_stores: 1,
        log_file: "orderdesk.log".into(),
        operator: "bench".into(),
        payment_methods: vec!["VISA".into()],
        carriers: vec![],
        phone_region: Some("HU".into()),
        terminal_title: false,
        bell: false,
        receipt_command: None,
    };
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut times = Vec::new();
    let mut draws = Vec::new();
    for phrase in typed {
        let mut app = App::new(settings.clone(), keymap.clone(), (120, 40));
        app.update(Msg::OrderFor(
            Intent::Identify,
            id,
            Some(Box::new(detail.clone())),
        ));
        // Clear the prefilled search, then type.
        for _ in 0..30 {
            app.update(Msg::Key(KeyEvent::new(
                KeyCode::Backspace,
                KeyModifiers::NONE,
            )));
        }
        for c in phrase.chars() {
            let t = Instant::now();
            let effects = app.update(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
            for e in effects {
                if let Effect::Command {
                    modal,
                    seq,
                    label,
                    command,
                } = e
                {
                    let clerk = Operator::new("bench", Role::Clerk);
                    let result = engine.execute(&clerk, &label, command.clone());
                    app.update(Msg::Answer {
                        modal,
                        seq,
                        command,
                        result,
                    });
                }
            }
            let d = Instant::now();
            term.draw(|f| orderdesk::tui::ui::draw(f, &app))
                .expect("draw");
            draws.push(d.elapsed());
            times.push(t.elapsed());
        }
    }
    println!(
        "console path, key -> query -> answer -> 120x40 frame ({} keystrokes): {}",
        times.len(),
        stats(times)
    );
    println!("  of which drawing the frame: {}", stats(draws));
}
