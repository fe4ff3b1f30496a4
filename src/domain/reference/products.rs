//! The product catalogue for provisions: product categories per law (from the iStandaarden code
//! lists) and the municipality's products within them, each with the unit and frequency a new
//! request starts with. The default lives in `data/products.toml`; a municipality replaces it
//! with its own `products.toml` in the configuration directory.

use serde::Deserialize;
use toml::Spanned;

use super::{ReferenceError, ReferenceErrorKind, Source};
use crate::domain::provision::{Frequency, Law, Unit};

/// One product category, e.g. Wmo `02` Begeleiding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductCategory {
    /// The law.
    pub law: Law,
    /// The two-digit code.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// One product within a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    /// The category's code.
    pub category: String,
    /// The product code (unique).
    pub code: String,
    /// Its name.
    pub name: String,
    /// The unit a request starts with.
    pub unit: Unit,
    /// The frequency a request starts with.
    pub frequency: Frequency,
}

/// Categories and products; codes unique, every product in a known category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductCatalogue {
    categories: Vec<ProductCategory>,
    products: Vec<Product>,
}

impl ProductCatalogue {
    /// Every category, in file order.
    pub fn categories(&self) -> &[ProductCategory] {
        &self.categories
    }

    /// Every product, in file order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// The category with `code`.
    pub fn category(&self, code: &str) -> Option<&ProductCategory> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The product with `code`.
    pub fn product(&self, code: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.code == code)
    }

    /// The products of a category.
    pub fn products_in<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Product> {
        self.products.iter().filter(move |p| p.category == category)
    }

    /// Parses and validates a product catalogue; `file` is only used in error messages.
    pub fn parse(text: &str, file: &str) -> Result<ProductCatalogue, ReferenceError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawFile {
            categories: Vec<RawCategory>,
            products: Vec<RawProduct>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawCategory {
            law: Spanned<String>,
            code: Spanned<String>,
            name: Spanned<String>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RawProduct {
            category: Spanned<String>,
            code: Spanned<String>,
            name: Spanned<String>,
            unit: Spanned<String>,
            frequency: Spanned<String>,
        }
        let src = Source { text, file };
        let raw: RawFile = src.deserialize()?;
        if raw.categories.is_empty() {
            return Err(src.error(None, ReferenceErrorKind::Empty("categories")));
        }
        if raw.products.is_empty() {
            return Err(src.error(None, ReferenceErrorKind::Empty("products")));
        }
        let invalid = |span, field: &'static str, value: String, expected: &'static str| {
            src.error(
                Some(span),
                ReferenceErrorKind::InvalidValue {
                    field,
                    value,
                    expected,
                },
            )
        };
        let mut categories: Vec<ProductCategory> = Vec::new();
        for c in raw.categories {
            let law = Law::parse(c.law.get_ref()).map_err(|_| {
                invalid(
                    c.law.span(),
                    "law",
                    c.law.get_ref().clone(),
                    "wmo of jeugdwet",
                )
            })?;
            let span = c.code.span();
            let code = c.code.into_inner();
            if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(span, "code", code, "twee cijfers"));
            }
            if categories.iter().any(|x| x.code == code) {
                return Err(src.error(Some(span), ReferenceErrorKind::DuplicateKey(code)));
            }
            categories.push(ProductCategory {
                law,
                code,
                name: src.non_empty(c.name, "name")?,
            });
        }
        let mut products: Vec<Product> = Vec::new();
        for p in raw.products {
            let category_span = p.category.span();
            let category = p.category.into_inner();
            if !categories.iter().any(|c| c.code == category) {
                return Err(invalid(
                    category_span,
                    "category",
                    category,
                    "een code uit [[categories]]",
                ));
            }
            let span = p.code.span();
            let code = p.code.into_inner().trim().to_string();
            if code.is_empty() || code.len() > 5 || !code.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err(invalid(span, "code", code, "1 tot 5 letters of cijfers"));
            }
            if products.iter().any(|x| x.code == code) {
                return Err(src.error(Some(span), ReferenceErrorKind::DuplicateKey(code)));
            }
            let unit = Unit::parse(p.unit.get_ref()).map_err(|_| {
                invalid(
                    p.unit.span(),
                    "unit",
                    p.unit.get_ref().clone(),
                    "minuut, uur, etmaal, dagdeel, stuks of euro",
                )
            })?;
            let frequency = Frequency::parse(p.frequency.get_ref()).map_err(|_| {
                invalid(
                    p.frequency.span(),
                    "frequency",
                    p.frequency.get_ref().clone(),
                    "per_dag, per_week, per_maand of totaal",
                )
            })?;
            products.push(Product {
                category,
                code,
                name: src.non_empty(p.name, "name")?,
                unit,
                frequency,
            });
        }
        Ok(ProductCatalogue {
            categories,
            products,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMBEDDED: &str = include_str!("../../../data/products.toml");

    #[test]
    fn the_shipped_catalogue_covers_both_laws() {
        let c = ProductCatalogue::parse(EMBEDDED, "products.toml").unwrap();
        assert!(c.categories().iter().any(|x| x.law == Law::Wmo));
        assert!(c.categories().iter().any(|x| x.law == Law::Jeugdwet));
        assert_eq!(
            c.category("02").map(|x| x.name.as_str()),
            Some("Begeleiding")
        );
        assert!(c.products_in("45").count() >= 2);
        for p in c.products() {
            assert!(c.category(&p.category).is_some(), "{}", p.code);
        }
    }

    #[test]
    fn mistakes_name_the_line_and_what_is_expected() {
        let text = "[[categories]]\nlaw = \"wmo\"\ncode = \"02\"\nname = \"Begeleiding\"\n\n\
                    [[products]]\ncategory = \"03\"\ncode = \"X\"\nname = \"x\"\nunit = \"uur\"\nfrequency = \"per_week\"\n";
        let e = ProductCatalogue::parse(text, "products.toml").unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(e.to_string().contains("een code uit [[categories]]"), "{e}");
        let bad_unit = text
            .replace("category = \"03\"", "category = \"02\"")
            .replace("\"uur\"", "\"jaar\"");
        let e = ProductCatalogue::parse(&bad_unit, "products.toml").unwrap_err();
        assert!(e.to_string().contains("'jaar'"), "{e}");
    }
}
