//! The Order detail view: customer, lines with their match, totals, payment, shipping,
//! problems and the timeline.

use crate::domain::{MatchStatus, Money};
use crate::engine::OrderDetail;
use crate::tui::app::Settings;
use crate::tui::format::{line_match, money, pad, pad_left};
use ratatui::text::{Line, Span};

fn field(label: &str, value: String) -> Line<'static> {
    Line::from(format!("  {} {value}", pad(label, 14)))
}

/// The detail as lines for a body `width` cells wide (narrow: each line's match goes below it).
pub fn order_lines(d: &OrderDetail, s: &Settings, width: u16) -> Vec<Line<'static>> {
    let wide = width >= 110;
    let t = &s.theme;
    let o = &d.order;
    let mut out: Vec<Line<'static>> = Vec::new();
    let heading = |text: &str| Line::styled(text.to_string(), t.header());

    let mut first = vec![
        Span::styled(format!("{} ", o.display_name()), t.header()),
        Span::styled(
            o.state.label().to_string(),
            if o.state.needs_action() {
                t.needs_action()
            } else {
                t.base()
            },
        ),
    ];
    if o.test {
        first.push(Span::styled("  test order", t.test_order()));
    }
    out.push(Line::from(first));
    out.push(Line::from(format!(
        "created {}  ·  updated {}",
        s.zone.datetime(o.created_at),
        s.zone.datetime(o.updated_at),
    )));
    out.push(Line::from(format!(
        "store {}  ·  remote id {}  ·  {}",
        o.store,
        o.remote_id,
        o.reference()
    )));
    if let Some(rule) = &o.rejected_by {
        out.push(Line::styled(
            format!("rejected by the import rule: {rule}"),
            t.failed(),
        ));
    }
    out.push(Line::from(""));

    out.push(heading("Customer"));
    let c = &o.customer;
    let name = c.name();
    out.push(field(
        "Name",
        if name.is_empty() { "—".into() } else { name },
    ));
    out.push(field(
        "Email",
        c.email.clone().unwrap_or_else(|| "—".into()),
    ));
    out.push(field(
        "Phone",
        c.phone.clone().unwrap_or_else(|| "—".into()),
    ));
    match &c.id {
        Some(id) => out.push(field("Local customer", id.clone())),
        None => out.push(Line::from(vec![
            Span::raw(format!("  {} ", pad("Local customer", 14))),
            Span::styled("not identified", t.needs_action()),
        ])),
    }
    if let Some(a) = &o.billing_address {
        out.push(field("Billing", a.one_line()));
    }
    out.push(Line::from(""));

    out.push(heading("Lines"));
    out.push(Line::styled(
        format!(
            "  {} {} {} {} {} {}  {}",
            pad_left("#", 2),
            pad("SKU", 14),
            pad("Name", 24),
            pad_left("Qty", 4),
            pad_left("Unit price", 11),
            pad_left("Total", 11),
            if wide { "Match" } else { "" }
        ),
        t.dim(),
    ));
    for l in &o.lines {
        let m = line_match(&l.matched, l.sku.as_deref());
        let style = match l.matched.status {
            MatchStatus::Mapped => t.base(),
            st if st.is_ok() => t.ok(),
            _ => t.failed(),
        };
        let sku = l
            .sku
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "—".into());
        let mut spans = vec![Span::raw(format!(
            "  {} {} {} {} {} {}  ",
            pad_left(&l.line.to_string(), 2),
            pad(&sku, 14),
            pad(&l.name, 24),
            pad_left(&l.quantity.to_string(), 4),
            pad_left(&money(l.unit_price), 11),
            pad_left(&money(l.total), 11)
        ))];
        if wide {
            spans.push(Span::styled(m, style));
            out.push(Line::from(spans));
        } else {
            out.push(Line::from(spans));
            out.push(Line::from(vec![
                Span::raw("     → "),
                Span::styled(m, style),
            ]));
        }
    }
    out.push(Line::from(""));

    out.push(heading("Totals"));
    let cur = &o.currency;
    let amount = |m: Money| format!("{} {cur}", pad_left(&money(m), 11));
    out.push(field("Subtotal", amount(o.subtotal)));
    out.push(field(
        "Discounts",
        amount(if o.discount_total.is_zero() {
            o.discount_total
        } else {
            -o.discount_total
        }),
    ));
    let tax_note = if o.taxes_included { "  (included)" } else { "" };
    out.push(field("Tax", format!("{}{tax_note}", amount(o.tax_total))));
    if let Some(sh) = &o.shipping {
        out.push(field("Shipping", amount(sh.cost)));
    }
    out.push(field("Total", amount(o.total)));
    out.push(field("Paid", amount(o.paid())));
    let balance = o.balance();
    let bal_style = if balance.is_zero() {
        t.ok()
    } else {
        t.needs_action()
    };
    out.push(Line::from(vec![
        Span::raw(format!("  {} ", pad("Balance", 14))),
        Span::styled(amount(balance), bal_style),
    ]));
    let label = if o.financial_label.is_empty() {
        format!("{:?}", o.financial)
    } else {
        o.financial_label.clone()
    };
    out.push(field("Shop payment", label));
    for p in &o.payments {
        out.push(Line::from(format!(
            "  {} {} {} {cur}  {}  {} by {}",
            pad("", 14),
            s.zone.datetime(p.at),
            money(p.amount),
            p.method,
            p.comment,
            p.operator
        )));
    }
    out.push(Line::from(""));

    out.push(heading("Shipping"));
    match &o.shipping {
        None => out.push(Line::from("  none")),
        Some(sh) => {
            out.push(field("Method", sh.title.clone()));
            if sh.pickup {
                out.push(field("Pickup", "the customer collects it in store".into()));
            } else {
                out.push(field(
                    "Carrier",
                    sh.carrier.clone().unwrap_or_else(|| "—".into()),
                ));
            }
            out.push(field("Cost", format!("{} {cur}", money(sh.cost))));
            if let Some(a) = &sh.address {
                out.push(field("Address", a.one_line()));
            }
        }
    }
    out.push(Line::from(""));

    if !o.problems.is_empty() || !o.conflicts.is_empty() {
        out.push(heading("Problems"));
        for p in o.problems.iter().chain(o.conflicts.iter()) {
            out.push(Line::styled(format!("  • {p}"), t.needs_action()));
        }
        out.push(Line::from(""));
    }

    if !d.outbox.is_empty() {
        out.push(heading("Sent to the shop"));
        out.extend(d.outbox.iter().map(|i| outbox_line(i, s)));
        out.push(Line::from(""));
    }

    out.push(heading("Timeline"));
    if d.timeline.is_empty() {
        out.push(Line::from("  —"));
    }
    for e in &d.timeline {
        out.push(Line::from(vec![
            Span::styled(format!("  {} ", s.zone.datetime(e.at)), t.dim()),
            Span::raw(format!("{} ", pad(&e.by, 8))),
            Span::styled(format!("{} ", pad(&e.kind, 10)), t.title(true)),
            Span::raw(e.text.clone()),
        ]));
    }
    out
}

