//! Units as FORMAT.md ("Units") defines them: parsing, algebra, conversion.

use kpitree::model::Unit;
use proptest::prelude::*;

fn unit(text: &str) -> Unit {
    Unit::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn assert_scale(u: &Unit, want: f64) {
    assert!((u.scale - want).abs() <= 1e-12 * want.abs(), "scale {} instead of {want}", u.scale);
}

/// Fails unless `a` and `b` have one dimension and (nearly) one scale.
fn assert_same(a: &Unit, b: &Unit) {
    assert!(a.same_dimension(b), "{a} and {b} differ in dimension");
    assert_scale(a, b.scale);
}

// ---- parsing ----

#[test]
fn empty_text_is_the_plain_number() {
    assert_eq!(unit(""), Unit::one());
    assert_eq!(unit("  "), Unit::one());
}

#[test]
fn percent_unit_scales_by_one_hundredth() {
    let u = unit("%");
    assert!(u.is_dimensionless());
    assert_scale(&u, 0.01);
}

#[test]
fn a_plain_name_is_its_own_dimension_with_scale_one() {
    let u = unit("件");
    assert!(!u.is_dimensionless());
    assert_scale(&u, 1.0);
    assert!(!u.same_dimension(&unit("円")));
}

#[test]
fn japanese_scale_prefixes_multiply_the_factor() {
    for (text, scale) in [("千円", 1e3), ("万円", 1e4), ("百万円", 1e6), ("億円", 1e8), ("兆円", 1e12)] {
        let u = unit(text);
        assert!(u.same_dimension(&unit("円")), "{text}");
        assert_scale(&u, scale);
    }
}

#[test]
fn latin_scale_prefixes_multiply_the_factor() {
    assert_same(&unit("kg"), &unit("g").mul(&unit("千")));
    assert_scale(&unit("kg"), 1e3);
    assert_same(&unit("M円"), &unit("円").mul(&unit("百万")));
    assert_scale(&unit("M円"), 1e6);
}

#[test]
fn a_latin_prefix_letter_alone_is_a_name_not_a_scale() {
    let k = unit("k");
    assert!(!k.is_dimensionless());
    assert_scale(&k, 1.0);
}

#[test]
fn a_japanese_prefix_alone_is_a_pure_scale() {
    let u = unit("万");
    assert!(u.is_dimensionless());
    assert_scale(&u, 1e4);
}

#[test]
fn a_slash_divides_every_following_factor() {
    let u = unit("円/人/月");
    assert_same(&u, &unit("円").div(&unit("人")).div(&unit("月")));
    assert!(!u.same_dimension(&unit("円/人").mul(&unit("月"))));
}

#[test]
fn a_star_multiplies() {
    assert_same(&unit("人*月"), &unit("人").mul(&unit("月")));
    assert_same(&unit("人*月"), &unit("月*人"));
}

#[test]
fn a_scaled_quotient_keeps_its_scale() {
    let u = unit("万円/社");
    assert_scale(&u, 1e4);
    assert_same(&u, &unit("万円").div(&unit("社")));
}

#[test]
fn caret_powers_multiply_a_factor_with_itself() {
    assert_same(&unit("m^2"), &unit("m").mul(&unit("m")));
    assert_same(&unit("m^3"), &unit("m*m*m"));
    assert_same(&unit("m^-1"), &unit("m").recip());
}

#[test]
fn superscript_powers_equal_caret_powers() {
    assert_same(&unit("m²"), &unit("m^2"));
    assert_same(&unit("m³"), &unit("m^3"));
}

#[test]
fn a_power_applies_to_the_prefix_too() {
    let u = unit("km^2");
    assert_scale(&u, 1e6);
    assert_same(&u, &unit("km*km"));
}

#[test]
fn a_divided_power_is_a_negative_power() {
    assert_same(&unit("m/s^2"), &unit("m").div(&unit("s")).div(&unit("s")));
}

#[test]
fn an_empty_factor_is_an_error() {
    for text in ["円//人", "円/", "*円"] {
        assert!(Unit::parse(text).is_err(), "{text}");
    }
}

#[test]
fn a_power_that_is_not_a_small_integer_is_an_error() {
    for text in ["m^x", "m^", "m^1.5", "m^1000"] {
        assert!(Unit::parse(text).is_err(), "{text}");
    }
}

#[test]
fn unreadable_text_leniently_becomes_a_unit_matching_only_itself() {
    let bad = Unit::parse_lenient("円//人");
    assert!(bad.same_dimension(&Unit::parse_lenient("円//人")));
    assert!(!bad.same_dimension(&unit("円/人")));
    assert!(!bad.same_dimension(&Unit::one()));
}

// ---- multiplication and division ----

#[test]
fn companies_times_man_yen_per_company_is_man_yen() {
    assert_same(&unit("社").mul(&unit("万円/社")), &unit("万円"));
}

#[test]
fn a_count_divided_by_a_count_is_the_plain_number() {
    let u = unit("件").div(&unit("件"));
    assert!(u.is_dimensionless());
    assert_scale(&u, 1.0);
}

#[test]
fn a_percent_times_a_count_is_a_hundredth_of_the_count() {
    let u = unit("件").mul(&unit("%"));
    assert!(u.same_dimension(&unit("件")));
    assert_scale(&u, 0.01);
}

#[test]
fn the_reciprocal_inverts_scale_and_dimension() {
    let u = unit("万円").recip();
    assert_scale(&u, 1e-4);
    assert!(u.mul(&unit("円")).is_dimensionless());
}

// ---- comparison ----

#[test]
fn scales_of_one_dimension_compare_equal_in_dimension() {
    assert!(unit("万円").same_dimension(&unit("千円")));
    assert!(unit("%").same_dimension(&Unit::one()));
}

#[test]
fn different_names_are_different_dimensions() {
    assert!(!unit("円").same_dimension(&unit("件")));
    assert!(!unit("円").same_dimension(&unit("円/件")));
    assert!(!unit("%").same_dimension(&unit("件")));
}

// ---- conversion ----

#[test]
fn three_man_yen_is_thirty_thousand_yen() {
    assert_eq!(unit("万円").convert(3.0, &unit("円")), Some(30_000.0));
    assert_eq!(unit("万円").to_base(3.0), 30_000.0);
}

#[test]
fn fifteen_hundred_yen_is_one_and_a_half_thousand_yen() {
    assert_eq!(unit("円").convert(1500.0, &unit("千円")), Some(1.5));
}

#[test]
fn percent_converts_to_and_from_a_fraction() {
    assert_eq!(unit("%").convert(2.0, &Unit::one()), Some(0.02));
    assert_eq!(Unit::one().convert(0.25, &unit("%")), Some(25.0));
}

#[test]
fn values_do_not_convert_between_dimensions() {
    assert_eq!(unit("円").convert(1.0, &unit("件")), None);
    assert_eq!(unit("%").convert(1.0, &unit("件")), None);
}

// ---- properties ----

/// Unit text from names, prefixes, powers, `/` and `*`.
fn unit_text() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec!["", "", "千", "万", "百万", "億", "兆", "k", "M"]);
    let name = prop::sample::select(vec!["円", "件", "社", "人", "月", "g", "m", "%"]);
    let power = prop::sample::select(vec!["", "", "", "^2", "^3", "^-1", "²"]);
    let factor =
        (prefix, name, power).prop_map(|(p, n, w)| if n == "%" { format!("{n}{w}") } else { format!("{p}{n}{w}") });
    prop::collection::vec((prop::bool::ANY, factor), 1..4).prop_map(|factors| {
        let mut text = String::new();
        for (i, (divide, f)) in factors.into_iter().enumerate() {
            if i > 0 {
                text.push(if divide { '/' } else { '*' });
            }
            text.push_str(&f);
        }
        text
    })
}

