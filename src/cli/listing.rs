//! `orders`, `products`, `customers`: lists for scripts (JSON shapes of DESIGN.md §4).

use super::common::{Context, Failure, money};
use crate::domain::{Customer, Order, OrderState, Product};
use serde_json::{Value, json};

#[derive(clap::Args, Debug)]
pub struct OrdersArgs {
    /// Only orders in this state (snake_case or with dashes).
    #[arg(long, value_parser = parse_state)]
    pub state: Option<OrderState>,
    #[arg(long)]
    pub json: bool,
}

fn parse_state(s: &str) -> Result<OrderState, String> {
    s.parse()
        .map_err(|e: crate::domain::state::UnknownState| e.to_string())
}

#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// Only records whose name, SKU, email or phone contains this (case and accents folded).
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn order_json(o: &Order) -> Value {
    json!({
        "ref": o.reference(),
        "store": o.store,
        "remote_id": o.remote_id,
        "name": o.name,
        "state": o.state.as_str(),
        "test": o.test,
        "created_at": time(o.created_at),
        "updated_at": time(o.updated_at),
        "currency": o.currency,
        "total": money(o.total),
        "paid": money(o.paid()),
        "balance": money(o.balance()),
        "customer": {
            "id": o.customer.id,
            "name": o.customer.name(),
            "email": o.customer.email,
            "phone": o.customer.phone,
        },
        "shipping": o.shipping.as_ref().map(|s| json!({
            "carrier": s.carrier.as_deref().map(str::trim).filter(|c| !c.is_empty()),
            "method": Some(s.title.trim()).filter(|t| !t.is_empty()),
            "cost": money(s.cost),
            "address": s.address.as_ref().map(|a| a.one_line()),
        })),
        "lines": o.lines.iter().map(|l| json!({
            "line": l.line,
            "sku": l.sku,
            "name": l.name,
            "quantity": l.quantity,
            "unit_price": money(l.unit_price),
            "total": money(l.total),
            "match": {
                "status": l.matched.status.as_str(),
                "product_id": l.matched.product_id,
                "candidates": l.matched.candidates,
            },
        })).collect::<Vec<_>>(),
        "problems": o.problems.iter().chain(o.conflicts.iter()).collect::<Vec<_>>(),
    })
}

pub async fn orders(ctx: Context, args: OrdersArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let desk = ctx.desk(&cfg).await?;
    let list = desk.orders(args.state).await?;
    if args.json {
        println!("{}", Value::Array(list.iter().map(order_json).collect()));
    } else {
        for o in &list {
            println!(
                "{:<16} {:<20} {:>12} {:<3} {:<24} {}",
                o.reference(),
                o.created_at.format("%Y-%m-%d %H:%M"),
                money(o.total),
                o.currency,
                o.customer.name(),
                o.state
            );
        }
    }
    Ok(0)
}

pub fn product_json(p: &Product) -> Value {
    let components: Vec<Value> = (p.components.iter())
        .map(|(id, n)| json!({"id": id, "quantity": n}))
        .collect();
    json!({"id": p.id, "sku": p.sku, "name": p.name, "price": money(p.price), "stock": p.stock,
           "category": p.category, "unit": p.unit, "oversold": p.oversold,
           "components": components, "remote_codes": p.remote_codes,
           "remote_parents": p.remote_parents})
}

fn customer_json(c: &Customer) -> Value {
    json!({"id": c.id, "first_name": c.first_name, "last_name": c.last_name, "email": c.email,
           "phone": c.phone, "city": c.city, "remote_ids": c.remote_ids})
}

#[derive(clap::Args, Debug)]
pub struct ProductArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    /// Only the products that share a SKU, by SKU: `[{"sku", "products": [...]}]` with
    /// `--json`.
    #[arg(long, conflicts_with = "search")]
    pub duplicates: bool,
}

