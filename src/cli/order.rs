//! `orderdesk order REF …` and `orderdesk product ID edit`: the operator's actions for
//! scripts, calling the same engine commands as the console (DESIGN.md §4).

use super::common::{Context, Failure};
use super::listing::order_json;
use crate::config::Config;
use crate::domain::forms::parse_amount;
use crate::domain::lifecycle::StatusChange;
use crate::domain::limits::show_amount;
use crate::domain::outbox::{OutboxItem, OutboxStatus};
use crate::domain::{Order, OrderState};
use crate::engine::command::{Answer, Command};
use crate::engine::{Engine, ProblemRef, ProductEdit};
use crate::service::Desk;
use chrono::{DateTime, Utc};
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
    let desk = ctx.desk(&cfg).await?;
    let missing = || Failure::new("not_found", format!("no order {}", args.reference));
    let id = desk
        .order_by_ref(&args.reference)
        .await?
        .ok_or_else(missing)?;
    let order = (desk.order_detail(id).await?)
        .map(|d| d.order)
        .ok_or_else(missing)?;
    let started = chrono::Utc::now();
    let said = match &args.action {
        None => String::new(),
        Some(OrderAction::Receipt(r)) => {
            return super::receipt::receipt(&cfg, &order, r, args.json);
        }
        Some(action) => {
            let command = command_for(&cfg, &desk, &order, action, args.yes).await?;
            desk.execute(&order.display_name(), command.clone()).await?;
            let now = (desk.order_detail(id).await?)
                .map(|d| d.order)
                .ok_or_else(missing)?;
            said_of(&order, &now, &command)
        }
    };
    let mut shop = match (&args.action, &desk) {
        (None, _) => vec![],
        (Some(_), Desk::Local { engine, .. }) => send_now(&cfg, engine, &order.store).await,
        (Some(_), Desk::Remote(_)) => shop_answers(&desk, id, started).await,
    };
    let detail = desk.order_detail(id).await?;
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

/// The command an order action sends, checked as the console's forms check it first.
async fn command_for(
    cfg: &Config,
    desk: &Desk,
    order: &Order,
    action: &OrderAction,
    yes: bool,
) -> Result<Command, Failure> {
    let order_id = order.id;
    Ok(match action {
        OrderAction::Identify { create: true, .. } => {
            let Answer::Draft(draft) = desk
                .execute("", Command::CustomerDraft { order_id })
                .await?
            else {
                return Err(Failure::new("service", "no customer draft came back"));
            };
            Command::CreateCustomer {
                order_id,
                draft: Box::new(draft),
            }
        }
        OrderAction::Identify { customer, .. } => Command::Identify {
            order_id,
            customer_id: customer.clone().unwrap_or_default(),
        },
        OrderAction::MapLine { line, product } => Command::MapLine {
            order_id,
            line: *line,
            product_id: product.clone(),
        },
        OrderAction::Intake => Command::IntakeAgain { order_id },
        OrderAction::Pay {
            amount,
            method,
            comment,
        } => {
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
            if amount > order.balance() && !yes {
                return Err(Failure::new(
                    "confirm",
                    format!(
                        "{} is more than the balance {}; add --yes to record it anyway",
                        show_amount(amount, &order.currency),
                        show_amount(order.balance(), &order.currency)
                    ),
                ));
            }
            Command::RecordPayment {
                order_id,
                method,
                amount,
                comment: comment.clone(),
                over_balance_ok: yes,
            }
        }
        OrderAction::Status {
            to,
            carrier,
            tracking,
            reason,
        } => Command::ChangeStatus {
            order_id,
            change: status_change(order, *to, carrier, tracking, reason, yes)?,
        },
        OrderAction::Note { text } => Command::AddNote {
            order_id,
            text: text.clone(),
        },
        OrderAction::Dismiss => Command::Dismiss(ProblemRef::Order(order_id)),
        OrderAction::Ack => Command::Acknowledge(ProblemRef::Order(order_id)),
        OrderAction::Receipt(_) => {
            return Err(Failure::new("invalid", "a receipt is not an action"));
        }
    })
}