/// One outbox item: when, what, and how the shop answered.
fn outbox_line(i: &crate::domain::outbox::OutboxItem, s: &Settings) -> Line<'static> {
    use crate::domain::outbox::OutboxStatus;
    let t = &s.theme;
    let (status, style) = match i.status {
        OutboxStatus::Sent => (
            format!(
                "sent{}",
                i.answer
                    .as_deref()
                    .map(|a| format!(": {a}"))
                    .unwrap_or_default()
            ),
            t.ok(),
        ),
        OutboxStatus::Failed => (
            format!("failed: {}", i.last_error.as_deref().unwrap_or("no answer")),
            t.failed(),
        ),
        OutboxStatus::Dismissed => ("failed, dismissed".to_string(), t.dim()),
        OutboxStatus::InFlight => ("being sent".to_string(), t.running()),
        OutboxStatus::Pending => (
            match (&i.last_error, i.attempts) {
                (Some(e), n) if n > 0 => format!("waiting to retry ({n} tried): {e}"),
                _ => "waiting to be sent".to_string(),
            },
            t.running(),
        ),
    };
    Line::from(vec![
        Span::styled(format!("  {} ", s.zone.datetime(i.updated_at)), t.dim()),
        Span::raw(format!("{}  ", i.change.describe())),
        Span::styled(status, style),
    ])
}
