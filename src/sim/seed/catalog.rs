//! The store's own records the shop's orders are meant to match: products and customers,
//! with the shop-side customer each one is known as.

use rust_decimal::Decimal;

use super::rng::Rng;

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub description: String,
    pub price: Decimal,
    pub stock: i64,
    pub category: String,
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub country_code: String,
    pub remote_ids: String,
    /// The shop's customer legacy id for this person.
    pub shop_id: u64,
}

/// Special SKUs the cases use.
pub const SKU_SHARED: &str = "MUG-BLUE";
pub const SKU_LAST_ONE: &str = "LAMP-ONE";
pub const SKU_UNKNOWN: &str = "NOPE-404";

const PRODUCTS: &[(&str, &str, &str, i64)] = &[
    ("TEA-001", "Green tea 100 g", "Tea & coffee", 690),
    ("TEA-002", "Black tea 100 g", "Tea & coffee", 590),
    ("COF-001", "Coffee beans 250 g", "Tea & coffee", 1290),
    ("COF-002", "Ground coffee 500 g", "Tea & coffee", 1890),
    ("MUG-RED", "Mug, red", "Kitchen", 990),
    (SKU_SHARED, "Mug, blue", "Kitchen", 990),
    (SKU_SHARED, "Mug, blue (large)", "Kitchen", 1290),
    (SKU_LAST_ONE, "Desk lamp \"Nord\"", "Home", 4990),
    ("PEN-010", "Fountain pen", "Stationery", 2450),
    ("NB-A5", "Notebook A5", "Stationery", 450),
    ("NB-A4", "Notebook A4", "Stationery", 650),
    ("BAG-TOTE", "Tote bag", "Accessories", 1500),
    ("CANDLE-V", "Candle, vanilla", "Home", 1190),
    ("CANDLE-L", "Candle, lavender", "Home", 1190),
    ("SOAP-OLV", "Olive soap", "Bath", 390),
    ("HONEY-AC", "Acacia honey 500 g", "Pantry", 1450),
    ("JAM-APR", "Apricot jam (Kecskemét)", "Pantry", 590),
    ("CHOC-DK", "Dark chocolate 70%", "Pantry", 320),
    ("SCARF-W", "Wool scarf", "Accessories", 3900),
    ("SOCK-M", "Socks, size M", "Accessories", 890),
    ("TOWEL-B", "Bath towel", "Bath", 2290),
    ("BOOK-CK", "Cookbook: Ízek és színek", "Books", 2990),
];

/// first, last, email, city, postal code, country, country code, street
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const PEOPLE: &[Person] = &[
    (
        "Anna",
        "Kovács",
        "anna.kovacs@example.hu",
        "Budapest",
        "1052",
        "Hungary",
        "HU",
        "Váci utca 12",
    ),
    (
        "Ilona",
        "Tündér",
        "ilona.tunder@example.hu",
        "Szeged",
        "6720",
        "Hungary",
        "HU",
        "Kárász u. 5",
    ),
    (
        "Łukasz",
        "Żółć",
        "lukasz.zolc@example.pl",
        "Kraków",
        "31-042",
        "Poland",
        "PL",
        "ul. Floriańska 3",
    ),
    (
        "Zoë",
        "Ørsted",
        "zoe.orsted@example.dk",
        "København",
        "1050",
        "Denmark",
        "DK",
        "Nyhavn 17",
    ),
    (
        "Peter",
        "Schmidt",
        "p.schmidt@example.de",
        "Wien",
        "1010",
        "Austria",
        "AT",
        "Graben 21",
    ),
    (
        "Marie",
        "Dubois",
        "marie.dubois@example.fr",
        "Lyon",
        "69002",
        "France",
        "FR",
        "Rue de la République 8",
    ),
    (
        "Gábor",
        "Nagy",
        "gabor.nagy@example.hu",
        "Debrecen",
        "4024",
        "Hungary",
        "HU",
        "Piac u. 40",
    ),
    (
        "Eszter",
        "Szabó",
        "eszter.szabo@example.hu",
        "Pécs",
        "7621",
        "Hungary",
        "HU",
        "Király u. 9",
    ),
    (
        "Jan",
        "Novák",
        "jan.novak@example.cz",
        "Brno",
        "602 00",
        "Czechia",
        "CZ",
        "Masarykova 4",
    ),
    (
        "Sofia",
        "Rossi",
        "sofia.rossi@example.it",
        "Milano",
        "20121",
        "Italy",
        "IT",
        "Via Dante 2",
    ),
    (
        "Márta",
        "Varga",
        "marta.varga@example.hu",
        "Győr",
        "9021",
        "Hungary",
        "HU",
        "Baross út 1",
    ),
    (
        "Ödön",
        "Lakatos",
        "old.mailbox@example.hu",
        "Eger",
        "3300",
        "Hungary",
        "HU",
        "Dobó tér 6",
    ),
];