/// The status change `order status TO` asks for.
fn status_change(
    order: &Order,
    to: OrderState,
    carrier: &Option<String>,
    tracking: &Option<String>,
    reason: &Option<String>,
    yes: bool,
) -> Result<StatusChange, Failure> {
    let shipped = || Failure::new("invalid", "shipped needs --carrier and --tracking");
    Ok(match to {
        OrderState::ReadyForPickup => StatusChange::ReadyForPickup,
        OrderState::ReadyToShip => StatusChange::ReadyToShip,
        OrderState::Completed => StatusChange::Completed,
        OrderState::Shipped => StatusChange::Shipped {
            carrier: carrier.clone().ok_or_else(shipped)?,
            tracking: tracking.clone().ok_or_else(shipped)?,
        },
        OrderState::Refused => {
            let reason = reason
                .clone()
                .ok_or_else(|| Failure::new("invalid", "refused needs --reason"))?;
            if !yes {
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
    })
}

/// The line `order` prints after a command went through (`before` and `now` the order).
fn said_of(before: &Order, now: &Order, command: &Command) -> String {
    let (name, state) = (before.display_name(), now.state.as_str());
    match command {
        Command::CreateCustomer { .. } => format!(
            "customer {} created; {name} is {state}",
            now.customer.id.as_deref().unwrap_or("?")
        ),
        Command::MapLine {
            line, product_id, ..
        } => format!("line {line} mapped to {product_id}; {name} is {state}"),
        Command::RecordPayment { method, amount, .. } => format!(
            "payment {method} {} recorded on {name}",
            show_amount(*amount, &before.currency)
        ),
        Command::AddNote { .. } => format!("note added to {name}"),
        Command::Dismiss(_) => format!("{name} dismissed"),
        Command::Acknowledge(_) => format!("conflicts of {name} acknowledged"),
        _ => format!("{name} is {state}"),
    }
}

/// Through the service: its outbox worker sends what the command queued; wait a few seconds
/// for the shop's answers to what was queued since `since`, as `send_now` prints them.
async fn shop_answers(desk: &Desk, id: u64, since: DateTime<Utc>) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(8);
    loop {
        let items: Vec<OutboxItem> = match desk.order_detail(id).await {
            Ok(Some(d)) => d
                .outbox
                .into_iter()
                .filter(|i| i.created_at >= since)
                .collect(),
            Ok(None) => return vec![],
            Err(e) => return vec![format!("not known: {e}")],
        };
        let tried = |i: &OutboxItem| i.status != OutboxStatus::Pending || i.attempts > 0;
        if items.iter().all(tried) {
            return items.iter().map(answer_line).collect();
        }
        if tokio::time::Instant::now() >= deadline {
            return vec![
                "the shop did not answer in time: the change stays queued; the service sends it"
                    .into(),
            ];
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One item as the outbox worker reports it: the order, the change, the shop's answer.
fn answer_line(i: &OutboxItem) -> String {
    let (word, answer) = match i.status {
        OutboxStatus::Sent => ("sent", i.answer.clone()),
        _ => ("failed", i.last_error.clone()),
    };
    format!(
        "{} {}: {word} — {}",
        i.order_name,
        i.change.describe(),
        answer.unwrap_or_default()
    )
}

/// `product ID …`: edit or merge a product (through the service while it holds the store).
pub async fn product(ctx: Context, args: ProductArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let desk = ctx.desk(&cfg).await?;
    let (sku, name, price, stock, category) = match args.action {
        ProductAction::Edit {
            sku,
            name,
            price,
            stock,
            category,
        } => (sku, name, price, stock, category),
        ProductAction::Merge { into, yes } => {
            return super::listing::merged(&desk, &args.id, &into, yes, args.json).await;
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
    let command = Command::UpdateProduct {
        product_id: args.id.clone(),
        edit: Box::new(edit),
    };
    desk.execute(&args.id, command).await?;
    let Some(p) = desk.product(&args.id).await? else {
        return Err(Failure::new(
            "not_found",
            format!("product {} is gone after its edit", args.id),
        ));
    };
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
