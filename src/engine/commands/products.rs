//! Fixing product matches: map a line, edit or create a product, intake again.

use super::*;
use crate::engine::records::LineMapping;

impl Engine {
    /// Maps an order line to a product (remembered by the shop's variant id and by store and
    /// SKU, each the line has, so a later line of the same SKU under another variant id or none
    /// finds it too; for this order only when the line has neither) and runs intake again.
    pub fn map_line(
        &self,
        order_id: u64,
        line: u32,
        product_id: &str,
    ) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        self.parked(&order)?;
        let l = order
            .lines
            .iter()
            .find(|l| l.line == line)
            .cloned()
            .ok_or_else(|| {
                EngineError::NotFound(format!("line {line} of {}", order.display_name()))
            })?;
        let p = self
            .store()
            .product(product_id)?
            .ok_or_else(|| EngineError::NotFound(format!("product {product_id}")))?;
        let st = self.setting(&order.store)?.clone();
        let shop = self.kept_shop_order(&order)?;
        let sku = l.sku.clone().filter(|s| !s.trim().is_empty());
        let remembered = l.variant_id.is_some() || sku.is_some();
        let why = format!(
            "line {line} ({}) mapped to {} {}{}",
            l.name,
            p.id,
            p.name,
            if remembered { "" } else { " for this order" }
        );
        let (store_id, remote) = (st.id.clone(), order.remote_id.clone());
        let shop_line = shop.lines.iter().find(|s| s.remote_id == l.remote_id);
        let shop_code = shop_line.and_then(crate::domain::ShopLine::shop_code);
        let state = self.reintake_with(
            &st,
            &order,
            &shop,
            None,
            self.op("mapped", why),
            None,
            vec![if remembered {
                LineMapping::Remembered {
                    variant_id: l.variant_id.clone(),
                    sku: sku.clone(),
                    product_id: p.id.clone(),
                }
            } else {
                LineMapping::ThisLine {
                    line_id: l.remote_id.clone(),
                    product_id: p.id.clone(),
                }
            }],
            &|tx| {
                if !tx.map_line(&store_id, l.variant_id.as_deref(), sku.as_deref(), &p.id)? {
                    tx.map_order_line(&store_id, &remote, &l.remote_id, &p.id)?;
                }
                // The shop's id of what the line sold becomes the product's remote code for
                // that store (when it has none), so `product_key = "remote_id"` finds it.
                if let Some((code, parent)) = shop_code.as_ref()
                    && let Some(mut prod) = tx.get_product(&p.id)?
                    && !prod.remote_codes.contains_key(&store_id)
                {
                    prod.set_remote_code(&store_id, code, parent.as_deref());
                    tx.put_product(&prod)?;
                }
                Ok(())
            },
        )?;
        drop(_g);
        self.done()?;
        Ok(state)
    }

    pub fn update_product(
        &self,
        product_id: &str,
        edit: &ProductEdit,
    ) -> Result<Product, EngineError> {
        let _g = self.lock();
        let mut p = self
            .store()
            .product(product_id)?
            .ok_or_else(|| EngineError::NotFound(format!("product {product_id}")))?;
        let errors = check_product(
            edit.sku.as_deref(),
            edit.name.as_deref(),
            edit.price,
            edit.stock,
        );
        if !errors.is_empty() {
            return Err(FormErrors(errors).into());
        }
        let trimmed = |v: &Option<String>, old: &mut String| {
            if let Some(v) = v {
                *old = v.trim().to_string();
            }
        };
        trimmed(&edit.sku, &mut p.sku);
        trimmed(&edit.name, &mut p.name);
        trimmed(&edit.category, &mut p.category);
        p.price = edit.price.unwrap_or(p.price);
        p.stock = edit.stock.unwrap_or(p.stock);
        self.store().write(|tx| tx.put_product(&p))?;
        drop(_g);
        self.done()?;
        Ok(p)
    }

    /// Creates a product (a SKU and a name at least).
    pub fn create_product(
        &self,
        sku: &str,
        name: &str,
        price: Money,
        stock: i64,
    ) -> Result<Product, EngineError> {
        let errors = check_product(Some(sku), Some(name), Some(price), Some(stock));
        if !errors.is_empty() {
            return Err(FormErrors(errors).into());
        }
        let _g = self.lock();
        let p = self.store().write(|tx| {
            let id = new_id(tx, "product", "P", |tx, id| {
                Ok(tx.get_product(id)?.is_none())
            })?;
            let p = Product {
                id,
                sku: sku.trim().to_string(),
                name: name.trim().to_string(),
                description: String::new(),
                price,
                stock,
                category: String::new(),
                unit: crate::domain::records::default_unit(),
                oversold: false,
                remote_codes: Default::default(),
                remote_parents: Default::default(),
                components: vec![],
            };
            tx.put_product(&p)?;
            Ok(p)
        })?;
        drop(_g);
        self.done()?;
        Ok(p)
    }

    /// Runs intake again on a parked order (after records were fixed elsewhere).
    pub fn intake_again(&self, order_id: u64) -> Result<OrderState, EngineError> {
        let _g = self.lock();
        let order = self.order_of(order_id)?;
        self.parked(&order)?;
        let st = self.setting(&order.store)?.clone();
        let shop = self.kept_shop_order(&order)?;
        let state = self.reintake(
            &st,
            &order,
            &shop,
            None,
            self.op("intake", "intake run again"),
        )?;
        drop(_g);
        self.done()?;
        Ok(state)
    }
}

/// A product's fields as a form or the command line gives them (`None`: not given): a SKU
/// and a name that are not empty, short and plain; a price from zero to the largest amount; a
/// stock within its range. Each refusal names its field.
fn check_product(
    sku: Option<&str>,
    name: Option<&str>,
    price: Option<Money>,
    stock: Option<i64>,
) -> Vec<FieldError> {
    use crate::domain::limits::{MAX_LINE_CHARS, check_amount, check_stock, check_text};
    let text = |v: &str, what: &str, needed: &str| {
        if v.trim().is_empty() {
            Err(needed.to_string())
        } else {
            check_text(what, v.trim(), MAX_LINE_CHARS, false)
        }
    };
    let checks = [
        ("sku", sku.map(|v| text(v, "the SKU", "a SKU is needed"))),
        (
            "name",
            name.map(|v| text(v, "the name", "a name is needed")),
        ),
        (
            "price",
            price.map(|p| {
                if p < Money::ZERO {
                    Err("the price cannot be negative".to_string())
                } else {
                    check_amount(p).map(|_| ())
                }
            }),
        ),
        ("stock", stock.map(|n| check_stock(n).map(|_| ()))),
    ];
    checks
        .into_iter()
        .filter_map(|(field, checked)| match checked {
            Some(Err(message)) => Some(FieldError {
                field: field.into(),
                message,
            }),
            _ => None,
        })
        .collect()
}