/// Index in `customers()` of the customer matched by phone only, and by link only.
pub const PHONE_ONLY: usize = 10;
pub const LINK_ONLY: usize = 11;

pub fn products(rng: &mut Rng) -> Vec<Product> {
    PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, (sku, name, category, price))| {
            let stock = if *sku == SKU_LAST_ONE {
                1
            } else {
                rng.range(150, 400) as i64
            };
            // a seeded price move of up to ±0.50, so seeds differ
            let price = Decimal::new(price + rng.range(0, 100) as i64 - 50, 2);
            Product {
                id: format!("P{}", i + 1),
                sku: sku.to_string(),
                name: name.to_string(),
                description: format!("{name} from the demo catalog"),
                price,
                stock,
                category: category.to_string(),
            }
        })
        .collect()
}

pub fn customers(rng: &mut Rng) -> Vec<Customer> {
    let mut shop_id = 7_410_000_000_000 + rng.below(1_000_000) * 1000;
    PEOPLE
        .iter()
        .enumerate()
        .map(|(i, p)| {
            shop_id += rng.range(1_000, 90_000);
            let phone = format!("+3630{:07}", 1_000_000 + rng.below(8_999_999));
            let remote_ids = if i == LINK_ONLY {
                format!("web:{shop_id}")
            } else {
                String::new()
            };
            Customer {
                id: format!("C{}", i + 1),
                first_name: p.0.into(),
                last_name: p.1.into(),
                email: p.2.into(),
                phone,
                address: p.7.into(),
                city: p.3.into(),
                postal_code: p.4.into(),
                country: p.5.into(),
                country_code: p.6.into(),
                remote_ids,
                shop_id,
            }
        })
        .collect()
}

/// Gives each customer the shop-side id `id(index, drawn)` makes of the one drawn for it (a
/// platform whose ids look otherwise), keeping the remembered link of [`LINK_ONLY`] true.
pub fn renumber(customers: &mut [Customer], id: impl Fn(usize, u64) -> u64) {
    for (i, c) in customers.iter_mut().enumerate() {
        c.shop_id = id(i, c.shop_id);
        if i == LINK_ONLY {
            c.remote_ids = format!("web:{}", c.shop_id);
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(fields: &[&str]) -> String {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    row.join(",") + "\n"
}

pub fn products_csv(products: &[Product]) -> String {
    let mut out = String::from("id,sku,name,description,price,stock,category,unit\n");
    for p in products {
        let price = format!("{:.2}", p.price);
        let stock = p.stock.to_string();
        out += &csv_row(&[
            &p.id,
            &p.sku,
            &p.name,
            &p.description,
            &price,
            &stock,
            &p.category,
            "piece",
        ]);
    }
    out
}

pub fn customers_csv(customers: &[Customer]) -> String {
    let mut out = String::from(
        "id,first_name,last_name,email,phone,address,city,postal_code,country,remote_ids\n",
    );
    for c in customers {
        out += &csv_row(&[
            &c.id,
            &c.first_name,
            &c.last_name,
            &c.email,
            &c.phone,
            &c.address,
            &c.city,
            &c.postal_code,
            &c.country,
            &c.remote_ids,
        ]);
    }
    out
}

/// A simulator's customers file with its remembered links (`web:ID`, as `--export` writes
/// them for any platform) naming the demo's store `store` instead.
pub fn linked_to(csv_text: &str, store: &str) -> Result<String, csv::Error> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers()?.clone();
    let links = headers.iter().position(|h| h == "remote_ids");
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers)?;
    for record in reader.records() {
        let record = record?;
        let row: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, v)| match links {
                Some(at) if at == i => v
                    .split(';')
                    .map(|l| match l.trim().split_once(':') {
                        Some((_, id)) => format!("{store}:{id}"),
                        None => l.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
                _ => v.to_string(),
            })
            .collect();
        writer.write_record(&row)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_keeps_column_count() {
        let mut rng = Rng::new(1);
        let csv = products_csv(&products(&mut rng));
        assert!(csv.contains("\"Desk lamp \"\"Nord\"\"\""));
        let custs = customers(&mut Rng::new(1));
        let ccsv = customers_csv(&custs);
        for line in ccsv.lines() {
            // no field here has a comma inside quotes except none: count raw commas
            assert_eq!(line.matches(',').count(), 9, "{line}");
        }
        assert_eq!(
            custs[LINK_ONLY].remote_ids,
            format!("web:{}", custs[LINK_ONLY].shop_id)
        );
    }

    #[test]
    fn links_name_the_demo_store() {
        let csv =
            "id,first_name,remote_ids\nC1,Anna,web:900\nC2,Béla,\nC3,\"Cili, Dr\",web:1;web:2\n";
        let out = linked_to(csv, "woo").expect("csv");
        assert_eq!(
            out,
            "id,first_name,remote_ids\nC1,Anna,woo:900\nC2,Béla,\nC3,\"Cili, Dr\",woo:1;woo:2\n"
        );
    }
}
