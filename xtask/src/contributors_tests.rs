//! Tests of `contributors.rs`.

use super::*;

#[test]
fn twiggy_rows_are_read_largest_first_without_the_name_section() {
    let csv = "Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent\n\
               \"\"\"function names\"\" subsection\",967767,44.1,,\n\
               \"data segment \"\".rodata\"\"\",71766,3.2,,\n\
               <F as tachys::reactive_graph::ReactiveFunction>::invoke::h1,12176,0.5,,\n\
               naervaer_app::sync::sync_now::{{closure}}::h2,20914,0.9,,\n";
    let items = parse(csv);
    assert_eq!(
        items.iter().map(|(_, b)| *b).collect::<Vec<_>>(),
        vec![71766, 20914, 12176]
    );
    assert_eq!(items[0].0, "data segment \".rodata\"");
}

#[test]
fn items_are_owned_by_their_crate_and_the_app_by_module() {
    assert_eq!(
        owner("<F as tachys::reactive_graph::ReactiveFunction>::invoke::h1"),
        "tachys"
    );
    assert_eq!(
        owner("naervaer_app::sync::sync_now::{{closure}}::h2"),
        "naervaer_app::sync"
    );
    assert_eq!(
        owner(
            "<<naervaer_domain::protocol::Record as serde_core::de::Deserialize>::deserialize::V as serde_core::de::Visitor>::visit_map::h3"
        ),
        "naervaer_domain"
    );
    assert_eq!(owner("data segment \".rodata\""), "data");
    assert_eq!(owner("memcpy"), "other");
}
