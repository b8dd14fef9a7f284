//! Name pools for generated data (non-ASCII on purpose: search folds them).

pub const FIRST: &[&str] = &[
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

pub const LAST: &[&str] = &[
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

pub const CITIES: &[&str] = &[
    "Budapest",
    "Debrecen",
    "Szeged",
    "Pécs",
    "Győr",
    "Eger",
    "Sopron",
    "Veszprém",
];

pub const ADJECTIVES: &[&str] = &[
    "Green", "Black", "Smoked", "Wild", "Organic", "Spiced", "Sweet", "Bitter", "Golden", "Dark",
];

pub const GOODS: &[&str] = &[
    "tea",
    "coffee",
    "honey",
    "jam",
    "paprika",
    "salami",
    "mug",
    "teapot",
    "chocolate",
    "syrup",
];

pub const CATEGORIES: &[&str] = &["pantry", "drinks", "kitchen", "gifts"];

pub const CARRIERS: &[&str] = &["GLS", "DPD", "MPL"];
