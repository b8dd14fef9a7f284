//! `orderdesk order REF …` and `orderdesk product ID edit`: the operator's actions for
//! scripts, calling the same engine commands as the console (DESIGN.md §4).

use super::common::{Context, Failure};
use super::listing::order_json;
use crate::config::Config;
use crate::domain::OrderState;
use crate::domain::forms::{CustomerDraft, parse_amount};
use crate::domain::lifecycle::StatusChange;
use crate::domain::limits::show_amount;
use crate::engine::{Engine, ProblemRef, ProductEdit};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct OrderArgs {
    /// The order, as STORE:NAME (e.g. web:1042).
    pub reference: String,
    #[command(subcommand)]
    pub action: Option<OrderAction>,
    #[arg(long, global = true)]
    pub json: bool,
    /// Confirm what the console would ask about (refusing an order, paying more than the balance).
    #[arg(long, global = true)]
    pub yes: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum OrderAction {
    /// Name the order's customer: an existing one, or one created from the order's data.
    Identify {
        #[arg(long, conflicts_with = "create", required_unless_present = "create")]
        customer: Option<String>,
        #[arg(long)]
        create: bool,
    },
    /// Map an order line (1-based) to a product; remembered for the shop's later orders.
    MapLine {
        line: u32,
        #[arg(long)]
        product: String,
    },
    /// Run intake again (after records were fixed).
    Intake,
    /// Record a payment (amount defaults to the balance; 12.50 or 12,50).
    Pay {
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        method: String,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Move the order: ready_for_pickup, ready_to_ship, shipped, completed, refused.
    Status {
        #[arg(value_parser = parse_state)]
        to: OrderState,
        #[arg(long)]
        carrier: Option<String>,
        #[arg(long)]
        tracking: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// A note on the order's timeline.
    Note { text: String },
    /// Dismiss a rejected order.
    Dismiss,
    /// Acknowledge the order's conflicts.
    Ack,
    /// The order's receipt (lines, payments, balance): stdout, --out FILE or --print.
    Receipt(super::receipt::ReceiptArgs),
}

fn parse_state(s: &str) -> Result<OrderState, String> {
    s.parse()
        .map_err(|e: crate::domain::state::UnknownState| e.to_string())
}

#[derive(clap::Args, Debug)]
pub struct ProductArgs {
    pub id: String,
    #[command(subcommand)]
    pub action: ProductAction,
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum ProductAction {
    /// Change a product's fields.
    Edit {
        #[arg(long)]
        sku: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        price: Option<String>,
        #[arg(long)]
        stock: Option<i64>,
        #[arg(long)]
        category: Option<String>,
    },
    /// Merge this product into INTO (a duplicate SKU cleared): INTO takes its stock, remote
    /// codes, line mappings and every order line that named it; this product is gone.
    Merge {
        into: String,
        /// Merge without asking (a merge cannot be undone).
        #[arg(long)]
        yes: bool,
    },
}

/// Sends what the command queued, a few seconds at most; prints the shop's answers.
pub(super) async fn send_now(cfg: &Config, engine: &Engine, store: &str) -> Vec<String> {
    let Some(sc) = cfg.stores.iter().find(|s| s.id == store) else {
        return vec![];
    };
    if engine
        .outbox_to_send(store)
        .map(|v| v.is_empty())
        .unwrap_or(true)
    {
        return vec![];
    }
    let channel = match crate::platforms::connect(sc) {
        Ok(c) => c,
        Err(e) => return vec![format!("not sent: {e}; `orderdesk sync --once` sends it")],
    };
    match tokio::time::timeout(Duration::from_secs(8), crate::sync::outbox::drain(engine, channel.as_ref(), store)).await {
        Ok(Ok(t)) => t.lines,
        Ok(Err(e)) => vec![format!("not sent: {e}")],
        Err(_) => vec!["the shop did not answer in time: the change stays queued; `orderdesk sync --once` sends it".into()],
    }
}

pub async fn order(ctx: Context, args: OrderArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let engine = ctx.engine(&cfg)?;
    let id = engine
        .order_by_ref(&args.reference)?
        .ok_or_else(|| Failure::new("not_found", format!("no order {}", args.reference)))?;
    let order = engine
        .order_detail(id)?
        .map(|d| d.order)
        .ok_or_else(|| Failure::new("not_found", format!("no order {}", args.reference)))?;
    let mut said = String::new();
    let started = chrono::Utc::now();
    match &args.action {
        None => {}
        Some(OrderAction::Receipt(r)) => {
            return super::receipt::receipt(&cfg, &order, r, args.json);
        }
        Some(OrderAction::Identify { customer, create }) => {
            let state = if *create {
                let draft: CustomerDraft = engine.customer_draft(id)?;
                let (cid, state) = engine.create_customer_for(id, &draft)?;
                said = format!("customer {cid} created; ");
                state
            } else {
                engine.identify_customer(id, customer.as_deref().unwrap_or_default())?
            };
            said.push_str(&format!("{} is {}", order.display_name(), state.as_str()));
        }
        Some(OrderAction::MapLine { line, product }) => {
            let state = engine.map_line(id, *line, product)?;
            said = format!(
                "line {line} mapped to {product}; {} is {}",
                order.display_name(),
                state.as_str()
            );
        }
        Some(OrderAction::Intake) => {
            let state = engine.intake_again(id)?;
            said = format!("{} is {}", order.display_name(), state.as_str());
        }
        Some(OrderAction::Pay {
            amount,
            method,
            comment,
        }) => {
            let method = cfg
                .payment_methods
                .iter()
                .find(|m| m.eq_ignore_ascii_case(method.trim()))
                .cloned()
                .ok_or_else(|| {
                    Failure::new(
                        "invalid",
                        format!(
                            "unknown payment method \"{method}\" (one of: {})",
                            cfg.payment_methods.join(", ")
                        ),
                    )
                })?;
            let amount = match amount {
                Some(a) => {
                    parse_amount(a).map_err(|e| Failure::new("invalid", format!("amount: {e}")))?
                }
                None => order.balance(),
            };
            if amount > order.balance() && !args.yes {
                return Err(Failure::new(
                    "confirm",
                    format!(
                        "{} is more than the balance {}; add --yes to record it anyway",
                        show_amount(amount, &order.currency),
                        show_amount(order.balance(), &order.currency)
                    ),
                ));
            }
            let p = engine.record_payment(id, &method, amount, comment, args.yes)?;
            said = format!(
                "payment {} {} recorded on {}",
                p.method,
                show_amount(p.amount, &order.currency),
                order.display_name()
            );
        }
        Some(OrderAction::Status {
            to,
            carrier,
            tracking,
            reason,
        }) => {
            let change = match to {
                OrderState::ReadyForPickup => StatusChange::ReadyForPickup,
                OrderState::ReadyToShip => StatusChange::ReadyToShip,
                OrderState::Completed => StatusChange::Completed,
                OrderState::Shipped => StatusChange::Shipped {
                    carrier: carrier.clone().ok_or_else(|| {
                        Failure::new("invalid", "shipped needs --carrier and --tracking")
                    })?,
                    tracking: tracking.clone().ok_or_else(|| {
                        Failure::new("invalid", "shipped needs --carrier and --tracking")
                    })?,
                },
                OrderState::Refused => {
                    let reason = reason
                        .clone()
                        .ok_or_else(|| Failure::new("invalid", "refused needs --reason"))?;
                    if !args.yes {
                        return Err(Failure::new(
                            "confirm",
                            format!(
                                "refusing {} cancels it in the shop, refunds it and notifies the customer; add --yes to confirm",
                                order.display_name()
                            ),
                        ));
                    }
                    StatusChange::Refused { reason }
                }
                other => {
                    return Err(Failure::new(
                        "invalid",
                        format!("an order cannot be moved to {other} by hand"),
                    ));
                }
            };
            let state = engine.change_status(id, &change)?;
            said = format!("{} is {}", order.display_name(), state.as_str());
        }
        Some(OrderAction::Note { text }) => {
            engine.add_note(id, text)?;
            said = format!("note added to {}", order.display_name());
        }
        Some(OrderAction::Dismiss) => {
            engine.dismiss(&ProblemRef::Order(id))?;
            said = format!("{} dismissed", order.display_name());
        }
        Some(OrderAction::Ack) => {
            engine.acknowledge(&ProblemRef::Order(id))?;
            said = format!("conflicts of {} acknowledged", order.display_name());
        }
    }
    let mut shop = if args.action.is_some() {
        send_now(&cfg, &engine, &order.store).await
    } else {
        vec![]
    };
    let detail = engine.order_detail(id)?;
    // A read-only store hears nothing: say so, as the timeline does.
    if let Some(d) = &detail {
        shop.extend(
            d.timeline
                .iter()
                .filter(|t| t.kind == "not sent" && t.at >= started)
                .map(|t| t.text.clone()),
        );
    }
    let (timeline, outbox) = detail
        .as_ref()
        .map(|d| (d.timeline.clone(), d.outbox.clone()))
        .unwrap_or_default();
    let after = detail.map(|d| d.order).unwrap_or(order);
    if args.json {
        let mut v = order_json(&after);
        v["shop"] = serde_json::json!(shop);
        v["payments"] = serde_json::json!(
            after
                .payments
                .iter()
                .map(|p| serde_json::json!({
                    "method": p.method,
                    "amount": super::common::money(p.amount),
                    "comment": p.comment,
                    "operator": p.operator,
                    "at": p.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                }))
                .collect::<Vec<_>>()
        );
        v["timeline"] = serde_json::json!(
            timeline
                .iter()
                .map(|t| serde_json::json!({
                    "at": t.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "by": t.by,
                    "kind": t.kind,
                    "text": t.text,
                }))
                .collect::<Vec<_>>()
        );
        v["outbox"] = super::listing::outbox_json(&outbox);
        println!("{v}");
    } else {
        if !said.is_empty() {
            println!("{said}");
        } else {
            println!(
                "{} {} {} {} {}",
                after.reference(),
                after.state,
                after.total,
                after.currency,
                after.customer.name()
            );
        }
        for l in shop {
            println!("shop: {l}");
        }
    }
    Ok(0)
}

pub fn product(ctx: Context, args: ProductArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let engine = ctx.engine(&cfg)?;
    let (sku, name, price, stock, category) = match args.action {
        ProductAction::Edit {
            sku,
            name,
            price,
            stock,
            category,
        } => (sku, name, price, stock, category),
        ProductAction::Merge { into, yes } => {
            return super::listing::merged(&engine, &args.id, &into, yes, args.json);
        }
    };
    let price = price
        .map(|p| parse_amount(&p).map_err(|e| Failure::new("invalid", format!("price: {e}"))))
        .transpose()?;
    let edit = ProductEdit {
        sku,
        name,
        price,
        stock,
        category,
    };
    let p = engine.update_product(&args.id, &edit)?;
    if args.json {
        println!("{}", super::listing::product_json(&p));
    } else {
        println!(
            "{} {} {} {} {}",
            p.id,
            p.sku,
            p.name,
            super::common::money(p.price),
            p.stock
        );
    }
    Ok(0)
}