proptest! {
    #[test]
    fn generated_unit_text_always_parses(text in unit_text()) {
        prop_assert!(Unit::parse(&text).is_ok(), "{}", text);
    }

    #[test]
    fn multiplying_then_dividing_by_b_gives_back_a(a in unit_text(), b in unit_text()) {
        let (a, b) = (unit(&a), unit(&b));
        let back = a.mul(&b).div(&b);
        prop_assert!(back.same_dimension(&a), "{} vs {}", back, a);
        prop_assert!((back.scale - a.scale).abs() <= 1e-12 * a.scale.abs());
    }

    #[test]
    fn dividing_then_multiplying_by_b_gives_back_a(a in unit_text(), b in unit_text()) {
        let (a, b) = (unit(&a), unit(&b));
        let back = a.div(&b).mul(&b);
        prop_assert!(back.same_dimension(&a));
        prop_assert!((back.scale - a.scale).abs() <= 1e-12 * a.scale.abs());
    }

    #[test]
    fn a_unit_times_its_reciprocal_is_the_plain_number(a in unit_text()) {
        let one = unit(&a).mul(&unit(&a).recip());
        prop_assert!(one.is_dimensionless());
        prop_assert!((one.scale - 1.0).abs() <= 1e-12);
    }

    #[test]
    fn to_base_then_from_base_gives_back_the_value(a in unit_text(), x in -1e12f64..1e12) {
        let u = unit(&a);
        let back = u.from_base(u.to_base(x));
        prop_assert!((back - x).abs() <= 1e-12 * x.abs(), "{} → {}", x, back);
    }

    #[test]
    fn converting_there_and_back_gives_back_the_value(
        a in unit_text(),
        prefix in prop::sample::select(vec!["", "千", "万", "百万", "億", "兆", "k", "M"]),
        x in -1e12f64..1e12,
    ) {
        let from = unit(&a);
        // The same dimensions in another scale.
        let to = from.mul(&unit(&format!("{prefix}円/円")));
        let there = from.convert(x, &to);
        prop_assert!(there.is_some());
        let back = to.convert(there.unwrap_or_default(), &from);
        prop_assert!(back.is_some_and(|b| (b - x).abs() <= 1e-12 * x.abs()), "{} → {:?}", x, back);
    }

    #[test]
    fn conversion_between_different_dimensions_is_none(a in unit_text(), x in -1e6f64..1e6) {
        let from = unit(&a);
        let to = from.mul(&unit("ドル"));
        prop_assert_eq!(from.convert(x, &to), None);
    }
}

#[test]
fn acronyms_starting_with_m_or_k_are_names_not_prefixed_units() {
    let mau = kpitree::model::Unit::parse("MAU").unwrap();
    let thousand_mau = kpitree::model::Unit::parse("千MAU").unwrap();
    assert_eq!(mau.scale, 1.0);
    assert!(mau.same_dimension(&thousand_mau));
    assert_eq!(thousand_mau.scale, 1e3);
    let mega_yen = kpitree::model::Unit::parse("M円").unwrap();
    assert_eq!(mega_yen.scale, 1e6);
}

#[test]
fn a_unit_made_by_multiplying_is_written_with_its_prefix_and_reads_back_as_itself() {
    for (a, b, written) in [("万円", "ヶ月", "万ヶ月·円"), ("千人", "回", "千人·回"), ("万円", "社", "万円·社")]
    {
        let product = unit(a).mul(&unit(b));
        let text = product.to_string();
        assert_eq!(text, written);
        assert_same(&unit(&text), &product);
    }
    // A scale that is no prefix stays a number, and still reads back.
    let half = unit("円").mul(&unit("0.5"));
    assert_eq!(half.to_string(), "0.5·円");
    assert_same(&unit(&half.to_string()), &half);
}