/// `products`: the store's products (through the service while it holds the store).
pub async fn products(ctx: Context, args: ProductArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let desk = ctx.desk(&cfg).await?;
    if args.duplicates {
        let groups = desk.duplicates().await?;
        if args.search.json {
            let list = groups.iter().map(|(sku, products)| {
                json!({"sku": sku, "products": products.iter().map(product_json).collect::<Vec<_>>()})
            });
            println!("{}", Value::Array(list.collect()));
        } else if groups.is_empty() {
            println!("no SKU is shared by two products");
        } else {
            for (sku, products) in &groups {
                let names: Vec<String> = products
                    .iter()
                    .map(|p| format!("{} {} (stock {})", p.id, p.name, p.stock))
                    .collect();
                println!("{sku}: {}", names.join("; "));
            }
        }
        return Ok(0);
    }
    let args = args.search;
    let list = desk.products(args.search.as_deref()).await?;
    if args.json {
        println!("{}", Value::Array(list.iter().map(product_json).collect()));
    } else {
        for p in &list {
            println!(
                "{:<8} {:<16} {:<40} {:>10} {:>6}",
                p.id,
                p.sku,
                p.name,
                money(p.price),
                p.stock
            );
        }
    }
    Ok(0)
}

/// `customers`: the store's customers (through the service while it holds the store).
pub async fn customers(ctx: Context, args: SearchArgs) -> Result<i32, Failure> {
    let cfg = ctx.config()?;
    let list = ctx
        .desk(&cfg)
        .await?
        .customers(args.search.as_deref())
        .await?;
    if args.json {
        println!("{}", Value::Array(list.iter().map(customer_json).collect()));
    } else {
        for c in &list {
            println!(
                "{:<8} {:<30} {:<32} {:<16} {}",
                c.id,
                c.full_name(),
                c.email.as_deref().unwrap_or(""),
                c.phone.as_deref().unwrap_or(""),
                c.city
            );
        }
    }
    Ok(0)
}

/// An order's outbox items in `order REF --json`: what the shop was to hear, and its answer.
pub fn outbox_json(items: &[crate::domain::outbox::OutboxItem]) -> serde_json::Value {
    serde_json::Value::Array(
        items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "id": i.id.to_string(),
                    "what": i.change.describe(),
                    "status": serde_json::to_value(i.status).unwrap_or_default(),
                    "attempts": i.attempts,
                    "answer": i.answer,
                    "error": i.last_error,
                    "created_at": time(i.created_at),
                    "updated_at": time(i.updated_at),
                })
            })
            .collect(),
    )
}

/// `orderdesk product ID merge INTO [--yes]`: what the merge did, or why it was refused.
pub async fn merged(
    desk: &crate::service::Desk,
    from: &str,
    into: &str,
    yes: bool,
    json: bool,
) -> Result<i32, Failure> {
    if !yes {
        return Err(Failure::new(
            "confirm",
            format!(
                "merging {from} into {into} removes {from} for good: add --yes to merge \
                 (`orderdesk products --duplicates` lists what shares a SKU)"
            ),
        ));
    }
    let command = crate::engine::command::Command::MergeProducts {
        from: from.to_string(),
        into: into.to_string(),
    };
    let m = match desk.execute(from, command).await? {
        crate::engine::command::Answer::Merged(m) => *m,
        other => {
            return Err(Failure::new(
                "service",
                format!("the merge answered {other:?}"),
            ));
        }
    };
    if json {
        let again: Vec<Value> = (m.matched_again.iter())
            .map(|(r, s)| json!({"ref": r, "state": s.as_str()}))
            .collect();
        println!(
            "{}",
            json!({"product": product_json(&m.product), "orders": m.orders,
                   "mappings": m.mappings, "matched_again": again})
        );
    } else {
        println!(
            "merged {from} into {into}: stock {}, {} order(s) and {} line mapping(s) now name {into}",
            m.product.stock,
            m.orders.len(),
            m.mappings
        );
        for (r, s) in &m.matched_again {
            println!("{r}: intake again: {}", s.label());
        }
    }
    Ok(0)
}
